#pragma once
// Sweep files (docs/scenarios.md): a base scenario, a design (grid, Latin hypercube, Sobol, random
// or an explicit CSV list of points), the swept parameters by their table names with levels or
// ranges, replicates and seeds. Every point is validated against the parameter table and the
// model's constraints when the file is read, so a bad sweep fails before any work starts.

#include <cstdint>
#include <string>
#include <vector>

#include "sim/design/design.hpp"
#include "sim/output/layout.hpp"
#include "sim/registry.hpp"
#include "sim/run/job.hpp"
#include "sim/scenario.hpp"
#include "sim/study_header.hpp"

namespace sim {

/// The header's scenario is the base scenario with [fixed] applied.
struct Sweep : StudyHeader {
  std::string kind;  // grid, lhs, sobol, random, csv
  std::vector<design::Axis> axes;
  std::vector<std::size_t> parameters;  // table index of each axis
  design::Points points;                // values[point][axis], all valid
  std::uint64_t replicates = 0;
  std::uint32_t seed = 0;         // key of the simulation's random streams
  std::uint32_t design_seed = 0;  // seed of the design's own randomness (lhs, random)
  /// One name per point ([design] labels), or empty: a compare's scenarios by name.
  std::vector<std::string> labels;
  /// The point the others are compared with ([design] reference), as paired differences under
  /// common random numbers; -1 when the file names none.
  std::int64_t reference = -1;

  /// The complete resolved sweep (design, axes, every point's values, and the resolved base
  /// scenario) as text: two sweeps with the same text give the same results.
  [[nodiscard]] std::string resolved_text() const;
  /// values[axis][point], the layout of /design/<parameter>.
  [[nodiscard]] std::vector<std::vector<double>> values_by_axis() const;
};

/// Upper bounds that refuse absurd requests up front.
inline constexpr std::uint64_t kMaxPoints = 10'000'000;

/// Reads and checks a sweep file. `overrides` come from the command line: --replicates and
/// --seed replace the design's (the design's own randomness, design_seed, is kept), and --set
/// fixes parameters the sweep does not vary (after [fixed]); every point is checked with them.
Sweep load_sweep(const std::string& path, const ModelRegistry& registry,
                 const ScenarioOverrides& overrides = {});
/// True when the TOML document is a sweep file (it has a [design] table).
bool is_sweep_document(const config::Value& root);

/// The job of a sweep: the base scenario's job with the swept parameters' values at every point.
Job job_for(const Sweep& sweep);

/// What a sweep's file stores of its design (read back with the file's results): kind, points,
/// the swept parameters and their values at every point.
output::DesignInfo design_of(const Sweep& sweep);

}  // namespace sim
