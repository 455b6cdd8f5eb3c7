#pragma once
// `lwsim bench`'s figures (docs/performance.md, *lwsim bench*), all measured in one process on the
// registry's default scenario, except peak memory, which is measured in child processes so that
// each figure is isolated:
//
//   practice-weeks per second   replicates x entities x weeks / wall time, on 1 thread and on
//                               T threads (median of repetitions), as `lwsim run` without -o
//   Philox calls per entity-week counted by the workspaces over a fixed number of replicates
//                               (deterministic: independent of threads and timing)
//   ns per Philox call          a tight loop over sim::Stream's generator, one call at a time,
//                               in this process
//   floor ratio                 ns per entity-week on 1 thread / (calls per entity-week x ns per
//                               call): how far the model is above the cost of its random numbers
//   HDF5 write share            a standard 1,000-point sweep written as `lwsim sweep` writes it:
//                               time inside HDF5 (creating the file, the writer thread's writes
//                               and flushes, the final compressed copy) over the sweep's wall time
//   peak RSS                    `lwsim run --replicates N -o FILE --quiet` as a child, for two N
//
// Nothing here is a test: the targets are reported as met or not, never asserted.

#include <array>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "sim/bench/throughput.hpp"
#include "sim/bench/write_share.hpp"
#include "sim/registry.hpp"

namespace sim::bench {

struct BenchOptions {
  unsigned threads = 1;  // of the all-threads figures
  bool quick = false;    // short runs: indicative figures only
};

struct BenchFigures {
  BenchOptions options;
  unsigned hardware_threads = 1;
  std::string model;
  std::string scenario_file;
  std::string scenario_title;
  StepCount steps;
  int repetitions = 1;
  Throughput one;  // on 1 thread
  Throughput all;  // on options.threads threads
  std::uint64_t counted_replicates = 0;
  std::uint64_t philox_calls = 0;
  std::vector<double> philox_ns_samples;
  double philox_ns_per_draw = 0.0;
  WriteShare write;
  std::array<std::uint64_t, 2> rss_replicates{};
  std::vector<double> peak_rss_mib;  // one per rss_replicates

  [[nodiscard]] double speedup() const { return all.rate / one.rate; }
  [[nodiscard]] double draws_per_step() const;
  [[nodiscard]] double ns_per_step_1t() const { return 1e9 / one.rate; }
  [[nodiscard]] double floor_ratio() const {
    return ns_per_step_1t() / (draws_per_step() * philox_ns_per_draw);
  }
};

/// Measures every figure; the built-in benchmark sweep (bench/sweep_1000_points.toml, or
/// bench/sweep_100_points.toml when quick) must be registered.
BenchFigures measure_figures(const BenchOptions& options, const ModelRegistry& registry);

/// The throughput targets (docs/performance.md, *lwsim bench*), and whether the figures meet them.
struct Targets {
  static constexpr double kRate = 10e6;
  static constexpr double kFloor = 3.0;
  static constexpr double kSpeedup = 1.85;
  static constexpr double kShare = 0.10;
  static constexpr double kRssGrowth = 1.10;  // "independent of replicates": at most 10% growth
  bool rate = false;
  bool floor = false;
  bool speedup = false;
  bool share = false;
  bool rss = false;
};
Targets targets_met(const BenchFigures& figures);

/// The figures as a table with the targets, or as one JSON object.
void print_table(const BenchFigures& figures, std::ostream& out);
void print_json(const BenchFigures& figures, std::ostream& out);

}  // namespace sim::bench
