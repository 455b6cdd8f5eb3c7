// Numerical guards and `--check` (docs/reliability.md): the state invariants of invariants.hpp,
// what a checked run reports, that checking changes no result, that random parameter values
// across the whole table keep every invariant, and that the combinations of parameters that
// would make a probability leave [0, 1] are refused at validation.

#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "models/lwp/invariants.hpp"
#include "models/lwp/parameters.hpp"
#include "models/lwp/simulation.hpp"
#include "sim/error.hpp"
#include "sim/random.hpp"
#include "tests/models/lwp/practice_fixture.hpp"
#include "tests/support/test_support.hpp"

namespace {

lwp::Parameters default_parameters() {
  return lwp::Parameters::from(lwsim_test::deep_end().params());
}

/// The message of the first invariant `practice` breaks (empty when none), with this week's hours.
std::string violation_of(const lwp::Practice& practice, const lwp::Parameters& params, int staff) {
  return lwp::practice_violation(practice, params, {staff}, true).value_or("");
}

}  // namespace

TEST_CASE("a hand-built practice and a fresh locality keep every invariant") {
  const lwp::Parameters params = default_parameters();
  const lwp::Practice practice = lwp_test::make_practice(params, 10);
  CHECK(violation_of(practice, params, 10).empty());
  lwp::Locality locality;
  locality.organisations = 12;
  locality.capacity = 20;
  CHECK_FALSE(lwp::locality_violation(locality).has_value());
}

TEST_CASE("each broken invariant of a practice is reported, saying what broke") {
  const lwp::Parameters params = default_parameters();
  struct Fault {
    const char* name;
    std::function<void(lwp::Practice&)> apply;
    const char* expected;
  };
  const std::vector<Fault> faults = {
      {"engagement above 1", [](lwp::Practice& p) { p.staff.engagement[3] = 1.5; },
       "engagement of staff 3 (nurse) is 1.5, outside [0, 1]"},
      {"understanding NaN",
       [](lwp::Practice& p) { p.staff.understanding[4] = std::numeric_limits<double>::quiet_NaN(); },
       "understanding of staff 4 (admin) is nan, outside [0, 1]"},
      {"a staff member lost", [](lwp::Practice& p) { p.staff.count = 9; },
       "staff not conserved: 9 staff, 10 at the start of the replicate"},
      {"no lead GP in slot 0", [](lwp::Practice& p) { p.staff.role[0] = lwp::Role::gp; },
       "slot 0 holds a GP, not the lead GP"},
      {"a second practice manager", [](lwp::Practice& p) { p.staff.role[5] = lwp::Role::practice_manager; },
       "staff 5 is a second practice manager"},
      {"a tie to oneself", [](lwp::Practice& p) { p.staff.ties[2][1] = 2; },
       "team tie 1 of staff 2 points to slot 2, not a colleague"},
      {"a patient appears", [](lwp::Practice& p) { p.clp.caseload[2] += 1; },
       "patients not conserved: 0 referred, but 1 on the caseload + 0 closed + 0 waiting for an organisation "
       "= 1"},
      {"a patient vanishes",
       [](lwp::Practice& p) {
         p.totals.referrals = 5;
         p.clp.caseload[0] = 4;
       },
       "patients not conserved: 5 referred, but 4 on the caseload"},
      {"a request without a pending link", [](lwp::Practice& p) { p.requests_by_organisation[1] = 1; },
       "1 requests to organisations for 0 pending links"},
      {"more accepted than requested", [](lwp::Practice& p) { p.accepted_by_organisation[0] = 1; },
       "organisation 0 accepted 1 of this practice's 0 requests"},
      {"a tie stronger than 1", [](lwp::Practice& p) { p.clp.ties[3] = 1.25; },
       "CLP tie strength to organisation 3 is 1.25, outside [0, 1]"},
      {"more CLP hours than the post",
       [&](lwp::Practice& p) {
         p.hours = {params.clp_hours_per_week, 1.0, 0.0};
       },
       "the CLP's hours this week sum to"},
      {"negative cost", [](lwp::Practice& p) { p.totals.cost = -1.0; }, "cost is -1, not a finite number"},
      {"attention load above 1", [](lwp::Practice& p) { p.attention_load = 1.01; },
       "attention load is 1.01, outside [0, 1]"},
      {"infinite referral flow",
       [](lwp::Practice& p) { p.referral_flow = std::numeric_limits<double>::infinity(); },
       "referral flow is inf"},
  };
  for (const Fault& fault : faults) {
    SECTION(fault.name) {
      lwp::Practice practice = lwp_test::make_practice(params, 10);
      fault.apply(practice);
      CHECK_THAT(violation_of(practice, params, 10), Catch::Contains(fault.expected));
    }
  }
}

