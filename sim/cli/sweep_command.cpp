// `lwsim sweep SWEEP.toml -o OUT.h5 [--resume] [--shard I/N] [--threads T] [--quiet]`: every
// (point, replicate) of a design, streamed to HDF5 as points complete, resumable after any
// interruption (kill -9 included), finished by an atomic replacement with a compressed file.

#include <iostream>
#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "sim/calibration/posterior.hpp"
#include "sim/cli/command.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/ranks.hpp"
#include "sim/cli/stored_results.hpp"
#include "sim/error.hpp"
#include "sim/output/layout.hpp"
#include "sim/output/pending_output.hpp"
#include "sim/output/provenance.hpp"
#include "sim/output/result_file.hpp"
#include "sim/output/writer.hpp"
#include "sim/run/estimate.hpp"
#include "sim/run/runner.hpp"
#include "sim/sweep.hpp"
#include "sim/util/interrupt.hpp"
#include "sim/util/progress.hpp"
#include "sim/util/text.hpp"
#include "sim/version.hpp"

namespace sim::cli {

Shard parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  const auto bad = [&] {
    return InputError("command line", 0, "--shard",
                      fmt::format("expected I/N with 0 <= I < N, found '{}'", text));
  };
  if (slash == std::string::npos) throw bad();
  try {
    std::size_t used = 0;
    const unsigned long index = std::stoul(text.substr(0, slash), &used);
    if (used != slash) throw bad();
    const std::string rest = text.substr(slash + 1);
    const unsigned long count = std::stoul(rest, &used);
    if (used != rest.size() || count == 0 || index >= count || count > 1'000'000) throw bad();
    return {static_cast<std::uint32_t>(index), static_cast<std::uint32_t>(count)};
  } catch (const std::logic_error&) {
    throw bad();
  }
}

std::vector<std::uint32_t> shard_points(std::size_t points, Shard shard) {
  std::vector<std::uint32_t> out;
  for (std::size_t p = shard.index; p < points; p += shard.count)
    out.push_back(static_cast<std::uint32_t>(p));
  return out;
}

namespace {

void check_resumable(const output::ResultFile& file, const output::Attributes& wanted,
                     const std::string& path, const std::string& observed_file) {
  const auto get = [&](const std::string& name) -> std::string {
    for (const auto& [key, value] : wanted) {
      if (key == name) return std::visit([](const auto& v) { return fmt::format("{}", v); }, value);
    }
    return {};
  };
  const auto stored = [&](const std::string& name) -> std::string {
    if (!file.has_attribute(name)) {
      throw InputError(path, 0, "--resume",
                       fmt::format("not a resumable lwsim sweep file (no '{}' attribute)", name));
    }
    try {
      return file.attribute_string(name);
    } catch (const h5::OutputError&) {
      return fmt::format("{}", file.attribute_int(name));
    }
  };
  if (stored("kind") != "sweep") {
    throw InputError(path, 0, "--resume", fmt::format("the file holds a '{}', not a sweep", stored("kind")));
  }
  if (stored("lwsim_version") != get("lwsim_version") ||
      stored("results_version") != get("results_version")) {
    throw InputError(
        path, 0, "--resume",
        fmt::format("the file was written by lwsim {} (results {}), this is lwsim {} (results {}); "
                    "results would not match: start a new file",
                    stored("lwsim_version"), stored("results_version"), get("lwsim_version"),
                    get("results_version")));
  }
  if (stored("seed") != get("seed")) {
    throw InputError(path, 0, "--resume",
                     fmt::format("the file was started with seed {}, the sweep now has seed {}",
                                 stored("seed"), get("seed")));
  }
  if (stored("shard") != get("shard")) {
    throw InputError(path, 0, "--resume",
                     fmt::format("the file holds shard {}, not shard {}", stored("shard"), get("shard")));
  }
  if (file.has_attribute("observed") && stored("observed") != get("observed")) {
    throw InputError(path, 0, "--resume",
                     fmt::format("the observed data {} differ from those this file was started with; its "
                                 "points would be compared with two observations: resume with the same "
                                 "observed data, or start a new output file",
                                 observed_file.empty() ? std::string("(none now)") : observed_file));
  }
  if (stored("inputs_fingerprint") != get("inputs_fingerprint")) {
    throw InputError(
        path, 0, "--resume",
        fmt::format("the sweep file or its base scenario differs from the one this file was started "
                    "with ({}); resume with the same files, or start a new output file",
                    stored("sweep_file")));
  }
}

/// What a sweep (or this shard of it) computes and writes, decided before it starts.
struct SweepPlan {
  Sweep sweep;
  Shard shard;
  unsigned threads = 1;
  Job job;
  output::DesignInfo design;
  output::FileLayout layout;
  output::Attributes attributes;
  std::vector<std::uint32_t> mine;  // the points of this shard
  JobEstimate estimate;

