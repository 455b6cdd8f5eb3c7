// The model's part of a scenario (models/lwp/setup.cpp): a [[locality]] that sets its own value
// of a model parameter (organisations, capacity, context means) is held to that parameter's range
// in the table, and says so through Model::overrides, so that a study varying the parameter can
// be refused.

#include "models/lwp/setup.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "models/lwp/parameters.hpp"
#include "models/lwp/state.hpp"
#include "sim/error.hpp"
#include "tests/support/test_support.hpp"

namespace {

const std::string kPractice = "[[practice]]\nname = \"A\"\nlist_size = 3000\nlocality = \"North\"\n";
const std::string kNorth = "[[locality]]\nname = \"North\"\n";

sim::InputError error_of(const std::string& toml) {
  return lwsim_test::input_error([&] { (void)lwsim_test::scenario_from(toml); });
}

}  // namespace

TEST_CASE("a locality's own values outside their parameters' ranges are refused at file, line and key") {
  struct Case {
    const char* entry;
    const char* key;
    const char* parameter;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"team_quality_mean = 1.5", "team_quality_mean", "context.team_quality_mean",
       "outside the allowed range"},
      {"gp_buy_in_mean = -0.1", "gp_buy_in_mean", "context.gp_buy_in_mean", "outside the allowed range"},
      {"innovation_rate_mean = 60", "innovation_rate_mean", "context.innovation_rate_mean",
       "outside the allowed range"},
      {"capacity = 20000", "capacity", "community.capacity", "outside the allowed range"},
      {"organisations = 65", "organisations", "community.organisations", "outside the allowed range"},
      {"organisations = 0", "organisations", "community.organisations", "outside the allowed range"},
      {"organisations = 12.5", "organisations", "community.organisations", "whole number"},
      {"team_quality_mean = \"high\"", "team_quality_mean", "context.team_quality_mean", "expected a number"},
  };
  for (const Case& c : cases) {
    SECTION(c.entry) {
      const sim::InputError e =
          error_of(kPractice + "[[locality]]\nname = \"North\"\n" + std::string(c.entry) + "\n");
      INFO(e.what());
      CHECK(e.file() == "<test>");
      CHECK(e.line() == 7);
      CHECK(e.key() == std::string("locality[0].") + c.key);
      CHECK(std::string(e.what()).find(c.message) != std::string::npos);
      if (std::string(c.message) == "outside the allowed range") {
        CHECK(std::string(e.what()).find(c.parameter) != std::string::npos);
      }
    }
  }
}

TEST_CASE("a locality's own values at the ends of their parameters' ranges are accepted") {
  const sim::Scenario scenario = lwsim_test::scenario_from(
      kPractice +
      "[[locality]]\nname = \"North\"\norganisations = 64\ncapacity = 0\ngp_buy_in_mean = 1.0\n"
      "team_quality_mean = 0\ninnovation_rate_mean = 52\n");
  const auto& setup = static_cast<const lwp::Setup&>(*scenario.setup);
  const lwp::LocalitySpec& north = setup.locality_specs.at(0);
  CHECK(north.organisations == 64);
  CHECK(north.capacity == 0.0);
  CHECK(north.gp_buy_in_mean == 1.0);
  CHECK(north.team_quality_mean == 0.0);
  CHECK(north.innovation_rate_mean == 52.0);
}

TEST_CASE("a locality can hold no more community organisations than a CLP has ties for") {
  const sim::ParamSpec& organisations =
      lwp::parameter_table()[lwp::param_index(lwp::ParamId::community_organisations)];
  CHECK(organisations.max <= lwp::kMaxOrganisations);
}

TEST_CASE("the model names every parameter a locality overrides, with the locality and where it is written") {
  const sim::Scenario scenario =
      lwsim_test::scenario_from(kPractice +
                                "[[locality]]\nname = \"North\"\nteam_quality_mean = 0.7\ncapacity = 5\n"
                                "[[locality]]\nname = \"South\"\ncopies = 3\ngp_buy_in_mean = 0.4\n"
                                "[[locality]]\nname = \"East\"\norganisations = 8\n");
  const std::vector<sim::ParamOverride> overrides = scenario.model->overrides(*scenario.setup);
  REQUIRE(overrides.size() == 4);
  CHECK(overrides[0].parameter == lwp::param_index(lwp::ParamId::community_capacity));
  CHECK(overrides[0].scope == "locality 'North'");
  CHECK(overrides[0].file == "<test>");
  CHECK(overrides[0].line == 8);
  CHECK(overrides[0].key == "locality[0].capacity");
  CHECK(overrides[1].parameter == lwp::param_index(lwp::ParamId::context_team_quality_mean));
  CHECK(overrides[1].line == 7);
  CHECK(overrides[2].parameter == lwp::param_index(lwp::ParamId::context_gp_buy_in_mean));
  CHECK(overrides[2].scope == "localities 'South-0001' to 'South-0003'");
  CHECK(overrides[2].key == "locality[1].gp_buy_in_mean");
  CHECK(overrides[3].parameter == lwp::param_index(lwp::ParamId::community_organisations));
  CHECK(overrides[3].scope == "locality 'East'");

  // The Deep End scenario has no [[locality]]: it overrides nothing.
  const sim::Scenario deep_end = lwsim_test::deep_end();
  CHECK(deep_end.model->overrides(*deep_end.setup).empty());
}

