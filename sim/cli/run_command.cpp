// `lwsim run [SCENARIO] [-o OUT.h5]`: one scenario, many replicates, a summary next to what was
// observed (DESIGN §4.1). The output is written to OUT.h5.part while running and appears as
// OUT.h5, compressed, only when complete.

#include <iostream>
#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

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

int run_command(const RunArgs& args, const ModelRegistry& registry, std::ostream& out,
                const mpi::Session& session) {
  // Every rank reads the scenario; rank 0 writes the output and prints.
  Scenario scenario = load_scenario(args.scenario.value_or(registry.default_scenario()), registry);
  apply_overrides(scenario, {args.replicates, args.seed, args.sets});
  const unsigned threads = resolve_threads(args.threads);
  const bool root = session.rank() == 0;

  Job job = job_for(scenario);
  job.check_invariants = args.check;
  const Observation* observed = scenario.observation ? &*scenario.observation : nullptr;
  const output::DesignInfo design;
  const output::FileLayout layout = output::make_layout(job.schema, design, job.replicates, observed);

  const std::string resolved = scenario.resolved_toml();
  const output::Attributes attributes =
      output::provenance_attributes(scenario, {"run", args.command_line, threads, session.size(), resolved});

  // Refuse up front what cannot fit: the CPU time, the memory, and with -o the disk.
  double attribute_bytes = 0.0;
  for (const auto& [key, value] : attributes) {
    attribute_bytes +=
        static_cast<double>(key.size()) +
        std::visit([](const auto& v) { return static_cast<double>(fmt::format("{}", v).size()); }, value);
  }
  const JobEstimate estimate =
      estimate_job(job.schema, 1.0, 0, static_cast<double>(job.replicates), threads, attribute_bytes);
  if (const std::string why = beyond_limits(estimate); !why.empty()) {
    throw InputError(args.replicates ? "command line" : scenario.file, 0,
                     args.replicates ? "--replicates" : "", "the run cannot be done: " + why);
  }

  // Declared before the file, so that the file is closed before its temporaries are removed.
  std::optional<output::PendingOutput> pending;
  std::optional<output::ResultFile> file;
  // Before the output file exists: a signal while it is being created stops the run cleanly.
  install_interrupt_handlers();
  const std::int64_t verdict = root_prepares(session, [&]() -> std::int64_t {
    if (!args.output) return kProceed;
    pending.emplace(output::OutputTarget{*args.output, "-o", args.overwrite, "use --overwrite to replace it",
                                         scenario.sources});
    if (const std::string why = beyond_disk(estimate, *args.output); !why.empty()) {
      throw InputError(*args.output, 0, "-o", why);
    }
    const std::string& partial = pending->scratch();
    try {
      file = output::ResultFile::create(partial, layout, attributes, output::Storage::streaming);
    } catch (const h5::OutputError& e) {
      const std::string what = e.what();
      throw InputError(*args.output, 0, "-o", what.substr(std::min(what.size(), partial.size() + 2)));
    }
    return kProceed;
  });
  if (verdict != kProceed) return static_cast<int>(verdict);

  const std::uint32_t block = choose_block_size(job.schema, job.replicates, 1, threads);
  std::optional<BlockLayout> blocks;
  std::optional<output::ResultWriter> writer;
  std::optional<Progress> progress;
  PointSummary summary;
  if (root) {
    blocks.emplace(job.schema, block);
    writer.emplace(file ? &*file : nullptr, layout, job.schema, *blocks, job.replicates, observed,
                   [&](std::uint32_t, const PointSummary& s) { summary = s; });
    progress.emplace(job.replicates, "replicates",
                     args.quiet ? Progress::Mode::quiet : Progress::Mode::automatic);
  }
  // Whatever stopped the run (a signal, an error, at any moment, even after the file object is
  // gone), the partial file of this rank's output goes too.
  const auto discard_output = [&] {
    file.reset();
    pending.reset();
  };
  // A run stopped by a signal writes nothing: it is not resumable.
  const auto interrupted = [] {
    fmt::print(std::cerr,
               "lwsim: interrupted by signal {}; no output written (a run is not resumable: use `lwsim "
               "sweep` for long jobs)\n",
               stop_signal());
    return 128 + (stop_signal() > 0 ? stop_signal() : 2);
  };
  try {
    return run_on_ranks(
        session, job, {0}, block, threads, root ? &*writer : nullptr,
        [&](std::uint64_t done) { progress->update(done); },
        [&](const RunStats& stats) {
          progress->finish();
          if (stats.interrupted) {
            discard_output();
            return interrupted();
          }
          if (file) {
            try {
              output::write_copy(*file, layout, attributes, pending->temporary(), output::Storage::compressed,
                                 [] { return stop_requested(); });
              file->close();
              file.reset();
              pending->commit();
              pending.reset();
            } catch (const output::CopyInterrupted&) {
              discard_output();
              return interrupted();
            }
          }
          // Throughput in entity-weeks (for lwp: practice-weeks) per second.
          double steps = static_cast<double>(job.replicates);
          if (!job.schema.entity_dimension.empty()) {
            steps *= static_cast<double>(job.schema.dim(job.schema.entity_dimension).size);
          }
          for (const Dimension& d : job.schema.dims) {
            if (d.name == "week") steps *= static_cast<double>(d.size);
          }
          fmt::print(out, "lwsim {} | model {} | {}\n", lwsim_version(), scenario.model->name(),
                     scenario.title.empty() ? scenario.file : scenario.title);
          fmt::print(out, "{} replicates, seed {}, {}: {:.2f} s ({:.2f} million {}-weeks/s)\n",
                     job.replicates, job.seed,
                     session.distributed() ? fmt::format("{} ranks x {} threads", session.size(), threads)
                                           : fmt::format("{} thread{}", threads, threads == 1 ? "" : "s"),
                     stats.seconds, steps / std::max(stats.seconds, 1e-9) / 1e6, job.schema.entity_dimension);
          scenario.model->describe(*scenario.setup, summary, observed, out);
          if (args.output) fmt::print(out, "\nWrote {}\n", *args.output);
          return static_cast<int>(kExitSuccess);
        });
  } catch (...) {
    if (progress) progress->finish();
    discard_output();
    throw;
  }
}

}  // namespace sim::cli
