// Claims about pending outputs (sim/output/pending_output.hpp): a file a command writes appears
// whole when committed, or not at all; whatever stops the command leaves the target as it was
// and no temporary behind; paths that cannot be outputs are refused before anything is written.

#include "sim/output/pending_output.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "sim/error.hpp"
#include "tests/support/test_support.hpp"

namespace {
namespace fs = std::filesystem;
using sim::output::OutputTarget;
using sim::output::PendingOutput;

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::trunc) << text;
}

/// The directory's entries, by name.
std::vector<std::string> listing(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

/// A target with no inputs and no hint.
OutputTarget at(const std::string& path, bool may_exist = false) {
  return {path, "-o", may_exist, "", {}};
}

/// The InputError message checking `target` gives, or "" when it is accepted.
std::string refusal(const OutputTarget& target) {
  try {
    sim::output::check_output_target(target);
  } catch (const sim::InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a pending output appears at its target only when committed") {
  const std::string dir = lwsim_test::temporary_path("pending_commit");
  fs::create_directories(dir);
  const std::string target = dir + "/out.csv";
  {
    PendingOutput pending(at(target));
    write(pending.temporary(), "whole");
    CHECK_FALSE(fs::exists(target));
    pending.commit();
    CHECK(read(target) == "whole");
  }
  CHECK(listing(dir) == std::vector<std::string>{"out.csv"});
}

TEST_CASE("an output abandoned by an exception leaves the existing file as it was and no temporary") {
  const std::string dir = lwsim_test::temporary_path("pending_abandoned");
  fs::create_directories(dir);
  const std::string target = dir + "/out.h5";
  write(target, "the previous results");
  try {
    PendingOutput pending(at(target, true));
    write(pending.temporary(), "half of the new");
    write(pending.scratch(), "a streaming copy");
    throw std::runtime_error("the disk is full");
  } catch (const std::runtime_error&) {
  }
  CHECK(read(target) == "the previous results");
  CHECK(listing(dir) == std::vector<std::string>{"out.h5"});
}

TEST_CASE(
    "a pending output commits again after every rewrite, and its scratch file never reaches the target") {
  const std::string dir = lwsim_test::temporary_path("pending_rewrites");
  fs::create_directories(dir);
  const std::string target = dir + "/calibration.h5";
  {
    PendingOutput pending(at(target));
    for (const std::string generation : {"0", "1", "2"}) {
      write(pending.scratch(), "scratch " + generation);
      write(pending.temporary(), "generation " + generation);
      pending.commit();
      CHECK(read(target) == "generation " + generation);
    }
    pending.discard();
    CHECK(listing(dir) == std::vector<std::string>{"calibration.h5", "calibration.h5.lock"});
  }
  CHECK(listing(dir) == std::vector<std::string>{"calibration.h5"});
}

TEST_CASE("what a stopped command left at an output's temporary names is removed by the next one") {
  const std::string dir = lwsim_test::temporary_path("pending_stale");
  fs::create_directories(dir);
  const std::string target = dir + "/out.h5";
  write(target + ".tmp", "stale");
  write(target + ".part", "stale");
  write(target + ".lock", "4194305\n");  // a killed lwsim's lock file: no one holds its lock
  {
    const PendingOutput pending(at(target));
    CHECK(listing(dir) == std::vector<std::string>{"out.h5.lock"});
  }
  CHECK(listing(dir).empty());
}

TEST_CASE("a second writer of an output is refused, naming the process that writes it") {
  const std::string dir = lwsim_test::temporary_path("pending_locked");
  fs::create_directories(dir);
  const std::string target = dir + "/out.h5";
  {
    PendingOutput first(at(target));
    write(first.temporary(), "the first writer's");
    std::string message;
    try {
      const PendingOutput second(at(target, true));
    } catch (const sim::InputError& e) {
      message = e.what();
    }
    CHECK(message == fmt::format("{}: -o: {} is being written by another lwsim (pid {}); wait for it to end, "
                                 "or choose another name",
                                 target, target, getpid()));
    CHECK(read(first.temporary()) == "the first writer's");  // its temporary is left alone
    first.commit();
  }
  CHECK(listing(dir) == std::vector<std::string>{"out.h5"});
  const PendingOutput third(at(target, true));  // the lock is free again
}

TEST_CASE("outputs committed together are all replaced or none") {
  const std::string dir = lwsim_test::temporary_path("pending_all");
  fs::create_directories(dir);
  const std::string first = dir + "/points.csv";
  const std::string second = dir + "/points_practice.csv";
  write(first, "old points");
  {
    PendingOutput a(at(first, true));
    PendingOutput b(at(second, true));
    write(a.temporary(), "new points");
    write(b.temporary(), "new practices");
    fs::create_directories(second + "/in the way");  // its rename fails
    CHECK_THROWS_AS(PendingOutput::commit_all({&a, &b}), std::runtime_error);
    CHECK(read(first) == "old points");
  }
  fs::remove_all(second);
  CHECK(listing(dir) == std::vector<std::string>{"points.csv"});
  {
    PendingOutput a(at(first, true));
    PendingOutput b(at(second, true));
    write(a.temporary(), "new points");
    write(b.temporary(), "new practices");
    PendingOutput::commit_all({&a, &b});
  }
  CHECK(read(first) == "new points");
  CHECK(read(second) == "new practices");
  CHECK(listing(dir) == std::vector<std::string>{"points.csv", "points_practice.csv"});
}

TEST_CASE("a file name without room for the temporaries' suffix is refused") {
  const std::string dir = lwsim_test::temporary_path("pending_long");
  fs::create_directories(dir);
  CHECK(refusal(at(dir + "/" + std::string(250, 'x') + ".h5")).find("the file name is 253 bytes long") !=
        std::string::npos);
  CHECK(refusal(at(dir + "/" + std::string(247, 'x') + ".h5")).empty());
}

TEST_CASE("an existing output is refused, with the hint, unless it may be replaced") {
  const std::string dir = lwsim_test::temporary_path("pending_exists");
  fs::create_directories(dir);
  const std::string target = dir + "/out.h5";
  write(target, "results");
  CHECK(refusal({target, "-o", false, "use --overwrite to replace it", {}}) ==
        target + ": -o: the file exists; use --overwrite to replace it");
  CHECK(refusal({target, "-o", true, "", {}}).empty());
}

TEST_CASE("a directory, a pipe or a missing directory is refused as an output") {
  const std::string dir = lwsim_test::temporary_path("pending_kinds");
  fs::create_directories(dir);
  CHECK(refusal({dir, "-o", true, "", {}}).find("is a directory") != std::string::npos);
  const std::string fifo = dir + "/pipe";
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  CHECK(refusal({fifo, "-o", true, "", {}}).find("is not a regular file") != std::string::npos);
  CHECK(refusal({"/dev/null", "-o", true, "", {}}).find("is not a regular file") != std::string::npos);
  CHECK(refusal({dir + "/absent/out.h5", "--csv", false, "", {}}).find("does not exist") !=
        std::string::npos);
  CHECK(refusal({"", "-o", false, "", {}}) == "command line: -o: the output path is empty");
}

TEST_CASE("an output that is one of the command's inputs is refused, by any name") {
  const std::string dir = lwsim_test::temporary_path("pending_input");
  fs::create_directories(dir);
  const std::string scenario = dir + "/scenario.toml";
  write(scenario, "title = \"mine\"\n");
  fs::create_symlink(scenario, dir + "/alias.toml");
  CHECK(refusal({dir + "/alias.toml", "-o", true, "", {scenario}}).find("is the input") != std::string::npos);
  CHECK(refusal({dir + "/other.h5", "-o", true, "", {scenario}}).empty());
  CHECK(read(scenario) == "title = \"mine\"\n");
}
