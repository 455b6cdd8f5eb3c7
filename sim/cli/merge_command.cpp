// `lwsim merge SHARD.h5... -o OUT.h5 [--allow-incomplete]`: the shards of a job array (`lwsim
// sweep --shard I/N`) combined into the file one process would have written. The shards must come
// from the same sweep file, seed and lwsim version; every point must be complete in exactly one of
// them. Missing or duplicated points are reported by number, and an incomplete file is produced
// only when asked (its missing points stay marked incomplete, for `lwsim sweep --resume`).

#include <iostream>
#include <map>
#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "sim/cli/command.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/stored_results.hpp"
#include "sim/error.hpp"
#include "sim/output/pending_output.hpp"
#include "sim/output/provenance.hpp"
#include "sim/scenario.hpp"
#include "sim/util/interrupt.hpp"
#include "sim/util/text.hpp"

namespace sim::cli {

namespace {

std::string point_list(const std::vector<std::size_t>& points) {
  std::string out;
  const std::size_t shown = std::min<std::size_t>(points.size(), 20);
  for (std::size_t i = 0; i < shown; ++i) out += fmt::format("{}{}", i ? ", " : "", points[i]);
  if (points.size() > shown) out += fmt::format(", ... ({} in all)", points.size());
  return out;
}

std::string attribute_text(const output::ResultFile& file, const std::string& name) {
  if (!file.has_attribute(name)) return "(none)";
  try {
    return file.attribute_string(name);
  } catch (const h5::OutputError&) {
    return fmt::format("{}", file.attribute_int(name));
  }
}

struct ShardFile {
  std::string path;
  output::ResultFile file;
  StoredResults stored;
};

/// Reads every shard; each must be a sweep shard (a damaged file is bad input naming it).
std::vector<ShardFile> read_shards(const std::vector<std::string>& paths, const ModelRegistry& registry) {
  std::vector<ShardFile> shards;
  for (const std::string& path : paths) {
    reading(path, [&] {
      output::ResultFile file = open_input_file(path);
      StoredResults stored = read_stored_results(file, registry);
      if (attribute_text(file, "kind") != "sweep") {
        throw InputError(
            path, 0, "",
            fmt::format("holds a '{}', not a sweep shard", text::printable(attribute_text(file, "kind"))));
      }
      // Copied into the merged file as it is: a value no sweep can have (or an array, which names
      // the file as damaged) is refused here.
      if (file.has_attribute("replicates")) {
        const std::int64_t replicates = file.attribute_int("replicates");
        if (replicates < 1 || static_cast<std::uint64_t>(replicates) > kMaxReplicates) {
          throw InputError(path, 0, "replicates",
                           fmt::format("the attribute is {}, not a number of replicates from 1 to {}",
                                       replicates, kMaxReplicates));
        }
      }
      shards.push_back({path, std::move(file), std::move(stored)});
    });
  }
  return shards;
}

/// Every shard must come from the same sweep, seed and lwsim, and be given once.
void check_shards_belong_together(const std::vector<ShardFile>& shards) {
  const ShardFile& first = shards.front();
  for (const ShardFile& shard : shards) {
    if (attribute_text(shard.file, "observed") != attribute_text(first.file, "observed")) {
      throw InputError(shard.path, 0, "",
                       fmt::format("does not belong with {}: it was computed against other observed data "
                                   "(its `observed` attribute differs)",
                                   first.path));
    }
    for (const char* name :
         {"lwsim_version", "results_version", "seed", "replicates", "inputs_fingerprint"}) {
      const std::string mine = attribute_text(shard.file, name);
      const std::string theirs = attribute_text(first.file, name);
      if (mine != theirs) {
        throw InputError(
            shard.path, 0, "",
            fmt::format("does not belong with {}: its {} is {}, not {}{}", first.path, name, mine, theirs,
                        std::string(name) == "inputs_fingerprint"
                            ? " (it was made from another sweep file, base scenario or observed data)"
                            : ""));
      }
    }
  }
  for (const ShardFile& shard : shards) {
    for (const ShardFile& other : shards) {
      if (&shard != &other && shard.path == other.path) throw InputError(shard.path, 0, "", "is given twice");
    }
  }
}

/// The shard each point is complete in (-1: none); a point complete in two shards is bad input.
std::vector<int> point_owners(const std::vector<ShardFile>& shards, const std::string& output) {
  const std::size_t points = shards.front().stored.status.size();
  std::vector<int> owner(points, -1);
  std::map<std::size_t, std::vector<std::string>> duplicated;
  for (std::size_t s = 0; s < shards.size(); ++s) {
    for (std::size_t p = 0; p < points; ++p) {
      if (shards[s].stored.status[p] == 0) continue;
      if (owner[p] >= 0) {
        auto& files = duplicated[p];
        if (files.empty()) files.push_back(shards[static_cast<std::size_t>(owner[p])].path);
        files.push_back(shards[s].path);
      } else {
        owner[p] = static_cast<int>(s);
      }
    }
  }
  if (!duplicated.empty()) {
    std::vector<std::size_t> numbers;
    numbers.reserve(duplicated.size());
    for (const auto& [p, files] : duplicated) numbers.push_back(p);
    const auto& [p0, files0] = *duplicated.begin();
    throw InputError(
        output, 0, "merge",
        fmt::format("points complete in more than one shard: {} (point {} is in {} and {}); give "
                    "each shard once",
                    point_list(numbers), p0, files0[0], files0[1]));
  }
  return owner;
}

/// The shards' attributes, as one unsharded sweep file's.
output::Attributes merged_attributes(const std::vector<ShardFile>& shards, const std::string& command_line) {
  output::Attributes attributes = output::read_root_attributes(shards.front().file);
  std::vector<std::string> sources;
  sources.reserve(shards.size());
  for (const ShardFile& shard : shards) sources.push_back(shard.path);
  attributes = output::with_attribute(std::move(attributes), "command_line", command_line);
  attributes = output::with_attribute(std::move(attributes), "created_utc", output::utc_now());
  attributes = output::with_attribute(std::move(attributes), "shard", std::string("0/1"));
  attributes = output::with_attribute(std::move(attributes), "storage", std::string("streaming"));
  return output::with_attribute(std::move(attributes), "merged_from", text::join(sources, "\n"));
}

/// Copies each point from the shard that holds it into a streaming scratch file, then writes its
/// compressed copy into the pending output (CopyInterrupted when a stop is asked for).
void write_merged(const std::vector<ShardFile>& shards, const std::vector<int>& owner,
                  const output::Attributes& attributes, output::PendingOutput& pending) {
  const output::FileLayout& layout = shards.front().stored.layout;
  output::ResultFile merged =
      output::ResultFile::create(pending.scratch(), layout, attributes, output::Storage::streaming);
  std::vector<std::byte> row;
  for (std::size_t p = 0; p < owner.size(); ++p) {
    if (owner[p] < 0) continue;
    if (stop_requested()) throw output::CopyInterrupted();
    const ShardFile& shard = shards[static_cast<std::size_t>(owner[p])];
    for (const output::DatasetPlan& plan : layout.datasets) {
      if (plan.role != output::Role::field && plan.role != output::Role::summary &&
          plan.role != output::Role::status) {
        continue;
      }
      row.resize(plan.elements() / plan.shape[0] * dtype_size(plan.type));
      reading(shard.path, [&] { shard.file.read_points(plan.path, plan.type, p, 1, row.data()); });
      merged.write_point(plan.path, plan.type, p, row.data());
    }
  }
  output::write_copy(merged, layout, output::with_attribute(attributes, "storage", std::string("compressed")),
                     pending.temporary(), output::Storage::compressed, [] { return stop_requested(); });
  merged.close();
}

}  // namespace

int merge_command(const MergeArgs& args, const ModelRegistry& registry, std::ostream& out) {
  if (args.shards.empty()) throw InputError("command line", 0, "merge", "no shard files given");
  output::PendingOutput pending(output::OutputTarget{
      args.output, "-o", false, "choose another name (merge never overwrites)", args.shards});
  const std::vector<ShardFile> shards = read_shards(args.shards, registry);
  check_shards_belong_together(shards);
  const std::vector<int> owner = point_owners(shards, args.output);
  const std::size_t points = owner.size();
  std::vector<std::size_t> missing;
  for (std::size_t p = 0; p < points; ++p) {
    if (owner[p] < 0) missing.push_back(p);
  }
  if (!missing.empty() && !args.allow_incomplete) {
    throw InputError(
        args.output, 0, "merge",
        fmt::format("{} of {} points are complete in no shard: {}; run the missing shards (or resume "
                    "them), or pass --allow-incomplete to write a file marked incomplete",
                    missing.size(), points, point_list(missing)));
  }
  try {
    write_merged(shards, owner, merged_attributes(shards, args.command_line), pending);
  } catch (const output::CopyInterrupted&) {
    fmt::print(std::cerr, "lwsim: interrupted by signal {}; nothing written\n", stop_signal());
    return 128 + (stop_signal() > 0 ? stop_signal() : 2);
  }
  pending.commit();
  fmt::print(out, "Merged {} shards into {}: {} of {} points complete{}\n", shards.size(), args.output,
             points - missing.size(), points,
             missing.empty()
                 ? std::string()
                 : fmt::format("; INCOMPLETE, missing points {} (finish with `lwsim sweep SWEEP.toml -o {} "
                               "--resume`)",
                               point_list(missing), args.output));
  return kExitSuccess;
}

Command merge_entry() {
  auto args = std::make_shared<MergeArgs>();
  return {"merge",
          "Combine the shards of a job array (lwsim sweep --shard I/N) into one file",
          {Option("shards", "shard files (HDF5)", &args->shards).required(),
           Option("-o,--output", "the merged output file", &args->output).required(),
           {"--allow-incomplete",
            "write a file even when points are missing, marked incomplete (resumable with lwsim sweep "
            "--resume)",
            &args->allow_incomplete}},
          Ranks::first,
          OnStop::command_decides,
          runs(args, &merge_command)};
}

}  // namespace sim::cli
