// `lwsim bench [--json] [--threads T] [--quick]`: the engine's throughput figures
// (docs/performance.md), measured by sim/bench/ and printed as a table with their targets, or as
// one JSON object.

#include <ostream>

#include "sim/bench/figures.hpp"
#include "sim/cli/command.hpp"
#include "sim/cli/commands.hpp"
#include "sim/error.hpp"
#include "sim/run/runner.hpp"

namespace sim::cli {

int bench_command(const BenchArgs& args, const ModelRegistry& registry, std::ostream& out) {
  const bench::BenchFigures figures =
      bench::measure_figures({resolve_threads(args.threads), args.quick}, registry);
  if (args.json) {
    bench::print_json(figures, out);
  } else {
    bench::print_table(figures, out);
  }
  return kExitSuccess;
}

Command bench_entry() {
  auto args = std::make_shared<BenchArgs>();
  return {
      "bench",
      "Measure throughput (practice-weeks/s on 1 and all threads, Philox calls per practice-week and their "
      "cost, the floor ratio), the HDF5 share of a 1,000-point sweep and peak memory (docs/performance.md)",
      {{"--json", "print one JSON object instead of a table", &args->json},
       Option("--threads", "threads of the all-threads figures (default or 0: all cores)", &args->threads)
           .within(0, kMaxThreads),
       {"--quick", "short runs (under about 30 s): indicative figures only", &args->quick}},
      Ranks::one_process,
      OnStop::command_decides,
      [args](const Invocation& i) { return bench_command(*args, i.registry, i.out); }};
}

}  // namespace sim::cli
