// Team relationships -> cognitive participation (models/lwp/participation.cpp). Chng 2021: FIP
// staff engage on the LWP in formal settings (meetings, shared learning) and informal ones (over
// coffee); PIP staff less formally and more informally.

#include <algorithm>
#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "models/lwp/mechanisms.hpp"
#include "tests/models/lwp/practice_fixture.hpp"
#include "tests/support/test_support.hpp"

using lwp_test::at;
using lwp_test::make_practice;
using lwp_test::staff_mean;
using lwp_test::week_context;

namespace {

bool same_staff_states(const lwp::Practice& a, const lwp::Practice& b) {
  for (int i = 0; i < a.staff.count; ++i) {
    if (a.staff.engagement[at(i)] != b.staff.engagement[at(i)]) return false;
    if (a.staff.understanding[at(i)] != b.staff.understanding[at(i)]) return false;
  }
  return true;
}

/// A practice ready for formal sessions: protected time 1, no competing load, a team of quality 1
/// (whose attendance and pull towards the leaders team quality does not lower).
lwp::Practice ready_practice(const lwp::Parameters& params, double shared_understanding) {
  lwp::Practice practice = make_practice(params);
  practice.team_quality = 1.0;
  practice.protected_time = 1.0;
  practice.attention_load = 0.0;
  practice.shared_understanding = shared_understanding;
  return practice;
}

}  // namespace

TEST_CASE("formal sessions need shared understanding") {
  lwp::Parameters params{};
  params.formal_session_rate = 1.0;
  params.formal_attendance = 1.0;  // a session held is a session everyone attends
  const double threshold = params.formal_understanding_threshold;
  int held = 0;
  int changed = 0;
  for (double s : {0.0, 0.5 * threshold, threshold}) {
    for (std::uint32_t r = 0; r < 50; ++r) {
      lwp::Practice practice = ready_practice(params, s);
      const lwp::Practice before = practice;
      for (int week = 0; week < 105; ++week) {
        held += lwp::formal_session(practice, params, week_context(4, r, 0, week)) > 0.0 ? 1 : 0;
      }
      changed += same_staff_states(practice, before) ? 0 : 1;
      CHECK(practice.totals.engagement_gain_formal == 0.0);
    }
  }
  CHECK(held == 0);
  CHECK(changed == 0);
}

TEST_CASE(
    "with full shared understanding, protected time and no load, a weekly session rate of 1 holds a session "
    "every week") {
  lwp::Parameters params{};
  params.formal_session_rate = 1.0;
  params.formal_attendance = 1.0;
  int missed = 0;
  for (std::uint32_t r = 0; r < 20; ++r) {
    lwp::Practice practice = ready_practice(params, 1.0);
    for (int week = 0; week < 105; ++week) {
      missed += lwp::formal_session(practice, params, week_context(4, r, 1, week)) == 1.0 ? 0 : 1;
    }
  }
  CHECK(missed == 0);
}

TEST_CASE("attendees of a formal session move towards the leaders' engagement and understanding") {
  lwp::Parameters params{};
  params.formal_session_rate = 1.0;
  params.formal_attendance = 1.0;
  lwp::Practice practice = ready_practice(params, 1.0);
  const lwp::Practice before = practice;
  const double leaders_e = (before.staff.engagement[lwp::kLeadGpSlot] +
                            before.staff.engagement[lwp::kPracticeManagerSlot] + params.clp_engagement) /
                           3.0;
  const double leaders_u =
      (before.staff.understanding[lwp::kLeadGpSlot] + before.staff.understanding[lwp::kPracticeManagerSlot] +
       before.clp.understanding) /
      3.0;
  REQUIRE(lwp::formal_session(practice, params, week_context(4, 0, 0, 10)) == 1.0);
  double gained = 0.0;
  for (int i = 0; i < practice.staff.count; ++i) {
    const double e0 = before.staff.engagement[at(i)];
    const double u0 = before.staff.understanding[at(i)];
    const double e1 = practice.staff.engagement[at(i)];
    const double u1 = practice.staff.understanding[at(i)];
    CHECK(e1 == Approx(e0 + params.formal_engagement_pull * (leaders_e - e0)).margin(1e-12));
    // Understanding flows only from the better-informed leaders: nobody's falls.
    CHECK(u1 == Approx(u0 + params.formal_understanding_pull * std::max(0.0, leaders_u - u0)).margin(1e-12));
    CHECK(u1 >= u0);
    CHECK(std::fabs(e1 - leaders_e) <= std::fabs(e0 - leaders_e));
    CHECK(std::fabs(u1 - leaders_u) <= std::fabs(u0 - leaders_u));
    gained += std::max(0.0, e1 - e0);
  }
  // Engagement gained in formal settings is booked as such.
  CHECK(practice.totals.engagement_gain_formal == Approx(gained).margin(1e-12));
}

