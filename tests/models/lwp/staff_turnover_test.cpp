// Lead GP, practice manager and staff turnover (models/lwp/staff_turnover.cpp). Chng 2021: leadership
// drove integration; a newcomer starts from baseline states, a new lead GP from their own buy-in.
// ALLIANCE 2017 (direction only): staff of fully integrated practices were less likely to want to
// give up patient care, so hazards are lower in a good team and while the practice is normalised.

#include <cmath>
#include <limits>

#include <catch2/catch.hpp>

#include "models/lwp/mechanisms.hpp"
#include "tests/models/lwp/practice_fixture.hpp"
#include "tests/support/test_support.hpp"

using lwp_test::at;
using lwp_test::make_practice;
using lwp_test::week_context;

TEST_CASE(
    "staff turnover replaces whoever has spent their hazard budget with a newcomer and counts leadership "
    "changes for the lead GP and practice manager only") {
  const lwp::Parameters params{};
  lwp::Practice practice = make_practice(params);
  lwp::set_turnover_rates(practice, params);
  const int week = 17;
  const int leaving[] = {lwp::kLeadGpSlot, lwp::kPracticeManagerSlot, 3, 5};  // slots 3, 5: nurse, gp
  for (int slot : leaving) practice.staff.leave_clock[at(slot)] = 0.0;
  // Slot 4 has more budget than one week spends: it leaves later, not this week.
  const double rate4 = practice.turnover_rate[static_cast<std::size_t>(practice.staff.role[at(4)])];
  practice.staff.leave_clock[at(4)] = 1.5 * rate4;
  const lwp::Practice before = practice;

  lwp::staff_turnover(practice, params, week_context(2, 0, 0, week));

  CHECK(practice.totals.leadership_changes == 2);
  CHECK(practice.totals.staff_changes == 2);
  for (int i = 0; i < practice.staff.count; ++i) {
    const std::size_t s = at(i);
    const bool left = i == lwp::kLeadGpSlot || i == lwp::kPracticeManagerSlot || i == 3 || i == 5;
    INFO("slot " << i);
    if (left) {
      if (i == lwp::kLeadGpSlot) {
        // A new lead GP starts from their own buy-in (leadership.lead_gp_states_from_buy_in).
        CHECK(practice.staff.understanding[s] ==
              lwp::lead_gp_state(params, practice.gp_buy_in, params.staff_newcomer_understanding));
        CHECK(practice.staff.engagement[s] ==
              lwp::lead_gp_state(params, practice.gp_buy_in, params.staff_engagement_baseline));
      } else {
        CHECK(practice.staff.understanding[s] == params.staff_newcomer_understanding);
        CHECK(practice.staff.engagement[s] == params.staff_engagement_baseline);
      }
      CHECK(practice.staff.occupant[s] == before.staff.occupant[s] + 1);
      CHECK(practice.staff.joined_week[s] == week);
      CHECK(practice.staff.leave_clock[s] > 0.0);  // a fresh budget: the newcomer stays this week
    } else {
      CHECK(practice.staff.understanding[s] == before.staff.understanding[s]);
      CHECK(practice.staff.engagement[s] == before.staff.engagement[s]);
      CHECK(practice.staff.occupant[s] == before.staff.occupant[s]);
      CHECK(practice.staff.joined_week[s] == before.staff.joined_week[s]);
      const double spent = practice.turnover_rate[static_cast<std::size_t>(practice.staff.role[s])];
      if (std::isinf(before.staff.leave_clock[s])) {
        CHECK(std::isinf(practice.staff.leave_clock[s]));  // the fixture's stayers
      } else {
        CHECK(practice.staff.leave_clock[s] == Approx(before.staff.leave_clock[s] - spent));
      }
    }
    CHECK(practice.staff.role[s] == before.staff.role[s]);  // a slot keeps its role
  }
}

