#pragma once
// Throughput for `lwsim bench` (docs/performance.md): replicates of a one-point job run as `lwsim
// run` without -o runs them (the writer computes the summaries, no file), timed, with the Philox
// calls the workspaces counted.

#include <cstdint>
#include <string>
#include <vector>

#include "sim/model.hpp"
#include "sim/run/job.hpp"

namespace sim::bench {

/// The sizes that make entity-weeks (for lwp: practice-weeks) out of replicates.
struct StepCount {
  std::string entity;  // e.g. "practice"
  std::uint64_t entities = 1;
  std::uint64_t weeks = 1;
  [[nodiscard]] std::uint64_t per_replicate() const { return entities * weeks; }
};
StepCount step_count(const OutputSchema& schema);

struct Pass {
  std::uint64_t replicates = 0;
  double seconds = 0.0;
  std::uint64_t philox_calls = 0;
};

/// Runs `replicates` replicates of the job's one point on `threads` threads.
Pass run_pass(const Job& base, const Observation* observed, std::uint64_t replicates, unsigned threads);

struct Throughput {
  std::uint64_t replicates = 0;
  std::vector<double> rates;  // entity-weeks per second, one per repetition
  double rate = 0.0;          // their median
};

/// Entity-weeks per second: the median of `repetitions` passes of `replicates` replicates.
Throughput measure_throughput(const Job& job, const Observation* observed, const StepCount& steps,
                              std::uint64_t replicates, unsigned threads, int repetitions);

/// The median of `values` (the mean of the middle two when there is an even number).
double median(std::vector<double> values);

}  // namespace sim::bench
