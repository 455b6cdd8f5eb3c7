// Competing innovations and training load (models/lwp/innovations.cpp). Chng 2021: other innovations
// competed for the attention that integration needed; 4 of 7 practices were GP training practices.

#include <algorithm>
#include <cmath>

#include <catch2/catch.hpp>

#include "models/lwp/mechanisms.hpp"
#include "tests/models/lwp/practice_fixture.hpp"
#include "tests/support/test_support.hpp"

using lwp_test::make_practice;
using lwp_test::week_context;

TEST_CASE("the innovation load is the sum of active innovations' loads, capped at 1") {
  lwp::Parameters params{};
  params.innovation_load_mean = 0.5;
  params.innovation_duration_mean_weeks = 20.0;
  int capped = 0;
  for (std::uint32_t r = 0; r < 10; ++r) {
    lwp::Practice practice = make_practice(params);
    practice.innovation_rate = 1.0;  // one a week on average: loads pile up
    practice.next_innovation = 0;
    lwp::schedule_next_innovation(practice, params, lwp::Draws{{5, r}, nullptr}, 0, 0.0);
    for (int week = 0; week < 105; ++week) {
      lwp::competing_innovations(practice, params, week_context(5, r, 0, week));
      double sum = 0.0;
      for (int k = 0; k < practice.active_innovations; ++k) {
        const lwp::Innovation& innovation = practice.innovations[lwp_test::at(k)];
        CHECK(innovation.end_week > week);  // expired innovations are gone
        sum += innovation.load;
      }
      CHECK(practice.attention_load == Approx(std::min(1.0, sum)).margin(1e-12));
      CHECK(practice.attention_load <= 1.0);
      capped += practice.attention_load == 1.0 ? 1 : 0;
    }
  }
  CHECK(capped > 0);  // the cap was reached
}

TEST_CASE("a training practice carries a standing extra load of training.gp_load") {
  const lwp::Parameters params{};
  lwp::Practice training = make_practice(params);
  training.training = true;
  lwp::Practice other = make_practice(params);
  for (int week = 0; week < 10; ++week) {
    lwp::competing_innovations(training, params, week_context(1, 0, 0, week));
    lwp::competing_innovations(other, params, week_context(1, 0, 1, week));
    CHECK(training.attention_load == params.training_gp_load);
    CHECK(other.attention_load == 0.0);
  }
  // On top of the innovations' loads, and still capped at 1.
  training.innovations[0] = {50, 0.3};
  training.innovations[1] = {60, 0.2};
  training.active_innovations = 2;
  lwp::competing_innovations(training, params, week_context(1, 0, 0, 10));
  CHECK(training.attention_load == Approx(0.5 + params.training_gp_load));
  training.innovations[2] = {60, 0.7};
  training.active_innovations = 3;
  lwp::competing_innovations(training, params, week_context(1, 0, 0, 11));
  CHECK(training.attention_load == 1.0);
}

TEST_CASE("an innovation stops taking attention when it ends") {
  const lwp::Parameters params{};
  lwp::Practice practice = make_practice(params);
  practice.innovations[0] = {5, 0.3};
  practice.innovations[1] = {10, 0.2};
  practice.innovations[2] = {7, 0.1};
  practice.active_innovations = 3;
  lwp::competing_innovations(practice, params, week_context(1, 0, 0, 4));
  CHECK(practice.active_innovations == 3);
  CHECK(practice.attention_load == Approx(0.6));
  lwp::competing_innovations(practice, params, week_context(1, 0, 0, 5));
  CHECK(practice.active_innovations == 2);
  CHECK(practice.attention_load == Approx(0.3));
  lwp::competing_innovations(practice, params, week_context(1, 0, 0, 7));
  CHECK(practice.active_innovations == 1);
  CHECK(practice.attention_load == Approx(0.2));
  lwp::competing_innovations(practice, params, week_context(1, 0, 0, 10));
  CHECK(practice.active_innovations == 0);
  CHECK(practice.attention_load == 0.0);
}

TEST_CASE("with an innovation rate of 0 no competing innovation ever arrives") {
  const lwp::Parameters params{};
  lwp::Practice practice = make_practice(params);
  practice.innovation_rate = 0.0;
  lwp::schedule_next_innovation(practice, params, lwp::Draws{{1, 0}, nullptr}, 0, 0.0);
  for (int week = 0; week < 1000; ++week) {
    lwp::competing_innovations(practice, params, week_context(1, 0, 0, week));
  }
  CHECK(practice.totals.innovations == 0);
  CHECK(practice.active_innovations == 0);
  CHECK(practice.attention_load == 0.0);

  sim::Scenario scenario = lwsim_test::deep_end();
  lwsim_test::set(scenario, {{"context.innovation_rate_mean", 0.0}});
  for (std::uint32_t r = 0; r < 20; ++r) {
    for (const lwp::Practice& p : lwsim_test::run_replicate_state(scenario, 2, r).practices) {
      CHECK(p.innovation_rate == 0.0);
      CHECK(p.totals.innovations == 0);
    }
  }
}

TEST_CASE("competing innovations arrive at the practice's rate") {
  // Poisson arrivals at rate 0.1 a week over 1000 weeks in each of 40 replicates: the count has
  // mean and variance 4000; allow 4 standard errors (4 x sqrt(4000) = 253).
  const lwp::Parameters params{};
  const double rate = 0.1;
  std::uint64_t arrived = 0;
  for (std::uint32_t r = 0; r < 40; ++r) {
    lwp::Practice practice = make_practice(params);
    practice.innovation_rate = rate;
    lwp::schedule_next_innovation(practice, params, lwp::Draws{{9, r}, nullptr}, 0, 0.0);
    for (int week = 0; week < 1000; ++week) {
      lwp::competing_innovations(practice, params, week_context(9, r, 0, week));
    }
    arrived += practice.totals.innovations;
  }
  const double expected = rate * 1000.0 * 40.0;
  CHECK(std::fabs(static_cast<double>(arrived) - expected) <= 4.0 * std::sqrt(expected));
}