TEST_CASE("a lead GP's starting states are weighted between their buy-in and the role's starting state") {
  lwp::Parameters params{};
  params.leadership_lead_gp_states_from_buy_in = 1.0;
  CHECK(lwp::lead_gp_state(params, 0.8, 0.2) == 0.8);
  params.leadership_lead_gp_states_from_buy_in = 0.0;
  CHECK(lwp::lead_gp_state(params, 0.8, 0.2) == 0.2);
  params.leadership_lead_gp_states_from_buy_in = 0.25;
  CHECK(lwp::lead_gp_state(params, 0.8, 0.2) == Approx(0.35));
}

TEST_CASE("a good team lowers every staff hazard by turnover.team_effect x team quality") {
  lwp::Parameters params{};
  params.turnover_lead_gp_hazard = 0.01;
  params.turnover_practice_manager_hazard = 0.02;
  params.turnover_staff_hazard = 0.03;
  params.turnover_team_effect = 0.4;
  lwp::Practice practice = make_practice(params);
  for (double quality : {0.0, 0.5, 1.0}) {
    practice.team_quality = quality;
    lwp::set_turnover_rates(practice, params);
    for (lwp::Role role : {lwp::Role::lead_gp, lwp::Role::practice_manager, lwp::Role::gp, lwp::Role::nurse,
                           lwp::Role::admin}) {
      INFO("team quality " << quality << ", role " << static_cast<int>(role));
      const double rate = -std::log1p(-lwp::turnover_hazard(role, params));
      CHECK(practice.turnover_rate[static_cast<std::size_t>(role)] == Approx(rate * (1.0 - 0.4 * quality)));
    }
  }
}

TEST_CASE("while the practice is normalised each week spends less of the staff's hazard budget") {
  lwp::Parameters params{};
  params.turnover_integration_effect = 0.3;
  lwp::Practice practice = make_practice(params);
  lwp::set_turnover_rates(practice, params);
  for (int i = 0; i < practice.staff.count; ++i) practice.staff.leave_clock[at(i)] = 10.0;
  lwp::Practice normalised = practice;
  normalised.normalised = true;
  practice.normalised = false;
  lwp::staff_turnover(practice, params, week_context(2, 0, 0, 3));
  lwp::staff_turnover(normalised, params, week_context(2, 0, 0, 3));
  for (int i = 0; i < practice.staff.count; ++i) {
    INFO("slot " << i);
    const double rate = practice.turnover_rate[static_cast<std::size_t>(practice.staff.role[at(i)])];
    REQUIRE(rate > 0.0);
    CHECK(10.0 - practice.staff.leave_clock[at(i)] == Approx(rate));
    CHECK(10.0 - normalised.staff.leave_clock[at(i)] == Approx(0.7 * rate));
  }
}

TEST_CASE("with constant hazards a staff member's stay has the hazard's geometric distribution") {
  lwp::Parameters params{};
  params.turnover_staff_hazard = 0.05;
  params.turnover_team_effect = 0.0;
  lwp::Practice practice = make_practice(params, 20);
  lwp::set_turnover_rates(practice, params);
  // Replace every occupant at week 0 (fresh budgets), then count the weeks to each one's departure.
  const int n = 400;
  double total_weeks = 0.0;
  int observed = 0;
  for (std::uint32_t r = 0; r < static_cast<std::uint32_t>(n); ++r) {
    lwp::Practice p = practice;
    const auto ctx0 = week_context(9, r, 0, 0);
    lwp::start_newcomer(p, params, ctx0, at(2));
    const std::uint32_t occupant = p.staff.occupant[at(2)];
    for (int week = 1; week < 2000; ++week) {
      lwp::staff_turnover(p, params, week_context(9, r, 0, week));
      if (p.staff.occupant[at(2)] != occupant) {
        total_weeks += week;
        ++observed;
        break;
      }
    }
  }
  REQUIRE(observed == n);
  // Mean of a geometric on {1, 2, ...} with p = 0.05 is 20 weeks; sd 19.5, so the standard error of
  // the mean of 400 stays is about 1: a tolerance of 4 standard errors.
  CHECK(total_weeks / n == Approx(20.0).margin(4.0));
}

