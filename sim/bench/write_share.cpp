#include "sim/bench/write_share.hpp"

#include <chrono>
#include <stdexcept>

#include "sim/output/layout.hpp"
#include "sim/output/provenance.hpp"
#include "sim/output/result_file.hpp"
#include "sim/output/writer.hpp"
#include "sim/run/runner.hpp"
#include "sim/sweep.hpp"

namespace sim::bench {

namespace {
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}
}  // namespace

WriteShare measure_write_share(const std::string& sweep_file, const ModelRegistry& registry, unsigned threads,
                               const TemporaryDirectory& directory) {
  const Sweep sweep = load_sweep(sweep_file, registry);
  const Job job = job_for(sweep);
  const Observation* observed = sweep.scenario.observation ? &*sweep.scenario.observation : nullptr;
  const output::DesignInfo design = design_of(sweep);
  const output::FileLayout layout = output::make_layout(job.schema, design, job.replicates, observed);
  output::Attributes attributes = output::provenance_attributes(
      sweep.scenario, {"sweep", "lwsim bench", threads, 1, sweep.resolved_text()});
  attributes.emplace_back("storage", std::string("streaming"));

  WriteShare share;
  share.sweep = sweep_file;
  share.points = sweep.points.size();
  share.replicates = job.replicates;
  std::vector<std::uint32_t> points(sweep.points.size());
  for (std::size_t p = 0; p < points.size(); ++p) points[p] = static_cast<std::uint32_t>(p);

  const auto start = Clock::now();
  output::ResultFile file = output::ResultFile::create(directory.file("sweep.h5.part"), layout, attributes,
                                                       output::Storage::streaming);
  file.flush_to_disk();
  share.create_seconds = seconds_since(start);

  output::WriteClock clock;
  file.time_writes(&clock);
  const std::uint32_t block = choose_block_size(job.schema, job.replicates, points.size(), threads);
  const BlockLayout blocks(job.schema, block);
  output::ResultWriter writer(&file, layout, job.schema, blocks, job.replicates, observed, {});
  RunOptions options;
  options.threads = threads;
  options.block = block;
  const RunStats stats = run_job(job, points, writer, options);
  file.time_writes(nullptr);
  if (stats.interrupted) throw std::runtime_error("lwsim bench: the sweep was interrupted");
  share.writer_seconds = std::chrono::duration<double>(clock.spent).count();
  share.writer_calls = clock.calls;

  const auto copy_start = Clock::now();
  output::write_copy(file, layout, output::with_attribute(attributes, "storage", std::string("compressed")),
                     directory.file("sweep.h5"), output::Storage::compressed);
  file.close();
  share.compress_seconds = seconds_since(copy_start);
  share.total_seconds = seconds_since(start);
  return share;
}

}  // namespace sim::bench
