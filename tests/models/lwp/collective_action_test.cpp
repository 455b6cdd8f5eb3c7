// Collective action (models/lwp/collective_action.cpp). Chng 2021: in FIPs the CLP's work is
// balanced across patient support, practice development and community networking; in PIPs
// practice development is constrained and the CLP is pushed into one-to-one patient support.
// Skivington 2018: case management is time-consuming.

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <sstream>
#include <vector>

#include <catch2/catch.hpp>

#include "models/lwp/mechanisms.hpp"
#include "tests/models/lwp/practice_fixture.hpp"

using lwp_test::at;
using lwp_test::make_practice;
using lwp_test::week_context;

namespace {

/// A practice whose leadership make room `room_share` of the CLP's hours (S x core engagement),
/// with `active` patients on the caseload and a CLP of the given skill.
lwp::Practice practice_with(const lwp::Parameters& params, double shared_understanding,
                            double core_engagement, std::uint32_t active, double skill) {
  lwp::Practice practice = make_practice(params);
  practice.shared_understanding = shared_understanding;
  practice.staff.engagement[lwp::kLeadGpSlot] = core_engagement;
  practice.staff.engagement[lwp::kPracticeManagerSlot] = core_engagement;
  practice.clp.caseload[0] = active;
  practice.clp.skill = skill;
  return practice;
}

std::uint32_t active_patients(const lwp::Practice& practice) {
  return std::accumulate(practice.clp.caseload.begin(), practice.clp.caseload.end(), std::uint32_t{0});
}

std::uint32_t closed_patients(const lwp::Practice& practice) {
  return std::accumulate(practice.totals.closed_by_contacts.begin(), practice.totals.closed_by_contacts.end(),
                         std::uint32_t{0});
}

}  // namespace

TEST_CASE(
    "the room the leadership make is protected from the caseload, and more demand never gives development "
    "more hours") {
  const lwp::Parameters params{};
  const double total = params.clp_hours_per_week;
  // 100 patients ask 100 hours a week of one-to-one support: more than the CLP's 35. A practice
  // that makes full room (S x core engagement = 1, capped at the target development and
  // networking shares) keeps that room: the caseload gets the rest and waits (model v2; before,
  // demand took every hour).
  lwp::Practice practice = practice_with(params, 1.0, 1.0, 100, 1.0);
  lwp::allocate_clp_hours(practice, params);
  const double room =
      total * (params.clp_target_share_practice_development + params.clp_target_share_community_networking);
  CHECK(practice.hours[0] == Approx(total - room).margin(1e-12));
  CHECK(practice.hours[1] == Approx(total * params.clp_target_share_practice_development).margin(1e-12));
  CHECK(practice.hours[2] == Approx(total * params.clp_target_share_community_networking).margin(1e-12));

  // More demand never gives practice development more hours, whatever room the leadership make.
  for (double s : {0.2, 0.6, 1.0}) {
    double development = total;
    for (std::uint32_t active = 0; active <= 80; ++active) {
      lwp::Practice p = practice_with(params, s, 0.9, active, 0.8);
      lwp::allocate_clp_hours(p, params);
      CHECK(p.hours[1] <= development);
      // The caseload gets its demand, up to the hours outside the room (S x core engagement 0.9).
      const double targets =
          params.clp_target_share_practice_development + params.clp_target_share_community_networking;
      const double allowed = total * std::min(s * 0.9, targets);
      CHECK(p.hours[0] ==
            Approx(std::min(total - allowed, active * params.patient_support_hours)).margin(1e-9));
      development = p.hours[1];
    }
  }
}

TEST_CASE(
    "a practice that makes no room leaves its CLP with the caseload's demand, no development, and the rest "
    "networking") {
  const lwp::Parameters params{};
  const double total = params.clp_hours_per_week;
  for (std::uint32_t active : {0U, 3U, 30U, 100U}) {
    for (double core_engagement : {0.0, 1.0}) {
      // Shared understanding 0 (or a disengaged core) leaves no room.
      lwp::Practice practice =
          practice_with(params, core_engagement > 0.0 ? 0.0 : 1.0, core_engagement, active, 1.0);
      lwp::allocate_clp_hours(practice, params);
      const double demand = active * params.patient_support_hours;
      INFO("caseload " << active << ", core engagement " << core_engagement);
      CHECK(practice.hours[0] == Approx(std::min(demand, total)).margin(1e-12));
      CHECK(practice.hours[1] == 0.0);
      CHECK(practice.hours[2] == Approx(total - std::min(demand, total)).margin(1e-12));
    }
  }
}

