// Reflexive monitoring (models/lwp/monitoring.cpp). Chng 2021: underdeveloped in both FIPs and
// PIPs; an appraisal comes from the practice's state (someone engaged, the information about
// community organisations kept up, referrals flowing), and what it sees (links made for the
// patients ready to move on) moves engagement and protected time.

#include <cmath>

#include <catch2/catch.hpp>

#include "models/lwp/mechanisms.hpp"
#include "tests/models/lwp/practice_fixture.hpp"

using lwp_test::at;
using lwp_test::make_practice;
using lwp_test::week_context;

namespace {

/// The fixture's practice, ready to appraise: a fully engaged core (lead GP and practice manager),
/// referrals flowing above score.referral_flow_min and the community information activity kept up.
lwp::Practice monitoring_practice(const lwp::Parameters& params) {
  lwp::Practice practice = make_practice(params);
  practice.staff.engagement[lwp::kLeadGpSlot] = 1.0;
  practice.staff.engagement[lwp::kPracticeManagerSlot] = 1.0;
  practice.referral_flow = params.score_referral_flow_min + 1.0;
  return practice;
}

/// Runs weeks 0..week-1 of history with `ready` patients ready to move on and `linked` links a
/// week, without appraisals, then appraises at `week` with the same counts.
lwp::Practice appraised(std::uint32_t ready, std::uint32_t linked, lwp::Parameters params, int week,
                        double protected_time) {
  lwp::Practice practice = monitoring_practice(params);
  practice.protected_time = protected_time;
  const double rate = params.monitoring_appraisal_rate;
  params.monitoring_appraisal_rate = 0.0;
  for (int w = 0; w < week; ++w) {
    practice.ready_this_week = ready;
    practice.links_this_week = linked;
    lwp::reflexive_monitoring(practice, params, week_context(3, 0, 0, w));
  }
  REQUIRE(practice.totals.appraisals == 0);
  params.monitoring_appraisal_rate = rate;
  practice.ready_this_week = ready;
  practice.links_this_week = linked;
  lwp::reflexive_monitoring(practice, params, week_context(3, 0, 0, week));
  return practice;
}

}  // namespace

TEST_CASE("a successful appraisal raises engagement and protected time") {
  lwp::Parameters params{};
  params.monitoring_appraisal_rate = 1.0;
  const lwp::Practice before = monitoring_practice(params);
  // 10 patients ready to move on and 5 links a week: half linked, above the target share of 0.3.
  const lwp::Practice after = appraised(10, 5, params, 20, 0.5);
  CHECK(after.totals.appraisals == 1);
  CHECK(after.last_appraisal_week == 20);
  CHECK(after.protected_time == Approx(0.5 + params.monitoring_protected_time_step));
  for (int i = 0; i < before.staff.count; ++i) {
    const double e0 = before.staff.engagement[at(i)];
    if (e0 < 1.0) CHECK(after.staff.engagement[at(i)] > e0);  // (the fully engaged core stays at 1)
    CHECK(after.staff.engagement[at(i)] ==
          Approx(e0 + params.monitoring_engagement_effect * (1.0 - e0)).margin(1e-12));
  }
}

TEST_CASE("a failed appraisal lowers engagement and protected time") {
  lwp::Parameters params{};
  params.monitoring_appraisal_rate = 1.0;
  const lwp::Practice before = monitoring_practice(params);
  // 10 patients ready to move on and 1 link a week: a tenth linked, below the target share of 0.3.
  const lwp::Practice after = appraised(10, 1, params, 20, 0.5);
  CHECK(after.totals.appraisals == 1);
  CHECK(after.protected_time == Approx(0.5 - params.monitoring_protected_time_step));
  for (int i = 0; i < before.staff.count; ++i) {
    const double e0 = before.staff.engagement[at(i)];
    CHECK(after.staff.engagement[at(i)] < e0);
    CHECK(after.staff.engagement[at(i)] ==
          Approx(e0 * (1.0 - params.monitoring_engagement_effect)).margin(1e-12));
  }
}

TEST_CASE("an appraisal judges only the patients ready to move on and the links of the monitoring window") {
  // Many links long ago and none in the window: a failure.
  lwp::Parameters params{};
  params.monitoring_appraisal_rate = 0.0;
  lwp::Practice practice = monitoring_practice(params);
  practice.protected_time = 0.5;
  const int window = static_cast<int>(params.monitoring_window_weeks);
  const int week = 3 * window;
  for (int w = 0; w < week; ++w) {
    const bool in_window = w > week - window;
    practice.ready_this_week = 10;
    practice.links_this_week = in_window ? 0 : 10;
    lwp::reflexive_monitoring(practice, params, week_context(3, 0, 0, w));
  }
  params.monitoring_appraisal_rate = 1.0;
  practice.ready_this_week = 10;
  practice.links_this_week = 0;
  lwp::reflexive_monitoring(practice, params, week_context(3, 0, 0, week));
  CHECK(practice.protected_time == Approx(0.5 - params.monitoring_protected_time_step));
}

TEST_CASE("protected time stays between 0 and 1 whatever the appraisals say") {
  lwp::Parameters params{};
  params.monitoring_appraisal_rate = 1.0;
  CHECK(appraised(10, 5, params, 5, 0.97).protected_time == 1.0);
  CHECK(appraised(10, 0, params, 5, 0.03).protected_time == 0.0);
}

