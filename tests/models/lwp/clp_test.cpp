// The CLP post and its occupant (models/lwp/clp.cpp). Continuity of CLP support (Chng 2021;
// Skivington 2018): departure, vacancy, replacement, the handover of ties and the skill ramp; the
// departure hazard raised by the load on programme support and before a funding renewal.

#include <algorithm>
#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "models/lwp/mechanisms.hpp"
#include "tests/models/lwp/practice_fixture.hpp"
#include "tests/support/test_support.hpp"

using lwp_test::at;
using lwp_test::make_practice;
using lwp_test::week_context;

TEST_CASE("a CLP departure keeps only the handover fraction of ties") {
  const lwp::Parameters params{};
  lwp::Practice practice = make_practice(params);
  lwp::Clp& clp = practice.clp;
  clp.caseload[0] = 3;
  clp.caseload[2] = 5;
  clp.caseload[7] = 1;
  practice.totals.closed_by_contacts[2] = 4;  // patients closed earlier
  const lwp::Practice before = practice;

  const int departure_week = 40;
  lwp::clp_departure(practice, params, week_context(5, 0, 2, departure_week));

  CHECK_FALSE(clp.in_post);
  CHECK(practice.totals.clp_departures == 1);
  // The caseload is closed: every active patient is counted by contacts so far.
  for (std::size_t k = 0; k < clp.caseload.size(); ++k) {
    CHECK(clp.caseload[k] == 0);
    CHECK(practice.totals.closed_by_contacts[k] ==
          before.totals.closed_by_contacts[k] + before.clp.caseload[k]);
  }
  // The departing CLP takes their community links with them.
  for (int o = 0; o < clp.organisations; ++o) CHECK(clp.ties[at(o)] == 0.0);
  // Staff lose momentum: engagement times (1 - momentum shock x (1 - shock buffer x team quality)).
  const double shock = params.clp_momentum_shock * (1.0 - params.team_shock_buffer * practice.team_quality);
  for (int i = 0; i < practice.staff.count; ++i) {
    CHECK(practice.staff.engagement[at(i)] ==
          Approx(before.staff.engagement[at(i)] * (1.0 - shock)).margin(1e-12));
    CHECK(practice.staff.understanding[at(i)] == before.staff.understanding[at(i)]);
  }
  // The vacancy lasts at least a week.
  CHECK(clp.vacancy_end_week >= departure_week + 1);
  CHECK(clp.leave_week == lwp::kNever);

  const int start_week = clp.vacancy_end_week;
  lwp::clp_replacement(practice, params, week_context(5, 0, 2, start_week));
  CHECK(clp.in_post);
  CHECK(clp.occupant == before.clp.occupant + 1);
  CHECK(clp.start_week == start_week);
  CHECK(clp.skill == params.clp_skill_initial);
  CHECK(clp.understanding == params.clp_understanding_initial);
  for (int o = 0; o < clp.organisations; ++o) {
    CHECK(clp.ties[at(o)] == params.clp_handover_fraction * before.clp.ties[at(o)]);
  }
  CHECK(clp.leave_week > start_week);
}

TEST_CASE("a replacement CLP's skill ramps up from clp.skill_initial") {
  const lwp::Parameters params{};
  lwp::Practice practice = make_practice(params);
  practice.clp.leave_week = 3;
  double previous = -1.0;
  bool replaced = false;
  for (int week = 0; week < 200; ++week) {
    lwp::clp_events(practice, params, week_context(8, 1, 0, week));
    if (!replaced && practice.clp.in_post && practice.clp.occupant == 1) {
      replaced = true;
      // clp_events sets the skill for the week the CLP starts: tenure 0.
      CHECK(practice.clp.skill == Approx(params.clp_skill_initial).margin(1e-12));
      previous = practice.clp.skill;
      continue;
    }
    if (replaced && practice.clp.in_post && practice.clp.occupant == 1) {
      CHECK(practice.clp.skill > previous);
      CHECK(practice.clp.skill < 1.0);
      previous = practice.clp.skill;
    }
  }
  CHECK(replaced);
}

TEST_CASE("a CLP vacancy lasts at least one week and clp.vacancy_mean_weeks on average") {
  const lwp::Parameters params{};
  const int replicates = 2000;
  double sum = 0.0;
  int shortest = lwp::kNever;
  for (std::uint32_t r = 0; r < static_cast<std::uint32_t>(replicates); ++r) {
    lwp::Practice practice = make_practice(params);
    practice.clp.leave_week = 10;
    lwp::Parameters no_second_departure = params;
    no_second_departure.clp_departure_hazard = 0.0;
    for (int week = 0; week < 1000 && practice.clp.occupant == 0; ++week) {
      lwp::clp_events(practice, no_second_departure, week_context(21, r, 3, week));
    }
    REQUIRE(practice.clp.occupant == 1);
    const auto vacancy = static_cast<int>(practice.totals.vacancy_weeks);
    shortest = std::min(shortest, vacancy);
    sum += vacancy;
  }
  CHECK(shortest >= 1);
  // Geometric with mean m = 12: sd = m sqrt(1 - 1/m) = 11.5; the mean of n = 2000 vacancies has
  // standard error 11.5 / sqrt(2000) = 0.26; allow 4 standard errors.
  const double m = params.clp_vacancy_mean_weeks;
  const double se = m * std::sqrt(1.0 - 1.0 / m) / std::sqrt(static_cast<double>(replicates));
  CHECK(std::fabs(sum / replicates - m) <= 4.0 * se);
}

