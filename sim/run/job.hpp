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

  [[nodiscard]] std::size_t points() const noexcept { return point_count; }
  /// The complete parameter values at point p (already validated when the design was built).
  [[nodiscard]] ParamValues point_params(std::size_t p) const;
};

struct Scenario;
/// The one-point job of a scenario: its model, setup, output schema, parameters, replicates and
/// seed.
Job job_for(const Scenario& scenario);

}  // namespace sim