TEST_CASE("hours the caseload does not ask for are never booked as patient support") {
  // Patient support is the demanded hours (active patients x patient.support_hours), capped by the
  // hours not protected for development and networking, whatever room the practice makes; before
  // model v2 idle hours were booked as support.
  const lwp::Parameters params{};
  const double total = params.clp_hours_per_week;
  for (std::uint32_t active : {0U, 1U, 5U, 20U, 40U}) {
    for (double s : {0.0, 0.3, 0.6, 1.0}) {
      for (double e : {0.0, 0.5, 1.0}) {
        lwp::Practice practice = practice_with(params, s, e, active, 1.0);
        lwp::allocate_clp_hours(practice, params);
        INFO("caseload " << active << ", S " << s << ", core engagement " << e);
        const double demand = active * params.patient_support_hours;
        const double targets =
            params.clp_target_share_practice_development + params.clp_target_share_community_networking;
        const double room = total * std::min(s * e, targets);
        CHECK(practice.hours[0] <= demand + 1e-12);
        CHECK(practice.hours[0] == Approx(std::min(demand, total - room)).margin(1e-12));
        CHECK(practice.totals.clp_hours[0] == practice.hours[0]);
        CHECK(practice.totals.caseload_weeks == active);
      }
    }
  }
}

TEST_CASE("without a development activity kept up the CLP's development hours go to networking") {
  const lwp::Parameters params{};
  lwp::Practice kept = practice_with(params, 1.0, 1.0, 5, 1.0);
  lwp::Practice dropped = kept;
  dropped.activities.fill(false);
  lwp::allocate_clp_hours(kept, params);
  lwp::allocate_clp_hours(dropped, params);
  REQUIRE(kept.hours[1] > 0.0);
  CHECK(dropped.hours[0] == kept.hours[0]);
  CHECK(dropped.hours[1] == 0.0);
  CHECK(dropped.hours[2] == Approx(kept.hours[1] + kept.hours[2]).margin(1e-12));
}

TEST_CASE("the CLP's hours always sum to clp.hours_per_week while in post, and are 0 without a CLP") {
  const lwp::Parameters params{};
  const double total = params.clp_hours_per_week;
  int checked = 0;
  for (std::uint32_t active : {0U, 1U, 5U, 20U, 58U, 59U, 100U, 1000U}) {
    for (double s : {0.0, 0.2, 0.5, 0.8, 1.0}) {
      for (double e : {0.0, 0.3, 1.0}) {
        for (double skill : {0.3, 0.7, 1.0}) {
          lwp::Practice practice = practice_with(params, s, e, active, skill);
          lwp::allocate_clp_hours(practice, params);
          const double sum = practice.hours[0] + practice.hours[1] + practice.hours[2];
          CHECK(sum == Approx(total).margin(1e-9));
          for (double h : practice.hours) CHECK(h >= 0.0);
          CHECK(practice.totals.clp_hours_available == total);
          ++checked;

          lwp::Practice vacant = practice_with(params, s, e, active, skill);
          vacant.clp.in_post = false;
          lwp::allocate_clp_hours(vacant, params);
          for (double h : vacant.hours) CHECK(h == 0.0);
          CHECK(vacant.totals.clp_hours_available == 0.0);
          for (double h : vacant.totals.clp_hours) CHECK(h == 0.0);
        }
      }
    }
  }
  CHECK(checked == 8 * 5 * 3 * 3);
}

TEST_CASE(
    "with a caseload asking for the target support share the CLP's split meets the target shares when the "
    "leadership make room for the non-support share") {
  // Room S x core engagement = 1 - target patient-support share, and 10 patients asking exactly the
  // target support share of the week: the room is shared between development and networking in
  // their target proportion, the caseload gets the rest.
  lwp::Parameters params{};
  params.patient_support_hours = params.clp_target_share_patient_support * params.clp_hours_per_week / 10.0;
  const double room = 1.0 - params.clp_target_share_patient_support;
  lwp::Practice practice = practice_with(params, room, 1.0, 10, 1.0);
  lwp::allocate_clp_hours(practice, params);
  const double total = params.clp_hours_per_week;
  CHECK(practice.hours[0] / total == Approx(params.clp_target_share_patient_support).margin(1e-12));
  CHECK(practice.hours[1] / total == Approx(params.clp_target_share_practice_development).margin(1e-12));
  CHECK(practice.hours[2] / total == Approx(params.clp_target_share_community_networking).margin(1e-12));
  CHECK(lwp::role_balance(practice.hours, params) == Approx(1.0).margin(1e-12));
}

