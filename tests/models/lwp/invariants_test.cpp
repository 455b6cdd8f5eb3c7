#include <catch2/catch.hpp>

#include "tests/support/test_support.hpp"

using lwsim_test::deep_end;
using lwsim_test::run_point;

TEST_CASE("a practice that never has a CLP in post is never fully integrated") {
  sim::Scenario scenario = deep_end();
  // Every CLP leaves in week 1 and the vacancy outlasts the horizon.
  lwsim_test::set(scenario, {{"clp.departure_hazard", 0.5}, {"clp.vacancy_mean_weeks", 104}});
  const sim::PointSummary s = run_point(scenario, 400, 11);
  for (double p : s.at("/summary/p_fip")) CHECK(p == 0.0);
}