TEST_CASE("only the staff who attend a formal session are moved, and the returned share counts them") {
  lwp::Parameters params{};
  params.formal_session_rate = 1.0;  // default attendance 0.7
  for (int week = 0; week < 30; ++week) {
    lwp::Practice practice = ready_practice(params, 1.0);
    // Staff other than the leaders far from the leaders' engagement, so that every attendee moves.
    for (int i = 2; i < practice.staff.count; ++i) practice.staff.engagement[at(i)] = 0.05;
    const lwp::Practice before = practice;
    const double share = lwp::formal_session(practice, params, week_context(6, 0, 0, week));
    int moved = 0;
    for (int i = 0; i < practice.staff.count; ++i) {
      moved += practice.staff.engagement[at(i)] != before.staff.engagement[at(i)] ? 1 : 0;
    }
    CHECK(share == Approx(static_cast<double>(moved) / practice.staff.count));
  }
}

TEST_CASE(
    "a heavier competing load or less protected time never brings about a formal session that would not "
    "otherwise be held") {
  // The session is one Bernoulli draw from the week's stream against a probability that falls
  // with the load and rises with protected time: under common random numbers, a session held
  // under the heavier load (or less protected time) is also held under the lighter one.
  lwp::Parameters params{};
  params.formal_attendance = 1.0;
  int violations = 0;
  int held_light = 0;
  for (int week = 0; week < 2000; ++week) {
    bool heavier_held = false;
    for (double load : {0.9, 0.6, 0.3, 0.0}) {
      lwp::Practice practice = ready_practice(params, 0.8);
      practice.attention_load = load;
      const bool held = lwp::formal_session(practice, params, week_context(2, 0, 0, week)) > 0.0;
      violations += heavier_held && !held ? 1 : 0;
      heavier_held = held;
      held_light += load == 0.0 && held ? 1 : 0;
    }
    bool less_time_held = false;
    for (double time : {0.1, 0.5, 1.0}) {
      lwp::Practice practice = ready_practice(params, 0.8);
      practice.protected_time = time;
      const bool held = lwp::formal_session(practice, params, week_context(2, 0, 0, week)) > 0.0;
      violations += less_time_held && !held ? 1 : 0;
      less_time_held = held;
    }
  }
  CHECK(violations == 0);
  CHECK(held_light > 0);
}

TEST_CASE("formal sessions are held at rate x readiness x protected time x (1 - load)") {
  lwp::Parameters params{};
  params.formal_attendance = 1.0;
  const double threshold = params.formal_understanding_threshold;
  const double s = threshold + 0.5 * (1.0 - threshold);  // readiness 1/2
  const double time = 0.8;
  const double load = 0.25;
  const double p = params.formal_session_rate * 0.5 * time * (1.0 - load);
  const int n = 8000;
  int held = 0;
  for (int week = 0; week < n; ++week) {
    lwp::Practice practice = ready_practice(params, s);
    practice.protected_time = time;
    practice.attention_load = load;
    held += lwp::formal_session(practice, params, week_context(12, 0, 0, week)) > 0.0 ? 1 : 0;
  }
  // Binomial proportion over n = 8000 independent weeks: allow 4 standard errors.
  CHECK(std::fabs(held / static_cast<double>(n) - p) <= 4.0 * std::sqrt(p * (1.0 - p) / n));
}

