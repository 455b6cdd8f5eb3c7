// `lwsim run [SCENARIO] [-o OUT.h5]`: one scenario, many replicates, a summary next to what was
// observed. The output is written to a streaming scratch file beside OUT.h5 while
// running and appears as OUT.h5, compressed, only when complete (output::PendingOutput).

#include <iostream>
#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "sim/calibration/posterior.hpp"
#include "sim/cli/command.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/ranks.hpp"
#include "sim/error.hpp"
#include "sim/output/layout.hpp"
#include "sim/output/pending_output.hpp"
#include "sim/output/provenance.hpp"
#include "sim/output/result_file.hpp"
#include "sim/output/writer.hpp"
#include "sim/run/estimate.hpp"
#include "sim/run/runner.hpp"
#include "sim/scenario.hpp"
#include "sim/util/interrupt.hpp"
#include "sim/util/progress.hpp"
#include "sim/version.hpp"

namespace sim::cli {

namespace {

/// What a run computes and writes, decided before it starts.
struct RunPlan {
  Scenario scenario;
  unsigned threads = 1;
  Job job;
  output::FileLayout layout;
  output::Attributes attributes;
  JobEstimate estimate;

  [[nodiscard]] const Observation* observed() const {
    return scenario.observation ? &*scenario.observation : nullptr;
  }
};

/// Every rank reads the scenario and refuses up front what cannot fit: the CPU time and memory.
RunPlan plan_run(const RunArgs& args, const ModelRegistry& registry, const mpi::Session& session) {
  RunPlan plan;
  plan.scenario = load_scenario(args.scenario.value_or(registry.default_scenario()), registry);
  apply_overrides(plan.scenario, {args.replicates, args.seed, args.sets});
  plan.threads = resolve_threads(args.threads);
  plan.job = job_for(plan.scenario);
  plan.job.check_invariants = args.check;
  std::string inputs = plan.scenario.resolved_inputs();
  if (args.posterior) {
    Posterior posterior = calibration::load_posterior(*args.posterior, plan.scenario);
    calibration::refuse_set_parameters(posterior, args.sets);
    calibration::attach_posterior(plan.job, std::move(posterior));
    inputs += calibration::posterior_inputs(*plan.job.posterior);
  }
  plan.layout =
      output::make_layout(plan.job.schema, output::DesignInfo{}, plan.job.replicates, plan.observed());
  plan.attributes = output::provenance_attributes(
      plan.scenario, {"run", args.command_line, plan.threads, session.size(), inputs});
  if (args.posterior) plan.attributes.emplace_back("posterior", *args.posterior);
  plan.estimate = estimate_job(plan.job.schema, 1.0, 0, static_cast<double>(plan.job.replicates),
                               plan.threads, output::attributes_bytes(plan.attributes));
  if (const std::string why = beyond_limits(plan.estimate); !why.empty()) {
    throw InputError(args.replicates ? "command line" : plan.scenario.file, 0,
                     args.replicates ? "--replicates" : "", "the run cannot be done: " + why);
  }
  return plan;
}

/// On rank 0 with -o: checks the path and the disk, and creates the streaming scratch file.
output::ResultFile create_output(const RunPlan& plan, const RunArgs& args,
                                 std::optional<output::PendingOutput>& pending) {
  const std::string& path = *args.output;
  pending.emplace(output::OutputTarget{path, "-o", args.overwrite, "use --overwrite to replace it",
                                       plan.scenario.sources});
  if (const std::string why = beyond_disk(plan.estimate, path); !why.empty()) {
    throw InputError(path, 0, "-o", why);
  }
  const std::string& scratch = pending->scratch();
  try {
    return output::ResultFile::create(scratch, plan.layout, plan.attributes, output::Storage::streaming);
  } catch (const h5::OutputError& e) {
    const std::string what = e.what();
    throw InputError(path, 0, "-o", what.substr(std::min(what.size(), scratch.size() + 2)));
  }
}

/// Replaces the target by a compressed copy of the finished run; false when a stop interrupted it.
bool write_output(const RunPlan& plan, std::optional<output::ResultFile>& file,
                  output::PendingOutput& pending) {
  try {
    output::write_copy(*file, plan.layout, plan.attributes, pending.temporary(), output::Storage::compressed,
                       [] { return stop_requested(); });
  } catch (const output::CopyInterrupted&) {
    return false;
  }
  file->close();
  file.reset();
  pending.commit();
  return true;
}

/// A run stopped by a signal writes nothing: it is not resumable.
int interrupted() {
  fmt::print(std::cerr,
             "lwsim: interrupted by signal {}; no output written (a run is not resumable: use `lwsim "
             "sweep` for long jobs)\n",
             stop_signal());
  return 128 + (stop_signal() > 0 ? stop_signal() : 2);
}

/// The run's summary on stdout: what ran, how fast, and the model's comparison with observation.
void print_summary(const RunPlan& plan, const RunStats& stats, const PointSummary& summary,
                   const RunArgs& args, const mpi::Session& session, std::ostream& out) {
  const Job& job = plan.job;
  const unsigned threads = plan.threads;
  // Throughput in entity-steps (for lwp: practice-weeks) per second.
  const double steps =
      static_cast<double>(job.replicates) * static_cast<double>(job.schema.steps_per_replicate());
  const Scenario& scenario = plan.scenario;
  fmt::print(out, "lwsim {} | model {} | {}\n", lwsim_version(), scenario.model->name(),
             scenario.title.empty() ? scenario.file : scenario.title);
  fmt::print(out, "{} replicates, seed {}, {}: {:.2f} s ({:.2f} million {}s/s)\n", job.replicates, job.seed,
             session.distributed() ? fmt::format("{} ranks x {} threads", session.size(), threads)
                                   : fmt::format("{} thread{}", threads, threads == 1 ? "" : "s"),
             stats.seconds, steps / std::max(stats.seconds, 1e-9) / 1e6, job.schema.step_unit());
  scenario.model->describe(*scenario.setup, summary, plan.observed(), out);
  if (job.posterior)
    calibration::print_variance_split(*job.posterior, job.schema, summary, job.replicates, out);
  if (args.output) fmt::print(out, "\nWrote {}\n", *args.output);
}

}  // namespace

int run_command(const RunArgs& args, const ModelRegistry& registry, std::ostream& out,
                const mpi::Session& session) {
  const RunPlan plan = plan_run(args, registry, session);
  const bool root = session.rank() == 0;
  // The pending output is declared before the file, so that the file is closed before its
  // temporaries go; whatever stops the run (a signal, an error), they go.
  std::optional<output::PendingOutput> pending;
  std::optional<output::ResultFile> file;
  // Before the output file exists: a signal while it is being created stops the run cleanly.
  install_interrupt_handlers();
  const std::int64_t verdict = root_prepares(session, [&]() -> std::int64_t {
    if (args.output) file = create_output(plan, args, pending);
    return kProceed;
  });
  if (verdict != kProceed) return static_cast<int>(verdict);

  const Job& job = plan.job;
  const std::uint32_t block = choose_block_size(job.schema, job.replicates, 1, plan.threads);
  std::optional<BlockLayout> blocks;
  std::optional<output::ResultWriter> writer;
  std::optional<Progress> progress;
  PointSummary summary;
  if (root) {
    blocks.emplace(job.schema, block);
    writer.emplace(file ? &*file : nullptr, plan.layout, job.schema, *blocks, job.replicates, plan.observed(),
                   [&](std::uint32_t, const PointSummary& s) { summary = s; });
    progress.emplace(job.replicates, "replicates",
                     args.quiet ? Progress::Mode::quiet : Progress::Mode::automatic);
  }
  const auto discard_output = [&] {
    file.reset();
    pending.reset();
  };
  try {
    return run_on_ranks(
        session, job, {0}, block, plan.threads, root ? &*writer : nullptr,
        [&](std::uint64_t done) { progress->update(done); },
        [&](const RunStats& stats) {
          progress->finish();
          if (stats.interrupted || (file && !write_output(plan, file, *pending))) {
            discard_output();
            return interrupted();
          }
          print_summary(plan, stats, summary, args, session, out);
          return static_cast<int>(kExitSuccess);
        });
  } catch (...) {
    if (progress) progress->finish();
    discard_output();
    throw;
  }
}

Command run_entry() {
  auto args = std::make_shared<RunArgs>();
  return {
      "run",
      "Run a scenario (the built-in Deep End Glasgow scenario when none is given) and compare it with "
      "observation",
      {{"scenario", "scenario file (TOML)", &args->scenario},
       {"-o,--output", "write results to this HDF5 file", &args->output},
       {"--replicates", "replicates (overrides run.replicates)", &args->replicates},
       {"--seed", "random seed, 0 to 4294967295 (overrides run.seed)", &args->seed},
       threads_option(args->threads),
       quiet_option(args->quiet),
       {"--set", "set a parameter, name=value (repeatable)", &args->sets},
       {"--overwrite", "replace the output file if it exists", &args->overwrite},
       check_option(args->check),
       {"--posterior", "draw the calibrated parameters of each replicate from this calibration's posterior",
        &args->posterior}},
      Ranks::every,
      OnStop::command_decides,
      runs(args, &run_command)};
}

}  // namespace sim::cli
