#pragma once
// The output file of a calibration (`lwsim calibrate -o OUT.h5`, docs/output.md): the ABC-SMC
// generations under /abc, the final population under /posterior and its posterior predictive
// distribution under /posterior_predictive. It is rewritten whole after every generation, so
// that a calibration stopped at any moment resumes from its last complete generation, read back
// from the file.

#include <string>
#include <vector>

#include "sim/calibration/abc.hpp"
#include "sim/calibration/calibration_file.hpp"
#include "sim/model.hpp"
#include "sim/output/layout.hpp"
#include "sim/output/pending_output.hpp"
#include "sim/output/result_file.hpp"

namespace sim::calibration {

/// Where an observed pattern falls in the posterior predictive distribution of one simulated
/// evaluation (docs/scenarios.md, *Calibration files*).
struct PatternCheck {
  std::string name;
  std::string observed;    // what was observed, in words ("> 0", "= 0")
  double mean = 0.0;       // weighted mean of the simulated statistic (over draws where it is defined)
  double p = 0.0;          // sign, interval: P(a draw holds); value: two-sided tail probability
  double undefined = 0.0;  // weighted share of draws where the statistic is undefined (NaN)
  std::string verdict;     // "consistent" (p >= 0.1), "in the tail" (0.01 <= p < 0.1), "outside"
};

/// The checks of `patterns` from the statistics (the observables, then the schema's patterns) of
/// each draw: `replicates` consecutive draws per particle, weighted by the particle's weight.
std::vector<PatternCheck> pattern_checks(const OutputSchema& schema,
                                         const std::vector<ObservedPattern>& patterns,
                                         const std::vector<std::vector<double>>& statistics,
                                         const std::vector<double>& weights, std::uint64_t replicates);

/// The posterior predictive distribution of one observable over the final population.
struct Predictive {
  std::string observable;
  std::vector<double> distribution;  // P(value) for value = 0 .. max
  double observed = 0.0;
  double p_observed = 0.0;           // P(observable = observed value)
  double p_observed_se = 0.0;        // its approximate Monte Carlo standard error
  std::vector<PatternCheck> checks;  // of the observed patterns
};

/// The predictive of `observable` (path: its distribution dataset) from the summaries of the
/// final population's particles, `replicates` consecutive one-replicate summaries per particle,
/// weighted by the particles' weights.
Predictive posterior_predictive(const ObservableSpec& observable, double observed,
                                const std::vector<PointSummary>& summaries,
                                const std::vector<double>& weights, std::uint64_t replicates);

/// The datasets of a calibration's file after the generations of `state`, with the predictive
/// once there is one.
output::FileLayout calibration_layout(const CalibrationFile& c, const AbcState& state,
                                      const Predictive* predictive);

/// Writes the calibration's file through `pending` (committed): `attributes` (its provenance) and
/// `status` ("running", "stopped" or "complete") with the reason it stopped.
void write_calibration(output::PendingOutput& pending, const CalibrationFile& c, const AbcState& state,
                       const Predictive* predictive, output::Attributes attributes, const std::string& status,
                       const std::string& stop);

/// The generations stored in a calibration's file, to resume it (InputError when they do not fit
/// the calibration file).
AbcState read_calibration_state(const output::ResultFile& file, const CalibrationFile& c);

}  // namespace sim::calibration
