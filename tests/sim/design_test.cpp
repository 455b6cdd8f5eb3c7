// Claims about the experimental designs of sweeps (sim/design).

#include "sim/design/design.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <boost/random/sobol.hpp>
#include <catch2/catch.hpp>

using sim::design::Axis;
using sim::design::Scale;

TEST_CASE("a grid has the product of the numbers of levels as points, the last axis varying fastest") {
  const std::vector<Axis> axes = {{"a", {1, 2, 3}, 0, 0, Scale::linear, false},
                                  {"b", {10, 20}, 0, 0, Scale::linear, false},
                                  {"c", {0.5, 0.25}, 0, 0, Scale::linear, false}};
  const auto points = sim::design::grid(axes);
  REQUIRE(points.size() == 12);
  CHECK(points[0] == std::vector<double>{1, 10, 0.5});
  CHECK(points[1] == std::vector<double>{1, 10, 0.25});
  CHECK(points[2] == std::vector<double>{1, 20, 0.5});
  CHECK(points[4] == std::vector<double>{2, 10, 0.5});
  CHECK(points[11] == std::vector<double>{3, 20, 0.25});
  std::set<std::vector<double>> distinct(points.begin(), points.end());
  CHECK(distinct.size() == 12);
}

TEST_CASE("a Latin hypercube puts exactly one point in each stratum of every dimension") {
  for (std::size_t n : {1UL, 2UL, 7UL, 100UL, 1000UL}) {
    const auto points = sim::design::latin_hypercube_unit(n, 4, 99);
    REQUIRE(points.size() == n);
    for (std::size_t j = 0; j < 4; ++j) {
      std::vector<int> hits(n, 0);
      for (const auto& p : points) {
        REQUIRE(p[j] >= 0.0);
        REQUIRE(p[j] < 1.0);
        ++hits[static_cast<std::size_t>(std::floor(p[j] * static_cast<double>(n)))];
      }
      CHECK(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; }));
    }
  }
}

TEST_CASE("a Latin hypercube is a function of its seed, and dimensions are permuted independently") {
  const auto a = sim::design::latin_hypercube_unit(50, 3, 1);
  CHECK(a == sim::design::latin_hypercube_unit(50, 3, 1));
  CHECK(a != sim::design::latin_hypercube_unit(50, 3, 2));
  // Independent permutations: the strata orders of dimensions 0 and 1 differ.
  std::size_t same = 0;
  for (const auto& p : a) same += std::floor(p[0] * 50) == std::floor(p[1] * 50) ? 1U : 0U;
  CHECK(same < 10);
}

TEST_CASE("Sobol points are Boost's Sobol sequence, first point (0.5, ...), mapped with 53 bits") {
  const std::size_t d = 5;
  const auto points = sim::design::sobol_unit(64, d);
  boost::random::sobol reference(d);
  for (const auto& p : points) {
    for (std::size_t j = 0; j < d; ++j) {
      const std::uint64_t x = reference();
      CHECK(p[j] == static_cast<double>(x >> 11) * 0x1.0p-53);
    }
  }
  for (std::size_t j = 0; j < d; ++j) CHECK(points[0][j] == 0.5);
  // Boost omits the all-zero point of index 0: with it, the first 64 points of the sequence would
  // be balanced (32 below 0.5 in each dimension), so the first 63 of Boost's have 31 below.
  for (std::size_t j = 0; j < d; ++j) {
    std::size_t below = 0;
    for (std::size_t i = 0; i < 63; ++i) below += points[i][j] < 0.5 ? 1U : 0U;
    CHECK(below == 31);
  }
}

TEST_CASE("the Sobol dimension limit of Boost's tables is enforced") {
  CHECK_THROWS_AS(sim::design::sobol_unit(2, 0), std::invalid_argument);
  CHECK_THROWS_AS(sim::design::sobol_unit(2, sim::design::kMaxSobolDimension + 1), std::invalid_argument);
  CHECK(sim::design::sobol_unit(1, sim::design::kMaxSobolDimension).front().size() ==
        sim::design::kMaxSobolDimension);
}

TEST_CASE("a log scale maps equal steps of the unit interval to equal ratios") {
  const Axis axis{"h", {}, 0.001, 0.1, Scale::log, false};
  CHECK(sim::design::map_coordinate(0.0, axis) == Approx(0.001).epsilon(1e-12));
  CHECK(sim::design::map_coordinate(0.5, axis) == Approx(0.01).epsilon(1e-12));
  CHECK(sim::design::map_coordinate(1.0, axis) == Approx(0.1).epsilon(1e-12));
  const double r1 = sim::design::map_coordinate(0.3, axis) / sim::design::map_coordinate(0.2, axis);
  const double r2 = sim::design::map_coordinate(0.8, axis) / sim::design::map_coordinate(0.7, axis);
  CHECK(r1 == Approx(r2).epsilon(1e-12));
}

TEST_CASE("a linear scale maps the unit interval onto the range, and integer axes are rounded") {
  const Axis linear{"x", {}, 2.0, 10.0, Scale::linear, false};
  CHECK(sim::design::map_coordinate(0.25, linear) == Approx(4.0));
  const Axis whole{"w", {}, 1.0, 52.0, Scale::linear, true};
  for (double u = 0.0; u < 1.0; u += 0.013) {
    const double v = sim::design::map_coordinate(u, whole);
    CHECK(v == std::round(v));
    CHECK(v >= 1.0);
    CHECK(v <= 52.0);
  }
}

TEST_CASE("random designs are uniform on the unit cube and a function of their seed") {
  const auto points = sim::design::random_unit(20000, 2, 5);
  CHECK(points == sim::design::random_unit(20000, 2, 5));
  double mean = 0.0;
  for (const auto& p : points) mean += p[1];
  mean /= 20000.0;
  // Uniform(0,1) mean 1/2, sd 1/sqrt(12); five standard errors.
  CHECK(std::fabs(mean - 0.5) < 5.0 * std::sqrt(1.0 / 12.0 / 20000.0));
}
