// Claims about sweep files (sim/sweep.hpp): designs built from the file, every bad sweep refused
// with file, line and key before any work starts, and common random numbers across points.

#include "sim/sweep.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <catch2/catch.hpp>

#include "sim/error.hpp"
#include "sim/run/runner.hpp"
#include "tests/support/test_support.hpp"

namespace {
namespace fs = std::filesystem;

const std::string kBase =
    "[run]\nreplicates = 10\nseed = 3\n"
    "[[practice]]\nname = \"A\"\nlist_size = 3000\n"
    "[[practice]]\nname = \"B\"\nlist_size = 4000\n";

std::string write(const std::string& name, const std::string& text) {
  return lwsim_test::write_file("sweeps", name, text);
}

sim::Sweep load(const std::string& body, const std::string& name = "s.toml") {
  write("base.toml", kBase);
  return sim::load_sweep(write(name, "base = \"base.toml\"\n" + body), lwsim_test::registry());
}

sim::InputError error_of(const std::string& body, const std::string& name = "bad.toml") {
  return lwsim_test::input_error([&] { (void)load(body, name); });
}

}  // namespace

TEST_CASE("a grid sweep enumerates every combination of levels") {
  const sim::Sweep s = load(
      "[design]\nkind = \"grid\"\nreplicates = 7\n"
      "[parameters]\n\"clp.departure_hazard\" = [0.001, 0.01]\n\"context.gp_buy_in_mean\" = [0.2, 0.5, "
      "0.8]\n");
  CHECK(s.points.size() == 6);
  CHECK(s.replicates == 7);
  CHECK(s.seed == 3);
  CHECK(s.points[1] == std::vector<double>{0.001, 0.5});
  CHECK(s.values_by_axis()[1] == std::vector<double>{0.2, 0.5, 0.8, 0.2, 0.5, 0.8});
}

TEST_CASE("nested tables name swept parameters as dotted keys do") {
  const sim::Sweep s =
      load("[design]\nkind = \"grid\"\n[parameters.clp]\ndeparture_hazard = [0.001, 0.01]\n");
  REQUIRE(s.axes.size() == 1);
  CHECK(s.axes[0].name == "clp.departure_hazard");
}

TEST_CASE("range designs map their points into the ranges, on log scales where asked") {
  for (const char* kind : {"lhs", "sobol", "random"}) {
    const sim::Sweep s = load(std::string("[design]\nkind = \"") + kind +
                              "\"\npoints = 64\n[parameters]\n"
                              "\"clp.departure_hazard\" = { min = 0.0005, max = 0.02, scale = \"log\" }\n"
                              "\"classification.window_weeks\" = { min = 2, max = 20 }\n");
    REQUIRE(s.points.size() == 64);
    std::size_t below_geometric_middle = 0;
    for (const auto& p : s.points) {
      CHECK(p[0] >= 0.0005);
      CHECK(p[0] <= 0.02);
      CHECK(p[1] == std::round(p[1]));  // an integer parameter
      below_geometric_middle += p[0] < std::sqrt(0.0005 * 0.02) ? 1U : 0U;
    }
    // On a log scale, half of a Latin hypercube lies below the geometric middle of the range.
    if (std::string(kind) == "lhs") CHECK(below_geometric_middle == 32);
  }
}

TEST_CASE("an explicit list of points is read from a CSV file next to the sweep") {
  write("points.csv", "clp.departure_hazard,context.gp_buy_in_mean\n0.001,0.3\n\n0.002, 0.4\n");
  const sim::Sweep s = load("[design]\nkind = \"csv\"\nfile = \"points.csv\"\n");
  REQUIRE(s.points.size() == 2);
  CHECK(s.points[1] == std::vector<double>{0.002, 0.4});
}

TEST_CASE("fixed parameters apply to every point of a sweep") {
  const sim::Sweep s = load(
      "[design]\nkind = \"grid\"\n[fixed]\n\"clp.vacancy_mean_weeks\" = 30\n"
      "[parameters]\n\"clp.departure_hazard\" = [0.001]\n");
  CHECK(s.scenario.params().get("clp.vacancy_mean_weeks") == 30.0);
}