TEST_CASE("last week's CLP hours are checked against the post only once this week's are allocated") {
  const lwp::Parameters params = default_parameters();
  lwp::Practice practice = lwp_test::make_practice(params, 10);
  practice.hours = {params.clp_hours_per_week, 0.0, 0.0};
  practice.clp_presence = 0.5;  // a cut of posts has just halved the practice's share
  CHECK_FALSE(lwp::practice_violation(practice, params, {10}, false).has_value());
  CHECK(lwp::practice_violation(practice, params, {10}, true).has_value());
}

TEST_CASE("a locality over its capacity or with patients at missing organisations is reported") {
  lwp::Locality locality;
  locality.organisations = 4;
  locality.capacity = 10;
  locality.clients[2] = 11;
  CHECK_THAT(lwp::locality_violation(locality).value_or(""),
             Catch::Contains("organisation 2 holds 11 patients, more than its capacity of 10"));
  locality.clients[2] = 3;
  locality.clients[6] = 1;
  CHECK_THAT(lwp::locality_violation(locality).value_or(""),
             Catch::Contains("organisation 6 does not exist but holds 1 patients"));
}

TEST_CASE("the checker names the practice, its name, the week and the mechanism") {
  const sim::Scenario scenario = lwsim_test::deep_end();
  const auto& setup = static_cast<const lwp::Setup&>(*scenario.setup);
  const lwp::Parameters params = lwp::Parameters::from(scenario.params());
  const std::vector<lwp::PracticeBaseline> baselines(setup.practice_count(), lwp::PracticeBaseline{10});
  const lwp::InvariantChecker checker{setup, params, baselines};
  lwp::Practice practice = lwp_test::make_practice(params, 10);
  CHECK_NOTHROW(checker.practice(practice, 2, 57, "patient_contacts", true));
  practice.staff.engagement[1] = -0.5;
  const std::string expected = fmt::format(
      "practice 2 ({}), week 57, after patient_contacts: engagement of staff 1 (practice manager) is -0.5",
      setup.practices[2].name);
  CHECK_THROWS_WITH(checker.practice(practice, 2, 57, "patient_contacts", true), Catch::Contains(expected));
  CHECK_THROWS_AS(checker.practice(practice, 2, 57, "patient_contacts", true), sim::InvariantError);
}

TEST_CASE("a checked run gives bitwise the results of an unchecked one") {
  SECTION("the Deep End") {
    const sim::Scenario scenario = lwsim_test::deep_end();
    const sim::PointSummary plain = lwsim_test::run_point(scenario, 100, 7, 2, false);
    const sim::PointSummary checked = lwsim_test::run_point(scenario, 100, 7, 2, true);
    CHECK(lwsim_test::identical(plain, checked));
  }
  SECTION("a scale-up: localities, shared CLPs, waves, a cut of posts and funding cycles") {
    // 2 localities x 40 practices: above the size at which an unchecked replicate steps its
    // practices in parallel (a checked one steps them in order), with every scale-up mechanism.
    std::string toml =
        "[evaluation]\nhorizon_weeks = 104\n[parameters]\n\"programme.practices_per_clp\" = 2.0\n"
        "\"programme.cut_week\" = 40\n\"programme.practices_per_clp_after_cut\" = 3.0\n"
        "\"labour.congestion\" = 2.0\n\"funding.cycle_weeks\" = 52\n\"support.clps_per_manager\" = 12.0\n";
    for (int l = 0; l < 2; ++l) {
      toml += fmt::format(
          "[[locality]]\nname = \"L{}\"\npractices = 40\norganisations = 10\ncapacity = 8\nstart_week = {}\n"
          "list_size = {{ mean = 4200, sd = 1300, min = 1500, max = 12000 }}\ntraining_share = 0.5\n",
          l, 10 * l);
    }
    const sim::Scenario scenario = lwsim_test::scenario_from(toml);
    REQUIRE(static_cast<const lwp::Setup&>(*scenario.setup).practice_count() >=
            lwp::LwpSimulation::kParallelPractices);
    const sim::PointSummary plain = lwsim_test::run_point(scenario, 4, 11, 2, false);
    const sim::PointSummary checked = lwsim_test::run_point(scenario, 4, 11, 2, true);
    CHECK(lwsim_test::identical(plain, checked));
  }
}