  [[nodiscard]] const Observation* observed() const {
    return sweep.scenario.observation ? &*sweep.scenario.observation : nullptr;
  }
};

/// Every rank reads the sweep (on a shared file system) and refuses up front what cannot fit: the
/// CPU time and the memory.
SweepPlan plan_sweep(const SweepArgs& args, const ModelRegistry& registry, const mpi::Session& session) {
  SweepPlan plan;
  plan.sweep = load_sweep(args.file, registry, {args.replicates, args.seed, args.sets});
  const Sweep& sweep = plan.sweep;
  plan.shard = args.shard ? parse_shard(*args.shard) : Shard{};
  plan.threads = resolve_threads(args.threads);
  plan.job = job_for(sweep);
  plan.job.check_invariants = args.check;
  std::string inputs = sweep.resolved_text();
  if (args.posterior) {
    Posterior posterior = calibration::load_posterior(*args.posterior, sweep.scenario);
    calibration::refuse_set_parameters(posterior, args.sets);
    calibration::attach_posterior(plan.job, std::move(posterior));
    inputs += calibration::posterior_inputs(*plan.job.posterior);
  }
  plan.design = design_of(sweep);
  plan.layout = output::make_layout(plan.job.schema, plan.design, plan.job.replicates, plan.observed());
  plan.attributes =
      output::study_attributes(sweep, {"sweep", args.command_line, plan.threads, session.size(), inputs});
  if (args.posterior) plan.attributes.emplace_back("posterior", *args.posterior);
  plan.attributes.emplace_back("design_kind", sweep.kind);
  plan.attributes.emplace_back("design_parameters", text::join(plan.design.parameters, "\n"));
  if (!plan.design.labels.empty())
    plan.attributes.emplace_back("design_labels", text::join(plan.design.labels, "\n"));
  if (plan.design.reference >= 0) plan.attributes.emplace_back("design_reference", plan.design.reference);
  plan.attributes.emplace_back("shard", fmt::format("{}/{}", plan.shard.index, plan.shard.count));
  plan.attributes.emplace_back("storage", std::string("streaming"));
  plan.mine = shard_points(plan.design.points, plan.shard);
  plan.estimate = estimate_job(plan.job.schema, static_cast<double>(plan.mine.size()), sweep.axes.size(),
                               static_cast<double>(plan.job.replicates), plan.threads,
                               output::attributes_bytes(plan.attributes));
  if (const std::string why = beyond_limits(plan.estimate); !why.empty()) {
    throw InputError(args.file, 0, "", "the sweep cannot run: " + why);
  }
  return plan;
}

/// `lwsim sweep ... --resume`, as the user would type it to finish this sweep.
std::string resume_command(const SweepArgs& args) {
  std::string overrides;
  if (args.replicates) overrides += fmt::format(" --replicates {}", *args.replicates);
  if (args.seed) overrides += fmt::format(" --seed {}", *args.seed);
  for (const std::string& set : args.sets) overrides += " --set " + set;
  if (args.posterior) overrides += " --posterior " + *args.posterior;
  return fmt::format("lwsim sweep {} -o {}{}{} --resume", args.file, args.output,
                     args.shard ? " --shard " + *args.shard : std::string(), overrides);
}

int stopped() {
  return 128 + (stop_signal() > 0 ? stop_signal() : 2);
}

output::Attributes with_storage(output::Attributes attributes, const std::string& storage) {
  return output::with_attribute(std::move(attributes), "storage", storage);
}

/// A new sweep: its streaming file, every dataset preallocated, in place at once.
void create_sweep_file(const SweepPlan& plan, output::PendingOutput& pending) {
  const std::string& path = pending.target();
  if (const std::string why = beyond_disk(plan.estimate, path); !why.empty())
    throw InputError(path, 0, "-o", why);
  const std::string& temporary = pending.temporary();
  try {
    output::ResultFile created =
        output::ResultFile::create(temporary, plan.layout, plan.attributes, output::Storage::streaming);
    created.flush_to_disk();
    created.close();
  } catch (const h5::OutputError& e) {
    const std::string what = e.what();
    throw InputError(path, 0, "-o", what.substr(std::min(what.size(), temporary.size() + 2)));
  }
  pending.commit();
}

/// A sweep to resume: checks that the file was started by this sweep; an exit code when there is
/// nothing left to do. An incomplete compressed file (from `lwsim merge --allow-incomplete`) is
/// turned back into a streaming one, so that finishing it changes no metadata.
std::optional<int> reopen_sweep_file(const SweepPlan& plan, output::PendingOutput& pending,
                                     const ModelRegistry& registry, std::ostream& out) {
  const std::string& path = pending.target();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    throw InputError(path, 0, "--resume", "no such file to resume; run without --resume to start the sweep");
  }
  // A file that cannot be read (damaged, truncated) is bad input naming it.
  return reading(path, [&]() -> std::optional<int> {
    output::ResultFile existing = open_input_file(path, false);
    check_resumable(existing, plan.attributes, path,
                    plan.observed() != nullptr ? plan.observed()->file : std::string());
    const StoredResults stored = read_stored_results(existing, registry);
    if (!existing.has_attribute("storage") || existing.attribute_string("storage") != "compressed") {
      return std::nullopt;
    }
    bool shard_complete = true;
    for (std::uint32_t p : plan.mine) shard_complete = shard_complete && stored.status[p] != 0;
    if (shard_complete) {
      fmt::print(out, "{} is already complete: {} points of {} replicates. See `lwsim report {}`.\n", path,
                 stored.completed(), plan.job.replicates, path);
      return kExitSuccess;
    }
    output::write_copy(existing, plan.layout,
                       with_storage(output::read_root_attributes(existing), "streaming"), pending.temporary(),
                       output::Storage::streaming, [] { return stop_requested(); });
    existing.close();
    pending.commit();
    return std::nullopt;
  });
}

