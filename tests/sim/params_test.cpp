// Claims about the parameter table (sim/params.hpp): what a value may be, how a table checks
// itself, and how values from scenario files and the command line are checked and located.

#include "sim/params.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "sim/config/value.hpp"
#include "sim/error.hpp"
#include "tests/sim/builders.hpp"
#include "tests/support/test_support.hpp"

namespace {
using lwsim_test::input_error;

using sim::ParamKind;
using sim::ParamSpec;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

ParamSpec real_spec(std::string_view name, double def, double min, double max,
                    std::string_view source = "assumption") {
  return sim_test::param(name, ParamKind::real, def, min, max, "per week", source);
}

// A small table like a model's: a real, an integer and a boolean, in two sections.
const sim::ParamTable& table() {
  static const sim::ParamTable t(
      {real_spec("clp.departure_hazard", 0.004, 0.0, 0.5, "chng2021"),
       sim_test::param("clp.max_contacts", ParamKind::integer, 12, 1, 20, "contacts"),
       sim_test::param("clp.enabled", ParamKind::boolean, 1, 0, 1, ""),
       real_spec("leadership.meeting_rate", 0.5, 0.0, 1.0)},
      {{"chng2021", "Chng NR et al. Br J Gen Pract 2021"}});
  return t;
}

template <class F>
std::string logic_error_text(F&& f) {
  try {
    f();
  } catch (const std::logic_error& e) {
    return e.what();
  }
  FAIL("no logic_error was thrown");
  return {};
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// ParamSpec::problem_with

TEST_CASE("a value that is not a finite number is never allowed") {
  const ParamSpec wide = real_spec("x", 0.0, -1e308, 1e308);
  for (double bad : {kNaN, kInf, -kInf}) {
    const auto problem = wide.problem_with(bad);
    REQUIRE(problem);
    CHECK_THAT(*problem, Catch::Contains("not a finite number"));
  }
  const ParamSpec flag = sim_test::param("f", ParamKind::boolean, 0, 0, 1);
  CHECK(flag.problem_with(kNaN));
  const ParamSpec count = sim_test::param("n", ParamKind::integer, 0, 0, 10);
  CHECK(count.problem_with(kInf));
}

TEST_CASE("a range is inclusive at both ends and the message names the range and unit") {
  const ParamSpec spec = real_spec("clp.departure_hazard", 0.004, 0.0, 0.5);
  CHECK_FALSE(spec.problem_with(0.0));
  CHECK_FALSE(spec.problem_with(0.5));
  CHECK_FALSE(spec.problem_with(0.25));
  const auto above = spec.problem_with(std::nextafter(0.5, 1.0));
  REQUIRE(above);
  CHECK_THAT(*above, Catch::Contains("outside the allowed range [0.0, 0.5]") && Catch::Contains("per week"));
  const auto below = spec.problem_with(-1e-300);
  REQUIRE(below);
  CHECK_THAT(*below, Catch::Contains("outside the allowed range"));
}

TEST_CASE("an integer parameter takes only whole numbers in its range") {
  const ParamSpec spec = sim_test::param("patient.max_contacts", ParamKind::integer, 12, 1, 20, "contacts");
  CHECK_FALSE(spec.problem_with(1.0));
  CHECK_FALSE(spec.problem_with(20.0));
  const auto half = spec.problem_with(2.5);
  REQUIRE(half);
  CHECK_THAT(*half, Catch::Contains("whole number"));
  CHECK(spec.problem_with(3.0000001));
  CHECK(spec.problem_with(0.0));
  CHECK(spec.problem_with(21.0));
  CHECK(spec.format(12.0) == "12");
}

TEST_CASE("a boolean parameter takes only 0 (false) and 1 (true)") {
  const ParamSpec spec = sim_test::param("clp.enabled", ParamKind::boolean, 1, 0, 1, "");
  CHECK_FALSE(spec.problem_with(0.0));
  CHECK_FALSE(spec.problem_with(1.0));
  for (double bad : {0.5, 2.0, -1.0}) {
    const auto problem = spec.problem_with(bad);
    REQUIRE(problem);
    CHECK_THAT(*problem, Catch::Contains("true or false"));
  }
  CHECK(spec.format(1.0) == "true");
  CHECK(spec.format(0.0) == "false");
}

TEST_CASE("a real is formatted as a user would write it, and reads back the same") {
  const ParamSpec spec = real_spec("x", 0.0, -1e300, 1e300);
  CHECK(spec.format(2.0) == "2.0");
  CHECK(spec.format(0.1) == "0.1");
  for (double v : {0.1, 1.0 / 3.0, 1e-300, 123456.789, -2.5e-7}) {
    CHECK(std::stod(spec.format(v)) == v);
  }
}

// ---------------------------------------------------------------------------------------------
// ParamTable

TEST_CASE("a parameter table refuses two parameters with the same name") {
  const std::string what = logic_error_text([] {
    sim::ParamTable t({real_spec("a.b", 0.1, 0, 1), real_spec("a.c", 0.1, 0, 1), real_spec("a.b", 0.2, 0, 1)},
                      {});
  });
  CHECK_THAT(what, Catch::Contains("duplicate") && Catch::Contains("a.b"));
}

TEST_CASE("a parameter table refuses a default outside its range") {
  const std::string what = logic_error_text([] { sim::ParamTable t({real_spec("a.b", 1.5, 0, 1)}, {}); });
  CHECK_THAT(what, Catch::Contains("default") && Catch::Contains("a.b"));
  CHECK_THROWS_AS(sim::ParamTable({sim_test::param("n", ParamKind::integer, 2.5, 0, 10)}, {}),
                  std::logic_error);
  CHECK_THROWS_AS(sim::ParamTable({real_spec("x", kNaN, 0, 1)}, {}), std::logic_error);
  CHECK_THROWS_AS(sim::ParamTable({real_spec("x", 0.5, 1, 0)}, {}), std::logic_error);
}

TEST_CASE("a parameter table refuses a source that is neither a citation nor an assumption") {
  const std::string what = logic_error_text([] {
    sim::ParamTable t({real_spec("a.b", 0.5, 0, 1, "smith1999")}, {{"chng2021", "Chng 2021"}});
  });
  CHECK_THAT(what, Catch::Contains("unknown source") && Catch::Contains("smith1999"));
  CHECK_NOTHROW(sim::ParamTable({real_spec("a.b", 0.5, 0, 1, "chng2021")}, {{"chng2021", "Chng 2021"}}));
  CHECK_NOTHROW(sim::ParamTable({real_spec("a.b", 0.5, 0, 1, "assumption")}, {}));
}

TEST_CASE("a parameter is found by its exact dotted name only") {
  CHECK(table().find("clp.departure_hazard") == 0U);
  CHECK(table().find("leadership.meeting_rate") == 3U);
  CHECK_FALSE(table().find("clp"));
  CHECK_FALSE(table().find("departure_hazard"));
  CHECK_FALSE(table().find("CLP.departure_hazard"));
}

TEST_CASE("a misspelt name gets the nearest real name as a suggestion") {
  CHECK_THAT(table().suggest("clp.departure_hazrd"), Catch::Contains("did you mean 'clp.departure_hazard'?"));
  CHECK_THAT(table().suggest("leadership.meting_rate"), Catch::Contains("'leadership.meeting_rate'"));
  CHECK_THAT(table().suggest("clp.max_contact"), Catch::Contains("'clp.max_contacts'"));
  // Nothing near: point at the listing instead of a wild guess.
  const std::string far = table().suggest("weather.rainfall");
  CHECK_THAT(far, !Catch::Contains("did you mean"));
  CHECK_THAT(far, Catch::Contains("lwsim params"));
}

TEST_CASE("the parameter listings show every parameter with its default") {
  const std::string md = table().markdown("toy");
  const std::string text = table().text();
  for (const ParamSpec& spec : table().specs()) {
    CHECK_THAT(md, Catch::Contains("`" + std::string(spec.name) + "`"));
    CHECK_THAT(text, Catch::Contains(std::string(spec.name)));
  }
  CHECK_THAT(md, Catch::Contains("| `clp.departure_hazard` | 0.004 | [0.0, 0.5] |"));
  CHECK_THAT(md, Catch::Contains("## `leadership`"));
  CHECK_THAT(md, Catch::Contains("**chng2021**"));
}

// ---------------------------------------------------------------------------------------------
// ParamValues

TEST_CASE("parameter values start at the table's defaults") {
  const sim::ParamValues values(table());
  CHECK(values.get("clp.departure_hazard") == 0.004);
  CHECK(values.get("clp.max_contacts") == 12.0);
  CHECK(values[2] == 1.0);
  CHECK(values.values().size() == table().size());
  CHECK_THROWS_AS(values.get("no.such"), std::out_of_range);
}

TEST_CASE("setting an out-of-range value names where the value came from") {
  sim::ParamValues values(table());
  const auto e = input_error([&] { values.set(0, 0.9, {"scenario.toml", 12}); });
  CHECK(e.file() == "scenario.toml");
  CHECK(e.line() == 12);
  CHECK(e.key() == "parameters.clp.departure_hazard");
  CHECK_THAT(e.what(), Catch::StartsWith("scenario.toml:12: parameters.clp.departure_hazard: "));
  CHECK(values.get("clp.departure_hazard") == 0.004);
  values.set(0, 0.5, {"scenario.toml", 13});
  CHECK(values[0] == 0.5);
  CHECK(values.origin(0).line == 13);
}

TEST_CASE("a rejected value leaves the parameter's value and origin as they were") {
  sim::ParamValues values(table());
  values.set(0, 0.01, {"scenario.toml", 4});
  CHECK_THROWS_AS(values.set(0, 0.9, {"other.toml", 9}), sim::InputError);
  CHECK_THROWS_AS(values.set_from_text(0, "abc", "--set"), sim::InputError);
  CHECK(values[0] == 0.01);
  // A later error about this parameter (say from a cross-parameter check) must still point at
  // the file and line that set the value in force.
  CHECK(values.origin(0).file == "scenario.toml");
  CHECK(values.origin(0).line == 4);
}

namespace {
// The value of `key` (a dotted name under [parameters]) in a one-entry scenario whose entry is on
// line 3.
sim::config::Value entry(const std::string& key, const std::string& value) {
  const sim::config::Value doc =
      sim::config::parse_toml("# scenario\n[parameters]\n" + key + " = " + value + "\n", "scn.toml");
  const sim::config::Value* v = &doc.at("parameters");
  std::size_t start = 0;
  for (std::size_t dot = key.find('.'); dot != std::string::npos; dot = key.find('.', start)) {
    v = &v->at(key.substr(start, dot - start));
    start = dot + 1;
  }
  return v->at(key.substr(start));
}
}  // namespace

TEST_CASE("a value from a scenario entry of the right kind is set with its origin") {
  sim::ParamValues values(table());
  values.set_from_config(3, entry("leadership.meeting_rate", "1"));  // an integer is a fine real
  CHECK(values[3] == 1.0);
  values.set_from_config(0, entry("clp.departure_hazard", "0.125"));
  CHECK(values[0] == 0.125);
  CHECK(values.origin(0).file == "scn.toml");
  CHECK(values.origin(0).line == 3);
  values.set_from_config(1, entry("clp.max_contacts", "7"));
  CHECK(values[1] == 7.0);
  values.set_from_config(2, entry("clp.enabled", "false"));
  CHECK(values[2] == 0.0);
}

TEST_CASE("a scenario entry of the wrong kind is an error naming file, line and key") {
  struct Case {
    std::size_t index;
    std::string key;
    std::string value;
    std::string detail;
  };
  const std::vector<Case> cases = {
      {0, "clp.departure_hazard", "\"high\"", "expected a number, found a string"},
      {0, "clp.departure_hazard", "true", "expected a number, found a boolean"},
      {0, "clp.departure_hazard", "[0.1]", "expected a number, found an array"},
      {1, "clp.max_contacts", "7.0", "expected a whole number, found a real number"},
      {1, "clp.max_contacts", "\"7\"", "expected a whole number, found a string"},
      {2, "clp.enabled", "1", "expected true or false, found an integer"},
      {2, "clp.enabled", "\"yes\"", "expected true or false, found a string"},
  };
  for (const Case& c : cases) {
    INFO(c.key << " = " << c.value);
    sim::ParamValues values(table());
    const double before = values[c.index];
    const auto e = input_error([&] { values.set_from_config(c.index, entry(c.key, c.value)); });
    CHECK(e.file() == "scn.toml");
    CHECK(e.line() == 3);
    CHECK(e.key() == "parameters." + c.key);
    CHECK_THAT(e.detail(), Catch::Contains(c.detail));
    CHECK(values[c.index] == before);
  }
}

TEST_CASE("a scenario entry out of range is an error naming file, line and parameters.<name>") {
  sim::ParamValues values(table());
  const auto e = input_error([&] { values.set_from_config(0, entry("clp.departure_hazard", "0.75")); });
  CHECK(e.file() == "scn.toml");
  CHECK(e.line() == 3);
  CHECK(e.key() == "parameters.clp.departure_hazard");
  CHECK_THAT(e.what(), Catch::StartsWith("scn.toml:3: parameters.clp.departure_hazard: ") &&
                           Catch::Contains("[0.0, 0.5]"));
  CHECK_THROWS_AS(values.set_from_config(1, entry("clp.max_contacts", "0")), sim::InputError);
  CHECK_THROWS_AS(values.set_from_config(3, entry("leadership.meeting_rate", "inf")), sim::InputError);
  CHECK_THROWS_AS(values.set_from_config(3, entry("leadership.meeting_rate", "nan")), sim::InputError);
}

TEST_CASE("command-line text is parsed as a number of the parameter's kind") {
  sim::ParamValues values(table());
  values.set_from_text(0, "0.25", "--set");
  CHECK(values[0] == 0.25);
  values.set_from_text(0, "1e-3", "--set");
  CHECK(values[0] == 0.001);
  values.set_from_text(3, "1", "--set");
  CHECK(values[3] == 1.0);
  values.set_from_text(1, "20", "--set");
  CHECK(values[1] == 20.0);
  values.set_from_text(2, "false", "--set");
  CHECK(values[2] == 0.0);
  values.set_from_text(2, "true", "--set");
  CHECK(values[2] == 1.0);
  CHECK(values.origin(2).file == "--set");
}

TEST_CASE("command-line text that is not a valid value is an error naming the parameter") {
  struct Case {
    std::size_t index;
    std::string text;
    std::string detail;
  };
  const std::vector<Case> cases = {
      {0, "abc", "expected a number, found 'abc'"},
      {0, "", "expected a number"},
      {0, "0.1x", "expected a number, found '0.1x'"},
      {0, " 0.1", "expected a number"},
      {0, "0.1 ", "expected a number"},
      {0, "0.9", "outside the allowed range"},
      {0, "nan", "not a finite number"},
      {0, "inf", "not a finite number"},
      {1, "2.5", "whole number"},
      {2, "1", "expected true or false, found '1'"},
      {2, "True", "expected true or false"},
      {2, "yes", "expected true or false"},
  };
  for (const Case& c : cases) {
    INFO("'" << c.text << "'");
    sim::ParamValues values(table());
    const double before = values[c.index];
    const auto e = input_error([&] { values.set_from_text(c.index, c.text, "--set"); });
    // Located where the user wrote it: the command line's --set option for this parameter.
    CHECK(e.file() == "command line");
    CHECK(e.key() == "--set " + std::string(table()[c.index].name));
    CHECK_THAT(e.detail(), Catch::Contains(c.detail));
    CHECK(std::string(e.what()).find('\n') == std::string::npos);
    CHECK(values[c.index] == before);
  }
}

TEST_CASE("an error about a default value says so") {
  const sim::ParamValues values(table());
  const auto e = input_error([&] { values.fail(0, "inconsistent with another parameter"); });
  CHECK(e.file() == "<defaults>");
  CHECK(e.key() == "clp.departure_hazard");
}

TEST_CASE("of parameters bound by a constraint, the one the user set last is named") {
  sim::ParamValues values(table());
  // All defaults: nobody to blame.
  CHECK_FALSE(values.last_set({0, 3}));
  values.set(0, 0.1, {"scn.toml", 8});
  CHECK(values.last_set({0, 3}) == 0U);
  values.set(3, 0.2, {"scn.toml", 12});
  CHECK(values.last_set({0, 3}) == 3U);  // the later line
  values.set_from_text(0, "0.2", "--set");
  CHECK(values.last_set({0, 3}) == 0U);  // the command line comes after every file
  CHECK(values.last_set({3}) == 3U);
  CHECK_FALSE(values.last_set({1, 2}));
}