TEST_CASE(
    "with a full caseload and the leadership making full room the CLP's split approaches the target "
    "shares") {
  // S x core engagement = 1, a fully skilled CLP, a caseload asking for more than the support
  // share (35 patients at patient.support_hours = 1). A balanced role is the FIP pattern; the claim
  // is that each share is within 0.1 of its target and that the role balance counts towards
  // normalisation (at least score.action_threshold).
  const lwp::Parameters params{};
  lwp::Practice practice = practice_with(params, 1.0, 1.0, 35, 1.0);
  lwp::allocate_clp_hours(practice, params);
  const double total = params.clp_hours_per_week;
  const double balance = lwp::role_balance(practice.hours, params);
  INFO("split " << practice.hours[0] / total << " / " << practice.hours[1] / total << " / "
                << practice.hours[2] / total << ", role balance " << balance);
  CHECK(std::fabs(practice.hours[0] / total - params.clp_target_share_patient_support) <= 0.1);
  CHECK(std::fabs(practice.hours[1] / total - params.clp_target_share_practice_development) <= 0.1);
  CHECK(std::fabs(practice.hours[2] / total - params.clp_target_share_community_networking) <= 0.1);
  CHECK(balance >= params.score_action_threshold);
}

TEST_CASE("making more room for the CLP never unbalances the CLP's role") {
  // At a fixed light caseload and a fully skilled CLP, raising S x core engagement should move the
  // CLP from one-to-one support towards the balanced role, never away from it.
  const lwp::Parameters params{};
  for (std::uint32_t active : {0U, 5U}) {
    std::ostringstream balances;
    int falls = 0;
    double previous = -1.0;
    for (int k = 0; k <= 20; ++k) {
      const double room = k / 20.0;
      lwp::Practice practice = practice_with(params, room, 1.0, active, 1.0);
      lwp::allocate_clp_hours(practice, params);
      const double balance = lwp::role_balance(practice.hours, params);
      balances << " " << room << ":" << balance;
      falls += balance < previous - 1e-12 ? 1 : 0;
      previous = balance;
    }
    INFO("caseload " << active << ", room:role balance" << balances.str());
    CHECK(falls == 0);
  }
}

TEST_CASE(
    "staff refer at a baseline rate plus one that grows with engagement and understanding, in proportion to "
    "list size, and only to a CLP in post") {
  const lwp::Parameters params{};
  lwp::Practice practice = make_practice(params);
  const double base = params.referral_baseline_intensity;
  const double w = params.referral_understanding_weight;
  const auto expected_mean = [&](const lwp::Practice& p) {
    double weighted = 0.0;
    double weights = 0.0;
    for (int i = 0; i < p.staff.count; ++i) {
      const double engaged = p.staff.engagement[at(i)] * (1.0 - w + w * p.staff.understanding[at(i)]);
      weighted += p.staff.referral_weight[at(i)] * (base + (1.0 - base) * engaged);
      weights += p.staff.referral_weight[at(i)];
    }
    return params.referral_rate_per_1000 * p.list_size / 1000.0 * weighted / weights;
  };
  lwp::Practice disengaged = practice;
  for (int i = 0; i < disengaged.staff.count; ++i) disengaged.staff.engagement[at(i)] = 0.0;
  const double mean = expected_mean(practice);
  const double mean_disengaged = expected_mean(disengaged);
  // A disengaged practice still refers at the baseline: GPs in deprived areas refer to a CLP in
  // the practice as to a service.
  CHECK(mean_disengaged == Approx(params.referral_rate_per_1000 * practice.list_size / 1000.0 * base));
  CHECK(mean > mean_disengaged);
  const int weeks = 4000;
  std::uint64_t referred = 0;
  std::uint64_t referred_disengaged = 0;
  int vacant_referrals = 0;
  for (int week = 0; week < weeks; ++week) {
    lwp::Practice p = practice;
    lwp::referrals(p, params, week_context(14, 0, 0, week));
    CHECK(p.clp.caseload[0] == p.referrals_this_week);
    referred += p.referrals_this_week;
    lwp::Practice d = disengaged;
    lwp::referrals(d, params, week_context(14, 0, 0, week));
    referred_disengaged += d.referrals_this_week;
    // Under common random numbers a more engaged practice never refers fewer patients.
    CHECK(p.referrals_this_week >= d.referrals_this_week);
    lwp::Practice vacant = practice;
    vacant.clp.in_post = false;
    lwp::referrals(vacant, params, week_context(14, 0, 0, week));
    vacant_referrals += static_cast<int>(vacant.referrals_this_week);
  }
  // Poisson counts over 4000 weeks: the mean has standard error sqrt(mean / 4000); allow 4.
  CHECK(std::fabs(static_cast<double>(referred) / weeks - mean) <= 4.0 * std::sqrt(mean / weeks));
  CHECK(std::fabs(static_cast<double>(referred_disengaged) / weeks - mean_disengaged) <=
        4.0 * std::sqrt(mean_disengaged / weeks));
  CHECK(vacant_referrals == 0);
}

