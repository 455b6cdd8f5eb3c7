// Claims about the model a file names and the header every study file shares
// (sim/study_header.hpp, sim/scenario.hpp): with one model registered a file may leave `model`
// out; with several, a file that names none is bad input listing them, as is a model that is not
// registered; a study file's model is its base scenario's when that names none, and must agree
// with it when it does. The registry here holds three models: binomial, ishigami and lwp.

#include "sim/study_header.hpp"

#include <string>

#include <catch2/catch.hpp>

#include "sim/calibration/calibration_file.hpp"
#include "sim/error.hpp"
#include "sim/sensitivity/sensitivity_file.hpp"
#include "sim/sweep.hpp"
#include "tests/support/test_support.hpp"
#include "tests/support/toy_models.hpp"

namespace {
using lwsim_test::input_error;

// The Ishigami model's scenario without a model named: ambiguous among three models.
const std::string kIshigami = "[run]\nreplicates = 2\nseed = 5\n";
const std::string kSweep = "[design]\nkind = \"grid\"\n[parameters]\n\"ishigami.x1\" = [0.5, 1.5]\n";
const std::string kSensitivity =
    "[sensitivity]\nmethod = \"morris\"\nsamples = 4\n[outputs]\nY = \"/summary/y\"\n"
    "[parameters]\n\"ishigami.x1\" = { min = -1, max = 1 }\n";

std::string write(const std::string& name, const std::string& text) {
  return lwsim_test::write_file("study_header", name, text);
}

}  // namespace

TEST_CASE("with one model registered a scenario that names no model is of that model") {
  const std::string path = write("one/s.toml", "title = \"plain\"\n");
  const sim::Scenario scenario =
      sim::load_scenario(lwsim_test::registry().default_scenario(), lwsim_test::registry());
  CHECK(scenario.model->name() == "lwp");
  const auto e = input_error([&] { (void)sim::load_scenario(path, lwsim_test::toy_registry()); });
  CHECK(e.key() == "model");
}

TEST_CASE("with several models registered a scenario that names none is refused, listing them") {
  const std::string path = write("several/s.toml", kIshigami);
  const auto e = input_error([&] { (void)sim::load_scenario(path, lwsim_test::toy_registry()); });
  CHECK(e.file() == path);
  CHECK(e.key() == "model");
  CHECK_THAT(e.detail(), Catch::Contains("binomial, ishigami and lwp"));
  CHECK_THAT(e.detail(), Catch::Contains("model = "));
}

TEST_CASE("an unknown model is refused at its key, listing the registered models") {
  const std::string path = write("unknown/s.toml", "title = \"t\"\nmodel = \"sir\"\n");
  const auto e = input_error([&] { (void)sim::load_scenario(path, lwsim_test::toy_registry()); });
  CHECK(e.line() == 2);
  CHECK(e.key() == "model");
  CHECK_THAT(e.detail(), Catch::Contains("'sir'") && Catch::Contains("binomial, ishigami and lwp"));
  const std::string sweep = write("unknown/sweep.toml", "model = \"sir\"\nbase = \"s.toml\"\n" + kSweep);
  const auto s = input_error([&] { (void)sim::load_sweep(sweep, lwsim_test::toy_registry()); });
  CHECK(s.file() == sweep);
  CHECK(s.line() == 1);
  CHECK_THAT(s.detail(), Catch::Contains("binomial, ishigami and lwp"));
}

TEST_CASE("a sweep that names its model runs a base scenario that names none") {
  write("sweep/ishigami.toml", kIshigami);
  const std::string path = write("sweep/s.toml", "model = \"ishigami\"\nbase = \"ishigami.toml\"\n" + kSweep);
  const sim::Sweep sweep = sim::load_sweep(path, lwsim_test::toy_registry());
  CHECK(sweep.scenario.model->name() == "ishigami");
  CHECK(sweep.points.size() == 2);
  // The resolved scenario stored in outputs names the model, so that it re-loads alone.
  CHECK_THAT(sweep.scenario.resolved_toml(), Catch::Contains("model = \"ishigami\""));
  const sim::Scenario again =
      sim::scenario_from_text(sweep.scenario.resolved_toml(), "<stored>", lwsim_test::toy_registry());
  CHECK(again.model->name() == "ishigami");
  CHECK(sweep.sources.front() == path);
  // Without the sweep's `model`, the base scenario alone is ambiguous.
  const std::string bare = write("sweep/bare.toml", "base = \"ishigami.toml\"\n" + kSweep);
  const auto e = input_error([&] { (void)sim::load_sweep(bare, lwsim_test::toy_registry()); });
  CHECK(e.key() == "model");
}

TEST_CASE("a study file whose model is not its base scenario's is refused at its model key") {
  write("mismatch/ishigami.toml", "model = \"ishigami\"\n" + kIshigami);
  const std::string path =
      write("mismatch/s.toml", "title = \"t\"\nmodel = \"binomial\"\nbase = \"ishigami.toml\"\n" + kSweep);
  const auto e = input_error([&] { (void)sim::load_sweep(path, lwsim_test::toy_registry()); });
  CHECK(e.file() == path);
  CHECK(e.line() == 2);
  CHECK(e.key() == "model");
  CHECK_THAT(e.detail(), Catch::Contains("model ishigami"));
}

TEST_CASE("calibration and sensitivity files name their model as sweeps do") {
  write("kinds/binomial.toml", "[run]\nseed = 3\nobserved = \"k.toml\"\n[binomial]\ntrials = 20\n");
  write("kinds/k.toml", "source = \"a test\"\nk = 6\n");
  const std::string calibration =
      write("kinds/c.toml",
            "model = \"binomial\"\nbase = \"binomial.toml\"\n[abc]\nparticles = 10\n"
            "[priors]\n\"binomial.p\" = { distribution = \"uniform\", min = 0.0, max = 1.0 }\n");
  const sim::calibration::CalibrationFile c =
      sim::calibration::load_calibration(calibration, lwsim_test::toy_registry());
  CHECK(c.scenario.model->name() == "binomial");
  CHECK(c.title.empty());

  write("kinds/ishigami.toml", kIshigami);
  const std::string sensitivity =
      write("kinds/s.toml", "title = \"Y\"\nmodel = \"ishigami\"\nbase = \"ishigami.toml\"\n" + kSensitivity);
  const sim::sensitivity::SensitivityFile s =
      sim::sensitivity::load_sensitivity(sensitivity, lwsim_test::toy_registry());
  CHECK(s.scenario.model->name() == "ishigami");
  CHECK(s.title == "Y");
}

TEST_CASE("a study's title is its own, or else its base scenario's") {
  write("title/ishigami.toml", "model = \"ishigami\"\ntitle = \"the base\"\n" + kIshigami);
  const auto title_of = [](const std::string& file) {
    return sim::load_sweep(file, lwsim_test::toy_registry()).title;
  };
  CHECK(title_of(write("title/own.toml", "title = \"mine\"\nbase = \"ishigami.toml\"\n" + kSweep)) == "mine");
  CHECK(title_of(write("title/none.toml", "base = \"ishigami.toml\"\n" + kSweep)) == "the base");
}