/// Opens the sweep's streaming file for writing and returns the points of this shard still to do.
std::vector<std::uint32_t> points_to_do(const SweepPlan& plan, const std::string& path, bool resume,
                                        std::optional<output::ResultFile>& file) {
  try {
    file = output::ResultFile::open(path, true);
  } catch (const h5::OutputError& e) {
    // The file this sweep has just created vanished before it was reopened (its directory
    // removed): a failure of the run, as at a checkpoint, not bad input.
    std::error_code ec;
    if (!resume && !std::filesystem::exists(path, ec)) {
      throw h5::OutputError(path,
                            "the file was deleted (or its directory removed) while lwsim was writing it; "
                            "what it held is lost");
    }
    throw InputError(path, 0, "-o", e.what());
  }
  const std::vector<std::uint8_t> status = reading(path, [&] { return file->read_status(); });
  if (status.size() != plan.design.points)
    throw InputError(path, 0, "--resume", "damaged: the wrong number of points");
  std::vector<std::uint32_t> todo;
  for (std::uint32_t p : plan.mine) {
    if (status[p] == 0) todo.push_back(p);
  }
  return todo;
}

/// Finished: the streaming file is replaced by a compressed copy, atomically. If that fails (a
/// full disk) or is stopped, the streaming file keeps every point and --resume finishes; an exit
/// code then.
std::optional<int> compress_sweep_file(const SweepPlan& plan, const SweepArgs& args,
                                       std::optional<output::ResultFile>& file,
                                       output::PendingOutput& pending) {
  const std::string& temporary = pending.temporary();
  try {
    output::write_copy(*file, plan.layout, with_storage(output::read_root_attributes(*file), "compressed"),
                       temporary, output::Storage::compressed, [] { return stop_requested(); });
    file->close();
    file.reset();
    pending.commit();
    return std::nullopt;
  } catch (const output::CopyInterrupted&) {
    pending.discard();
    file->close();
    fmt::print(std::cerr,
               "lwsim: interrupted by signal {} while compressing: all {} points are complete in {} "
               "(uncompressed).\nlwsim: resume with: {}\n",
               stop_signal(), plan.mine.size(), args.output, resume_command(args));
    return stopped();
  } catch (const std::exception& e) {
    pending.discard();
    try {
      if (file) file->close();
    } catch (const h5::OutputError&) {
      // Already failing; the streaming file's results were flushed at the last checkpoint.
    }
    std::string why = e.what();
    if (why.rfind(temporary + ": ", 0) == 0) why.erase(0, temporary.size() + 2);
    throw std::runtime_error(fmt::format(
        "{}: cannot write the compressed copy ({}); {} keeps all {} points, uncompressed: make room "
        "and finish with `{}`",
        temporary, why, args.output, plan.mine.size(), resume_command(args)));
  }
}

