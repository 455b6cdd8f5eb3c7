#pragma once
// What a job will need — disk, memory and CPU time — estimated from the model's output schema
// before anything starts, so that a request that cannot fit (absurd replicates, a design of a
// billion points, an output larger than the disk) is refused up front with the numbers, instead
// of failing hours later or filling the disk.

#include <cstdint>
#include <string>

#include "sim/schema.hpp"

namespace sim {

struct JobEstimate {
  double points = 0;
  double replicates = 0;    // per point
  double output_bytes = 0;  // the output file while running (uncompressed, preallocated)
  double memory_bytes = 0;  // the engine's own buffers: design, blocks, exact sums
  double cpu_seconds = 0;   // a lower bound on the CPU time

  /// "a 1.2 GB output file, 310 MB of memory and at least 2.5 CPU-hours".
  [[nodiscard]] std::string describe() const;
};

/// A lower bound on the CPU cost of a replicate per number it produces (its per-replicate
/// results plus what it adds to the point's sums). A Deep End replicate produces about 12,000
/// numbers in about 0.7 ms (60 ns each), so the bound is an underestimate by far: only jobs that
/// are impossible by a wide margin are refused.
inline constexpr double kCpuSecondsPerValue = 1e-9;
/// The most CPU time (as estimated from below) a job may ask for: 100 CPU-years.
inline constexpr double kMaxCpuSeconds = 100.0 * 365.25 * 86400.0;
/// The most parameter values (points x swept parameters) a design may hold in memory.
inline constexpr double kMaxDesignValues = 33'554'432.0;

/// Estimates a job of `points` design points (with `swept` parameters) of `replicates` each, on
/// `threads` threads. `attribute_bytes` is the size of the provenance stored with the file.
JobEstimate estimate_job(const OutputSchema& schema, double points, std::size_t swept, double replicates,
                         unsigned threads, double attribute_bytes = 0.0);

/// Why the job cannot run, or an empty string: more CPU time than kMaxCpuSeconds, or more memory
/// than the machine has.
std::string beyond_limits(const JobEstimate& estimate);
/// Why its output cannot be written, or an empty string: an output file larger than the free
/// space of the file system `output_path` goes to, or than the process's file-size limit.
std::string beyond_disk(const JobEstimate& estimate, const std::string& output_path);

/// Formats a byte count ("812 kB", "1.2 GB", "3.6 PB") and a duration in CPU time
/// ("4.1 CPU-seconds", "2.5 CPU-hours", "380 CPU-years").
std::string format_bytes(double bytes);
std::string format_cpu_time(double seconds);

}  // namespace sim
