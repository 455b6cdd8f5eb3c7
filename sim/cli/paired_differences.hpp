#pragma once
// The answer of a compare: each point of a sweep against its reference point, replicate by
// replicate. Under common random numbers replicate r is the same simulated world at every point,
// so the paired difference x_p[r] - x_ref[r] is the compared policy's effect in that world; its
// spread over replicates is what the answer's uncertainty is (docs/scenarios.md, *Compares*).

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "sim/cli/stored_results.hpp"

namespace sim::cli {

/// A per-replicate scalar result at a point against the reference point.
struct PairedDifference {
  std::string quantity;  // the field's description
  std::string path;      // e.g. /results/fip_count
  std::string units;
  double reference_mean = 0.0;
  double point_mean = 0.0;
  double mean = 0.0;             // mean of the paired differences
  double standard_error = 0.0;   // Monte Carlo standard error of that mean
  double low = 0.0, high = 0.0;  // 5th and 95th percentiles of the paired differences
};

/// A ratio of means (RatioSpec) at a point and at the reference, and the incremental ratio: the
/// mean difference of the numerator over that of the denominator, with a 90% confidence interval
/// for it by the delta method. The incremental ratio is not defined when the denominator's mean
/// difference is zero; its interval is not given when the denominator's 90% confidence interval
/// includes zero (the ratio is then unbounded).
struct PairedRatio {
  std::string name;
  std::string incremental_name;
  std::string units;
  double reference_ratio = 0.0;
  double point_ratio = 0.0;
  double numerator_difference = 0.0;  // mean paired differences
  double denominator_difference = 0.0;
  bool incremental_defined = false;
  double incremental = 0.0;
  bool interval_defined = false;
  double low = 0.0, high = 0.0;
};

struct PointComparison {
  std::size_t point = 0;
  std::string label;
  std::vector<PairedDifference> differences;
  std::vector<PairedRatio> ratios;
};

struct Comparison {
  std::size_t reference = 0;
  std::string reference_label;
  std::size_t replicates = 0;
  std::vector<PointComparison> points;  // every complete point but the reference
};

/// z of a two-sided 90% interval.
inline constexpr double kZ90 = 1.6448536269514722;

/// Percentile q (0..1) of `values` by linear interpolation between order statistics (numpy's
/// default, Hyndman and Fan type 7), so Python readers of the file get the same numbers.
double percentile(std::vector<double> values, double q);

/// The paired difference of per-replicate values at a point and at the reference.
PairedDifference paired_difference(const std::vector<double>& point, const std::vector<double>& reference);

/// The ratios of per-replicate numerators and denominators at a point and at the reference.
PairedRatio paired_ratio(const std::vector<double>& numerator, const std::vector<double>& denominator,
                         const std::vector<double>& reference_numerator,
                         const std::vector<double>& reference_denominator);

/// The label of point p: its `labels` entry, else "point p".
std::string point_label(const output::DesignInfo& design, std::size_t point);

/// Every complete point against the file's reference point (the design's `reference`; none
/// without one, or when the reference is not complete): paired differences of every per-replicate
/// scalar field and the schema's ratios.
std::optional<Comparison> compare_with_reference(const output::ResultFile& file, const StoredResults& stored);

/// A quantity in its units for a sentence or a table: money in GBP as £6.9m, £24k or £512;
/// otherwise the number with up to `decimals` decimals and the units.
std::string format_quantity(double value, const std::string& units, int decimals = 2);

}  // namespace sim::cli
