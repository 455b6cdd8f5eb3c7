// Leadership -> coherence (models/lwp/coherence.cpp). Chng 2021: in FIPs the core leadership (lead
// GP, CLP, practice manager) share an understanding of the LWP; in PIPs they do not. GP buy-in and
// collaborative leadership make the core meet; competing innovations take the attention.

#include <algorithm>
#include <cmath>

#include <catch2/catch.hpp>

#include "models/lwp/mechanisms.hpp"
#include "tests/models/lwp/practice_fixture.hpp"

using lwp_test::make_practice;
using lwp_test::week_context;

namespace {

double core_spread(const lwp::Practice& p) {
  const double a = p.staff.understanding[lwp::kLeadGpSlot];
  const double b = p.staff.understanding[lwp::kPracticeManagerSlot];
  const double c = p.clp.understanding;
  return std::max({a, b, c}) - std::min({a, b, c});
}

}  // namespace

TEST_CASE("shared understanding is the core's mean understanding less the spread penalty") {
  const lwp::Parameters params{};
  lwp::Practice practice = make_practice(params);
  practice.staff.understanding[lwp::kLeadGpSlot] = 0.9;
  practice.staff.understanding[lwp::kPracticeManagerSlot] = 0.7;
  practice.clp.understanding = 0.8;
  CHECK(lwp::shared_understanding(practice, params) ==
        Approx(0.8 - params.leadership_spread_penalty * 0.2).margin(1e-12));
  // A core that agrees shares its understanding in full.
  practice.staff.understanding[lwp::kPracticeManagerSlot] = 0.8;
  practice.staff.understanding[lwp::kLeadGpSlot] = 0.8;
  CHECK(lwp::shared_understanding(practice, params) == Approx(0.8).margin(1e-12));
  // Without a CLP in post, the core is the lead GP and the practice manager.
  practice.clp.in_post = false;
  practice.clp.understanding = 0.0;
  CHECK(lwp::shared_understanding(practice, params) == Approx(0.8).margin(1e-12));
  // Never below 0.
  practice.staff.understanding[lwp::kLeadGpSlot] = 0.0;
  practice.staff.understanding[lwp::kPracticeManagerSlot] = 1.0;
  CHECK(lwp::shared_understanding(practice, params) == 0.0);
}

TEST_CASE(
    "when the core leadership meet their understandings converge and the CLP's explanation raises them") {
  lwp::Parameters params{};
  params.leadership_meeting_rate = 1.0;
  lwp::Practice practice = make_practice(params);
  practice.gp_buy_in = 1.0;
  practice.attention_load = 0.0;
  practice.staff.understanding[lwp::kLeadGpSlot] = 0.2;
  practice.staff.understanding[lwp::kPracticeManagerSlot] = 0.4;
  practice.clp.understanding = 0.8;
  practice.clp.skill = 1.0;
  const double before_spread = core_spread(practice);
  const double before_s = lwp::shared_understanding(practice, params);
  lwp::leadership_meeting(practice, params, week_context(1, 0, 0, 0));
  CHECK(core_spread(practice) < before_spread);
  CHECK(lwp::shared_understanding(practice, params) > before_s);
  CHECK(practice.staff.understanding[lwp::kLeadGpSlot] > 0.2);
  CHECK(practice.staff.understanding[lwp::kPracticeManagerSlot] > 0.4);
}

TEST_CASE("the core never meet without GP buy-in or under a full competing load") {
  lwp::Parameters params{};
  params.leadership_meeting_rate = 1.0;
  int changed = 0;
  for (int week = 0; week < 500; ++week) {
    for (bool no_buy_in : {true, false}) {
      lwp::Practice practice = make_practice(params);
      practice.gp_buy_in = no_buy_in ? 0.0 : 1.0;
      practice.attention_load = no_buy_in ? 0.0 : 1.0;
      const lwp::Practice before = practice;
      lwp::leadership_meeting(practice, params, week_context(2, 0, 0, week));
      changed += practice.staff.understanding == before.staff.understanding &&
                         practice.staff.engagement == before.staff.engagement &&
                         practice.clp.understanding == before.clp.understanding
                     ? 0
                     : 1;
    }
  }
  CHECK(changed == 0);
}
