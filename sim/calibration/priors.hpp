#pragma once
// Prior distributions of calibrated parameters (ABC-SMC). Each prior lives on an internal scale
// on which particles are perturbed: the logarithm of the value for a log-uniform prior, the value
// itself otherwise; densities are taken on that scale.

#include <string>
#include <vector>

#include "sim/config/value.hpp"
#include "sim/params.hpp"
#include "sim/rng.hpp"

namespace sim::calibration {

enum class PriorKind { uniform, log_uniform, beta, normal, truncated_normal };

struct Prior {
  std::string parameter;  // its name in the parameter table
  std::size_t index = 0;  // its index in the table
  PriorKind kind = PriorKind::uniform;
  double min = 0.0;  // support (beta: the interval it is scaled to; normal: the table's range)
  double max = 1.0;
  double a = 0.0;  // beta a, or normal mean
  double b = 0.0;  // beta b, or normal sd
  bool integer = false;
  std::string file;  // where the prior is written
  int line = 0;
  std::string key;

  /// A value drawn from the prior (on the value scale).
  [[nodiscard]] double sample(Stream& stream) const;
  /// log density on the internal scale (−inf outside the support).
  [[nodiscard]] double log_density(double internal) const;
  [[nodiscard]] double to_internal(double value) const;
  [[nodiscard]] double to_value(double internal) const;
  [[nodiscard]] bool in_support(double value) const;
  [[nodiscard]] std::string describe() const;
};

/// Reads the [priors] table of a calibration file (InputError naming file, line and key for
/// unknown parameters, unknown distributions, min >= max, non-positive scales, supports outside
/// the parameter's allowed range).
std::vector<Prior> read_priors(const config::Value& table, const ParamTable& parameters);

}  // namespace sim::calibration
