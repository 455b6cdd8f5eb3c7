// The Deep End model end to end: one replicate of the built-in default scenario (7 practices x
// 105 weeks), through the engine's interface as the runner calls it. Reports practice-weeks/s
// and Philox calls per practice-week.

#include <cstdint>
#include <memory>

#include <benchmark/benchmark.h>

#include "models/lwp/model.hpp"
#include "sim/block.hpp"
#include "sim/registry.hpp"
#include "sim/run/job.hpp"
#include "sim/scenario.hpp"

namespace {

void deep_end_replicate(benchmark::State& state) {
  sim::ModelRegistry registry;
  lwp::register_model(registry);
  const sim::Scenario scenario = sim::load_scenario(registry.default_scenario(), registry);
  const sim::Job job = sim::job_for(scenario);
  const std::unique_ptr<const sim::Simulation> simulation =
      job.model->prepare(job.setup, job.point_params(0));
  const std::unique_ptr<sim::Workspace> workspace = simulation->make_workspace();
  const sim::BlockLayout layout(job.schema, 1);
  sim::BlockResult block;
  double practice_weeks = static_cast<double>(job.schema.dim(job.schema.entity_dimension).size);
  for (const sim::Dimension& d : job.schema.dims) {
    if (d.name == "week") practice_weeks *= static_cast<double>(d.size);
  }
  const std::uint64_t calls_before = workspace->philox_calls();
  std::uint32_t replicate = 0;
  for (auto _ : state) {
    block.reset(layout, 0, replicate, 1);
    const sim::ReplicateOutput out(layout, block, 0);
    simulation->run_replicate(sim::StreamKey{job.seed, replicate++}, out, *workspace);
    benchmark::DoNotOptimize(block.data());
  }
  const auto replicates = static_cast<double>(state.iterations());
  state.counters["practice_weeks_per_s"] =
      benchmark::Counter(replicates * practice_weeks, benchmark::Counter::kIsRate);
  state.counters["philox_per_practice_week"] =
      static_cast<double>(workspace->philox_calls() - calls_before) / (replicates * practice_weeks);
}
BENCHMARK(deep_end_replicate)->Unit(benchmark::kMicrosecond);

}  // namespace