TEST_CASE("with an appraisal rate of 0 a practice never appraises the programme") {
  lwp::Parameters params{};
  params.monitoring_appraisal_rate = 0.0;
  const lwp::Practice after = appraised(10, 5, params, 200, 0.5);
  CHECK(after.totals.appraisals == 0);
  CHECK(after.protected_time == 0.5);
}

TEST_CASE("an appraisal with nobody ready to move on in its window changes nothing") {
  lwp::Parameters params{};
  params.monitoring_appraisal_rate = 1.0;
  const lwp::Practice before = monitoring_practice(params);
  const lwp::Practice after = appraised(0, 0, params, 20, 0.5);
  CHECK(after.totals.appraisals == 1);  // the practice looked...
  CHECK(after.protected_time == 0.5);   // ...and found nothing to judge
  for (int i = 0; i < before.staff.count; ++i)
    CHECK(after.staff.engagement[at(i)] == before.staff.engagement[at(i)]);
}

TEST_CASE("an appraisal is judged against the patients ready to move on, not against referrals") {
  // A long waiting list (30 referrals a week) but every patient the CLP saw through was linked:
  // linking works, and the appraisal is a success.
  lwp::Parameters params{};
  params.monitoring_appraisal_rate = 1.0;
  lwp::Practice practice = monitoring_practice(params);
  practice.protected_time = 0.5;
  for (int w = 0; w <= 20; ++w) {
    practice.referrals_this_week = 30;
    practice.ready_this_week = 2;
    practice.links_this_week = 2;
    lwp::reflexive_monitoring(practice, params, week_context(3, 0, 0, w));
  }
  CHECK(practice.totals.appraisals == 21);
  CHECK(practice.protected_time == 1.0);  // five successes at step 0.1 reach the cap
}

TEST_CASE("an appraisal needs the community information activity kept up and referrals flowing") {
  lwp::Parameters params{};
  params.monitoring_appraisal_rate = 1.0;
  lwp::Practice uninformed = monitoring_practice(params);
  uninformed.activities[static_cast<std::size_t>(lwp::Activity::community_information)] = false;
  lwp::Practice no_flow = monitoring_practice(params);
  no_flow.referral_flow = 0.5 * params.score_referral_flow_min;
  lwp::Practice both = monitoring_practice(params);
  for (int w = 0; w < 30; ++w) {
    for (lwp::Practice* p : {&uninformed, &no_flow, &both}) {
      p->ready_this_week = 10;
      p->links_this_week = 5;
      lwp::reflexive_monitoring(*p, params, week_context(3, 0, 0, w));
    }
  }
  CHECK(uninformed.totals.appraisals == 0);
  CHECK(no_flow.totals.appraisals == 0);
  CHECK(both.totals.appraisals == 30);
}

TEST_CASE("the weekly chance of an appraisal is monitoring.appraisal_rate x core engagement") {
  lwp::Parameters params{};
  params.monitoring_appraisal_rate = 0.4;
  params.leadership_lead_gp_weight = 0.5;
  lwp::Practice practice = monitoring_practice(params);
  practice.staff.engagement[lwp::kLeadGpSlot] = 0.6;
  practice.staff.engagement[lwp::kPracticeManagerSlot] = 0.2;  // core engagement 0.4
  const double p = 0.4 * 0.4;
  const int n = 5000;
  for (int w = 0; w < n; ++w) {
    practice.ready_this_week = 0;  // nothing to judge: appraisals change nothing, the core stays put
    practice.links_this_week = 0;
    lwp::reflexive_monitoring(practice, params, week_context(5, 0, 0, w));
  }
  // Binomial count over 5000 independent weeks: within 4 standard errors of n p.
  CHECK(std::fabs(practice.totals.appraisals - n * p) <= 4.0 * std::sqrt(n * p * (1.0 - p)));
}

TEST_CASE(
    "with monitoring.state_dependence 0 the appraisal rate is a constant, whatever the practice's state") {
  // The switch for model choice: d = 0 is model v1's constant weekly rate; d = 0.5 mixes the two.
  lwp::Parameters params{};
  params.monitoring_appraisal_rate = 1.0;
  params.monitoring_state_dependence = 0.0;
  lwp::Practice uninformed = monitoring_practice(params);
  uninformed.activities[static_cast<std::size_t>(lwp::Activity::community_information)] = false;
  uninformed.referral_flow = 0.0;
  uninformed.staff.engagement[lwp::kLeadGpSlot] = 0.0;
  uninformed.staff.engagement[lwp::kPracticeManagerSlot] = 0.0;
  lwp::Practice half = uninformed;
  lwp::Parameters mixed = params;
  mixed.monitoring_state_dependence = 0.5;
  mixed.monitoring_appraisal_rate = 0.5;  // p = 0.5 x (0.5 x 0 + 0.5) = 0.25
  const int n = 4000;
  for (int w = 0; w < n; ++w) {
    for (lwp::Practice* p : {&uninformed, &half}) {
      p->ready_this_week = 0;  // nothing to judge: appraisals change nothing
      p->links_this_week = 0;
    }
    lwp::reflexive_monitoring(uninformed, params, week_context(3, 0, 0, w));
    lwp::reflexive_monitoring(half, mixed, week_context(4, 0, 0, w));
  }
  CHECK(uninformed.totals.appraisals == static_cast<std::uint64_t>(n));
  // Binomial(4000, 0.25): mean 1000, sd 27.4; four of them.
  CHECK(std::abs(static_cast<double>(half.totals.appraisals) - 1000.0) < 4.0 * 27.4);
}
