#pragma once
// Screening statistics for `lwsim report` on sweeps: how much of an outcome's variation one
// parameter explains on its own. A glance, not a sensitivity analysis (that is
// `lwsim sensitivity`).

#include <cstddef>
#include <vector>

namespace sim::cli {

struct MainEffect {
  double variance_share = 0.0;    // Var(E[y | bin of x]) / Var(y), from bin means
  double rank_correlation = 0.0;  // Spearman's rho (average ranks for ties)
  double first_bin_mean = 0.0;    // mean y in the bin of the lowest x
  double last_bin_mean = 0.0;     // mean y in the bin of the highest x
  std::size_t bins = 0;
  /// The share a parameter with no effect explains by chance: about (bins - 1) / (n - 1), the
  /// expected between-bin share of n exchangeable values in `bins` groups.
  double chance_share = 0.0;
};

/// Bins x by its distinct values when it has at most 12 of them (a grid), otherwise into 10
/// bins of equal counts by rank.
MainEffect main_effect(const std::vector<double>& x, const std::vector<double>& y);

/// Ranks starting at 1, ties given their average rank.
std::vector<double> average_ranks(const std::vector<double>& v);

}  // namespace sim::cli