void print_summary(const SweepPlan& plan, const SweepArgs& args, const RunStats& stats, std::size_t computed,
                   std::size_t already, const mpi::Session& session, std::ostream& out) {
  const Sweep& sweep = plan.sweep;
  const Shard& shard = plan.shard;
  const std::string& path = args.output;
  fmt::print(out, "lwsim {} | sweep {} | {}\n", lwsim_version(), args.file, sweep.title);
  if (!sweep.question.empty()) fmt::print(out, "question: {}\n", sweep.question);
  fmt::print(out, "{} design, {} points{} x {} replicates, seed {}: {} points computed in {:.1f} s on {}{}\n",
             sweep.kind, plan.mine.size(),
             shard.count > 1
                 ? fmt::format(" (shard {}/{} of {})", shard.index, shard.count, plan.design.points)
                 : "",
             plan.job.replicates, plan.job.seed, computed, stats.seconds,
             session.distributed() ? fmt::format("{} ranks x {} threads", session.size(), plan.threads)
                                   : fmt::format("{} threads", plan.threads),
             already > 0 ? fmt::format(" ({} were already complete)", already) : "");
  fmt::print(out, "Wrote {}; summarise it with `lwsim report {}` or `lwsim export {} --csv DIR`\n", path,
             path, path);
}

}  // namespace

