#include "sim/run/estimate.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <fmt/format.h>

namespace sim {

namespace {

// HDF5's per-dataset metadata (object header, description and units, dimension-scale references)
// is about 1.5 kB a dataset in lwsim's files (tests/sim/estimate_test.cpp checks the estimate covers
// a real file); rounding up keeps the disk check on the safe side.
constexpr double kMetadataBytesPerDataset = 2048.0;
// Exact sums are held in 128 bits per value by the writer for every point in progress.
constexpr double kExactSumBytes = 16.0;

double physical_memory_bytes() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page > 0 ? static_cast<double>(pages) * static_cast<double>(page) : 0.0;
}

double free_bytes_for(const std::string& output_path) {
  namespace fs = std::filesystem;
  const fs::path p(output_path);
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  struct statvfs info {};
  if (statvfs(dir.c_str(), &info) != 0) return -1.0;  // unknown: the output check reports it
  return static_cast<double>(info.f_bavail) * static_cast<double>(info.f_frsize);
}

}  // namespace

JobEstimate estimate_job(const OutputSchema& schema, double points, std::size_t swept, double replicates,
                         unsigned threads, double attribute_bytes) {
  JobEstimate e;
  e.points = points;
  e.replicates = replicates;
  double replicate_bytes = 0.0;   // per-replicate results, in the file and in a block
  double replicate_values = 0.0;  // numbers a replicate produces
  for (const FieldSpec& f : schema.fields) {
    const auto n = static_cast<double>(schema.elements(f.dims));
    replicate_bytes += n * static_cast<double>(dtype_size(f.type));
    replicate_values += n;
  }
  double point_values = 0.0;  // exact sums and summaries of a point
  for (const AccumulatorSpec& a : schema.accumulators)
    point_values += static_cast<double>(schema.elements(a.dims));
  double histogram_values = 0.0;
  for (const ObservableSpec& o : schema.observables) {
    histogram_values += static_cast<double>(o.max_value + 1);
    if (o.summarised) point_values += static_cast<double>(o.max_value + 1);
  }
  replicate_values += point_values;
  point_values += 3.0;  // P(observed), its error, the status
  const double datasets =
      static_cast<double>(schema.fields.size() + schema.accumulators.size() + schema.observables.size() +
                          schema.dims.size() + schema.statics.size() + swept + 8);
  double scale_bytes = 0.0;
  for (const Dimension& d : schema.dims) {
    double labels = 0.0;
    for (const std::string& l : d.labels) labels += static_cast<double>(l.size()) + 16.0;
    scale_bytes += std::max(labels, 8.0 * static_cast<double>(d.size));
  }
  e.output_bytes = points * replicates * replicate_bytes + points * point_values * 8.0 +
                   points * static_cast<double>(swept) * 8.0 + (points + replicates) * 8.0 + scale_bytes +
                   datasets * kMetadataBytesPerDataset + attribute_bytes;

  // Memory: the design (held three times: as read, by point and by parameter), the replicate and
  // point scales of the layout, the runner's block buffers and the writer's exact sums.
  const double block_replicates = std::min(replicates, 256.0);
  const double block_bytes = block_replicates * replicate_bytes + (point_values + histogram_values) * 8.0;
  const double buffers = 2.0 * static_cast<double>(std::max(threads, 1U)) + 6.0;
  e.memory_bytes = 3.0 * points * static_cast<double>(swept) * 8.0 + (points + replicates) * 8.0 +
                   buffers * block_bytes + buffers * (point_values + histogram_values) * kExactSumBytes;

  e.cpu_seconds = points * replicates * replicate_values * kCpuSecondsPerValue;
  return e;
}

std::string JobEstimate::describe() const {
  return fmt::format("a {} output file, {} of memory and at least {}", format_bytes(output_bytes),
                     format_bytes(memory_bytes), format_cpu_time(cpu_seconds));
}

std::string beyond_limits(const JobEstimate& e) {
  if (e.cpu_seconds > kMaxCpuSeconds) {
    return fmt::format(
        "it would need at least {} of CPU time (more than the limit of {}); it would also need {}",
        format_cpu_time(e.cpu_seconds), format_cpu_time(kMaxCpuSeconds), e.describe());
  }
  const double memory = physical_memory_bytes();
  if (memory > 0.0 && e.memory_bytes > memory) {
    return fmt::format("it would need {} of memory, more than this machine's {} (estimate: {})",
                       format_bytes(e.memory_bytes), format_bytes(memory), e.describe());
  }
  return {};
}

std::string beyond_disk(const JobEstimate& e, const std::string& output_path) {
  const double free = free_bytes_for(output_path);
  if (free >= 0.0 && e.output_bytes > free) {
    return fmt::format(
        "the output file would need {} while running, but its file system has {} free "
        "(estimate: {})",
        format_bytes(e.output_bytes), format_bytes(free), e.describe());
  }
  // A file-size limit (`ulimit -f`, a batch job's) would stop the writes part of the way.
  struct rlimit limit {};
  if (getrlimit(RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY &&
      e.output_bytes > static_cast<double>(limit.rlim_cur)) {
    return fmt::format(
        "the output file would need {} while running, but this process may write files of at most {} "
        "(ulimit -f) (estimate: {})",
        format_bytes(e.output_bytes), format_bytes(static_cast<double>(limit.rlim_cur)), e.describe());
  }
  return {};
}

std::string format_bytes(double bytes) {
  static const char* const units[] = {"bytes", "kB", "MB", "GB", "TB", "PB", "EB"};
  std::size_t u = 0;
  while (bytes >= 1000.0 && u + 1 < std::size(units)) {
    bytes /= 1000.0;
    ++u;
  }
  if (u == 0) return fmt::format("{:.0f} bytes", bytes);
  if (bytes >= 1000.0) return fmt::format("{:.3g} {}", bytes, units[u]);
  return fmt::format("{:.{}f} {}", bytes, bytes < 10.0 ? 1 : 0, units[u]);
}

std::string format_cpu_time(double seconds) {
  struct Unit {
    double seconds;
    const char* name;
  };
  static const Unit units[] = {{365.25 * 86400.0, "CPU-years"},
                               {86400.0, "CPU-days"},
                               {3600.0, "CPU-hours"},
                               {60.0, "CPU-minutes"},
                               {1.0, "CPU-seconds"}};
  for (const Unit& u : units) {
    if (seconds >= u.seconds || u.seconds == 1.0) {
      const double v = seconds / u.seconds;
      return v >= 100.0 ? fmt::format("{:.3g} {}", v, u.name) : fmt::format("{:.2g} {}", v, u.name);
    }
  }
  return {};
}

}  // namespace sim
