// Initialisation (models/lwp/init.cpp): attributes not published per practice are drawn per
// replicate. Chng 2021: 4 of the 7 Deep End practices were GP training practices; which ones is
// not published.

#include <cmath>
#include <set>
#include <vector>

#include <catch2/catch.hpp>

#include "models/lwp/mechanisms.hpp"
#include "tests/support/test_support.hpp"

TEST_CASE(
    "exactly training_count practices are training practices in every replicate, and which ones varies") {
  const sim::Scenario scenario = lwsim_test::deep_end();
  const auto& setup = static_cast<const lwp::Setup&>(*scenario.setup);
  REQUIRE(setup.training_draw_count == 4);
  const std::size_t n = setup.practice_count();
  const int replicates = 400;
  std::vector<int> times_training(n, 0);
  std::set<std::vector<bool>> patterns;
  for (std::uint32_t r = 0; r < static_cast<std::uint32_t>(replicates); ++r) {
    const lwp::ReplicateState state = lwsim_test::run_replicate_state(scenario, 20141101, r);
    std::vector<bool> pattern;
    int count = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const bool training = state.practices[i].training;
      pattern.push_back(training);
      count += training ? 1 : 0;
      times_training[i] += training ? 1 : 0;
    }
    CHECK(count == 4);
    patterns.insert(pattern);
  }
  // There are C(7, 4) = 35 ways to choose; 400 replicates see many of them.
  CHECK(patterns.size() > 20);
  // Each practice is a training practice in 4/7 of replicates: a binomial proportion over 400
  // replicates has standard error sqrt(4/7 x 3/7 / 400) = 0.025; allow 4 standard errors.
  const double p = 4.0 / 7.0;
  for (std::size_t i = 0; i < n; ++i) {
    INFO("practice " << setup.practices[i].name);
    CHECK(std::fabs(times_training[i] / static_cast<double>(replicates) - p) <=
          4.0 * std::sqrt(p * (1.0 - p) / replicates));
  }
}

TEST_CASE("a practice the scenario names as a training practice is one in every replicate") {
  const sim::Scenario scenario = lwsim_test::scenario_from(R"(
[practices]
training_count = 1
[[practice]]
name = "Fixed"
list_size = 3000
training = true
[[practice]]
name = "Never"
list_size = 3000
training = false
[[practice]]
name = "A"
list_size = 3000
[[practice]]
name = "B"
list_size = 3000
)");
  int a = 0;
  for (std::uint32_t r = 0; r < 100; ++r) {
    const lwp::ReplicateState state = lwsim_test::run_replicate_state(scenario, 1, r);
    CHECK(state.practices[0].training);
    CHECK_FALSE(state.practices[1].training);
    CHECK(state.practices[2].training != state.practices[3].training);  // exactly one of A, B
    a += state.practices[2].training ? 1 : 0;
  }
  CHECK(a > 0);
  CHECK(a < 100);
}

TEST_CASE("the lead GP starts with the practice's GP buy-in and the CLP is in post at week 0") {
  const sim::Scenario scenario = lwsim_test::deep_end();
  const auto& setup = static_cast<const lwp::Setup&>(*scenario.setup);
  const lwp::Parameters params = lwp::Parameters::from(scenario.params());
  lwp::ReplicateState state;
  for (std::uint32_t r = 0; r < 50; ++r) {
    lwp::initialise_replicate(state, setup, params, lwp::Draws{{3, r}, nullptr},
                              lwp::make_programme(setup, params));
    for (const lwp::Practice& p : state.practices) {
      CHECK(p.staff.understanding[lwp::kLeadGpSlot] == p.gp_buy_in);
      CHECK(p.staff.engagement[lwp::kLeadGpSlot] == p.gp_buy_in);
      CHECK(p.staff.role[lwp::kLeadGpSlot] == lwp::Role::lead_gp);
      CHECK(p.staff.role[lwp::kPracticeManagerSlot] == lwp::Role::practice_manager);
      CHECK(p.staff.count == lwp::roster_for(p.list_size, params).total());
      CHECK(p.clp.in_post);
      CHECK(p.clp.skill == Approx(lwp::clp_skill(params, params.clp_tenure_at_start_weeks)));
      CHECK(p.gp_buy_in >= 0.0);
      CHECK(p.gp_buy_in <= 1.0);
    }
  }
}