int sweep_command(const SweepArgs& args, const ModelRegistry& registry, std::ostream& out,
                  const mpi::Session& session) {
  const SweepPlan plan = plan_sweep(args, registry, session);
  const bool root = session.rank() == 0;
  if (stop_requested()) {
    fmt::print(std::cerr, "lwsim: interrupted by signal {} before the sweep started; nothing written\n",
               stop_signal());
    return stopped();
  }
  // Rank 0 creates or reopens the output and finds the points still to do. The pending output is
  // declared before the file, so that the file is closed before its temporary goes.
  std::optional<output::PendingOutput> pending;
  std::optional<output::ResultFile> file;
  std::vector<std::uint32_t> todo;
  // Before the output file exists: a signal while it is being created stops the sweep cleanly.
  install_interrupt_handlers();
  const std::int64_t verdict = root_prepares(session, [&]() -> std::int64_t {
    pending.emplace(output::OutputTarget{args.output, "-o", args.resume,
                                         "use --resume to continue it, or choose another name",
                                         plan.sweep.sources});
    if (!args.resume) {
      create_sweep_file(plan, *pending);
    } else if (const std::optional<int> done = reopen_sweep_file(plan, *pending, registry, out)) {
      return *done;
    }
    todo = points_to_do(plan, args.output, args.resume, file);
    return kProceed;
  });
  if (verdict != kProceed) return static_cast<int>(verdict);

  const std::size_t already = plan.mine.size() - todo.size();
  const Job& job = plan.job;
  const std::uint32_t block = root ? choose_block_size(job.schema, job.replicates,
                                                       std::max<std::size_t>(todo.size(), 1), plan.threads)
                                   : 1;
  std::optional<BlockLayout> blocks;
  std::optional<output::ResultWriter> writer;
  std::optional<Progress> progress;
  if (root) {
    blocks.emplace(job.schema, block);
    writer.emplace(&*file, plan.layout, job.schema, *blocks, job.replicates, plan.observed(),
                   output::ResultWriter::PointCallback{}, args.checkpoint_seconds);
    // Replicates, not points, so that a compare of 2 points of 1,000 replicates moves (and its
    // estimate of the time left means something) long before its first point completes.
    progress.emplace(plan.mine.size() * job.replicates, "replicates",
                     args.quiet ? Progress::Mode::quiet : Progress::Mode::automatic);
  }
  return run_on_ranks(
      session, job, todo, block, plan.threads, root ? &*writer : nullptr,
      [&](std::uint64_t replicates_done) { progress->update(already * job.replicates + replicates_done); },
      [&](const RunStats& stats) {
        progress->finish();
        if (stats.interrupted) {
          file->close();
          fmt::print(std::cerr,
                     "lwsim: interrupted by signal {}: {} of {} points are complete and kept in {}.\n"
                     "lwsim: resume with: {}\n",
                     stop_signal(), already + writer->points_completed(), plan.mine.size(), args.output,
                     resume_command(args));
          return stopped();
        }
        if (const std::optional<int> code = compress_sweep_file(plan, args, file, *pending)) return *code;
        print_summary(plan, args, stats, todo.size(), already, session, out);
        return static_cast<int>(kExitSuccess);
      });
}

Command sweep_entry() {
  auto args = std::make_shared<SweepArgs>();
  return {
      "sweep",
      "Run every point of a sweep file (grid, Latin hypercube, Sobol, random or CSV design), resumable",
      {Option("file", "sweep file (TOML)", &args->file).required(),
       Option("-o,--output", "output HDF5 file", &args->output).required(),
       {"--resume", "continue an interrupted sweep in the output file", &args->resume},
       {"--shard", "compute only shard I of N (points p with p mod N = I), e.g. 2/8", &args->shard},
       {"--replicates", "replicates per point (overrides the design's replicates)", &args->replicates},
       {"--seed", "random seed, 0 to 4294967295 (overrides the design's seed; not design_seed)", &args->seed},
       {"--set", "fix a parameter the sweep does not vary, name=value (repeatable)", &args->sets},
       {"--posterior", "draw the calibrated parameters of each replicate from this calibration's posterior",
        &args->posterior},
       threads_option(args->threads),
       quiet_option(args->quiet),
       check_option(args->check),
       Option("--checkpoint-interval",
              "seconds between checkpoints that mark finished points complete (default 2)",
              &args->checkpoint_seconds)
           .within(0.0, 3600.0)},
      Ranks::every,
      OnStop::command_decides,
      runs(args, &sweep_command)};
}

}  // namespace sim::cli
