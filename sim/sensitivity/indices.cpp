#include "sim/sensitivity/indices.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "sim/design/design.hpp"
#include "sim/random.hpp"
#include "sim/rng.hpp"

namespace sim::sensitivity {

namespace {

// Bootstrap and Morris streams have keys of their own.
constexpr std::uint32_t kBootstrapKey = 0xFFFFFFFDU;
constexpr std::uint32_t kMorrisKey = 0xFFFFFFFCU;

Interval percentile_interval(std::vector<double> samples, double confidence) {
  std::sort(samples.begin(), samples.end());
  const double tail = (1.0 - confidence) / 2.0;
  const auto at = [&](double q) {
    const double pos = q * static_cast<double>(samples.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, samples.size() - 1);
    return samples[lo] + (pos - static_cast<double>(lo)) * (samples[hi] - samples[lo]);
  };
  return {at(tail), at(1.0 - tail)};
}

struct SobolPoint {
  std::vector<double> first;
  std::vector<double> total;
  double variance = 0.0;
};

SobolPoint estimate(const std::vector<double>& y, std::size_t n, std::size_t d,
                    const std::vector<std::size_t>& rows) {
  SobolPoint out;
  const auto a = [&](std::size_t j) { return y[j]; };
  const auto b = [&](std::size_t j) { return y[n + j]; };
  const auto ab = [&](std::size_t i, std::size_t j) { return y[(2 + i) * n + j]; };
  double mean = 0.0;
  for (std::size_t j : rows) mean += a(j) + b(j);
  mean /= 2.0 * static_cast<double>(rows.size());
  double var = 0.0;
  for (std::size_t j : rows) var += (a(j) - mean) * (a(j) - mean) + (b(j) - mean) * (b(j) - mean);
  var /= 2.0 * static_cast<double>(rows.size()) - 1.0;
  out.variance = var;
  for (std::size_t i = 0; i < d; ++i) {
    double first = 0.0;
    double total = 0.0;
    for (std::size_t j : rows) {
      first += b(j) * (ab(i, j) - a(j));
      total += (a(j) - ab(i, j)) * (a(j) - ab(i, j));
    }
    const auto m = static_cast<double>(rows.size());
    out.first.push_back(var > 0.0 ? first / m / var : 0.0);
    out.total.push_back(var > 0.0 ? 0.5 * total / m / var : 0.0);
  }
  return out;
}

}  // namespace

std::vector<std::vector<double>> saltelli_design(std::size_t n, std::size_t d) {
  const auto base = design::sobol_unit(n, 2 * d);
  std::vector<std::vector<double>> points;
  points.reserve(n * (d + 2));
  for (std::size_t j = 0; j < n; ++j)
    points.emplace_back(base[j].begin(), base[j].begin() + static_cast<std::ptrdiff_t>(d));
  for (std::size_t j = 0; j < n; ++j)
    points.emplace_back(base[j].begin() + static_cast<std::ptrdiff_t>(d), base[j].end());
  for (std::size_t i = 0; i < d; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      std::vector<double> p(base[j].begin(), base[j].begin() + static_cast<std::ptrdiff_t>(d));
      p[i] = base[j][d + i];
      points.push_back(std::move(p));
    }
  }
  return points;
}

SobolIndices sobol_indices(const std::vector<double>& outputs, std::size_t n, std::size_t d,
                           std::size_t resamples, double confidence, std::uint32_t seed) {
  std::vector<std::size_t> rows(n);
  std::iota(rows.begin(), rows.end(), 0);
  const SobolPoint point = estimate(outputs, n, d, rows);
  SobolIndices out;
  out.first_order = point.first;
  out.total_order = point.total;
  out.variance = point.variance;
  std::vector<std::vector<double>> first(d), total(d);
  for (std::size_t b = 0; b < resamples; ++b) {
    Stream s({seed, kBootstrapKey}, {static_cast<std::uint32_t>(b), 0, 1});
    for (std::size_t& r : rows) r = random::index(s, static_cast<std::uint32_t>(n));
    const SobolPoint resampled = estimate(outputs, n, d, rows);
    for (std::size_t i = 0; i < d; ++i) {
      first[i].push_back(resampled.first[i]);
      total[i].push_back(resampled.total[i]);
    }
  }
  for (std::size_t i = 0; i < d; ++i) {
    out.first_order_ci.push_back(resamples > 1 ? percentile_interval(first[i], confidence) : Interval{});
    out.total_order_ci.push_back(resamples > 1 ? percentile_interval(total[i], confidence) : Interval{});
  }
  return out;
}

