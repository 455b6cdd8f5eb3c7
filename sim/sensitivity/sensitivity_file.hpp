#pragma once
// Sensitivity files: a base scenario, the method (Sobol indices with Saltelli sampling, or Morris
// elementary effects), the parameters and their ranges, the outputs, replicates and seeds.

#include <string>
#include <vector>

#include "sim/design/design.hpp"
#include "sim/registry.hpp"
#include "sim/scenario.hpp"
#include "sim/study_header.hpp"

namespace sim::sensitivity {

struct Output {
  std::string name;  // e.g. "P(FIP)"
  std::string path;  // a per-point summary dataset, averaged over its elements (e.g. /summary/p_fip)
};

struct SensitivityFile : StudyHeader {
  std::string method;         // "sobol" or "morris"
  std::size_t samples = 256;  // Sobol: N; Morris: trajectories
  std::size_t levels = 4;     // Morris grid levels
  std::uint64_t replicates = 100;
  std::uint32_t seed = 1;
  std::uint32_t design_seed = 1;
  std::size_t bootstrap = 1000;
  double confidence = 0.95;
  std::vector<design::Axis> axes;
  std::vector<std::size_t> parameters;  // table indices
  std::vector<Output> outputs;

  [[nodiscard]] std::size_t points() const;
  [[nodiscard]] std::string resolved_text() const;
};

SensitivityFile load_sensitivity(const std::string& path, const ModelRegistry& registry);

/// True when the TOML document is a sensitivity file (it has a [sensitivity] table).
bool is_sensitivity_document(const config::Value& root);

}  // namespace sim::sensitivity
