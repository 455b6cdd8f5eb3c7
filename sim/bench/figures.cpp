#include "sim/bench/figures.hpp"

#include <cmath>
#include <iostream>
#include <stdexcept>
#include <thread>
#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "sim/bench/peak_memory.hpp"
#include "sim/bench/philox_cost.hpp"
#include "sim/scenario.hpp"

namespace sim::bench {

namespace {

/// Plain progress lines on a terminal; nothing on a pipe (tests, --json into a file).
class Narrator {
 public:
  Narrator() : on_(isatty(STDERR_FILENO) == 1) {}
  void say(const std::string& what) const {
    if (on_) fmt::print(std::cerr, "lwsim bench: {}\n", what);
  }

 private:
  bool on_;
};

/// Throughput on 1 thread and on all. A warm-up pass sizes the runs so that each lasts about
/// `target` seconds on 1 thread; the all-thread run does `threads` times as many.
void measure_throughputs(const Job& job, const Observation* observed, const Narrator& narrator,
                         BenchFigures& figures) {
  const bool quick = figures.options.quick;
  const unsigned threads = figures.options.threads;
  const double target = quick ? 0.25 : 2.0;
  figures.repetitions = quick ? 1 : 3;
  narrator.say("warming up");
  const Pass warm = run_pass(job, observed, quick ? 100 : 400, 1);
  const double warm_rate = static_cast<double>(warm.replicates) / std::max(warm.seconds, 1e-9);
  const std::uint64_t replicates_1t =
      std::max<std::uint64_t>(100, static_cast<std::uint64_t>(std::ceil(warm_rate * target / 100.0)) * 100);
  narrator.say(fmt::format("{} replicates on 1 thread, {} times", replicates_1t, figures.repetitions));
  figures.one = measure_throughput(job, observed, figures.steps, replicates_1t, 1, figures.repetitions);
  narrator.say(fmt::format("{} replicates on {} threads, {} times", replicates_1t * threads, threads,
                           figures.repetitions));
  figures.all =
      measure_throughput(job, observed, figures.steps, replicates_1t * threads, threads, figures.repetitions);
}

/// Philox calls per entity-week over a fixed number of replicates (exact, whatever the threads),
/// and the cost of one call in this process (median of repetitions).
void measure_draws(const Job& job, const Observation* observed, const Narrator& narrator,
                   BenchFigures& figures) {
  const bool quick = figures.options.quick;
  figures.counted_replicates = 1000;
  narrator.say("counting Philox calls");
  figures.philox_calls =
      run_pass(job, observed, figures.counted_replicates, figures.options.threads).philox_calls;
  narrator.say("timing Philox4x32-10");
  const std::uint32_t calls = quick ? (1U << 22) : (1U << 25);
  for (int r = 0; r < (quick ? 3 : 5); ++r) {
    figures.philox_ns_samples.push_back(philox_ns_per_call(calls, job.seed + static_cast<std::uint32_t>(r)));
  }
  figures.philox_ns_per_draw = median(figures.philox_ns_samples);
}

/// Peak RSS of `lwsim run` in children, for a small and a large number of replicates.
void measure_memory(const std::string& executable, const TemporaryDirectory& tmp, const Narrator& narrator,
                    BenchFigures& figures) {
  figures.rss_replicates = {1000, figures.options.quick ? 10'000U : 100'000U};
  for (const std::uint64_t n : figures.rss_replicates) {
    narrator.say(fmt::format("peak memory of lwsim run --replicates {}", n));
    figures.peak_rss_mib.push_back(
        child_peak_rss_mib(executable,
                           {"run", "--replicates", std::to_string(n), "-o", tmp.file("rss.h5"), "--overwrite",
                            "--quiet", "--threads", std::to_string(figures.options.threads)},
                           tmp.file("rss.log")));
  }
}

}  // namespace

double BenchFigures::draws_per_step() const {
  return static_cast<double>(philox_calls) /
         (static_cast<double>(counted_replicates) * static_cast<double>(steps.per_replicate()));
}

BenchFigures measure_figures(const BenchOptions& options, const ModelRegistry& registry) {
  const Narrator narrator;
  const TemporaryDirectory tmp("bench");
  const std::string executable = own_executable();
  BenchFigures figures;
  figures.options = options;
  figures.hardware_threads = std::max(1U, std::thread::hardware_concurrency());
  // The default scenario, as `lwsim run` runs it.
  const Scenario scenario = load_scenario(registry.default_scenario(), registry);
  const Job job = job_for(scenario);
  const Observation* observed = scenario.observation ? &*scenario.observation : nullptr;
  figures.model = scenario.model->name();
  figures.scenario_file = scenario.file;
  figures.scenario_title = scenario.title;
  figures.steps = step_count(job.schema);

  measure_throughputs(job, observed, narrator, figures);
  measure_draws(job, observed, narrator, figures);
  // The share of a standard sweep spent writing HDF5.
  const std::string sweep_file =
      std::string(kBuiltinPrefix) +
      (options.quick ? "bench/sweep_100_points.toml" : "bench/sweep_1000_points.toml");
  if (!registry.builtin_file(sweep_file)) {
    throw std::runtime_error(fmt::format("lwsim bench: the benchmark sweep {} is not built in", sweep_file));
  }
  narrator.say(fmt::format("sweep {}", sweep_file));
  figures.write = measure_write_share(sweep_file, registry, options.threads, tmp);
  measure_memory(executable, tmp, narrator, figures);
  return figures;
}

Targets targets_met(const BenchFigures& figures) {
  Targets met;
  met.rate = figures.all.rate >= Targets::kRate;
  met.floor = figures.floor_ratio() <= Targets::kFloor;
  met.speedup = figures.speedup() >= Targets::kSpeedup;
  met.share = figures.write.share() <= Targets::kShare;
  met.rss = figures.peak_rss_mib[1] <= Targets::kRssGrowth * figures.peak_rss_mib[0];
  return met;
}

}  // namespace sim::bench
