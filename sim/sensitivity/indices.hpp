#pragma once
// Global sensitivity analysis: Sobol first- and total-order indices from Saltelli's sampling
// scheme, and Morris elementary effects, each with bootstrap confidence intervals. Pure functions
// of the model outputs at the design points, so they can be checked on functions with known
// indices (the Ishigami function).

#include <cstdint>
#include <vector>

namespace sim::sensitivity {

struct Interval {
  double lower = 0.0;
  double upper = 0.0;
};

// ---- Sobol indices (Saltelli 2002, 2010) ------------------------------------------------------

/// The N (d + 2) unit-cube points of Saltelli's scheme, in the order A (N rows), B (N rows), then
/// A_B^(i) for i = 1..d (N rows each: A with column i from B). A and B are the first and last d
/// coordinates of the first N points of Boost's 2d-dimensional Sobol sequence.
std::vector<std::vector<double>> saltelli_design(std::size_t n, std::size_t d);

struct SobolIndices {
  std::vector<double> first_order;  // Saltelli (2010) estimator
  std::vector<double> total_order;  // Jansen (1999) estimator
  std::vector<Interval> first_order_ci;
  std::vector<Interval> total_order_ci;
  double variance = 0.0;
};

/// Indices from the outputs at the points of saltelli_design(n, d), with percentile bootstrap
/// intervals over `resamples` resamplings of the N rows (seeded).
SobolIndices sobol_indices(const std::vector<double>& outputs, std::size_t n, std::size_t d,
                           std::size_t resamples, double confidence, std::uint32_t seed);

// ---- Morris elementary effects (Morris 1991; Campolongo et al. 2007) -----------------------------

/// r trajectories of d + 1 points on a grid of p levels (p even), each moving one parameter at a
/// time by ±Δ, Δ = p / (2 (p − 1)). Returned as r (d + 1) unit-cube points, trajectory by
/// trajectory; `order` receives, for each trajectory, which parameter each step moved and the
/// sign of its move.
struct MorrisStep {
  std::size_t parameter = 0;
  double delta = 0.0;  // +Δ or −Δ on the unit scale
};
std::vector<std::vector<double>> morris_design(std::size_t r, std::size_t d, std::size_t levels,
                                               std::uint32_t seed,
                                               std::vector<std::vector<MorrisStep>>& steps);

struct MorrisEffects {
  std::vector<double> mu_star;  // mean |elementary effect|
  std::vector<double> mu;       // mean elementary effect
  std::vector<double> sigma;    // standard deviation of the elementary effects
  std::vector<Interval> mu_star_ci;
};

/// Effects (per unit of the unit-scaled parameter) from the outputs at morris_design's points.
MorrisEffects morris_effects(const std::vector<double>& outputs,
                             const std::vector<std::vector<MorrisStep>>& steps, std::size_t d,
                             std::size_t resamples, double confidence, std::uint32_t seed);

}  // namespace sim::sensitivity