TEST_CASE("a new lead GP brings a new GP buy-in, and nobody else does") {
  const lwp::Parameters params{};
  int changed = 0;
  for (std::uint32_t r = 0; r < 50; ++r) {
    lwp::Practice practice = make_practice(params);
    practice.staff.leave_clock[at(lwp::kPracticeManagerSlot)] = 0.0;
    practice.staff.leave_clock[at(2)] = 0.0;
    lwp::staff_turnover(practice, params, week_context(4, r, 0, 5));
    CHECK(practice.gp_buy_in == 0.6);  // the fixture's buy-in: unchanged by other departures
    practice.staff.leave_clock[at(lwp::kLeadGpSlot)] = 0.0;
    lwp::staff_turnover(practice, params, week_context(4, r, 0, 9));
    CHECK(practice.gp_buy_in >= 0.0);
    CHECK(practice.gp_buy_in <= 1.0);
    changed += practice.gp_buy_in != 0.6 ? 1 : 0;
  }
  CHECK(changed == 50);  // a Beta draw equals 0.6 with probability 0
}

TEST_CASE("over a replicate, leadership changes count only lead GP and practice manager replacements") {
  // Only the lead GP and the practice manager can leave: every change is a leadership change.
  sim::Scenario leadership_only = lwsim_test::deep_end();
  lwsim_test::set(leadership_only, {{"turnover.staff_hazard", 0.0},
                                    {"turnover.lead_gp_hazard", 0.05},
                                    {"turnover.practice_manager_hazard", 0.05}});
  // Only other staff can leave: no change is a leadership change.
  sim::Scenario staff_only = lwsim_test::deep_end();
  lwsim_test::set(staff_only, {{"turnover.staff_hazard", 0.05},
                               {"turnover.lead_gp_hazard", 0.0},
                               {"turnover.practice_manager_hazard", 0.0}});
  std::uint32_t leadership = 0;
  std::uint32_t staff = 0;
  for (std::uint32_t r = 0; r < 10; ++r) {
    for (const lwp::Practice& p : lwsim_test::run_replicate_state(leadership_only, 6, r).practices) {
      CHECK(p.totals.staff_changes == 0);
      leadership += p.totals.leadership_changes;
    }
    for (const lwp::Practice& p : lwsim_test::run_replicate_state(staff_only, 6, r).practices) {
      CHECK(p.totals.leadership_changes == 0);
      staff += p.totals.staff_changes;
    }
  }
  CHECK(leadership > 0);
  CHECK(staff > 0);
}

TEST_CASE("with no turnover hazards nobody leaves") {
  sim::Scenario scenario = lwsim_test::deep_end();
  lwsim_test::set(scenario, {{"turnover.staff_hazard", 0.0},
                             {"turnover.lead_gp_hazard", 0.0},
                             {"turnover.practice_manager_hazard", 0.0},
                             {"clp.departure_hazard", 0.0}});
  for (std::uint32_t r = 0; r < 10; ++r) {
    for (const lwp::Practice& p : lwsim_test::run_replicate_state(scenario, 6, r).practices) {
      CHECK(p.totals.staff_changes == 0);
      CHECK(p.totals.leadership_changes == 0);
      CHECK(p.totals.clp_departures == 0);
      CHECK(p.totals.vacancy_weeks == 0);
    }
  }
}

TEST_CASE(
    "the lead GP and the practice manager leave at their own hazards and everyone else at the staff hazard") {
  lwp::Parameters params{};
  params.turnover_lead_gp_hazard = 0.01;
  params.turnover_practice_manager_hazard = 0.02;
  params.turnover_staff_hazard = 0.03;
  CHECK(lwp::turnover_hazard(lwp::Role::lead_gp, params) == 0.01);
  CHECK(lwp::turnover_hazard(lwp::Role::practice_manager, params) == 0.02);
  for (lwp::Role role : {lwp::Role::gp, lwp::Role::nurse, lwp::Role::admin}) {
    CHECK(lwp::turnover_hazard(role, params) == 0.03);
  }
}
