// `lwsim sweep SWEEP.toml -o OUT.h5 [--resume] [--shard I/N] [--threads T] [--quiet]`: every
// (point, replicate) of a design, streamed to HDF5 as points complete, resumable after any
// interruption (kill -9 included), finished by an atomic replacement with a compressed file.

#include <iostream>
#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

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
                     const std::string& path) {
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
  if (stored("inputs_fingerprint") != get("inputs_fingerprint")) {
    throw InputError(
        path, 0, "--resume",
        fmt::format("the sweep file or its base scenario differs from the one this file was started "
                    "with ({}); resume with the same files, or start a new output file",
                    stored("sweep_file")));
  }
}

output::Attributes with_storage(output::Attributes attributes, const std::string& storage) {
  for (auto& [key, value] : attributes) {
    if (key == "storage") value = storage;
  }
  return attributes;
}

}  // namespace

int sweep_command(const SweepArgs& args, const ModelRegistry& registry, std::ostream& out,
                  const mpi::Session& session) {
  // Every rank reads the sweep (on a shared file system); bad input is reported by rank 0.
  const Sweep sweep = load_sweep(args.file, registry);
  const Shard shard = args.shard ? parse_shard(*args.shard) : Shard{};
  const unsigned threads = resolve_threads(args.threads);
  const std::string& path = args.output;
  const bool root = session.rank() == 0;

  Job job = job_for(sweep);
  job.check_invariants = args.check;
  const Observation* observed = sweep.scenario.observation ? &*sweep.scenario.observation : nullptr;

  const output::DesignInfo design = design_of(sweep);
  const output::FileLayout layout = output::make_layout(job.schema, design, job.replicates, observed);

  const std::string inputs = sweep.resolved_text();
  output::Attributes attributes = output::provenance_attributes(
      sweep.scenario, {"sweep", args.command_line, threads, session.size(), inputs});
  for (auto& [key, value] : attributes) {
    if (key == "title") value = sweep.title;
  }
  std::string parameter_list;
  for (const auto& name : design.parameters) parameter_list += (parameter_list.empty() ? "" : "\n") + name;
  attributes.emplace_back("sweep_file", args.file);
  attributes.emplace_back("sweep", inputs);
  attributes.emplace_back("question", sweep.question);
  attributes.emplace_back("design_kind", sweep.kind);
  attributes.emplace_back("design_parameters", parameter_list);
  attributes.emplace_back("shard", fmt::format("{}/{}", shard.index, shard.count));
  attributes.emplace_back("storage", std::string("streaming"));

  const std::vector<std::uint32_t> mine = shard_points(design.points, shard);
  // Refuse up front what cannot fit: the CPU time, the memory, and for a new file the disk.
  double attribute_bytes = 0.0;
  for (const auto& [key, value] : attributes) {
    attribute_bytes +=
        static_cast<double>(key.size()) +
        std::visit([](const auto& v) { return static_cast<double>(fmt::format("{}", v).size()); }, value);
  }
  const JobEstimate estimate = estimate_job(job.schema, static_cast<double>(mine.size()), sweep.axes.size(),
                                            static_cast<double>(job.replicates), threads, attribute_bytes);
  if (const std::string why = beyond_limits(estimate); !why.empty()) {
    throw InputError(args.file, 0, "", "the sweep cannot run: " + why);
  }
  if (stop_requested()) {
    fmt::print(std::cerr, "lwsim: interrupted by signal {} before the sweep started; nothing written\n",
               stop_signal());
    return 128 + (stop_signal() > 0 ? stop_signal() : 2);
  }

  // Rank 0 creates or reopens the output and finds the points still to do.
  // Declared before the file, so that the file is closed before its temporary is removed.
  std::optional<output::PendingOutput> pending;
  std::optional<output::ResultFile> file;
  std::vector<std::uint32_t> todo;
  // Before the output file exists: a signal while it is being created stops the sweep cleanly.
  install_interrupt_handlers();
  const std::int64_t verdict = root_prepares(session, [&]() -> std::int64_t {
    pending.emplace(output::OutputTarget{
        path, "-o", args.resume, "use --resume to continue it, or choose another name", sweep.sources});
    const std::string& temporary = pending->temporary();
    if (!args.resume) {
      if (const std::string why = beyond_disk(estimate, path); !why.empty())
        throw InputError(path, 0, "-o", why);
      try {
        output::ResultFile created =
            output::ResultFile::create(temporary, layout, attributes, output::Storage::streaming);
        created.flush_to_disk();
        created.close();
      } catch (const h5::OutputError& e) {
        const std::string what = e.what();
        throw InputError(path, 0, "-o", what.substr(std::min(what.size(), temporary.size() + 2)));
      }
      pending->commit();
    } else {
      std::error_code ec;
      if (!std::filesystem::exists(path, ec)) {
        throw InputError(path, 0, "--resume",
                         "no such file to resume; run without --resume to start the sweep");
      }
      // A file that cannot be read (damaged, truncated) is bad input naming it.
      const std::optional<std::int64_t> done = reading(path, [&]() -> std::optional<std::int64_t> {
        output::ResultFile existing = open_input_file(path, false);
        check_resumable(existing, attributes, path);
        const StoredResults stored = read_stored_results(existing, registry);
        const bool compressed =
            existing.has_attribute("storage") && existing.attribute_string("storage") == "compressed";
        if (compressed) {
          bool shard_complete = true;
          for (std::uint32_t p : mine) shard_complete = shard_complete && stored.status[p] != 0;
          if (shard_complete) {
            fmt::print(out, "{} is already complete: {} points of {} replicates. See `lwsim report {}`.\n",
                       path, stored.completed(), job.replicates, path);
            return kExitSuccess;
          }
          // An incomplete compressed file (from `lwsim merge --allow-incomplete`) is turned back into
          // a streaming one, so that finishing it changes no metadata.
          output::write_copy(existing, layout,
                             with_storage(output::read_root_attributes(existing), "streaming"), temporary,
                             output::Storage::streaming, [] { return stop_requested(); });
          existing.close();
          pending->commit();
        }
        return std::nullopt;
      });
      if (done) return *done;
    }
    try {
      file = output::ResultFile::open(path, true);
    } catch (const h5::OutputError& e) {
      // The file this sweep has just created vanished before it was reopened (its directory
      // removed): a failure of the run, as at a checkpoint, not bad input.
      std::error_code ec;
      if (!args.resume && !std::filesystem::exists(path, ec)) {
        throw h5::OutputError(path,
                              "the file was deleted (or its directory removed) while lwsim was writing it; "
                              "what it held is lost");
      }
      throw InputError(path, 0, "-o", e.what());
    }
    const std::vector<std::uint8_t> status = reading(path, [&] { return file->read_status(); });
    if (status.size() != design.points)
      throw InputError(path, 0, "--resume", "damaged: the wrong number of points");
    for (std::uint32_t p : mine) {
      if (status[p] == 0) todo.push_back(p);
    }
    return kProceed;
  });
  if (verdict != kProceed) return static_cast<int>(verdict);

  const std::size_t already = mine.size() - todo.size();
  const std::uint32_t block =
      root ? choose_block_size(job.schema, job.replicates, std::max<std::size_t>(todo.size(), 1), threads)
           : 1;
  std::optional<BlockLayout> blocks;
  std::optional<output::ResultWriter> writer;
  std::optional<Progress> progress;
  if (root) {
    blocks.emplace(job.schema, block);
    writer.emplace(&*file, layout, job.schema, *blocks, job.replicates, observed,
                   output::ResultWriter::PointCallback{}, args.checkpoint_seconds);
    progress.emplace(mine.size(), "points", args.quiet ? Progress::Mode::quiet : Progress::Mode::automatic);
  }
  return run_on_ranks(
      session, job, todo, block, threads, root ? &*writer : nullptr,
      [&](std::uint64_t) { progress->update(already + writer->points_completed()); },
      [&](const RunStats& stats) {
        progress->finish();
        if (stats.interrupted) {
          const std::size_t done = already + writer->points_completed();
          file->close();
          fmt::print(std::cerr,
                     "lwsim: interrupted by signal {}: {} of {} points are complete and kept in {}.\n"
                     "lwsim: resume with: lwsim sweep {} -o {}{} --resume\n",
                     stop_signal(), done, mine.size(), path, args.file, path,
                     args.shard ? " --shard " + *args.shard : std::string());
          return 128 + (stop_signal() > 0 ? stop_signal() : 2);
        }
        // Finished: replace the streaming file by a compressed copy, atomically. If that fails (a
        // full disk) or is interrupted, the streaming file keeps every point and --resume finishes.
        const std::string resume_command =
            fmt::format("lwsim sweep {} -o {}{} --resume", args.file, path,
                        args.shard ? " --shard " + *args.shard : std::string());
        const std::string& temporary = pending->temporary();
        try {
          output::write_copy(*file, layout, with_storage(output::read_root_attributes(*file), "compressed"),
                             temporary, output::Storage::compressed, [] { return stop_requested(); });
          file->close();
          file.reset();
          pending->commit();
        } catch (const output::CopyInterrupted&) {
          pending->discard();
          file->close();
          fmt::print(std::cerr,
                     "lwsim: interrupted by signal {} while compressing: all {} points are complete in {} "
                     "(uncompressed).\nlwsim: resume with: {}\n",
                     stop_signal(), mine.size(), path, resume_command);
          return 128 + (stop_signal() > 0 ? stop_signal() : 2);
        } catch (const std::exception& e) {
          pending->discard();
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
              temporary, why, path, mine.size(), resume_command));
        }
        fmt::print(out, "lwsim {} | sweep {} | {}\n", lwsim_version(), args.file, sweep.title);
        if (!sweep.question.empty()) fmt::print(out, "question: {}\n", sweep.question);
        fmt::print(
            out, "{} design, {} points{} x {} replicates, seed {}: {} points computed in {:.1f} s on {}{}\n",
            sweep.kind, mine.size(),
            shard.count > 1 ? fmt::format(" (shard {}/{} of {})", shard.index, shard.count, design.points)
                            : "",
            job.replicates, job.seed, todo.size(), stats.seconds,
            session.distributed() ? fmt::format("{} ranks x {} threads", session.size(), threads)
                                  : fmt::format("{} threads", threads),
            already > 0 ? fmt::format(" ({} were already complete)", already) : "");
        fmt::print(out, "Wrote {}; summarise it with `lwsim report {}` or `lwsim export {} --csv DIR`\n",
                   path, path, path);
        return static_cast<int>(kExitSuccess);
      });
}

}  // namespace sim::cli
