// Claims about the progress display (sim/util/progress.hpp): the text of a report, and what each
// mode writes.

#include "sim/util/progress.hpp"

#include <cstdio>
#include <string>

#include <catch2/catch.hpp>

namespace {

// Everything written to a temporary stream.
std::string contents(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string out;
  for (int c = std::fgetc(f); c != EOF; c = std::fgetc(f)) out += static_cast<char>(c);
  return out;
}

}  // namespace

TEST_CASE("a progress report shows the bar, counts, percentage, rate and ETA") {
  // 512 of 1024 in 10 s: 51.2 per second, 512 left, so 10 s to go; half the bar filled.
  const std::string text = sim::Progress::format(512, 1024, "points", 10.0, 10);
  CHECK_THAT(text, Catch::StartsWith("[#####-----] "));
  CHECK_THAT(text, Catch::Contains("512/1024 points"));
  CHECK_THAT(text, Catch::Contains("(50%)"));
  CHECK_THAT(text, Catch::Contains("51.2/s"));
  CHECK_THAT(text, Catch::EndsWith("ETA 10s"));
}

TEST_CASE("without a width the report has no bar") {
  const std::string text = sim::Progress::format(250, 1000, "replicates", 5.0, 0);
  CHECK_THAT(text, Catch::StartsWith("250/1000 replicates"));
  CHECK(text.find('[') == std::string::npos);
  CHECK_THAT(text, Catch::Contains("(25%)") && Catch::Contains("50.0/s") && Catch::EndsWith("ETA 15s"));
}

TEST_CASE("the ETA is written in seconds, minutes or hours as it grows") {
  // One per second: the ETA is the number left.
  CHECK_THAT(sim::Progress::format(1, 60, "r", 1.0, 0), Catch::EndsWith("ETA 59s"));
  CHECK_THAT(sim::Progress::format(1, 1001, "r", 1.0, 0), Catch::EndsWith("ETA 16m40s"));
  CHECK_THAT(sim::Progress::format(1, 7385, "r", 1.0, 0), Catch::EndsWith("ETA 2h03m"));
  CHECK_THAT(sim::Progress::format(1, 61, "r", 1.0, 0), Catch::EndsWith("ETA 1m00s"));
}

TEST_CASE("a finished report says ETA 0s with a full bar") {
  const std::string text = sim::Progress::format(40, 40, "points", 8.0, 4);
  CHECK_THAT(text, Catch::StartsWith("[####] 40/40 points"));
  CHECK_THAT(text, Catch::Contains("(100%)") && Catch::Contains("5.0/s") && Catch::EndsWith("ETA 0s"));
}

TEST_CASE("before any time has passed the rate is 0 and the ETA unknown") {
  const std::string text = sim::Progress::format(0, 100, "replicates", 0.0, 0);
  CHECK_THAT(text, Catch::Contains("(0%)") && Catch::Contains("0.0/s") && Catch::EndsWith("ETA ?"));
  CHECK_THAT(sim::Progress::format(0, 100, "replicates", 3.0, 0), Catch::EndsWith("ETA ?"));
}

TEST_CASE("an empty job is complete") {
  const std::string text = sim::Progress::format(0, 0, "points", 0.0, 5);
  CHECK_THAT(text, Catch::StartsWith("[#####] 0/0 points") && Catch::Contains("(100%)") &&
                       Catch::EndsWith("ETA 0s"));
}

TEST_CASE("a count past the total draws a full bar instead of failing") {
  // A resumed or merged job can report more done than planned; the display must not throw.
  std::string text;
  REQUIRE_NOTHROW(text = sim::Progress::format(12, 10, "points", 1.0, 10));
  CHECK_THAT(text, Catch::StartsWith("[##########] 12/10 points"));
}

TEST_CASE("quiet progress writes nothing, even when the work completes") {
  std::FILE* f = std::tmpfile();
  REQUIRE(f != nullptr);
  {
    sim::Progress progress(100, "replicates", sim::Progress::Mode::quiet, f);
    progress.update(1);
    progress.update(50);
    progress.update(100);
    progress.finish();
  }
  CHECK(contents(f).empty());
  std::fclose(f);
}

TEST_CASE("terminal progress draws the final state and clears its line when finished") {
  // The counterpart of the quiet test: the same calls on a terminal-mode display do write.
  std::FILE* f = std::tmpfile();
  REQUIRE(f != nullptr);
  {
    sim::Progress progress(100, "replicates", sim::Progress::Mode::terminal, f);
    progress.update(100);  // complete: drawn however soon it comes
    progress.finish();
  }
  const std::string text = contents(f);
  CHECK_THAT(text, Catch::StartsWith("\r[##############################] 100/100 replicates (100%)"));
  CHECK_THAT(text, Catch::EndsWith("\r\x1b[K"));
  std::fclose(f);
}

TEST_CASE("plain-line progress stays silent for a run shorter than ten seconds") {
  std::FILE* f = std::tmpfile();
  REQUIRE(f != nullptr);
  {
    sim::Progress progress(100, "replicates", sim::Progress::Mode::lines, f);
    progress.update(10);
    progress.update(100);
    progress.finish();
  }
  CHECK(contents(f).empty());
  std::fclose(f);
}

TEST_CASE("automatic mode on a stream that is not a terminal writes plain lines, not a bar") {
  std::FILE* f = std::tmpfile();
  REQUIRE(f != nullptr);
  {
    sim::Progress progress(100, "replicates", sim::Progress::Mode::automatic, f);
    progress.update(100);  // a terminal would draw this; plain lines wait ten seconds
    progress.finish();
  }
  CHECK(contents(f).empty());
  std::fclose(f);
}