std::vector<std::vector<double>> morris_design(std::size_t r, std::size_t d, std::size_t levels,
                                               std::uint32_t seed,
                                               std::vector<std::vector<MorrisStep>>& steps) {
  const double delta = static_cast<double>(levels) / (2.0 * static_cast<double>(levels - 1));
  const std::size_t low_levels = levels / 2;  // starting levels from which +Δ stays inside [0, 1]
  std::vector<std::vector<double>> points;
  steps.assign(r, {});
  std::vector<std::size_t> order(d);
  for (std::size_t t = 0; t < r; ++t) {
    Stream s({seed, kMorrisKey}, {static_cast<std::uint32_t>(t), 0, 1});
    std::vector<double> x(d);
    std::vector<double> direction(d);
    for (std::size_t k = 0; k < d; ++k) {
      const double level = static_cast<double>(random::index(s, static_cast<std::uint32_t>(low_levels)));
      direction[k] = random::index(s, 2) == 0 ? 1.0 : -1.0;
      x[k] = level / static_cast<double>(levels - 1) + (direction[k] < 0 ? delta : 0.0);
    }
    std::iota(order.begin(), order.end(), 0);
    for (std::size_t k = d; k > 1; --k)
      std::swap(order[k - 1], order[random::index(s, static_cast<std::uint32_t>(k))]);
    points.push_back(x);
    for (std::size_t k : order) {
      x[k] += direction[k] * delta;
      points.push_back(x);
      steps[t].push_back({k, direction[k] * delta});
    }
  }
  return points;
}

MorrisEffects morris_effects(const std::vector<double>& outputs,
                             const std::vector<std::vector<MorrisStep>>& steps, std::size_t d,
                             std::size_t resamples, double confidence, std::uint32_t seed) {
  const std::size_t r = steps.size();
  // effects[t][k]: the elementary effect of parameter k in trajectory t.
  std::vector<std::vector<double>> effects(r, std::vector<double>(d, 0.0));
  for (std::size_t t = 0; t < r; ++t) {
    for (std::size_t s = 0; s < steps[t].size(); ++s) {
      const double before = outputs[t * (d + 1) + s];
      const double after = outputs[t * (d + 1) + s + 1];
      effects[t][steps[t][s].parameter] = (after - before) / steps[t][s].delta;
    }
  }
  const auto summarise = [&](const std::vector<std::size_t>& rows, std::size_t k) {
    double mean = 0.0, mean_abs = 0.0;
    for (std::size_t t : rows) {
      mean += effects[t][k];
      mean_abs += std::fabs(effects[t][k]);
    }
    const auto m = static_cast<double>(rows.size());
    return std::pair{mean / m, mean_abs / m};
  };
  std::vector<std::size_t> rows(r);
  std::iota(rows.begin(), rows.end(), 0);
  MorrisEffects out;
  for (std::size_t k = 0; k < d; ++k) {
    const auto [mean, mean_abs] = summarise(rows, k);
    double var = 0.0;
    for (std::size_t t = 0; t < r; ++t) var += (effects[t][k] - mean) * (effects[t][k] - mean);
    out.mu.push_back(mean);
    out.mu_star.push_back(mean_abs);
    out.sigma.push_back(r > 1 ? std::sqrt(var / static_cast<double>(r - 1)) : 0.0);
  }
  std::vector<std::vector<double>> boot(d);
  for (std::size_t b = 0; b < resamples; ++b) {
    Stream s({seed, kBootstrapKey}, {static_cast<std::uint32_t>(b), 0, 2});
    for (std::size_t& t : rows) t = random::index(s, static_cast<std::uint32_t>(r));
    for (std::size_t k = 0; k < d; ++k) boot[k].push_back(summarise(rows, k).second);
  }
  for (std::size_t k = 0; k < d; ++k) {
    out.mu_star_ci.push_back(resamples > 1 ? percentile_interval(boot[k], confidence) : Interval{});
  }
  return out;
}

}  // namespace sim::sensitivity
