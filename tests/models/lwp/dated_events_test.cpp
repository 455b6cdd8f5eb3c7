// What a scenario knows happened in a practice (models/lwp/dated_events.cpp, [[practice.event]] in
// docs/scenarios.md): a change of CLP, of lead GP or of practice manager, or a competing
// innovation, in a given week of every replicate.

#include <catch2/catch.hpp>

#include "models/lwp/mechanisms.hpp"
#include "tests/models/lwp/practice_fixture.hpp"
#include "tests/support/test_support.hpp"

using lwp_test::make_practice;
using lwp_test::week_context;

namespace {

lwp::DatedEvent event(int week, lwp::EventKind kind) {
  lwp::DatedEvent e;
  e.week = week;
  e.kind = kind;
  return e;
}

}  // namespace

TEST_CASE("dated events happen in their week, once, and nothing happens in other weeks") {
  const lwp::Parameters params{};
  lwp::PracticeSpec spec;
  spec.events = {event(3, lwp::EventKind::lead_gp_change), event(5, lwp::EventKind::practice_manager_change),
                 event(5, lwp::EventKind::competing_innovation), event(8, lwp::EventKind::clp_change)};
  spec.events[2].load = 0.4;
  spec.events[2].duration_weeks = 7;
  lwp::Practice practice = make_practice(params);
  for (int week = 0; week <= 10; ++week) {
    const lwp::Practice before = practice;
    lwp::dated_events(practice, params, spec, week_context(3, 0, 0, week));
    INFO("week " << week);
    const auto& t = practice.totals;
    const auto& b = before.totals;
    switch (week) {
      case 3:
        CHECK(t.leadership_changes == b.leadership_changes + 1);
        CHECK(practice.staff.occupant[lwp::kLeadGpSlot] == before.staff.occupant[lwp::kLeadGpSlot] + 1);
        CHECK(practice.staff.joined_week[lwp::kLeadGpSlot] == 3);
        break;
      case 5:
        CHECK(t.leadership_changes == b.leadership_changes + 1);
        CHECK(practice.staff.occupant[lwp::kPracticeManagerSlot] ==
              before.staff.occupant[lwp::kPracticeManagerSlot] + 1);
        CHECK(t.innovations == b.innovations + 1);
        REQUIRE(practice.active_innovations == before.active_innovations + 1);
        CHECK(practice.innovations[static_cast<std::size_t>(practice.active_innovations - 1)].load == 0.4);
        CHECK(practice.innovations[static_cast<std::size_t>(practice.active_innovations - 1)].end_week == 12);
        break;
      case 8:
        CHECK(t.clp_departures == b.clp_departures + 1);
        CHECK_FALSE(practice.clp.in_post);
        CHECK(practice.clp.vacancy_end_week > 8);
        break;
      default:
        CHECK(t.leadership_changes == b.leadership_changes);
        CHECK(t.innovations == b.innovations);
        CHECK(t.clp_departures == b.clp_departures);
        CHECK(t.staff_changes == b.staff_changes);
    }
  }
  CHECK(practice.next_dated_event == spec.events.size());
}

TEST_CASE(
    "a competing innovation without a load or duration takes the means, and a CLP change with no CLP in post "
    "does nothing") {
  const lwp::Parameters params{};
  lwp::PracticeSpec spec;
  spec.events = {event(2, lwp::EventKind::competing_innovation), event(4, lwp::EventKind::clp_change)};
  lwp::Practice practice = make_practice(params);
  practice.clp.in_post = false;
  for (int week = 0; week <= 5; ++week)
    lwp::dated_events(practice, params, spec, week_context(3, 0, 0, week));
  REQUIRE(practice.active_innovations == 1);
  CHECK(practice.innovations[0].load == params.innovation_load_mean);
  CHECK(practice.innovations[0].end_week == 2 + static_cast<int>(params.innovation_duration_mean_weeks));
  CHECK(practice.totals.clp_departures == 0);
}

TEST_CASE("events dated before a practice's first simulated week are skipped") {
  const lwp::Parameters params{};
  lwp::PracticeSpec spec;
  spec.events = {event(2, lwp::EventKind::lead_gp_change), event(6, lwp::EventKind::lead_gp_change)};
  lwp::Practice practice = make_practice(params);
  lwp::dated_events(practice, params, spec, week_context(3, 0, 0, 4));  // first call in week 4
  CHECK(practice.totals.leadership_changes == 0);
  lwp::dated_events(practice, params, spec, week_context(3, 0, 0, 6));
  CHECK(practice.totals.leadership_changes == 1);
}

TEST_CASE("in whole replicates every dated event happens, whatever the hazards draw") {
  // Hazards 0: every change is a dated one.
  sim::Scenario scenario = lwsim_test::scenario_from(
      "[[practice]]\nname = \"A\"\nlist_size = 3000\nlocality = \"North\"\ngp_buy_in = 0.7\nteam_quality = "
      "0.8\n"
      "innovation_rate = 0\n"
      "[[practice.event]]\nweek = 40\nkind = \"clp_change\"\n"
      "[[practice.event]]\nweek = 50\nkind = \"lead_gp_change\"\n"
      "[[practice.event]]\nweek = 60\nkind = \"practice_manager_change\"\n"
      "[[practice.event]]\nweek = 70\nkind = \"competing_innovation\"\nload = 0.3\nduration_weeks = 20\n"
      "[[locality]]\nname = \"North\"\n");
  lwsim_test::set(scenario, {{"turnover.staff_hazard", 0.0},
                             {"turnover.lead_gp_hazard", 0.0},
                             {"turnover.practice_manager_hazard", 0.0},
                             {"clp.departure_hazard", 0.0}});
  for (std::uint32_t r = 0; r < 5; ++r) {
    const lwp::ReplicateState state = lwsim_test::run_replicate_state(scenario, 8, r);
    REQUIRE(state.practices.size() == 1);
    const lwp::Practice& a = state.practices[0];
    CHECK(a.team_quality == 0.8);
    CHECK(a.totals.clp_departures == 1);
    CHECK(a.totals.vacancy_weeks > 0);
    CHECK(a.totals.leadership_changes == 2);
    CHECK(a.totals.staff_changes == 0);
    CHECK(a.totals.innovations == 1);
  }
}
