#pragma once
// The share of a sweep's wall time spent inside HDF5, for `lwsim bench` (docs/performance.md): a
// sweep run as `lwsim sweep` runs it (a streaming file, one writer thread, checkpoints, then a
// compressed copy), with the HDF5 work timed.

#include <algorithm>
#include <cstdint>
#include <string>

#include "sim/registry.hpp"
#include "sim/util/temporary_directory.hpp"

namespace sim::bench {

struct WriteShare {
  std::string sweep;
  std::size_t points = 0;
  std::uint64_t replicates = 0;
  double total_seconds = 0.0;
  double create_seconds = 0.0;
  double writer_seconds = 0.0;  // inside HDF5 writes and flushes on the writer thread
  std::uint64_t writer_calls = 0;
  double compress_seconds = 0.0;  // the final compressed copy
  [[nodiscard]] double hdf5_seconds() const { return create_seconds + writer_seconds + compress_seconds; }
  [[nodiscard]] double share() const { return hdf5_seconds() / std::max(total_seconds, 1e-9); }
};

/// Runs the sweep `sweep_file` on `threads` threads, writing its files in `directory`.
WriteShare measure_write_share(const std::string& sweep_file, const ModelRegistry& registry, unsigned threads,
                               const TemporaryDirectory& directory);

}  // namespace sim::bench