TEST_CASE("informal contacts spread engagement but little understanding") {
  // Half the staff engaged and understanding (0.8), half not (0.2): the same gap in both. Over ten
  // weeks of informal contacts alone (no formal sessions, no drift), the less engaged half closes
  // far more of the engagement gap than of the understanding gap. The pulls are
  // informal.engagement_pull = 0.1 and informal.understanding_pull = 0.02 (ratio 5), and
  // engagement only flows from the more engaged; the claim asks for a ratio of at least 2, leaving
  // room for the sampling of who talks to whom (40 staff, 20 replicates).
  const lwp::Parameters params{};
  const int n = 40;
  std::vector<double> scratch(2 * lwp::kMaxStaff);
  double engagement_gain = 0.0;
  double understanding_gain = 0.0;
  for (std::uint32_t r = 0; r < 20; ++r) {
    lwp::Practice practice = make_practice(params, n);
    practice.team_quality = 1.0;
    for (int i = 0; i < n; ++i) {
      const double level = i % 2 == 0 ? 0.8 : 0.2;
      practice.staff.engagement[at(i)] = level;
      practice.staff.understanding[at(i)] = level;
    }
    const lwp::Practice before = practice;
    for (int week = 0; week < 10; ++week) {
      lwp::informal_contacts(practice, params, week_context(31, r, 0, week), scratch);
    }
    double total_rise = 0.0;
    for (int i = 0; i < n; ++i) {
      const double de = practice.staff.engagement[at(i)] - before.staff.engagement[at(i)];
      total_rise += de;
      CHECK(de >= 0.0);  // informal contacts only ever raise engagement
      if (i % 2 == 1) {
        engagement_gain += de;
        understanding_gain += practice.staff.understanding[at(i)] - before.staff.understanding[at(i)];
      }
    }
    // The engagement gained over coffee is booked as informal.
    CHECK(practice.totals.engagement_gain_informal == Approx(total_rise).margin(1e-9));
  }
  INFO("engagement gain " << engagement_gain << ", understanding gain " << understanding_gain);
  CHECK(engagement_gain > 0.0);
  CHECK(engagement_gain >= 2.0 * understanding_gain);
}

TEST_CASE("a practice with team quality 0 has no informal contacts") {
  const lwp::Parameters params{};
  std::vector<double> scratch(2 * lwp::kMaxStaff);
  int changed = 0;
  for (std::uint32_t r = 0; r < 20; ++r) {
    lwp::Practice practice = make_practice(params);  // team ties present...
    practice.team_quality = 0.0;                     // ...but nobody talks along them
    const lwp::Practice before = practice;
    for (int week = 0; week < 105; ++week) {
      lwp::informal_contacts(practice, params, week_context(1, r, 0, week), scratch);
    }
    changed += same_staff_states(practice, before) ? 0 : 1;
    CHECK(practice.totals.engagement_gain_informal == 0.0);
  }
  CHECK(changed == 0);

  // Whole replicates: with team quality 0 everywhere, no team ties are formed and no engagement
  // is ever gained informally.
  sim::Scenario scenario = lwsim_test::deep_end();
  lwsim_test::set(scenario, {{"context.team_quality_mean", 0.0}});
  for (std::uint32_t r = 0; r < 20; ++r) {
    const lwp::ReplicateState state = lwsim_test::run_replicate_state(scenario, 3, r);
    for (const lwp::Practice& practice : state.practices) {
      CHECK(practice.team_quality == 0.0);
      CHECK(practice.totals.engagement_gain_informal == 0.0);
      for (int i = 0; i < practice.staff.count; ++i) CHECK(practice.staff.degree[at(i)] == 0);
    }
  }
}

TEST_CASE("without reinforcement engagement decays towards the baseline and understanding fades") {
  const lwp::Parameters params{};
  lwp::Practice practice = make_practice(params);
  const double baseline = params.staff_engagement_baseline;
  for (int week = 0; week < 3; ++week) {
    const lwp::Practice before = practice;
    lwp::engagement_drift(practice, params);
    for (int i = 0; i < practice.staff.count; ++i) {
      const double e0 = before.staff.engagement[at(i)];
      const double e1 = practice.staff.engagement[at(i)];
      CHECK(e1 - baseline == Approx((1.0 - params.staff_engagement_decay) * (e0 - baseline)).margin(1e-12));
      CHECK(
          practice.staff.understanding[at(i)] ==
          Approx((1.0 - params.staff_understanding_decay) * before.staff.understanding[at(i)]).margin(1e-12));
    }
  }
  for (int week = 0; week < 2000; ++week) lwp::engagement_drift(practice, params);
  CHECK(staff_mean(practice.staff.engagement, practice.staff.count) == Approx(baseline).margin(1e-6));
}

