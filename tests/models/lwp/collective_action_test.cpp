// Collective action (models/lwp/collective_action.cpp). Chng 2021: in FIPs the CLP's work is
// balanced across patient support, practice development and community networking; in PIPs
// practice development is constrained and the CLP is pushed into one-to-one patient support.
// Skivington 2018: case management is time-consuming.

#include <algorithm>
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

TEST_CASE("patient-support demand crowds out practice development") {
  const lwp::Parameters params{};
  const double total = params.clp_hours_per_week;
  // 100 patients ask 60 hours a week of one-to-one support: more than the CLP's 35.
  lwp::Practice practice = practice_with(params, 1.0, 1.0, 100, 1.0);
  lwp::allocate_clp_hours(practice, params);
  CHECK(practice.hours[0] == total);
  CHECK(practice.hours[1] == 0.0);
  CHECK(practice.hours[2] == 0.0);

  // More demand never gives practice development more hours, whatever room the leadership make.
  for (double s : {0.2, 0.6, 1.0}) {
    double development = total;
    for (std::uint32_t active = 0; active <= 80; ++active) {
      lwp::Practice p = practice_with(params, s, 0.9, active, 0.8);
      lwp::allocate_clp_hours(p, params);
      CHECK(p.hours[1] <= development);
      CHECK(p.hours[0] >= std::min(total, active * params.patient_support_hours) - 1e-9);
      development = p.hours[1];
    }
  }
}

TEST_CASE("a practice that makes no room pushes the CLP into one-to-one patient support") {
  const lwp::Parameters params{};
  for (std::uint32_t active : {0U, 3U, 30U}) {
    for (double core_engagement : {0.0, 1.0}) {
      // Shared understanding 0 (or a disengaged core) leaves no room.
      lwp::Practice practice =
          practice_with(params, core_engagement > 0.0 ? 0.0 : 1.0, core_engagement, active, 1.0);
      lwp::allocate_clp_hours(practice, params);
      CHECK(practice.hours[0] == params.clp_hours_per_week);
      CHECK(practice.hours[1] == 0.0);
      CHECK(practice.hours[2] == 0.0);
    }
  }
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
    "with a light caseload the CLP's split meets the target shares when the leadership make room for the "
    "non-support share") {
  // Room S x core engagement = 1 - target patient-support share, a skilled CLP and no demand:
  // the hours the practice does not make room for go to patient support, the room is shared
  // between development and networking in their target proportion.
  const lwp::Parameters params{};
  const double room = 1.0 - params.clp_target_share_patient_support;
  lwp::Practice practice = practice_with(params, room, 1.0, 0, 1.0);
  lwp::allocate_clp_hours(practice, params);
  const double total = params.clp_hours_per_week;
  CHECK(practice.hours[0] / total == Approx(params.clp_target_share_patient_support).margin(1e-12));
  CHECK(practice.hours[1] / total == Approx(params.clp_target_share_practice_development).margin(1e-12));
  CHECK(practice.hours[2] / total == Approx(params.clp_target_share_community_networking).margin(1e-12));
  CHECK(lwp::role_balance(practice.hours, params) == Approx(1.0).margin(1e-12));
}

TEST_CASE(
    "with an empty caseload and the leadership making full room the CLP's split approaches the target "
    "shares") {
  // S x core engagement = 1, a fully skilled CLP, nobody on the caseload. A balanced role is the
  // FIP pattern; the claim is that each share is within 0.1 of its target and that the role
  // balance counts towards normalisation (at least score.action_threshold).
  const lwp::Parameters params{};
  lwp::Practice practice = practice_with(params, 1.0, 1.0, 0, 1.0);
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
    "staff refer at a rate that grows with engagement, understanding and list size, and only to a CLP in "
    "post") {
  const lwp::Parameters params{};
  lwp::Practice practice = make_practice(params);
  double weighted = 0.0;
  double weights = 0.0;
  for (int i = 0; i < practice.staff.count; ++i) {
    weighted += practice.staff.referral_weight[at(i)] * practice.staff.engagement[at(i)] *
                practice.staff.understanding[at(i)];
    weights += practice.staff.referral_weight[at(i)];
  }
  const double mean = params.referral_rate_per_1000 * practice.list_size / 1000.0 * weighted / weights;
  const int weeks = 4000;
  std::uint64_t referred = 0;
  for (int week = 0; week < weeks; ++week) {
    lwp::Practice p = practice;
    lwp::referrals(p, params, week_context(14, 0, 0, week));
    CHECK(p.clp.caseload[0] == p.referrals_this_week);
    referred += p.referrals_this_week;
  }
  // Poisson counts over 4000 weeks: the mean has standard error sqrt(mean / 4000); allow 4.
  CHECK(std::fabs(static_cast<double>(referred) / weeks - mean) <= 4.0 * std::sqrt(mean / weeks));

  int without = 0;
  for (int week = 0; week < 200; ++week) {
    lwp::Practice disengaged = practice;
    for (int i = 0; i < disengaged.staff.count; ++i) disengaged.staff.engagement[at(i)] = 0.0;
    lwp::referrals(disengaged, params, week_context(14, 0, 0, week));
    lwp::Practice vacant = practice;
    vacant.clp.in_post = false;
    lwp::referrals(vacant, params, week_context(14, 0, 0, week));
    without += static_cast<int>(disengaged.referrals_this_week + vacant.referrals_this_week);
  }
  CHECK(without == 0);
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

TEST_CASE("practice development feeds engagement and understanding back to every staff member") {
  const lwp::Parameters params{};
  lwp::Practice practice = practice_with(params, 0.5, 0.8, 0, 1.0);
  lwp::allocate_clp_hours(practice, params);
  REQUIRE(practice.hours[1] > 0.0);
  const lwp::Practice before = practice;
  lwp::practice_development(practice, params);
  const double share = practice.hours[1] / params.clp_hours_per_week;
  for (int i = 0; i < practice.staff.count; ++i) {
    const double e0 = before.staff.engagement[at(i)];
    const double u0 = before.staff.understanding[at(i)];
    CHECK(practice.staff.engagement[at(i)] ==
          Approx(e0 + params.development_engagement_effect * share * (1.0 - e0)).margin(1e-12));
    CHECK(practice.staff.understanding[at(i)] ==
          Approx(u0 + params.development_understanding_effect * share * (1.0 - u0)).margin(1e-12));
  }
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
