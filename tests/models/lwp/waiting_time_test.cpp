// Waiting times from a weekly hazard (models/lwp/waiting_time.cpp), shared by CLP and staff
// turnover.

#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "models/lwp/mechanisms.hpp"

TEST_CASE("under common random numbers a higher hazard never gives a later event") {
  const std::vector<double> hazards = {0.0005, 0.001, 0.004, 0.01, 0.02, 0.05, 0.2, 0.5, 1.0};
  int later_events = 0;
  int within_a_week = 0;
  for (std::uint32_t entity = 0; entity < 2000; ++entity) {
    int later = lwp::kNever;
    for (double h : hazards) {
      sim::Stream stream({3, 1}, {entity, 0, 7});
      const int weeks = lwp::weeks_until(stream, h);
      within_a_week += weeks < 1 ? 1 : 0;
      later_events += weeks > later ? 1 : 0;
      later = weeks;
    }
  }
  CHECK(within_a_week == 0);  // an event is at least one week away
  CHECK(later_events == 0);
  sim::Stream stream({3, 1}, {0, 0, 7});
  CHECK(lwp::weeks_until(stream, 0.0) == lwp::kNever);
}

TEST_CASE("a weekly hazard h is the probability of leaving in any given week") {
  // P(T = 1) = h and, being memoryless, E[T] = 1 / h. With n = 20000 draws the proportion has
  // standard error sqrt(h (1 - h) / n) and the mean sqrt(1 - h) / h / sqrt(n); allow 4 of each.
  const double h = 0.2;
  const int n = 20000;
  int first_week = 0;
  double sum = 0.0;
  for (std::uint32_t entity = 0; entity < static_cast<std::uint32_t>(n); ++entity) {
    sim::Stream stream({9, 0}, {entity, 0, 1});
    const int weeks = lwp::weeks_until(stream, h);
    first_week += weeks == 1 ? 1 : 0;
    sum += weeks;
  }
  CHECK(std::fabs(first_week / static_cast<double>(n) - h) <= 4.0 * std::sqrt(h * (1.0 - h) / n));
  CHECK(std::fabs(sum / n - 1.0 / h) <= 4.0 * std::sqrt(1.0 - h) / h / std::sqrt(static_cast<double>(n)));
}
