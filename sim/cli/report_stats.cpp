#include "sim/cli/report_stats.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace sim::cli {

std::vector<double> average_ranks(const std::vector<double>& v) {
  std::vector<std::size_t> order(v.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
  std::vector<double> ranks(v.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
    const double rank = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
    for (std::size_t k = i; k <= j; ++k) ranks[order[k]] = rank;
    i = j + 1;
  }
  return ranks;
}

namespace {
double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  const double n = static_cast<double>(a.size());
  const double ma = std::accumulate(a.begin(), a.end(), 0.0) / n;
  const double mb = std::accumulate(b.begin(), b.end(), 0.0) / n;
  double sab = 0.0, saa = 0.0, sbb = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return saa > 0.0 && sbb > 0.0 ? sab / std::sqrt(saa * sbb) : 0.0;
}
}  // namespace

MainEffect main_effect(const std::vector<double>& x, const std::vector<double>& y) {
  MainEffect out;
  const std::size_t n = x.size();
  if (n < 2) return out;
  out.rank_correlation = pearson(average_ranks(x), average_ranks(y));

  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  std::vector<double> distinct(x);
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  // bin[i] for the i-th point in x order.
  std::vector<std::size_t> bin(n);
  std::size_t bins = 0;
  if (distinct.size() <= 12) {
    bins = distinct.size();
    for (std::size_t i = 0; i < n; ++i) {
      bin[i] = static_cast<std::size_t>(std::lower_bound(distinct.begin(), distinct.end(), x[order[i]]) -
                                        distinct.begin());
    }
  } else {
    bins = 10;
    for (std::size_t i = 0; i < n; ++i) bin[i] = i * bins / n;
  }
  std::vector<double> sum(bins, 0.0);
  std::vector<double> count(bins, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    sum[bin[i]] += y[order[i]];
    count[bin[i]] += 1.0;
  }
  const double mean = std::accumulate(y.begin(), y.end(), 0.0) / static_cast<double>(n);
  double between = 0.0;
  double total = 0.0;
  for (std::size_t b = 0; b < bins; ++b) {
    if (count[b] > 0) between += count[b] * std::pow(sum[b] / count[b] - mean, 2);
  }
  for (double v : y) total += (v - mean) * (v - mean);
  out.variance_share = total > 0.0 ? between / total : 0.0;
  out.bins = bins;
  out.chance_share = static_cast<double>(bins - 1) / static_cast<double>(n - 1);
  out.first_bin_mean = count.front() > 0 ? sum.front() / count.front() : 0.0;
  out.last_bin_mean = count.back() > 0 ? sum.back() / count.back() : 0.0;
  return out;
}

}  // namespace sim::cli
