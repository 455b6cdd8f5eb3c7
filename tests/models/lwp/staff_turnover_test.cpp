// Lead GP, practice manager and staff turnover (models/lwp/staff_turnover.cpp). Chng 2021: leadership
// drove integration; a newcomer starts from baseline states.

#include <catch2/catch.hpp>

#include "models/lwp/mechanisms.hpp"
#include "tests/models/lwp/practice_fixture.hpp"
#include "tests/support/test_support.hpp"

using lwp_test::at;
using lwp_test::make_practice;
using lwp_test::week_context;

TEST_CASE(
    "staff turnover resets a slot to newcomer states and counts leadership changes for the lead GP and "
    "practice manager only") {
  const lwp::Parameters params{};
  lwp::Practice practice = make_practice(params);
  const int week = 17;
  const int leaving[] = {lwp::kLeadGpSlot, lwp::kPracticeManagerSlot, 3, 5};  // slots 3, 5: nurse, gp
  for (int slot : leaving) practice.staff.leave_week[at(slot)] = week;
  practice.staff.leave_week[at(4)] = week + 1;  // leaves next week, not this one
  const lwp::Practice before = practice;

  lwp::staff_turnover(practice, params, week_context(2, 0, 0, week));

  CHECK(practice.totals.leadership_changes == 2);
  CHECK(practice.totals.staff_changes == 2);
  for (int i = 0; i < practice.staff.count; ++i) {
    const std::size_t s = at(i);
    const bool left = i == lwp::kLeadGpSlot || i == lwp::kPracticeManagerSlot || i == 3 || i == 5;
    INFO("slot " << i);
    if (left) {
      CHECK(practice.staff.understanding[s] == params.staff_newcomer_understanding);
      CHECK(practice.staff.engagement[s] == params.staff_engagement_baseline);
      CHECK(practice.staff.occupant[s] == before.staff.occupant[s] + 1);
      CHECK(practice.staff.leave_week[s] > week);  // the newcomer stays at least a week
    } else {
      CHECK(practice.staff.understanding[s] == before.staff.understanding[s]);
      CHECK(practice.staff.engagement[s] == before.staff.engagement[s]);
      CHECK(practice.staff.occupant[s] == before.staff.occupant[s]);
      CHECK(practice.staff.leave_week[s] == before.staff.leave_week[s]);
    }
    CHECK(practice.staff.role[s] == before.staff.role[s]);  // a slot keeps its role
  }
}

TEST_CASE("a new lead GP brings a new GP buy-in, and nobody else does") {
  const lwp::Parameters params{};
  int changed = 0;
  for (std::uint32_t r = 0; r < 50; ++r) {
    lwp::Practice practice = make_practice(params);
    practice.staff.leave_week[at(lwp::kPracticeManagerSlot)] = 5;
    practice.staff.leave_week[at(2)] = 5;
    lwp::staff_turnover(practice, params, week_context(4, r, 0, 5));
    CHECK(practice.gp_buy_in == 0.6);  // the fixture's buy-in: unchanged by other departures
    practice.staff.leave_week[at(lwp::kLeadGpSlot)] = 9;
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