TEST_CASE(
    "a week of CLP contacts neither loses nor creates patients, and a patient gains at most one contact") {
  const lwp::Parameters params{};
  const auto max_contacts = static_cast<int>(params.patient_max_contacts);
  for (int week = 0; week < 50; ++week) {
    lwp::Practice practice = practice_with(params, 0.5, 0.8, 0, 0.8);
    for (int k = 0; k < max_contacts; ++k)
      practice.clp.caseload[at(k)] = static_cast<std::uint32_t>((k * 3 + week) % 7);
    const lwp::Practice before = practice;
    lwp::allocate_clp_hours(practice, params);
    lwp::patient_contacts(practice, params, week_context(40, 0, 0, week));
    CHECK(active_patients(practice) + closed_patients(practice) +
              static_cast<std::uint32_t>(practice.pending_links) ==
          active_patients(before) + closed_patients(before));
    // Patients only gain contacts, one at most: those with at most k contacts afterwards were among
    // those with at most k before, and those with more than k + 1 afterwards had more than k before.
    for (int k = 0; k < max_contacts; ++k) {
      std::uint32_t after_at_most = 0;
      std::uint32_t before_at_most = 0;
      std::uint32_t after_beyond_next = 0;
      std::uint32_t before_beyond = 0;
      for (int j = 0; j < max_contacts; ++j) {
        after_at_most += j <= k ? practice.clp.caseload[at(j)] : 0U;
        before_at_most += j <= k ? before.clp.caseload[at(j)] : 0U;
        after_beyond_next += j > k + 1 ? practice.clp.caseload[at(j)] : 0U;
        before_beyond += j > k ? before.clp.caseload[at(j)] : 0U;
      }
      CHECK(after_at_most <= before_at_most);
      CHECK(after_beyond_next <= before_beyond);
    }
  }
}

TEST_CASE(
    "practice development feeds engagement back through staff wellbeing and shared learning, and "
    "understanding through shared learning and community information, to every staff member") {
  // Each activity kept up gets an equal part of the development hours; wellbeing and shared
  // learning raise engagement, shared learning and community information raise understanding.
  const lwp::Parameters params{};
  using lwp::Activity;
  struct Case {
    std::array<bool, lwp::kActivityCount> kept;  // wellbeing, community information, shared learning
    double engaging;                             // activities kept that raise engagement
    double informing;                            // activities kept that raise understanding
  };
  const Case cases[] = {
      {{true, true, true}, 2.0, 2.0},   {{true, false, false}, 1.0, 0.0}, {{false, true, false}, 0.0, 1.0},
      {{false, false, true}, 1.0, 1.0}, {{true, true, false}, 1.0, 1.0},
  };
  for (const Case& c : cases) {
    lwp::Practice practice = practice_with(params, 0.5, 0.8, 5, 1.0);
    practice.activities = c.kept;
    lwp::allocate_clp_hours(practice, params);
    REQUIRE(practice.hours[1] > 0.0);
    const lwp::Practice before = practice;
    lwp::practice_development(practice, params);
    const double share_each =
        practice.hours[1] / params.clp_hours_per_week / static_cast<double>(lwp::activities_kept(before));
    for (int i = 0; i < practice.staff.count; ++i) {
      INFO("activities " << c.kept[0] << c.kept[1] << c.kept[2] << ", staff " << i);
      const double e0 = before.staff.engagement[at(i)];
      const double u0 = before.staff.understanding[at(i)];
      CHECK(practice.staff.engagement[at(i)] ==
            Approx(e0 + params.development_engagement_effect * share_each * c.engaging * (1.0 - e0))
                .margin(1e-12));
      CHECK(practice.staff.understanding[at(i)] ==
            Approx(u0 + params.development_understanding_effect * share_each * c.informing * (1.0 - u0))
                .margin(1e-12));
    }
  }
}

