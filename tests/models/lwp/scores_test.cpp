// Scores and classification (models/lwp/scores.cpp): weekly NPT construct scores, normalisation
// after W consecutive weeks above all three thresholds, FIP/PIP from the final evaluation window.

#include <cmath>

#include <catch2/catch.hpp>

#include "models/lwp/mechanisms.hpp"
#include "tests/models/lwp/practice_fixture.hpp"

using lwp_test::at;
using lwp_test::make_practice;

namespace {

/// The Deep End evaluation's windows (Chng 2021), final phase P4.
lwp::Setup deep_end_windows() {
  lwp::Setup setup;
  setup.horizon_weeks = 104;
  setup.phases = {{"P1", 0, 13}, {"P2", 30, 52}, {"P3", 61, 69}, {"P4", 83, 104}};
  setup.final_phase = 3;
  return setup;
}

/// Hours at the target shares.
std::array<double, 3> target_hours(const lwp::Parameters& params) {
  const double total = params.clp_hours_per_week;
  return {total * params.clp_target_share_patient_support,
          total * params.clp_target_share_practice_development,
          total * params.clp_target_share_community_networking};
}

/// A practice whose C, CP and CA are all well above their thresholds this week.
lwp::Practice thriving(const lwp::Parameters& params) {
  lwp::Practice practice = make_practice(params);
  practice.shared_understanding = 0.9;
  for (int i = 0; i < practice.staff.count; ++i) practice.staff.engagement[at(i)] = 0.9;
  practice.hours = target_hours(params);
  practice.referrals_this_week = 5;
  practice.referral_flow = 5.0;
  return practice;
}

}  // namespace

TEST_CASE("role balance is 1 at the target shares and lower away from them") {
  const lwp::Parameters params{};
  const double total = params.clp_hours_per_week;
  CHECK(lwp::role_balance(target_hours(params), params) == Approx(1.0).margin(1e-12));
  // All one-to-one support: the PIP pattern.
  CHECK(lwp::role_balance({total, 0.0, 0.0}, params) < 1.0);
  // Hours not worked at all count against the balance.
  CHECK(lwp::role_balance({0.0, 0.0, 0.0}, params) == 0.0);
  // Moving any amount of hours between activities lowers the balance, the more the further.
  const auto target = target_hours(params);
  for (std::size_t from = 0; from < 3; ++from) {
    for (std::size_t to = 0; to < 3; ++to) {
      if (from == to) continue;
      double previous = 1.0;
      for (double moved : {0.5, 2.0, 5.0, 8.0}) {
        std::array<double, 3> hours = target;
        hours[from] -= moved;
        hours[to] += moved;
        const double balance = lwp::role_balance(hours, params);
        CHECK(balance < previous);
        CHECK(balance >= 0.0);
        previous = balance;
      }
    }
  }
  // Fewer hours worked at the same proportions also lowers it.
  std::array<double, 3> part_time = target;
  for (double& h : part_time) h *= 0.8;
  CHECK(lwp::role_balance(part_time, params) < 1.0);
}

TEST_CASE("normalisation needs W consecutive weeks above all three thresholds") {
  const lwp::Parameters params{};
  const lwp::Setup setup = deep_end_windows();
  const int w = static_cast<int>(params.classification_window_weeks);
  REQUIRE(w > 1);

  lwp::Practice practice = thriving(params);
  for (int week = 0; week < w - 1; ++week) {
    lwp::score_week(practice, params, setup, week, 1.0);
    CHECK(practice.coherence >= params.score_coherence_threshold);
    CHECK(practice.participation >= params.score_participation_threshold);
    CHECK(practice.action >= params.score_action_threshold);
    CHECK_FALSE(practice.normalised);
  }
  lwp::score_week(practice, params, setup, w - 1, 1.0);
  CHECK(practice.normalised);
  CHECK(practice.first_normalised_week == w - 1);
  CHECK(practice.weeks_normalised == 1);

  // One week below any one threshold starts the count again.
  enum class Dip { coherence, participation, action };
  for (Dip dip : {Dip::coherence, Dip::participation, Dip::action}) {
    lwp::Practice p = practice;
    const lwp::Practice healthy = p;
    int week = 20;
    switch (dip) {
      case Dip::coherence: p.shared_understanding = 0.5 * params.score_coherence_threshold; break;
      case Dip::participation:
        for (int i = 0; i < p.staff.count; ++i) p.staff.engagement[at(i)] = 0.0;
        p.formal_recency = 0.0;
        break;
      case Dip::action: p.hours = {params.clp_hours_per_week, 0.0, 0.0}; break;
    }
    lwp::score_week(p, params, setup, week++, 0.0);
    CHECK_FALSE(p.normalised);
    CHECK(p.weeks_above == 0);
    // Back above the thresholds: W more weeks are needed.
    p.shared_understanding = healthy.shared_understanding;
    p.staff.engagement = healthy.staff.engagement;
    p.hours = healthy.hours;
    for (int k = 0; k < w - 1; ++k) {
      lwp::score_week(p, params, setup, week++, 1.0);
      CHECK_FALSE(p.normalised);
    }
    lwp::score_week(p, params, setup, week, 1.0);
    CHECK(p.normalised);
    CHECK(p.first_normalised_week == w - 1);  // the first time is kept
  }
}