TEST_CASE("random parameter values across every range keep every invariant, or are refused") {
  // 300 points drawn uniformly from the valid part of the parameter space, by rejection: every
  // parameter uniform within its range (integers rounded), the three clp.target_share_*
  // normalised to sum to 1, and the draw repeated while validation refuses it (an InputError).
  // Each point runs 3 replicates with every invariant checked after every mechanism of every week.
  const sim::Scenario base = lwsim_test::deep_end();
  const sim::ParamTable& table = base.params().table();
  const std::size_t shares[] = {lwp::param_index(lwp::ParamId::clp_target_share_patient_support),
                                lwp::param_index(lwp::ParamId::clp_target_share_practice_development),
                                lwp::param_index(lwp::ParamId::clp_target_share_community_networking)};
  std::map<std::string, int> refused;  // by the key the refusal named
  for (std::uint32_t point = 0; point < 300; ++point) {
    sim::Scenario scenario = base;
    sim::Stream draw(sim::StreamKey{2026, point}, sim::StreamId{});
    bool valid = false;
    for (int attempt = 0; attempt < 1000 && !valid; ++attempt) {
      std::vector<double> values(table.size());
      for (std::size_t i = 0; i < table.size(); ++i) {
        const sim::ParamSpec& spec = table[i];
        values[i] = spec.min + sim::random::uniform(draw) * (spec.max - spec.min);
        if (spec.kind != sim::ParamKind::real) values[i] = std::round(values[i]);
        values[i] = std::clamp(values[i], spec.min, spec.max);
      }
      const double sum = values[shares[0]] + values[shares[1]] + values[shares[2]];
      for (std::size_t i : shares) values[i] = sum > 0.0 ? values[i] / sum : 1.0 / 3.0;
      values[shares[2]] = std::max(0.0, 1.0 - values[shares[0]] - values[shares[1]]);
      try {
        for (std::size_t i = 0; i < table.size(); ++i) {
          scenario.parameters->set(i, values[i], {"<random>", static_cast<int>(i) + 1});
        }
        scenario.model->check(*scenario.setup, scenario.params());
        valid = true;
      } catch (const sim::InputError& e) {
        ++refused[e.key()];
      }
    }
    REQUIRE(valid);
    INFO("point " << point);
    CHECK_NOTHROW(lwsim_test::run_point(scenario, 3, point, 1, true));
  }
  // The guards act on combinations: each of them refused some random draws.
  CHECK(refused["parameters.funding.departure_multiplier"] + refused["parameters.clp.departure_hazard"] +
            refused["parameters.support.clps_per_manager"] + refused["parameters.support.departure_effect"] +
            refused["parameters.support.reference_clps_per_manager"] >
        0);
  CHECK(refused["parameters.funding.uncertainty_weeks"] + refused["parameters.funding.cycle_weeks"] > 0);
  CHECK(refused["parameters.innovation.load_mean"] + refused["parameters.innovation.load_spread"] > 0);
}

TEST_CASE(
    "parameter combinations that would leave the unit interval are refused at the line that made them") {
  struct Case {
    const char* name;
    const char* parameters;
    const char* key;
    const char* detail;
  };
  const std::vector<Case> cases = {
      {"departure hazard times support load",
       "\"clp.departure_hazard\" = 0.3\n\"support.clps_per_manager\" = 70.0\n",
       "parameters.support.clps_per_manager", "the CLP's weekly departure hazard would reach 1.65"},
      {"departure hazard times the funding multiplier",
       "\"funding.cycle_weeks\" = 52\n\"clp.departure_hazard\" = 0.2\n\"funding.departure_multiplier\" = "
       "6.0\n",
       "parameters.funding.departure_multiplier", "x funding.departure_multiplier 6"},
      {"uncertain weeks longer than the cycle",
       "\"funding.cycle_weeks\" = 10\n\"funding.uncertainty_weeks\" = 13\n",
       "parameters.funding.uncertainty_weeks", "must be shorter than funding.cycle_weeks"},
      {"one innovation's load above 1", "\"innovation.load_mean\" = 0.8\n", "parameters.innovation.load_mean",
       "x (1 + innovation.load_spread (0.5)) must be at most 1"},
  };
  const std::string practices =
      "[[practice]]\nname = \"A\"\nlist_size = 4000\n[[practice]]\nname = \"B\"\nlist_size = 5000\n";
  for (const Case& c : cases) {
    SECTION(c.name) {
      const std::string toml = std::string("[parameters]\n") + c.parameters + practices;
      try {
        (void)lwsim_test::scenario_from(toml);
        FAIL("accepted");
      } catch (const sim::InputError& e) {
        CHECK(e.key() == c.key);
        CHECK(e.line() > 0);
        CHECK_THAT(e.detail(), Catch::Contains(c.detail));
      }
    }
  }
  SECTION("the same values within their limits are accepted") {
    CHECK_NOTHROW(lwsim_test::scenario_from(
        "[parameters]\n\"clp.departure_hazard\" = 0.3\n\"support.clps_per_manager\" = 14.0\n"
        "\"funding.cycle_weeks\" = 52\n\"funding.departure_multiplier\" = 1.5\n\"innovation.load_mean\" = "
        "0.6\n" +
        practices));
  }
}
