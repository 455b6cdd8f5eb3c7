// The writer: N blocks of the Deep End's results streamed into a temporary HDF5 file as
// `lwsim run -o` does (ResultWriter on a streaming ResultFile), then the compressed copy that
// finishes a file. The blocks are computed once, outside the timing.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

#include <benchmark/benchmark.h>

#include "models/lwp/model.hpp"
#include "sim/block.hpp"
#include "sim/output/layout.hpp"
#include "sim/output/provenance.hpp"
#include "sim/output/result_file.hpp"
#include "sim/output/writer.hpp"
#include "sim/registry.hpp"
#include "sim/run/job.hpp"
#include "sim/run/runner.hpp"
#include "sim/scenario.hpp"

namespace {

constexpr std::uint32_t kBlock = 64;

struct Fixture {
  sim::ModelRegistry registry;
  sim::Scenario scenario;
  sim::Job job;
  std::unique_ptr<sim::BlockLayout> layout;
  sim::BlockResult block;  // one computed block, written N times at successive replicates
  std::string directory;

  Fixture() {
    lwp::register_model(registry);
    scenario = sim::load_scenario(registry.default_scenario(), registry);
    job = sim::job_for(scenario);
    layout = std::make_unique<sim::BlockLayout>(job.schema, kBlock);
    const auto simulation = job.model->prepare(job.setup, job.point_params(0));
    const auto workspace = simulation->make_workspace();
    sim::run_block(*simulation, *layout, sim::Task{0, 0, kBlock, 0}, job.seed, *workspace, block);
    directory =
        (std::filesystem::temp_directory_path() / ("lwsim-microbench-" + std::to_string(getpid()))).string();
    std::filesystem::create_directories(directory);
  }
  Fixture(const Fixture&) = delete;
  Fixture& operator=(const Fixture&) = delete;
  ~Fixture() {
    std::error_code ec;
    std::filesystem::remove_all(directory, ec);
  }
};

/// Writes `blocks` blocks of 64 replicates (all fields, exact sums, summaries at the end) to a
/// fresh streaming file; with `compress`, also the final compressed copy.
void write_blocks(benchmark::State& state, bool compress) {
  const Fixture f;  // outside the timed loop
  const auto blocks = static_cast<std::uint32_t>(state.range(0));
  const std::uint64_t replicates = std::uint64_t{blocks} * kBlock;
  sim::Job job = f.job;
  job.replicates = replicates;
  const sim::Observation* observed = f.scenario.observation ? &*f.scenario.observation : nullptr;
  const sim::output::FileLayout file_layout =
      sim::output::make_layout(job.schema, sim::output::DesignInfo{}, replicates, observed);
  const sim::output::Attributes attributes = sim::output::provenance_attributes(
      f.scenario, {"run", "lwsim_microbench", 1, 1, f.scenario.resolved_toml()});
  const std::string path = f.directory + "/blocks.h5";
  const std::string copy = f.directory + "/blocks_compressed.h5";
  sim::BlockResult block = f.block;
  for (auto _ : state) {
    std::filesystem::remove(path);
    std::filesystem::remove(copy);
    sim::output::ResultFile file =
        sim::output::ResultFile::create(path, file_layout, attributes, sim::output::Storage::streaming);
    sim::output::ResultWriter writer(&file, file_layout, job.schema, *f.layout, replicates, observed, {});
    for (std::uint32_t b = 0; b < blocks; ++b) {
      block.replicate_begin = b * kBlock;
      writer.consume(block);
    }
    writer.finish();
    if (compress) {
      sim::output::write_copy(file, file_layout, attributes, copy, sim::output::Storage::compressed);
    }
    file.close();
  }
  state.counters["replicates_per_s"] = benchmark::Counter(
      static_cast<double>(replicates) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void writer_streaming(benchmark::State& state) {
  write_blocks(state, false);
}
BENCHMARK(writer_streaming)->Arg(16)->Arg(160)->Unit(benchmark::kMillisecond);

void writer_streaming_and_compressed_copy(benchmark::State& state) {
  write_blocks(state, true);
}
BENCHMARK(writer_streaming_and_compressed_copy)->Arg(16)->Arg(160)->Unit(benchmark::kMillisecond);

}  // namespace
