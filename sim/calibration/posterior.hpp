#pragma once
// A calibration's posterior as the parameters of a run or sweep (`--posterior CAL.h5`): each
// replicate draws a particle by weight (sim::Posterior, sim/run/job.hpp), so that predictions
// carry the calibrated uncertainty beside the stochastic one (docs/scenarios.md, *Predictions
// from a posterior*).

#include <iosfwd>
#include <string>
#include <vector>

#include "sim/run/job.hpp"
#include "sim/scenario.hpp"

namespace sim::calibration {

/// Reads the final population of the complete calibration in `path` for `scenario`: every
/// calibrated parameter must be in the scenario's table and every particle must satisfy the
/// model's constraints with the scenario's other values. Anything else is an InputError naming
/// the file and `--posterior`.
Posterior load_posterior(const std::string& path, const Scenario& scenario);

/// Attaches a posterior to a job: declares its outputs in the job's schema and refuses (naming
/// `--posterior`) a design that varies a calibrated parameter.
void attach_posterior(Job& job, Posterior posterior);

/// A line for the resolved inputs (and so the inputs fingerprint, which resume and merge compare):
/// the file, the parameters and a fingerprint of the particles and weights.
std::string posterior_inputs(const Posterior& posterior);

/// Refuses a `--set name=value` of a parameter the posterior gives (InputError at --set).
void refuse_set_parameters(const Posterior& posterior, const std::vector<std::string>& sets);

/// Prints, for every summarised observable, its variance over the replicates split into the part
/// from the calibrated parameters and the stochastic part.
void print_variance_split(const Posterior& posterior, const OutputSchema& schema, const PointSummary& summary,
                          std::uint64_t replicates, std::ostream& out);

/// The variance of a per-replicate output split by the law of total variance into the part from
/// the parameters (between the particles drawn) and the stochastic part (within them).
struct VarianceSplit {
  double total = 0.0;
  double parameter = 0.0;     // Var(E[Y | particle]), estimated between particles
  double stochastic = 0.0;    // E[Var(Y | particle)], pooled within particles
  std::size_t particles = 0;  // distinct particles drawn
};
/// From per-replicate values and the particle each replicate drew.
VarianceSplit split_variance(const std::vector<double>& values, const std::vector<double>& particles);

/// From the per-particle summaries /posterior/draws, /posterior/<observable>_sum and _sum_of_squares
/// of a point (each a mean per replicate, as stored) and the point's replicates.
VarianceSplit split_variance(const std::vector<double>& draws, const std::vector<double>& sums,
                             const std::vector<double>& squares, double replicates);

}  // namespace sim::calibration