TEST_CASE("a practice's own values outside their parameters' ranges are refused at file, line and key") {
  struct Case {
    const char* entry;
    const char* key;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"gp_buy_in = 1.2", "gp_buy_in", "context.gp_buy_in_mean"},
      {"team_quality = -0.5", "team_quality", "context.team_quality_mean"},
      {"innovation_rate = 53", "innovation_rate", "context.innovation_rate_mean"},
      {"team_quality = \"good\"", "team_quality", "expected a number"},
  };
  for (const Case& c : cases) {
    SECTION(c.entry) {
      const sim::InputError e = error_of(kPractice + std::string(c.entry) + "\n" + kNorth);
      INFO(e.what());
      CHECK(e.file() == "<test>");
      CHECK(e.line() == 5);
      CHECK(e.key() == std::string("practice[0].") + c.key);
      CHECK(std::string(e.what()).find(c.message) != std::string::npos);
    }
  }
}

TEST_CASE("a practice's dated events are refused when malformed, at file, line and key") {
  struct Case {
    const char* event;
    const char* key;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"week = 20\nkind = \"new_receptionist\"", "kind", "unknown event kind"},
      {"week = 200\nkind = \"clp_change\"", "week", "week"},
      {"week = -1\nkind = \"clp_change\"", "week", "week"},
      {"week = 20\nkind = \"clp_change\"\nload = 0.3", "load", "only a competing_innovation"},
      {"week = 20\nkind = \"competing_innovation\"\nload = 1.5", "load", "load"},
      {"week = 20\nkind = \"competing_innovation\"\nduration_weeks = 0", "duration_weeks", "duration_weeks"},
      {"week = 20\nkind = \"clp_change\"\nwhen = 3", "when", "when"},
  };
  for (const Case& c : cases) {
    SECTION(c.event) {
      const sim::InputError e =
          error_of(kPractice + "[[practice.event]]\n" + std::string(c.event) + "\n" + kNorth);
      INFO(e.what());
      CHECK(e.file() == "<test>");
      CHECK(e.line() >= 6);
      CHECK(e.key().rfind("practice[0].event[0]", 0) == 0);
      CHECK(std::string(e.what()).find(c.message) != std::string::npos);
    }
  }
}

TEST_CASE(
    "a practice's own values and dated events are read, the events in week order, and overrides named") {
  const sim::Scenario scenario = lwsim_test::scenario_from(
      kPractice +
      "gp_buy_in = 0.8\nteam_quality = 0.3\ninnovation_rate = 4\n"
      "[[practice.event]]\nweek = 60\nkind = \"lead_gp_change\"\n"
      "[[practice.event]]\nweek = 30\nkind = \"competing_innovation\"\nload = 0.4\nduration_weeks = 10\n"
      "[[practice.event]]\nweek = 30\nkind = \"clp_change\"\n" +
      kNorth);
  const auto& setup = static_cast<const lwp::Setup&>(*scenario.setup);
  const lwp::PracticeSpec& a = setup.practices.at(0);
  CHECK(a.gp_buy_in == 0.8);
  CHECK(a.team_quality == 0.3);
  CHECK(a.innovation_rate == 4.0);
  REQUIRE(a.events.size() == 3);
  CHECK(a.events[0].week == 30);
  CHECK(a.events[0].kind == lwp::EventKind::competing_innovation);  // same week: as written
  CHECK(a.events[0].load == 0.4);
  CHECK(a.events[0].duration_weeks == 10);
  CHECK(a.events[1].week == 30);
  CHECK(a.events[1].kind == lwp::EventKind::clp_change);
  CHECK(a.events[2].week == 60);
  CHECK(a.events[2].kind == lwp::EventKind::lead_gp_change);

  const std::vector<sim::ParamOverride> overrides = scenario.model->overrides(*scenario.setup);
  REQUIRE(overrides.size() == 3);
  CHECK(overrides[0].parameter == lwp::param_index(lwp::ParamId::context_gp_buy_in_mean));
  CHECK(overrides[0].scope == "practice 'A'");
  CHECK(overrides[0].line == 5);
  CHECK(overrides[0].key == "practice[0].gp_buy_in");
  CHECK(overrides[1].parameter == lwp::param_index(lwp::ParamId::context_team_quality_mean));
  CHECK(overrides[2].parameter == lwp::param_index(lwp::ParamId::context_innovation_rate_mean));
}
