#pragma once
// A sensitivity analysis's design, results and output file (`lwsim sensitivity -o OUT.h5`,
// docs/output.md): the design under /design, each output at each design point under
// /sensitivity/outputs, and the Sobol indices or Morris effects of every output, with their
// bootstrap intervals, under /sensitivity.

#include <vector>

#include "sim/model.hpp"
#include "sim/output/layout.hpp"
#include "sim/sensitivity/indices.hpp"
#include "sim/sensitivity/sensitivity_file.hpp"

namespace sim::sensitivity {

/// The design points on the parameters' ranges: Saltelli's scheme (Sobol) or Morris trajectories.
struct SensitivityDesign {
  std::vector<std::vector<double>> values;     // [point][parameter]
  std::vector<std::vector<MorrisStep>> steps;  // Morris: the moves of each trajectory
};
SensitivityDesign make_design(const SensitivityFile& s);

struct SensitivityResults {
  std::vector<std::vector<double>> outputs;  // [output][point]: the mean of its summary's values
  std::vector<SobolIndices> sobol;           // one per output (method "sobol")
  std::vector<MorrisEffects> morris;         // one per output (method "morris")
};

/// Each output at each point (from the points' summaries, in design order) and its indices.
SensitivityResults analyse(const SensitivityFile& s, const SensitivityDesign& design,
                           const std::vector<PointSummary>& summaries);

/// The datasets of the analysis's output file.
output::FileLayout sensitivity_layout(const SensitivityFile& s, const SensitivityDesign& design,
                                      const SensitivityResults& results);

}  // namespace sim::sensitivity