TEST_CASE("every bad sweep file is refused with its file, line and key") {
  struct Case {
    const char* what;
    std::string body;
    int line;
    const char* key;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"unknown parameter", "[design]\nkind = \"grid\"\n[parameters]\n\"clp.departure_hazzard\" = [0.1]\n", 5,
       "parameters.clp.departure_hazzard", "did you mean 'clp.departure_hazard'"},
      {"empty range",
       "[design]\nkind = \"lhs\"\npoints = 4\n[parameters]\n\"clp.departure_hazard\" = { min = 0.01, max = "
       "0.01 }\n",
       6, "max", "empty range"},
      {"min > max",
       "[design]\nkind = \"lhs\"\npoints = 4\n[parameters]\n\"clp.departure_hazard\" = { min = 0.02, max = "
       "0.01 }\n",
       6, "min", "greater than max"},
      {"zero points",
       "[design]\nkind = \"lhs\"\npoints = 0\n[parameters]\n\"clp.departure_hazard\" = { min = 0.01, max = "
       "0.02 }\n",
       4, "design.points", "at least 1"},
      {"negative points",
       "[design]\nkind = \"sobol\"\npoints = -5\n[parameters]\n\"clp.departure_hazard\" = { min = 0.01, max "
       "= 0.02 }\n",
       4, "design.points", "at least 1"},
      {"log scale over 0",
       "[design]\nkind = \"lhs\"\npoints = 4\n[parameters]\n\"clp.handover_fraction\" = { min = 0.0, max = "
       "1.0, scale = \"log\" }\n",
       6, "scale", "log scale needs min > 0"},
      {"range outside the table's range",
       "[design]\nkind = \"lhs\"\npoints = 4\n[parameters]\n\"clp.handover_fraction\" = { min = 0.5, max = "
       "1.5 }\n",
       6, "max", "outside the allowed range"},
      {"missing CSV", "[design]\nkind = \"csv\"\nfile = \"nowhere.csv\"\n", 4, "design.file",
       "cannot read the points file"},
      {"grid given a range",
       "[design]\nkind = \"grid\"\n[parameters]\n\"clp.departure_hazard\" = { min = 0.001, max = 0.01 }\n", 5,
       "clp.departure_hazard", "list of levels"},
      {"lhs given levels",
       "[design]\nkind = \"lhs\"\npoints = 3\n[parameters]\n\"clp.departure_hazard\" = [0.001, 0.01]\n", 6,
       "clp.departure_hazard", "needs a range"},
      {"unknown kind", "[design]\nkind = \"factorial\"\n[parameters]\n\"clp.departure_hazard\" = [0.1]\n", 3,
       "design.kind", "kind must be one of"},
      {"points disagree with the grid",
       "[design]\nkind = \"grid\"\npoints = 5\n[parameters]\n\"clp.departure_hazard\" = [0.001, 0.01]\n", 4,
       "design.points", "the grid has 2 points"},
      {"missing points",
       "[design]\nkind = \"random\"\n[parameters]\n\"clp.departure_hazard\" = { min = 0.001, max = 0.01 }\n",
       2, "design.points", "missing"},
      {"a level of the wrong type",
       "[design]\nkind = \"grid\"\n[parameters]\n\"classification.window_weeks\" = [4, 8.5]\n", 5,
       "classification.window_weeks[1]", "whole number"},
      {"a point breaking a constraint between parameters",
       "[design]\nkind = \"grid\"\n[parameters]\n\"clp.target_share_patient_support\" = [0.5, 0.6]\n", 5,
       "clp.target_share_patient_support", "at design point 1"},
      {"unknown design key",
       "[design]\nkind = \"grid\"\nreplicate = 3\n[parameters]\n\"clp.departure_hazard\" = [0.1]\n", 4,
       "design.replicate", "unknown key"},
  };
  for (const Case& c : cases) {
    SECTION(c.what) {
      const sim::InputError e = error_of(c.body);
      INFO(e.what());
      CHECK(e.file().find("bad.toml") != std::string::npos);
      CHECK(e.line() == c.line);
      CHECK(e.key().find(c.key) != std::string::npos);
      CHECK(std::string(e.what()).find(c.message) != std::string::npos);
      CHECK(std::string(e.what()).find('\n') == std::string::npos);
    }
  }
}