TEST_CASE(
    "development activities start with the programme, are dropped without commitment and taken up again with "
    "it") {
  lwp::Parameters params{};
  params.activity_drop_rate = 0.1;
  params.activity_restart_rate = 0.05;
  params.activity_commitment_needed = 0.25;
  // No commitment (shared understanding 0): every activity is dropped at activity.drop_rate a week,
  // and none is taken up again. Over 60 weeks an activity survives with probability 0.9^60 = 0.002.
  int kept_after = 0;
  int dropped_weeks = 0;
  const int runs = 100;
  for (std::uint32_t r = 0; r < static_cast<std::uint32_t>(runs); ++r) {
    lwp::Practice practice = make_practice(params);
    practice.shared_understanding = 0.0;
    int previous = lwp::activities_kept(practice);
    REQUIRE(previous == 3);
    for (int week = 0; week < 60; ++week) {
      lwp::development_activities(practice, params, week_context(17, r, 0, week));
      const int kept = lwp::activities_kept(practice);
      CHECK(kept <= previous);  // nothing restarts without commitment
      previous = kept;
    }
    kept_after += previous;
    // Weeks until the first drop of activity 0: geometric with p = 0.1.
    lwp::Practice first = make_practice(params);
    first.shared_understanding = 0.0;
    for (int week = 0; week < 500 && first.activities[0]; ++week) {
      lwp::development_activities(first, params, week_context(18, r, 0, week));
      ++dropped_weeks;
    }
  }
  CHECK(kept_after <= 5);  // expected 0.6 of 300
  // Mean weeks to a drop 1 / 0.1 = 10 (sd 9.5): the mean of 100 is within 4 standard errors.
  CHECK(std::fabs(dropped_weeks / static_cast<double>(runs) - 10.0) <= 4.0 * 9.5 / 10.0);

  // Full commitment (S = 1, core engagement 1, no load): nothing is dropped, and dropped activities
  // come back at activity.restart_rate a week.
  int restarted = 0;
  for (std::uint32_t r = 0; r < static_cast<std::uint32_t>(runs); ++r) {
    lwp::Practice practice = make_practice(params);
    practice.shared_understanding = 1.0;
    practice.staff.engagement[lwp::kLeadGpSlot] = 1.0;
    practice.staff.engagement[lwp::kPracticeManagerSlot] = 1.0;
    practice.attention_load = 0.0;
    REQUIRE(lwp::commitment(practice, params) >= params.activity_commitment_needed);
    lwp::Practice full = practice;
    for (int week = 0; week < 60; ++week)
      lwp::development_activities(full, params, week_context(19, r, 0, week));
    CHECK(lwp::activities_kept(full) == 3);
    practice.activities.fill(false);
    for (int week = 0; week < 20; ++week) {
      const int before = lwp::activities_kept(practice);
      lwp::development_activities(practice, params, week_context(19, r, 0, week));
      CHECK(lwp::activities_kept(practice) >= before);
    }
    restarted += lwp::activities_kept(practice);
  }
  // Each of 300 activities restarts within 20 weeks with probability 1 - 0.95^20 = 0.64: mean 192,
  // sd 8.3; allow 4 standard deviations.
  CHECK(std::abs(restarted - 192) <= 34);

  // A practice whose programme starts later tries all three activities when it starts.
  lwp::Practice later = make_practice(params);
  later.programme_start = 30;
  later.activities.fill(false);
  later.shared_understanding = 0.0;
  lwp::development_activities(later, params, week_context(20, 0, 0, 29));
  CHECK(lwp::activities_kept(later) == 0);
  params.activity_drop_rate = 0.0;
  lwp::development_activities(later, params, week_context(20, 0, 0, 30));
  CHECK(lwp::activities_kept(later) == 3);
}

TEST_CASE("community networking strengthens the CLP's ties, which decay unless maintained") {
  const lwp::Parameters params{};
  lwp::Practice networking = practice_with(params, 1.0, 1.0, 0, 1.0);
  lwp::allocate_clp_hours(networking, params);
  REQUIRE(networking.hours[2] > 0.0);
  lwp::Practice idle = networking;
  idle.hours = {params.clp_hours_per_week, 0.0, 0.0};
  const lwp::Practice before = networking;
  lwp::community_networking(networking, params);
  lwp::community_networking(idle, params);
  for (int o = 0; o < before.clp.organisations; ++o) {
    const double t0 = before.clp.ties[at(o)];
    CHECK(networking.clp.ties[at(o)] > t0);
    CHECK(idle.clp.ties[at(o)] == Approx((1.0 - params.clp_tie_decay) * t0).margin(1e-12));
  }
}