TEST_CASE(
    "team quality moderates a formal session: fewer attend and the pull towards the leaders is weaker") {
  lwp::Parameters params{};
  params.formal_session_rate = 1.0;
  params.formal_attendance = 1.0;
  params.team_attendance_effect = 0.5;
  params.team_pull_effect = 0.5;
  // Attendance: share attending = formal.attendance x (1 - 0.5 x (1 - q)) = 1 at q = 1, 1/2 at
  // q = 0. Over 200 sessions of 40 staff (8000 independent draws) the share is within 4 standard
  // errors of 1/2.
  const int n = 40;
  int attended = 0;
  int offered = 0;
  for (int week = 0; week < 200; ++week) {
    lwp::Practice practice = make_practice(params, n);
    practice.protected_time = 1.0;
    practice.shared_understanding = 1.0;
    practice.team_quality = 0.0;
    const double share = lwp::formal_session(practice, params, week_context(14, 0, 0, week));
    attended += static_cast<int>(std::lround(share * n));
    offered += n;
  }
  const double share = static_cast<double>(attended) / offered;
  CHECK(std::fabs(share - 0.5) <= 4.0 * std::sqrt(0.25 / offered));

  // Pull: under common random numbers the same staff attend whatever the team quality when
  // attendance does not depend on it; each attendee moves (1 - 0.5 x (1 - q)) as far.
  params.team_attendance_effect = 0.0;
  for (double q : {0.0, 0.5}) {
    lwp::Practice good = ready_practice(params, 1.0);
    lwp::Practice weaker = ready_practice(params, 1.0);
    weaker.team_quality = q;
    const lwp::Practice before = good;
    REQUIRE(lwp::formal_session(good, params, week_context(15, 0, 0, 3)) == 1.0);
    REQUIRE(lwp::formal_session(weaker, params, week_context(15, 0, 0, 3)) == 1.0);
    const double factor = 1.0 - 0.5 * (1.0 - q);
    for (int i = 0; i < good.staff.count; ++i) {
      INFO("team quality " << q << ", staff " << i);
      const double e0 = before.staff.engagement[at(i)];
      CHECK(weaker.staff.engagement[at(i)] - e0 ==
            Approx(factor * (good.staff.engagement[at(i)] - e0)).margin(1e-12));
      const double u0 = before.staff.understanding[at(i)];
      CHECK(weaker.staff.understanding[at(i)] - u0 ==
            Approx(factor * (good.staff.understanding[at(i)] - u0)).margin(1e-12));
    }
  }
}

TEST_CASE("informal contacts never lower anyone's understanding: it flows from the better-informed only") {
  const lwp::Parameters params{};
  std::vector<double> scratch(2 * lwp::kMaxStaff);
  for (std::uint32_t r = 0; r < 20; ++r) {
    lwp::Practice practice = make_practice(params, 30);
    practice.team_quality = 1.0;
    // The lead GP and the practice manager know the most.
    practice.staff.understanding[lwp::kLeadGpSlot] = 0.95;
    practice.staff.understanding[lwp::kPracticeManagerSlot] = 0.95;
    for (int week = 0; week < 20; ++week) {
      const lwp::Practice before = practice;
      lwp::informal_contacts(practice, params, week_context(21, r, 0, week), scratch);
      for (int i = 0; i < practice.staff.count; ++i) {
        CHECK(practice.staff.understanding[at(i)] >= before.staff.understanding[at(i)]);
      }
    }
    CHECK(practice.staff.understanding[lwp::kLeadGpSlot] == 0.95);
    CHECK(practice.staff.understanding[lwp::kPracticeManagerSlot] == 0.95);
  }
}

TEST_CASE("the CLP is in the informal network: staff without team ties gain engagement from the CLP") {
  lwp::Parameters params{};
  params.informal_clp_contact_rate = 0.5;
  std::vector<double> scratch(2 * lwp::kMaxStaff);
  const int n = 20;
  int contacts = 0;
  for (std::uint32_t r = 0; r < 20; ++r) {
    lwp::Practice practice = make_practice(params, n);
    practice.team_quality = 1.0;
    for (int i = 0; i < n; ++i) {
      practice.staff.degree[at(i)] = 0;  // no colleague to talk to: only the CLP
      practice.staff.engagement[at(i)] = 0.1;
      practice.staff.understanding[at(i)] = 0.0;
    }
    lwp::Practice no_clp = practice;
    no_clp.clp.in_post = false;
    const lwp::Practice before = practice;
    lwp::informal_contacts(practice, params, week_context(22, r, 0, 5), scratch);
    lwp::informal_contacts(no_clp, params, week_context(22, r, 0, 5), scratch);
    CHECK(same_staff_states(no_clp, before));  // without a CLP in post nothing happens
    for (int i = 0; i < n; ++i) {
      const double gain = practice.staff.engagement[at(i)] - 0.1;
      if (gain == 0.0) {
        CHECK(practice.staff.understanding[at(i)] == 0.0);
        continue;
      }
      ++contacts;
      // A contact with the CLP pulls engagement towards clp.engagement and understanding towards
      // the CLP's, as a colleague does.
      CHECK(gain == Approx(params.informal_engagement_pull * (params.clp_engagement - 0.1)).margin(1e-12));
      CHECK(practice.staff.understanding[at(i)] ==
            Approx(params.informal_understanding_pull * practice.clp.understanding).margin(1e-12));
    }
    double total = 0.0;
    for (int i = 0; i < n; ++i) total += practice.staff.engagement[at(i)] - before.staff.engagement[at(i)];
    CHECK(practice.totals.engagement_gain_informal == Approx(total).margin(1e-12));
  }
  // 400 staff-weeks at probability rate x team quality x presence = 0.5: mean 200, sd 10.
  CHECK(std::abs(contacts - 200) <= 40);
}