TEST_CASE("collective action is 0 without a CLP in post or without a flow of referrals") {
  const lwp::Parameters params{};
  const lwp::Setup setup = deep_end_windows();
  lwp::Practice vacant = thriving(params);
  vacant.clp.in_post = false;
  lwp::score_week(vacant, params, setup, 0, 1.0);
  CHECK(vacant.action == 0.0);

  lwp::Practice no_referrals = thriving(params);
  no_referrals.referrals_this_week = 0;
  no_referrals.referral_flow = 0.0;
  lwp::score_week(no_referrals, params, setup, 0, 1.0);
  CHECK(no_referrals.action == 0.0);
  CHECK_FALSE(no_referrals.normalised);
}

TEST_CASE("classify_integration uses classification.final_share of the final phase") {
  lwp::Parameters params{};
  lwp::Setup setup = deep_end_windows();
  // P4 = weeks 83..104: 22 weeks. At the default final share 0.5 a FIP is normalised in 11.
  lwp::Practice practice = make_practice(params);
  const lwp::Phase& p4 = setup.phases[3];
  const int weeks = p4.last_week - p4.first_week + 1;
  const auto needed = [&](double share) { return static_cast<int>(std::ceil(share * weeks)); };
  for (double share : {0.25, 0.5, 0.75, 1.0}) {
    params.classification_final_share = share;
    practice.final_window_normalised = needed(share);
    CHECK(lwp::classify_integration(practice, params, setup));
    practice.final_window_normalised = needed(share) - 1;
    CHECK_FALSE(lwp::classify_integration(practice, params, setup));
  }
  // A practice never normalised in the final window is a PIP even at a final share of 0.
  params.classification_final_share = 0.0;
  practice.final_window_normalised = 0;
  CHECK_FALSE(lwp::classify_integration(practice, params, setup));

  // The final phase is the one the scenario names, not the last: P2 = weeks 30..52, 23 weeks.
  params.classification_final_share = 0.5;
  setup.final_phase = 1;
  practice.final_window_normalised = 12;
  CHECK(lwp::classify_integration(practice, params, setup));
  practice.final_window_normalised = 11;
  CHECK_FALSE(lwp::classify_integration(practice, params, setup));
}

TEST_CASE("only weeks normalised inside the final window count towards the classification") {
  const lwp::Parameters params{};
  lwp::Setup setup = deep_end_windows();
  lwp::Practice practice = thriving(params);
  for (int week = 0; week <= setup.horizon_weeks; ++week) lwp::score_week(practice, params, setup, week, 1.0);
  const int w = static_cast<int>(params.classification_window_weeks);
  CHECK(practice.weeks_normalised == setup.horizon_weeks + 1 - (w - 1));
  CHECK(practice.final_window_normalised == 22);  // every week of P4 (83..104)
  CHECK(lwp::classify_integration(practice, params, setup));
  // Each phase's score sums cover exactly the phase's weeks.
  for (std::size_t ph = 0; ph < setup.phases.size(); ++ph) {
    CHECK(practice.totals.phase_weeks[ph] == setup.phases[ph].last_week - setup.phases[ph].first_week + 1);
  }

  // Normalised throughout, but only until P4 begins: a PIP.
  lwp::Practice faded = thriving(params);
  for (int week = 0; week <= setup.horizon_weeks; ++week) {
    if (week == setup.phases[3].first_week) faded.shared_understanding = 0.0;
    lwp::score_week(faded, params, setup, week, 1.0);
  }
  CHECK(faded.final_window_normalised == 0);
  CHECK(faded.first_normalised_week == w - 1);
  CHECK_FALSE(lwp::classify_integration(faded, params, setup));
}