TEST_CASE("under common random numbers a higher CLP departure hazard never makes a CLP leave later") {
  // The first CLP's leaving week (drawn at initialisation) and a replacement's (drawn when they
  // start) use streams named by the k-th CLP, not by the hazard.
  const sim::Scenario scenario = lwsim_test::deep_end();
  const auto& setup = static_cast<const lwp::Setup&>(*scenario.setup);
  const std::vector<double> hazards = {0.001, 0.004, 0.02, 0.05, 0.2};
  lwp::ReplicateState state;
  for (std::uint32_t r = 0; r < 300; ++r) {
    const lwp::Draws draws{{17, r}, nullptr};
    std::vector<int> first(setup.practice_count(), lwp::kNever);
    std::vector<int> replacement(setup.practice_count(), lwp::kNever);
    for (double h : hazards) {
      lwp::Parameters params{};
      params.clp_departure_hazard = h;
      lwp::initialise_replicate(state, setup, params, draws, lwp::make_programme(setup, params));
      for (std::uint32_t i = 0; i < setup.practice_count(); ++i) {
        lwp::Practice& practice = state.practices[i];
        CHECK(practice.clp.leave_week <= first[i]);
        first[i] = practice.clp.leave_week;
        practice.clp.in_post = false;
        lwp::clp_replacement(practice, params, lwp::WeekContext{draws, i, 30});
        CHECK(practice.clp.leave_week <= replacement[i]);
        replacement[i] = practice.clp.leave_week;
      }
    }
  }
}

TEST_CASE("funding uncertainty covers exactly the weeks before each renewal") {
  lwp::Parameters p{};
  CHECK_FALSE(lwp::funding_uncertain(p, 40));  // no cycle by default
  p.funding_cycle_weeks = 52;
  p.funding_first_renewal_week = 52;
  p.funding_uncertainty_weeks = 13;
  for (int week = 0; week < 200; ++week) {
    // Renewals at weeks 52, 104, 156, 208: uncertain in the 13 weeks before each.
    const bool expected = (week >= 39 && week < 52) || (week >= 91 && week < 104) ||
                          (week >= 143 && week < 156) || (week >= 195 && week < 208);
    CHECK(lwp::funding_uncertain(p, week) == expected);
  }
}

TEST_CASE("programme support: the departure hazard rises only above the reference load") {
  lwp::Parameters p{};
  CHECK(lwp::support_factor(p) == 1.0);  // the Deep End's ratio
  p.support_clps_per_manager = 3.5;
  CHECK(lwp::support_factor(p) == 1.0);  // more support than the reference does not lower it
  p.support_clps_per_manager = 14.0;
  p.support_departure_effect = 0.5;
  CHECK(lwp::support_factor(p) == Approx(1.5));
  CHECK(lwp::clp_hazard(p, 10) == Approx(1.5 * p.clp_departure_hazard));
}

TEST_CASE(
    "with no funding cycle a CLP's leaving week is the constant-hazard draw, and uncertainty brings it "
    "forward") {
  lwp::Parameters p{};
  p.clp_departure_hazard = 0.01;
  int earlier = 0;
  for (std::uint32_t r = 0; r < 2000; ++r) {
    const lwp::Draws draws{{5, r}, nullptr};
    sim::Stream a = draws.stream(0, 0, lwp::Purpose::clp_departure);
    sim::Stream b = draws.stream(0, 0, lwp::Purpose::clp_departure);
    const int tenure = lwp::weeks_until(a, 0.01);
    const int leave = lwp::clp_leave_week(b, p, 10);
    CHECK(leave == (tenure == lwp::kNever ? lwp::kNever : 10 + tenure));

    lwp::Parameters cycles = p;
    cycles.funding_cycle_weeks = 52;
    cycles.funding_first_renewal_week = 52;
    cycles.funding_uncertainty_weeks = 13;
    cycles.funding_departure_multiplier = 4.0;
    sim::Stream c = draws.stream(0, 0, lwp::Purpose::clp_departure);
    const int with_cycles = lwp::clp_leave_week(c, cycles, 10);
    // The same unit exponential: a hazard never lower makes the CLP leave no later.
    CHECK(with_cycles <= leave + 1);
    earlier += with_cycles < leave ? 1 : 0;
  }
  CHECK(earlier > 100);
}

TEST_CASE("a good team absorbs part of the engagement lost when the CLP changes") {
  lwp::Parameters params{};
  params.clp_momentum_shock = 0.3;
  params.team_shock_buffer = 0.5;
  for (double q : {0.0, 0.4, 1.0}) {
    lwp::Practice practice = make_practice(params);
    practice.team_quality = q;
    const lwp::Practice before = practice;
    lwp::lose_momentum(practice, params);
    const double kept = 1.0 - 0.3 * (1.0 - 0.5 * q);
    for (int i = 0; i < practice.staff.count; ++i) {
      INFO("team quality " << q << ", staff " << i);
      CHECK(practice.staff.engagement[at(i)] == Approx(kept * before.staff.engagement[at(i)]).margin(1e-12));
      CHECK(practice.staff.understanding[at(i)] == before.staff.understanding[at(i)]);
    }
  }
}