TEST_CASE(
    "newcomers are socialised towards the team's mean, the faster the better the team, and only while new") {
  lwp::Parameters params{};
  params.team_socialisation_rate = 0.2;
  params.team_socialisation_weeks = 26.0;
  const int week = 40;
  for (double q : {0.0, 0.5, 1.0}) {
    lwp::Practice practice = make_practice(params);
    practice.team_quality = q;
    practice.staff.joined_week[at(3)] = week - 5;   // a newcomer
    practice.staff.joined_week[at(4)] = week - 26;  // no longer new
    const lwp::Practice before = practice;
    const double mean_e = staff_mean(before.staff.engagement, before.staff.count);
    const double mean_u = staff_mean(before.staff.understanding, before.staff.count);
    lwp::socialise_newcomers(practice, params, week);
    for (int i = 0; i < practice.staff.count; ++i) {
      INFO("team quality " << q << ", staff " << i);
      const double e0 = before.staff.engagement[at(i)];
      const double u0 = before.staff.understanding[at(i)];
      if (i == 3) {
        CHECK(practice.staff.engagement[at(i)] == Approx(e0 + 0.2 * q * (mean_e - e0)).margin(1e-12));
        CHECK(practice.staff.understanding[at(i)] == Approx(u0 + 0.2 * q * (mean_u - u0)).margin(1e-12));
      } else {
        CHECK(practice.staff.engagement[at(i)] == e0);
        CHECK(practice.staff.understanding[at(i)] == u0);
      }
    }
  }
}

TEST_CASE(
    "a week's talks with the CLP, at a formal session or informally, are what the links feedback reaches") {
  lwp::Parameters params{};
  params.formal_session_rate = 1.0;
  params.informal_contact_rate = 0.0;  // colleagues do not talk: only the CLP
  params.informal_clp_contact_rate = 0.5;
  std::vector<double> scratch(2 * lwp::kMaxStaff);
  int formal = 0;
  int informal = 0;
  for (int week = 0; week < 20; ++week) {
    lwp::Practice practice = ready_practice(params, 1.0);
    for (int i = 0; i < practice.staff.count; ++i) {
      practice.staff.engagement[at(i)] = 0.05;    // everyone who meets the CLP moves
      practice.staff.talked_with_clp[at(i)] = 1;  // last week's talks
    }
    lwp::Practice no_clp = practice;
    no_clp.clp.in_post = false;
    // Attending a formal session held while a CLP is in post is a talk with the CLP.
    const lwp::Practice before = practice;
    (void)lwp::formal_session(practice, params, week_context(6, 0, 0, week));
    for (int i = 0; i < practice.staff.count; ++i) {
      const bool attended = practice.staff.engagement[at(i)] != before.staff.engagement[at(i)];
      CHECK(practice.staff.talked_with_clp[at(i)] == (attended ? 1 : 0));
      formal += attended ? 1 : 0;
    }
    // Without a CLP in post, a session is no talk with one, and last week's talks are forgotten.
    (void)lwp::formal_session(no_clp, params, week_context(6, 0, 0, week));
    for (int i = 0; i < no_clp.staff.count; ++i) CHECK(no_clp.staff.talked_with_clp[at(i)] == 0);
    // An informal talk with the CLP is one too; it adds to the session's.
    const lwp::Practice after_session = practice;
    lwp::informal_contacts(practice, params, week_context(6, 0, 0, week), scratch);
    for (int i = 0; i < practice.staff.count; ++i) {
      const bool talked = practice.staff.engagement[at(i)] != after_session.staff.engagement[at(i)];
      const bool before_talk = after_session.staff.talked_with_clp[at(i)] == 1;
      CHECK(practice.staff.talked_with_clp[at(i)] == ((talked || before_talk) ? 1 : 0));
      informal += talked ? 1 : 0;
    }
  }
  CHECK(formal > 0);
  CHECK(informal > 0);
}
