// Unit-cube designs: Latin hypercube, Sobol, random. Randomness comes from Philox streams keyed
// by the design's seed, so a sweep file always yields the same points.

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include <boost/random/sobol.hpp>

#include "sim/design/design.hpp"
#include "sim/random.hpp"
#include "sim/rng.hpp"

namespace sim::design {
namespace {
// Design streams use a key of their own (replicate word = all ones), so they never coincide with
// a replicate's streams.
constexpr std::uint32_t kDesignKey = 0xFFFFFFFFU;
enum : std::uint32_t { kPermutation = 1, kJitter = 2, kUniform = 3 };
}  // namespace

Points latin_hypercube_unit(std::size_t n, std::size_t d, std::uint32_t seed) {
  Points points(n, std::vector<double>(d));
  std::vector<std::uint32_t> order(n);
  for (std::size_t j = 0; j < d; ++j) {
    Stream permute({seed, kDesignKey}, {static_cast<std::uint32_t>(j), 0, kPermutation});
    Stream jitter({seed, kDesignKey}, {static_cast<std::uint32_t>(j), 0, kJitter});
    std::iota(order.begin(), order.end(), 0U);
    for (std::size_t i = n; i > 1; --i) {  // Fisher–Yates
      const std::uint32_t k = random::index(permute, static_cast<std::uint32_t>(i));
      std::swap(order[i - 1], order[k]);
    }
    for (std::size_t i = 0; i < n; ++i) {
      points[i][j] = (static_cast<double>(order[i]) + random::uniform(jitter)) / static_cast<double>(n);
    }
  }
  return points;
}

Points sobol_unit(std::size_t n, std::size_t d) {
  if (d < 1 || d > kMaxSobolDimension) {
    throw std::invalid_argument("Sobol dimension must be between 1 and 3667");
  }
  boost::random::sobol engine(static_cast<unsigned>(d));
  Points points(n, std::vector<double>(d));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < d; ++j) {
      // Boost returns the next coordinate as a 64-bit integer; keep its top 53 bits exactly
      // (uniform_01 over it would retry on rounding to 1.0 and skip sequence values).
      const std::uint64_t x = engine();
      points[i][j] = static_cast<double>(x >> 11) * 0x1.0p-53;
    }
  }
  return points;
}

Points random_unit(std::size_t n, std::size_t d, std::uint32_t seed) {
  Points points(n, std::vector<double>(d));
  for (std::size_t i = 0; i < n; ++i) {
    Stream s({seed, kDesignKey}, {static_cast<std::uint32_t>(i), 0, kUniform});
    for (std::size_t j = 0; j < d; ++j) points[i][j] = random::uniform(s);
  }
  return points;
}

double map_coordinate(double u, const Axis& axis) {
  double v = axis.scale == Scale::log
                 ? std::exp(std::log(axis.min) + u * (std::log(axis.max) - std::log(axis.min)))
                 : axis.min + u * (axis.max - axis.min);
  v = std::clamp(v, axis.min, axis.max);
  return axis.integer ? std::round(v) : v;
}

Points map_to_ranges(const Points& unit, const std::vector<Axis>& axes) {
  Points points = unit;
  for (auto& point : points) {
    for (std::size_t j = 0; j < axes.size(); ++j) point[j] = map_coordinate(point[j], axes[j]);
  }
  return points;
}

}  // namespace sim::design