TEST_CASE("bad rows of a points file are refused with the CSV file's line and the column") {
  write("bad_points.csv", "clp.departure_hazard,context.gp_buy_in_mean\n0.001,0.3\n0.002,1.4\n");
  sim::InputError range = error_of("[design]\nkind = \"csv\"\nfile = \"bad_points.csv\"\n");
  CHECK(range.file().find("bad_points.csv") != std::string::npos);
  CHECK(range.line() == 3);
  CHECK(range.key() == "context.gp_buy_in_mean");
  write("text_points.csv", "clp.departure_hazard\nabc\n");
  sim::InputError text = error_of("[design]\nkind = \"csv\"\nfile = \"text_points.csv\"\n");
  CHECK(text.line() == 2);
  CHECK(std::string(text.what()).find("not a number") != std::string::npos);
  write("unknown_points.csv", "clp.departure_hazrd\n0.1\n");
  sim::InputError column = error_of("[design]\nkind = \"csv\"\nfile = \"unknown_points.csv\"\n");
  CHECK(column.line() == 1);
  CHECK(column.key() == "clp.departure_hazrd");
}

TEST_CASE(
    "a sweep of a parameter that a locality of the base sets for itself is refused, naming the locality") {
  // North sets its own team quality: sweeping context.team_quality_mean would change nothing there.
  write("local.toml", kBase +
                          "[[practice]]\nname = \"C\"\nlist_size = 3500\nlocality = \"North\"\n"
                          "[[locality]]\nname = \"North\"\nteam_quality_mean = 0.7\n");
  const auto refusal = [](const std::string& name, const std::string& body) {
    return lwsim_test::input_error([&] {
      (void)sim::load_sweep(write(name, "base = \"local.toml\"\n" + body), lwsim_test::registry());
    });
  };
  const sim::InputError grid = refusal(
      "grid.toml", "[design]\nkind = \"grid\"\n[parameters]\n\"context.team_quality_mean\" = [0.3, 0.6]\n");
  INFO(grid.what());
  CHECK(grid.file().find("grid.toml") != std::string::npos);
  CHECK(grid.line() == 5);
  CHECK(grid.key() == "parameters.context.team_quality_mean");
  CHECK(grid.detail().find("locality 'North'") != std::string::npos);
  CHECK(grid.detail().find("local.toml:16: locality[0].team_quality_mean") != std::string::npos);
  CHECK(std::string(grid.what()).find('\n') == std::string::npos);

  write("local_points.csv", "clp.departure_hazard,context.team_quality_mean\n0.001,0.3\n");
  const sim::InputError csv = refusal("csv.toml", "[design]\nkind = \"csv\"\nfile = \"local_points.csv\"\n");
  CHECK(csv.file().find("local_points.csv") != std::string::npos);
  CHECK(csv.line() == 1);
  CHECK(csv.key() == "context.team_quality_mean");
  CHECK(csv.detail().find("locality 'North'") != std::string::npos);

  // A parameter that no locality sets for itself can still be swept.
  CHECK(sim::load_sweep(write("other.toml",
                              "base = \"local.toml\"\n[design]\nkind = \"grid\"\n[parameters]\n"
                              "\"context.gp_buy_in_mean\" = [0.3, 0.6]\n"),
                        lwsim_test::registry())
            .points.size() == 2);
}

namespace {
// Collects the raw bytes of every block, by point.
class Capture final : public sim::BlockSink {
 public:
  std::map<std::uint32_t, std::map<std::uint32_t, std::vector<std::int64_t>>> blocks;
  void consume(const sim::BlockResult& b) override { blocks[b.point][b.replicate_begin] = b.storage; }
  void finish() override {}
};
}  // namespace

TEST_CASE("common random numbers: two points with identical parameters give identical results") {
  write("same.csv", "clp.departure_hazard,context.gp_buy_in_mean\n0.004,0.55\n0.01,0.3\n0.004,0.55\n");
  const sim::Sweep s = load("[design]\nkind = \"csv\"\nreplicates = 40\nfile = \"same.csv\"\n");
  const sim::Job job = sim::job_for(s);
  Capture capture;
  sim::run_job(job, {0, 1, 2}, capture, {2, 8, {}});
  REQUIRE(capture.blocks.size() == 3);
  CHECK(capture.blocks[0] == capture.blocks[2]);
  CHECK(capture.blocks[0] != capture.blocks[1]);
}
