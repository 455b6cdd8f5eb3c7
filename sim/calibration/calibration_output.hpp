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

/// The posterior predictive distribution of one observable over the final population.
struct Predictive {
  std::string observable;
  std::vector<double> distribution;  // P(value) for value = 0 .. max
  double observed = 0.0;
  double p_observed = 0.0;     // P(observable = observed value)
  double p_observed_se = 0.0;  // its approximate Monte Carlo standard error
};

/// The predictive of `observable` (path: its distribution dataset) from the summaries of the
/// final population's particles, `replicates` replicates each, weighted by the particles' weights.
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
