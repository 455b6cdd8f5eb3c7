#pragma once
// Calibration files (ABC-SMC): a base scenario, observed data, priors on parameters by their table
// names, the distance, and the algorithm's settings. Validated like scenarios: every error names
// file, line and key.

#include <string>
#include <vector>

#include "sim/calibration/abc.hpp"
#include "sim/calibration/priors.hpp"
#include "sim/registry.hpp"
#include "sim/scenario.hpp"
#include "sim/study_header.hpp"

namespace sim::calibration {

/// One of the models a calibration chooses between ([[variant]]): a mechanism variant, as values of
/// switches in the parameter table.
struct ModelVariant {
  std::string name;
  std::vector<std::pair<std::size_t, double>> settings;  // (table index, value)
};

/// The header's scenario is the base scenario, with the observed data to calibrate against.
struct CalibrationFile : StudyHeader {
  std::vector<Prior> priors;
  /// The models to choose between (empty: one model, the base scenario's).
  std::vector<ModelVariant> models;
  /// Every parameter some model sets (table indices), in first-set order, and each model's value
  /// of each ([model][k]; the base scenario's value where a model does not set it).
  std::vector<std::size_t> switches;
  std::vector<std::vector<double>> switch_values;
  std::vector<DistanceTerm> terms;
  AbcSettings settings;

  /// The resolved calibration as text (for provenance and to check resumes).
  [[nodiscard]] std::string resolved_text() const;
};

CalibrationFile load_calibration(const std::string& path, const ModelRegistry& registry);

/// True when the TOML document is a calibration file (it has an [abc] table).
bool is_calibration_document(const config::Value& root);

}  // namespace sim::calibration
