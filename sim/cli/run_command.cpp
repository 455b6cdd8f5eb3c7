// `lwsim run [SCENARIO] [-o OUT.h5]`: one scenario, many replicates, a summary next to what was
// observed (DESIGN §4.1). The output is written to OUT.h5.part while running and appears as
// OUT.h5, compressed, only when complete.

#include <iostream>
#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "sim/cli/commands.hpp"
#include "sim/cli/output_path.hpp"
#include "sim/error.hpp"
#include "sim/output/layout.hpp"
#include "sim/output/provenance.hpp"
#include "sim/output/result_file.hpp"
#include "sim/output/writer.hpp"
#include "sim/run/runner.hpp"
#include "sim/scenario.hpp"
#include "sim/util/interrupt.hpp"
#include "sim/util/progress.hpp"
#include "sim/version.hpp"

namespace sim::cli {

int run_command(const RunArgs& args, const ModelRegistry& registry, std::ostream& out) {
  Scenario scenario = load_scenario(args.scenario.value_or(registry.default_scenario()), registry);
  apply_overrides(scenario, {args.replicates, args.seed, args.sets});
  if (args.output) {
    check_output_path(*args.output, "-o", !args.overwrite, "use --overwrite to replace it");
  }
  const unsigned threads = resolve_threads(args.threads);

  Job job;
  job.model = scenario.model;
  job.setup = scenario.setup;
  job.schema = scenario.model->schema(*scenario.setup);
  job.base = scenario.params();
  job.replicates = scenario.replicates;
  job.seed = scenario.seed;
  const Observation* observed = scenario.observation ? &*scenario.observation : nullptr;
  const output::DesignInfo design;
  const output::FileLayout layout = output::make_layout(job.schema, design, job.replicates, observed);

  const std::string resolved = scenario.resolved_toml();
  output::Attributes attributes =
      output::provenance_attributes(scenario, {"run", args.command_line, threads, 1, resolved});

  std::optional<output::ResultFile> file;
  std::string partial;
  if (args.output) {
    partial = *args.output + ".part";
    remove_quietly(partial);
    try {
      file = output::ResultFile::create(partial, layout, attributes, output::Storage::streaming);
    } catch (const h5::OutputError& e) {
      remove_quietly(partial);
      const std::string what = e.what();
      const std::string detail = what.substr(std::min(what.size(), partial.size() + 2));
      throw InputError(*args.output, 0, "-o", detail);
    }
  }

  const std::uint32_t block = choose_block_size(job.schema, job.replicates, 1, threads);
  const BlockLayout blocks(job.schema, block);
  PointSummary summary;
  output::ResultWriter writer(file ? &*file : nullptr, layout, job.schema, blocks, job.replicates, observed,
                              [&](std::uint32_t, const PointSummary& s) { summary = s; });
  Progress progress(job.replicates, "replicates",
                    args.quiet ? Progress::Mode::quiet : Progress::Mode::automatic);
  install_interrupt_handlers();
  RunStats stats;
  try {
    stats = run_job(job, {0}, writer, {threads, block, [&](std::uint64_t done) { progress.update(done); }});
  } catch (...) {
    progress.finish();
    if (file) {
      file.reset();
      remove_quietly(partial);
    }
    throw;
  }
  progress.finish();

  if (stats.interrupted) {
    if (file) {
      file.reset();
      remove_quietly(partial);
    }
    fmt::print(std::cerr,
               "lwsim: interrupted by signal {}; no output written (a run is not resumable: use "
               "`lwsim sweep` for long jobs)\n",
               stop_signal());
    return 128 + (stop_signal() > 0 ? stop_signal() : 2);
  }

  if (file) {
    const std::string temporary = *args.output + ".tmp";
    remove_quietly(temporary);
    try {
      output::write_copy(*file, layout, attributes, temporary, output::Storage::compressed);
      file->close();
      file.reset();
      replace_file(temporary, *args.output);
      remove_quietly(partial);
    } catch (...) {
      file.reset();
      remove_quietly(temporary);
      remove_quietly(partial);
      throw;
    }
  }

  const auto& setup_practices = job.schema.dim("practice").size;
  const double weeks = static_cast<double>(job.schema.dim("week").size);
  const double practice_weeks =
      static_cast<double>(job.replicates) * static_cast<double>(setup_practices) * weeks;
  fmt::print(out, "lwsim {} | model {} | {}\n", lwsim_version(), scenario.model->name(),
             scenario.title.empty() ? scenario.file : scenario.title);
  fmt::print(out, "{} replicates, seed {}, {} thread{}: {:.2f} s ({:.2f} million practice-weeks/s)\n",
             job.replicates, job.seed, threads, threads == 1 ? "" : "s", stats.seconds,
             practice_weeks / std::max(stats.seconds, 1e-9) / 1e6);
  scenario.model->describe(*scenario.setup, summary, observed, out);
  if (args.output) fmt::print(out, "\nWrote {}\n", *args.output);
  return kExitSuccess;
}

}  // namespace sim::cli
