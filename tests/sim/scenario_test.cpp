// Claims about scenario files (sim/scenario.hpp): inheritance from base scenarios, validation
// errors that name file, line and key, command-line overrides, and the resolved scenario that
// re-loads to the same run. The registered model is lwp, whose sections are [evaluation],
// [practices] and [[practice]].

#include "sim/scenario.hpp"

#include <bit>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "sim/error.hpp"
#include "tests/support/test_support.hpp"

namespace {
using lwsim_test::input_error;
namespace fs = std::filesystem;

const std::string kPractice =
    "[[practice]]\n"
    "name = \"A\"\n"
    "list_size = 3000\n";

// Writes `text` at `relative` below a directory private to the calling test; returns the path.
std::string write(const std::string& relative, const std::string& text) {
  return lwsim_test::write_file("scenarios", relative, text);
}

sim::Scenario load(const std::string& path) {
  return sim::load_scenario(path, lwsim_test::registry());
}

double param(const sim::Scenario& s, const std::string& name) {
  return s.params().get(name);
}

std::uint64_t bits(double x) {
  return std::bit_cast<std::uint64_t>(x);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// A minimal scenario

TEST_CASE("a scenario with one practice and nothing else is valid and takes the defaults") {
  const std::string path = write("minimal/minimal.toml", kPractice);
  const sim::Scenario s = load(path);
  CHECK(s.file == path);
  CHECK(s.model != nullptr);
  CHECK(s.model->name() == "lwp");
  CHECK(s.replicates == 1000);
  CHECK(s.seed == 1);
  CHECK_FALSE(s.observation);
  const sim::ParamTable& table = s.params().table();
  for (std::size_t i = 0; i < table.size(); ++i) CHECK(s.params()[i] == table[i].default_value);
}

// ---------------------------------------------------------------------------------------------
// Inheritance

TEST_CASE("a scenario inherits its base: tables merge key by key, arrays and scalars replace") {
  write("inherit/common/base.toml",
        "title = \"base title\"\n"
        "[run]\n"
        "replicates = 50\n"
        "seed = 7\n"
        "[parameters]\n"
        "clp.departure_hazard = 0.01\n"
        "leadership.meeting_rate = 0.3\n"
        "[[practice]]\n"
        "name = \"A\"\n"
        "list_size = 3000\n"
        "[[practice]]\n"
        "name = \"B\"\n"
        "list_size = 4000\n");
  const std::string child = write("inherit/child/child.toml",
                                  "base = \"../common/base.toml\"\n"
                                  "title = \"child title\"\n"
                                  "[run]\n"
                                  "seed = 9\n"
                                  "[parameters.clp]\n"
                                  "departure_hazard = 0.02\n"
                                  "[[practice]]\n"
                                  "name = \"C\"\n"
                                  "list_size = 5000\n");
  const sim::Scenario s = load(child);
  CHECK(s.title == "child title");
  CHECK(s.replicates == 50);  // [run] merged: replicates from the base
  CHECK(s.seed == 9);         // ... seed from the child
  CHECK(param(s, "clp.departure_hazard") == 0.02);
  CHECK(param(s, "leadership.meeting_rate") == 0.3);
  const auto& practices = s.document.at("practice").items();
  REQUIRE(practices.size() == 1);  // the array is replaced, not appended to
  CHECK(practices[0].at("name").as_string() == "C");
  CHECK(s.document.find("base") == nullptr);
}

TEST_CASE("a chain of bases applies the nearest scenario's value last") {
  write("chain/a/root.toml",
        "[parameters]\n"
        "clp.departure_hazard = 0.01\n"
        "leadership.meeting_rate = 0.3\n"
        "clp.handover_fraction = 0.4\n" +
            kPractice);
  write("chain/b/middle.toml",
        "base = \"../a/root.toml\"\n"
        "[parameters]\n"
        "leadership.meeting_rate = 0.35\n"
        "clp.handover_fraction = 0.45\n");
  const std::string leaf = write("chain/leaf.toml",
                                 "base = \"b/middle.toml\"\n"
                                 "[parameters]\n"
                                 "clp.handover_fraction = 0.5\n");
  const sim::Scenario s = load(leaf);
  CHECK(param(s, "clp.departure_hazard") == 0.01);
  CHECK(param(s, "leadership.meeting_rate") == 0.35);
  CHECK(param(s, "clp.handover_fraction") == 0.5);
}

TEST_CASE("base scenarios that form a loop are refused") {
  SECTION("two files naming each other") {
    const std::string a = write("loop2/a.toml", "base = \"b.toml\"\n" + kPractice);
    const std::string b = write("loop2/b.toml", "# closes the loop\nbase = \"a.toml\"\n" + kPractice);
    const auto e = input_error([&] { (void)load(a); });
    // Reported where the loop closes: the base key of b, which names a.
    CHECK(e.file() == b);
    CHECK(e.line() == 2);
    CHECK(e.key() == "base");
    CHECK_THAT(e.detail(), Catch::Contains("loop"));
  }
  SECTION("a file naming itself by another spelling of its path") {
    const std::string self = write("loop1/sub/self.toml", "base = \"../sub/./self.toml\"\n" + kPractice);
    const auto e = input_error([&] { (void)load(self); });
    CHECK(e.file() == self);
    CHECK(e.line() == 1);
    CHECK(e.key() == "base");
    CHECK_THAT(e.detail(), Catch::Contains("loop"));
  }
}

TEST_CASE("a long chain of bases loads, an endless one is refused") {
  // Ten levels: fine.
  for (int i = 0; i < 10; ++i) {
    write("chain10/s" + std::to_string(i) + ".toml", "base = \"s" + std::to_string(i + 1) +
                                                         ".toml\"\n[parameters]\nclp.handover_fraction = 0." +
                                                         std::to_string(i + 1) + "\n");
  }
  write("chain10/s10.toml", kPractice);
  CHECK(param(load(lwsim_test::temporary_path("scenarios") + "/chain10/s0.toml"), "clp.handover_fraction") ==
        0.1);
  // Two hundred distinct files, each the base of the previous: refused, not followed to the end.
  for (int i = 0; i < 200; ++i) {
    write("chain200/s" + std::to_string(i) + ".toml", "base = \"s" + std::to_string(i + 1) + ".toml\"\n");
  }
  write("chain200/s200.toml", kPractice);
  const auto e =
      input_error([&] { (void)load(lwsim_test::temporary_path("scenarios") + "/chain200/s0.toml"); });
  CHECK(e.key() == "base");
  CHECK_THAT(e.detail(), Catch::Contains("levels"));
}

TEST_CASE("a missing base file is reported at the base key with its line") {
  const std::string child = write("missing_base/child.toml",
                                  "# a scenario\n"
                                  "title = \"x\"\n"
                                  "base = \"nowhere/base.toml\"\n" +
                                      kPractice);
  const auto e = input_error([&] { (void)load(child); });
  CHECK(e.file() == child);
  CHECK(e.line() == 3);
  CHECK(e.key() == "base");
  CHECK_THAT(e.detail(), Catch::Contains("no such file") && Catch::Contains("nowhere/base.toml"));
}

TEST_CASE("an error inside a base scenario names the base file and line") {
  const std::string base = write("bad_base/base.toml",
                                 "[parameters]\n"
                                 "clp.departure_hazard = 0.9\n" +
                                     kPractice);
  const std::string child = write("bad_base/child.toml", "base = \"base.toml\"\n");
  const auto e = input_error([&] { (void)load(child); });
  CHECK(e.file() == base);
  CHECK(e.line() == 2);
  CHECK(e.key() == "parameters.clp.departure_hazard");
}

TEST_CASE("a base that is not a string is refused at the base key") {
  const std::string child = write("base_type/child.toml", "base = 3\n" + kPractice);
  const auto e = input_error([&] { (void)load(child); });
  CHECK(e.key() == "base");
  CHECK(e.line() == 1);
}

// ---------------------------------------------------------------------------------------------
// Validation

TEST_CASE("an unknown top-level key is refused with its line") {
  const std::string path = write("unknown_key/s.toml", "title = \"t\"\ncolour = \"red\"\n" + kPractice);
  const auto e = input_error([&] { (void)load(path); });
  CHECK(e.file() == path);
  CHECK(e.line() == 2);
  CHECK(e.key() == "colour");
  CHECK_THAT(e.detail(), Catch::Contains("unknown key"));
}

TEST_CASE("an unknown model is refused at the model key") {
  const std::string path = write("unknown_model/s.toml", "model = \"sir\"\n" + kPractice);
  const auto e = input_error([&] { (void)load(path); });
  CHECK(e.key() == "model");
  CHECK(e.line() == 1);
  CHECK_THAT(e.detail(), Catch::Contains("sir"));
}

TEST_CASE("an unknown parameter is refused with the near name suggested") {
  const std::string path = write("unknown_param/s.toml", kPractice +
                                                             "[parameters]\n"
                                                             "clp.departure_hazrd = 0.01\n");
  const auto e = input_error([&] { (void)load(path); });
  CHECK(e.file() == path);
  CHECK(e.line() == 5);
  CHECK(e.key() == "parameters.clp.departure_hazrd");
  CHECK_THAT(e.detail(),
             Catch::Contains("unknown parameter") && Catch::Contains("did you mean 'clp.departure_hazard'?"));
}

TEST_CASE("a parameter of the wrong type is refused naming file, line and key") {
  const std::string path = write("wrong_type/s.toml",
                                 "[parameters.clp]\n"
                                 "departure_hazard = \"high\"\n" +
                                     kPractice);
  const auto e = input_error([&] { (void)load(path); });
  CHECK(e.file() == path);
  CHECK(e.line() == 2);
  CHECK(e.key() == "parameters.clp.departure_hazard");
  CHECK_THAT(e.detail(), Catch::Contains("expected a number"));

  const std::string integer = write("wrong_type/int.toml",
                                    "[parameters]\n"
                                    "patient.max_contacts = 3.5\n" +
                                        kPractice);
  const auto f = input_error([&] { (void)load(integer); });
  CHECK(f.line() == 2);
  CHECK(f.key() == "parameters.patient.max_contacts");
}

TEST_CASE("an out-of-range parameter is refused naming file, line and parameters.<name>") {
  const std::string path = write("out_of_range/s.toml", kPractice +
                                                            "\n"
                                                            "[parameters]\n"
                                                            "leadership.meeting_rate = 0.5\n"
                                                            "clp.departure_hazard = 0.75\n");
  const auto e = input_error([&] { (void)load(path); });
  CHECK(e.file() == path);
  CHECK(e.line() == 7);
  CHECK(e.key() == "parameters.clp.departure_hazard");
  CHECK_THAT(e.what(), Catch::StartsWith(path + ":7: parameters.clp.departure_hazard: "));
  CHECK_THAT(e.detail(), Catch::Contains("outside the allowed range"));
}

TEST_CASE("replicates and seed outside their ranges are refused at their keys") {
  struct Case {
    std::string run;
    std::string key;
  };
  const std::vector<Case> bad = {
      {"replicates = 0", "run.replicates"},
      {"replicates = -5", "run.replicates"},
      {"replicates = 100000001", "run.replicates"},
      {"replicates = 2.5", "run.replicates"},
      {"seed = -1", "run.seed"},
      {"seed = 4294967296", "run.seed"},
      {"seed = \"one\"", "run.seed"},
      {"sed = 4", "run.sed"},
  };
  for (const Case& c : bad) {
    INFO(c.run);
    const std::string path = write("run_ranges/bad.toml", kPractice + "[run]\n" + c.run + "\n");
    const auto e = input_error([&] { (void)load(path); });
    CHECK(e.file() == path);
    CHECK(e.line() == 5);
    CHECK(e.key() == c.key);
  }
  const std::string ok =
      write("run_ranges/ok.toml", kPractice + "[run]\nreplicates = 100000000\nseed = 4294967295\n");
  const sim::Scenario s = load(ok);
  CHECK(s.replicates == sim::kMaxReplicates);
  CHECK(s.seed == 4294967295U);
  const std::string zero = write("run_ranges/zero.toml", kPractice + "[run]\nreplicates = 1\nseed = 0\n");
  CHECK(load(zero).seed == 0U);
}

// ---------------------------------------------------------------------------------------------
// Observed data

namespace {
const std::string kObserved =
    "source = \"a test\"\n"
    "fip = 1\n"
    "practices = 1\n";
}  // namespace

TEST_CASE("an observed-data file is found relative to the scenario, not the working directory") {
  const std::string observed = write("observed_rel/data/obs.toml", kObserved);
  const std::string path =
      write("observed_rel/scenarios/s.toml", "[run]\nobserved = \"../data/obs.toml\"\n" + kPractice);
  REQUIRE(fs::current_path() != fs::path(path).parent_path());
  const sim::Scenario s = load(path);
  REQUIRE(s.observation);
  CHECK(fs::equivalent(s.observation->file, observed));
  CHECK(s.observation->text == kObserved);
  REQUIRE(s.observation->find("fip_count") != nullptr);
  CHECK(*s.observation->find("fip_count") == 1);
}

TEST_CASE("an observed-data file named in a base is found relative to the base") {
  const std::string observed = write("observed_base/common/obs.toml", kObserved);
  write("observed_base/common/base.toml", "[run]\nobserved = \"obs.toml\"\n" + kPractice);
  const std::string child =
      write("observed_base/deep/er/child.toml", "base = \"../../common/base.toml\"\n[run]\nseed = 3\n");
  const sim::Scenario s = load(child);
  REQUIRE(s.observation);
  CHECK(fs::equivalent(s.observation->file, observed));
  CHECK(s.seed == 3);
}

TEST_CASE("a missing observed-data file is reported at run.observed with its line") {
  const std::string path = write("observed_missing/s.toml", kPractice + "[run]\nobserved = \"none.toml\"\n");
  const auto e = input_error([&] { (void)load(path); });
  CHECK(e.file() == path);
  CHECK(e.line() == 5);
  CHECK(e.key() == "run.observed");
  CHECK_THAT(e.detail(), Catch::Contains("no such file"));
}

// ---------------------------------------------------------------------------------------------
// Command-line overrides

TEST_CASE("command-line overrides set replicates, seed and parameters") {
  sim::Scenario s = load(write("overrides/ok.toml", kPractice));
  sim::ScenarioOverrides o;
  o.replicates = 123;
  o.seed = 4294967295ULL;
  o.sets = {"clp.departure_hazard=0.125", "patient.max_contacts=5"};
  sim::apply_overrides(s, o);
  CHECK(s.replicates == 123);
  CHECK(s.seed == 4294967295U);
  CHECK(param(s, "clp.departure_hazard") == 0.125);
  CHECK(param(s, "patient.max_contacts") == 5.0);
}

TEST_CASE("bad command-line overrides are errors naming the option") {
  const sim::Scenario original = load(write("overrides/base.toml", kPractice));
  struct Case {
    sim::ScenarioOverrides overrides;
    std::string key;
    std::string detail;
  };
  std::vector<Case> cases;
  cases.push_back({{0, std::nullopt, {}}, "--replicates", "between 1"});
  cases.push_back({{sim::kMaxReplicates + 1, std::nullopt, {}}, "--replicates", "between 1"});
  cases.push_back({{std::nullopt, 4294967296ULL, {}}, "--seed", "seed must be"});
  cases.push_back({{std::nullopt, ~0ULL, {}}, "--seed", "seed must be"});
  cases.push_back({{std::nullopt, std::nullopt, {"clp.departure_hazard"}}, "--set", "expected name=value"});
  cases.push_back({{std::nullopt, std::nullopt, {"=0.1"}}, "--set", "expected name=value"});
  cases.push_back({{std::nullopt, std::nullopt, {"clp.departure_hazrd=0.1"}},
                   "--set clp.departure_hazrd",
                   "did you mean 'clp.departure_hazard'?"});
  cases.push_back({{std::nullopt, std::nullopt, {"clp.departure_hazard=abc"}},
                   "--set clp.departure_hazard",
                   "expected a number"});
  cases.push_back({{std::nullopt, std::nullopt, {"clp.departure_hazard=0.9"}},
                   "--set clp.departure_hazard",
                   "outside the allowed range"});
  cases.push_back({{std::nullopt, std::nullopt, {"clp.departure_hazard="}},
                   "--set clp.departure_hazard",
                   "expected a number"});
  // A cross-parameter constraint of the model is checked after the sets, and blames the --set.
  cases.push_back({{std::nullopt, std::nullopt, {"clp.target_share_patient_support=0.9"}},
                   "--set clp.target_share_patient_support",
                   "sum to 1"});
  for (Case& c : cases) {
    INFO("expected key " << c.key);
    sim::Scenario s = load(original.file);
    const auto e = input_error([&] { sim::apply_overrides(s, c.overrides); });
    CHECK(e.file() == "command line");
    CHECK(e.key() == c.key);
    CHECK_THAT(e.detail(), Catch::Contains(c.detail));
    CHECK(std::string(e.what()).find('\n') == std::string::npos);
  }
}

// ---------------------------------------------------------------------------------------------
// The resolved scenario

namespace {
void check_same_run(const sim::Scenario& a, const sim::Scenario& b) {
  CHECK(a.model == b.model);
  CHECK(a.replicates == b.replicates);
  CHECK(a.seed == b.seed);
  CHECK(a.title == b.title);
  REQUIRE(a.params().values().size() == b.params().values().size());
  for (std::size_t i = 0; i < a.params().values().size(); ++i) {
    INFO(a.params().table()[i].name);
    CHECK(bits(a.params()[i]) == bits(b.params()[i]));
  }
  REQUIRE(a.observation.has_value() == b.observation.has_value());
  if (a.observation) {
    CHECK(a.observation->values == b.observation->values);
    CHECK(a.observation->labels == b.observation->labels);
  }
  const auto& x = a.document.at("practice").items();
  const auto& y = b.document.at("practice").items();
  REQUIRE(x.size() == y.size());
  for (std::size_t i = 0; i < x.size(); ++i)
    CHECK(sim::config::write_toml(x[i]) == sim::config::write_toml(y[i]));
}
}  // namespace

TEST_CASE("the resolved scenario re-loads to identical parameter values and run settings") {
  write("resolved/data/obs.toml", kObserved);
  write("resolved/base.toml",
        "title = \"resolved test\"\n"
        "[run]\nreplicates = 77\nseed = 31\nobserved = \"data/obs.toml\"\n"
        "[parameters]\nclp.departure_hazard = 0.1\n" +
            kPractice);
  const std::string path = write("resolved/child.toml",
                                 "base = \"base.toml\"\n"
                                 "[parameters]\n"
                                 "leadership.meeting_rate = 0.3333333333333333\n"
                                 "staff.understanding_decay = 1e-300\n"
                                 "patient.max_contacts = 7\n"
                                 "clp.skill_ramp_weeks = 1.0\n");
  sim::Scenario s = load(path);
  sim::ScenarioOverrides o;
  o.sets = {"clp.handover_fraction=0.30000000000000004"};
  sim::apply_overrides(s, o);
  const std::string resolved = s.resolved_toml();
  INFO(resolved);
  CHECK(resolved.find("\nbase =") == std::string::npos);
  CHECK(resolved.rfind("base =", 0) == std::string::npos);
  const sim::Scenario again = sim::scenario_from_text(resolved, "<resolved>", lwsim_test::registry());
  check_same_run(s, again);
  CHECK(param(again, "clp.handover_fraction") == 0.30000000000000004);
  // Resolving again gives the same text: a fixed point.
  CHECK(again.resolved_toml() == resolved);
}

TEST_CASE("the built-in Deep End scenario resolves and re-loads to the same run") {
  const sim::Scenario s = lwsim_test::deep_end();
  REQUIRE(s.observation);
  const sim::Scenario again =
      sim::scenario_from_text(s.resolved_toml(), "<resolved>", lwsim_test::registry());
  check_same_run(s, again);
}

TEST_CASE("a stored scenario cannot name a base") {
  const auto e = input_error([] {
    (void)sim::scenario_from_text("base = \"x.toml\"\n" + kPractice, "<stored>", lwsim_test::registry());
  });
  CHECK(e.key() == "base");
}

TEST_CASE("relative paths resolve against the directory of the file that names them") {
  CHECK(sim::resolve_relative("/a/b/s.toml", "c/d.toml") == "/a/b/c/d.toml");
  CHECK(sim::resolve_relative("/a/b/s.toml", "../d.toml") == "/a/d.toml");
  CHECK(sim::resolve_relative("/a/b/s.toml", "/abs/d.toml") == "/abs/d.toml");
  CHECK(sim::resolve_relative("<built-in>/deep_end_glasgow.toml", "observed/x.toml") ==
        "<built-in>/observed/x.toml");
  CHECK(sim::resolve_relative("/a/b/s.toml", "<built-in>/x.toml") == "<built-in>/x.toml");
}
