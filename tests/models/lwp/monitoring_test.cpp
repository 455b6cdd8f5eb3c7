// Reflexive monitoring (models/lwp/monitoring.cpp). Chng 2021: underdeveloped in both FIPs and
// PIPs; when a practice appraises the LWP, what it sees moves engagement and protected time.

#include <catch2/catch.hpp>

#include "models/lwp/mechanisms.hpp"
#include "tests/models/lwp/practice_fixture.hpp"

using lwp_test::at;
using lwp_test::make_practice;
using lwp_test::week_context;

namespace {

/// Runs weeks 0..week-1 of history with `referred` referrals and `linked` links a week, without
/// appraisals, then appraises at `week` with the same counts.
lwp::Practice appraised(std::uint32_t referred, std::uint32_t linked, lwp::Parameters params, int week,
                        double protected_time) {
  lwp::Practice practice = make_practice(params);
  practice.protected_time = protected_time;
  const double rate = params.monitoring_appraisal_rate;
  params.monitoring_appraisal_rate = 0.0;
  for (int w = 0; w < week; ++w) {
    practice.referrals_this_week = referred;
    practice.links_this_week = linked;
    lwp::reflexive_monitoring(practice, params, week_context(3, 0, 0, w));
  }
  REQUIRE(practice.totals.appraisals == 0);
  params.monitoring_appraisal_rate = rate;
  practice.referrals_this_week = referred;
  practice.links_this_week = linked;
  lwp::reflexive_monitoring(practice, params, week_context(3, 0, 0, week));
  return practice;
}

}  // namespace

TEST_CASE("a successful appraisal raises engagement and protected time") {
  lwp::Parameters params{};
  params.monitoring_appraisal_rate = 1.0;
  const lwp::Practice before = make_practice(params);
  // 10 referrals and 5 links a week: half linked, above the target share of 0.3.
  const lwp::Practice after = appraised(10, 5, params, 20, 0.5);
  CHECK(after.totals.appraisals == 1);
  CHECK(after.last_appraisal_week == 20);
  CHECK(after.protected_time == Approx(0.5 + params.monitoring_protected_time_step));
  for (int i = 0; i < before.staff.count; ++i) {
    const double e0 = before.staff.engagement[at(i)];
    CHECK(after.staff.engagement[at(i)] > e0);
    CHECK(after.staff.engagement[at(i)] ==
          Approx(e0 + params.monitoring_engagement_effect * (1.0 - e0)).margin(1e-12));
  }
}

TEST_CASE("a failed appraisal lowers engagement and protected time") {
  lwp::Parameters params{};
  params.monitoring_appraisal_rate = 1.0;
  const lwp::Practice before = make_practice(params);
  // 10 referrals and 1 link a week: a tenth linked, below the target share of 0.3.
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

TEST_CASE("an appraisal judges only the referrals and links of the monitoring window") {
  // Many links long ago and none in the window: a failure.
  lwp::Parameters params{};
  params.monitoring_appraisal_rate = 0.0;
  lwp::Practice practice = make_practice(params);
  practice.protected_time = 0.5;
  const int window = static_cast<int>(params.monitoring_window_weeks);
  const int week = 3 * window;
  for (int w = 0; w < week; ++w) {
    const bool in_window = w > week - window;
    practice.referrals_this_week = 10;
    practice.links_this_week = in_window ? 0 : 10;
    lwp::reflexive_monitoring(practice, params, week_context(3, 0, 0, w));
  }
  params.monitoring_appraisal_rate = 1.0;
  practice.referrals_this_week = 10;
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

TEST_CASE("an appraisal with no referrals in its window changes nothing") {
  lwp::Parameters params{};
  params.monitoring_appraisal_rate = 1.0;
  const lwp::Practice before = make_practice(params);
  const lwp::Practice after = appraised(0, 0, params, 20, 0.5);
  CHECK(after.totals.appraisals == 1);  // the practice looked...
  CHECK(after.protected_time == 0.5);   // ...and found nothing to judge
  for (int i = 0; i < before.staff.count; ++i)
    CHECK(after.staff.engagement[at(i)] == before.staff.engagement[at(i)]);
}
