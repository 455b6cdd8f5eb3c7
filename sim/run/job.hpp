#pragma once
// A job: one model and scenario, a set of design points and a number of replicates per point.
// A single scenario run is a one-point job; a sweep is a many-point job.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/model.hpp"
#include "sim/params.hpp"
#include "sim/schema.hpp"

namespace sim {

/// A calibration's posterior that a run or sweep draws its parameters from (`--posterior
/// CAL.h5`): replicate r of every point uses the particle drawn for r, by weight, from a stream
/// keyed by r alone, so that design points keep common random numbers and the draw does not
/// depend on threads, ranks or shards.
struct Posterior {
  std::string file;                            // the calibration file it was read from
  std::vector<std::string> names;              // the calibrated parameters
  std::vector<std::size_t> parameters;         // their indices in the table
  std::vector<std::vector<double>> particles;  // [particle][parameter]
  std::vector<double> weights;                 // normalised
  std::vector<double> cumulative;              // running sums of the weights
  std::uint32_t seed = 0;
  FieldId<std::int32_t> particle_field;  // per replicate: the particle drawn
  /// Per particle, exact sums over the replicates that drew it: how many did, and of every
  /// summarised observable its sum and sum of squares (for the split of its variance).
  AccumulatorId draws;
  struct ObservableSums {
    std::size_t observable = 0;  // index in the schema's observables
    AccumulatorId sum;
    AccumulatorId sum_of_squares;
  };
  std::vector<ObservableSums> sums;

  /// The particle replicate `replicate` draws.
  [[nodiscard]] std::size_t draw(std::uint64_t replicate) const;
};

/// Declares the posterior's outputs in `schema`: /posterior/particle per replicate, and the
/// particles and weights as constants (dimensions posterior_particle and calibrated).
void declare_posterior_outputs(OutputSchema& schema, Posterior& posterior);

struct Job {
  const Model* model = nullptr;
  std::shared_ptr<const ModelSetup> setup;
  OutputSchema schema;
  std::optional<ParamValues> base;
  /// Swept parameters (indices into the table) and their values at every point: values[p][k].
  std::vector<std::size_t> swept;
  std::vector<std::vector<double>> values;
  std::size_t point_count = 1;
  std::uint64_t replicates = 0;
  std::uint32_t seed = 0;
  /// Empty: common random numbers (replicate r of every point uses the streams of replicate r).
  /// Otherwise one offset per point added to the replicate number of the stream key (ABC).
  std::vector<std::uint32_t> key_offsets;
  /// `--check`: every workspace verifies the model's state invariants as it steps.
  bool check_invariants = false;
  /// Parameters drawn per replicate from a calibration's posterior (`--posterior`), or none.
  std::shared_ptr<const Posterior> posterior;

  [[nodiscard]] std::size_t points() const noexcept { return point_count; }
  /// The complete parameter values at point p (already validated when the design was built).
  [[nodiscard]] ParamValues point_params(std::size_t p) const;
  /// The parameter values of replicate r at point p: the point's, with the posterior particle
  /// the replicate draws (nullptr: no posterior).
  [[nodiscard]] ParamValues replicate_params(std::size_t p, std::size_t particle) const;
};

struct Scenario;
/// The one-point job of a scenario: its model, setup, output schema, parameters, replicates and
/// seed.
Job job_for(const Scenario& scenario);

}  // namespace sim
