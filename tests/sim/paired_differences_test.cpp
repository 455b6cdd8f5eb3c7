// Claims about the answer of a compare (sim/cli/paired_differences.hpp) and the screening shares of
// `lwsim report` (sim/cli/report_stats.hpp): percentiles are numpy's
// default (type 7), so Python readers get the same numbers; the paired difference is taken
// replicate by replicate, not between means of independent samples; the incremental ratio's
// delta-method interval covers the true ratio as often as it says; money reads as a person writes
// it; a parameter with no effect explains its chance share of the variance, no more.

#include "sim/cli/paired_differences.hpp"

#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "sim/cli/report_stats.hpp"
#include "sim/random.hpp"
#include "sim/rng.hpp"

using sim::cli::format_quantity;
using sim::cli::paired_difference;
using sim::cli::paired_ratio;
using sim::cli::percentile;

TEST_CASE("percentiles interpolate linearly between order statistics, as numpy's default") {
  // numpy.percentile([4, 1, 3, 2], [0, 5, 50, 95, 100]) = [1, 1.15, 2.5, 3.85, 4].
  const std::vector<double> v = {4.0, 1.0, 3.0, 2.0};
  CHECK(percentile(v, 0.0) == 1.0);
  CHECK(percentile(v, 0.05) == Approx(1.15).epsilon(1e-12));
  CHECK(percentile(v, 0.5) == 2.5);
  CHECK(percentile(v, 0.95) == Approx(3.85).epsilon(1e-12));
  CHECK(percentile(v, 1.0) == 4.0);
  CHECK(percentile({7.0}, 0.05) == 7.0);
  CHECK(std::isnan(percentile({}, 0.5)));
}

TEST_CASE("the paired difference removes what the replicates share") {
  // Worlds that differ a lot from replicate to replicate, and a policy that adds exactly 2 in
  // each: paired, the difference is 2 in every replicate, with no spread at all.
  std::vector<double> reference;
  std::vector<double> point;
  for (int r = 0; r < 50; ++r) {
    reference.push_back(10.0 * (r % 7));
    point.push_back(10.0 * (r % 7) + 2.0);
  }
  const auto d = paired_difference(point, reference);
  CHECK(d.mean == Approx(2.0));
  CHECK(d.standard_error == Approx(0.0).margin(1e-12));
  CHECK(d.low == Approx(2.0));
  CHECK(d.high == Approx(2.0));
  CHECK(d.point_mean - d.reference_mean == Approx(2.0));
}

TEST_CASE("the delta-method interval of an incremental ratio covers the true ratio about 90% of the time") {
  // Replicates of (cost difference, FIP difference) with known means 600 and 3: true ratio 200.
  // Over 400 independent experiments of 200 replicates, the 90% interval must cover 200 in
  // 0.90 +- 3 standard errors of a proportion (sqrt(0.9 x 0.1 / 400) = 0.015).
  sim::Stream s({7, 1}, {0, 0, 0});
  int covered = 0;
  int defined = 0;
  const int experiments = 400;
  for (int e = 0; e < experiments; ++e) {
    std::vector<double> cost, fips, ref_cost, ref_fips;
    for (int r = 0; r < 200; ++r) {
      const double world = sim::random::normal(s) * 5.0;  // shared by both points
      const double fip_gain = 3.0 + 2.0 * sim::random::normal(s);
      ref_fips.push_back(20.0 + world);
      fips.push_back(20.0 + world + fip_gain);
      ref_cost.push_back(1000.0 + 10.0 * world);
      cost.push_back(1000.0 + 10.0 * world + 200.0 * fip_gain + 50.0 * sim::random::normal(s));
    }
    const auto ratio = paired_ratio(cost, fips, ref_cost, ref_fips);
    REQUIRE(ratio.incremental_defined);
    if (!ratio.interval_defined) continue;
    ++defined;
    if (ratio.low <= 200.0 && 200.0 <= ratio.high) ++covered;
  }
  REQUIRE(defined == experiments);
  const double coverage = static_cast<double>(covered) / defined;
  CHECK(coverage > 0.90 - 3 * 0.015);
  CHECK(coverage < 0.90 + 3 * 0.015);
}

TEST_CASE("an incremental ratio whose denominator does not move has no interval, or no value") {
  const std::vector<double> same = {3.0, 4.0, 5.0, 6.0};
  const std::vector<double> cost = {10.0, 20.0, 30.0, 40.0};
  const auto none = paired_ratio(cost, same, same, same);
  CHECK_FALSE(none.incremental_defined);
  CHECK_FALSE(none.interval_defined);
  // A denominator difference of +1, -1, +1, -2: mean -0.25, well within its Monte Carlo error.
  const auto noisy = paired_ratio(cost, {4.0, 3.0, 6.0, 4.0}, same, same);
  CHECK(noisy.incremental_defined);
  CHECK_FALSE(noisy.interval_defined);
}

TEST_CASE("money reads as a person writes it") {
  CHECK(format_quantity(6.88767e6, "GBP") == "£6.9m");
  CHECK(format_quantity(-9.6e6, "GBP") == "-£9.6m");
  CHECK(format_quantity(24'300.0, "GBP per FIP") == "£24k");
  CHECK(format_quantity(512.4, "GBP") == "£512");
  CHECK(format_quantity(8.2654, "practices") == "8.27 practices");
  CHECK(format_quantity(std::nan(""), "GBP") == "n/a");
}

TEST_CASE(
    "a parameter with no effect explains about its chance share of the variance, which report warns of") {
  // 10 levels x 5 points and an outcome that ignores them: over 200 such sweeps the mean share is
  // (10 - 1) / (50 - 1) = 0.184 within 3 standard errors (the share is about Beta(4.5, 20), sd 0.077).
  sim::Stream s({11, 2}, {0, 0, 0});
  double total = 0.0;
  const int sweeps = 200;
  sim::cli::MainEffect effect;
  for (int k = 0; k < sweeps; ++k) {
    std::vector<double> x, y;
    for (int i = 0; i < 50; ++i) {
      x.push_back(static_cast<double>(i % 10));
      y.push_back(sim::random::normal(s));
    }
    effect = sim::cli::main_effect(x, y);
    total += effect.variance_share;
  }
  CHECK(effect.bins == 10);
  CHECK(effect.chance_share == Approx(9.0 / 49.0));
  CHECK(total / sweeps == Approx(9.0 / 49.0).margin(3 * 0.077 / std::sqrt(sweeps)));
  // One point per level: every parameter "explains" everything.
  const auto one_each = sim::cli::main_effect({1, 2, 3, 4, 5, 6}, {0.3, 0.1, 0.9, 0.4, 0.2, 0.8});
  CHECK(one_each.variance_share == Approx(1.0));
  CHECK(one_each.chance_share == Approx(1.0));
}
