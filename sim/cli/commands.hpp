#pragma once
// lwsim's commands (README, *Using lwsim*) as functions of their arguments and the registry, so
// that tests can call them directly. Each command's entry in the command line (name, help, options)
// is in its file next to the function; command_table.cpp lists them and cli.cpp (the only file that
// includes CLI11) parses the command line from that table.

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "sim/mpi/session.hpp"
#include "sim/registry.hpp"

namespace sim::cli {

struct RunArgs {
  std::optional<std::string> scenario;
  std::optional<std::string> output;
  std::optional<std::uint64_t> replicates;
  std::optional<std::uint64_t> seed;
  unsigned threads = 0;
  std::vector<std::string> sets;
  bool quiet = false;
  bool overwrite = false;
  bool check = false;                    // verify the model's state invariants every week
  std::optional<std::string> posterior;  // a calibration file: draw parameters per replicate from it
  std::string command_line;
};

struct SweepArgs {
  std::string file;
  std::string output;
  bool resume = false;
  std::optional<std::string> shard;  // "I/N"
  unsigned threads = 0;
  bool quiet = false;
  double checkpoint_seconds = 2.0;
  bool check = false;                       // verify the model's state invariants every week
  std::optional<std::uint64_t> replicates;  // override the design's replicates
  std::optional<std::uint64_t> seed;        // override the design's seed (not design_seed)
  std::vector<std::string> sets;            // name=value for parameters the sweep does not vary
  std::optional<std::string> posterior;     // a calibration file: draw parameters per replicate from it
  std::string command_line;
};

struct CalibrateArgs {
  std::string file;
  std::string output;
  bool resume = false;
  unsigned threads = 0;
  bool quiet = false;
  std::string command_line;
};

struct SensitivityArgs {
  std::string file;
  std::string output;
  unsigned threads = 0;
  bool quiet = false;
  bool overwrite = false;
  std::string command_line;
};

struct MergeArgs {
  std::vector<std::string> shards;
  std::string output;
  bool allow_incomplete = false;
  std::string command_line;
};

struct BenchArgs {
  bool json = false;
  unsigned threads = 0;
  bool quick = false;  // short runs (a test uses it): indicative figures only
};

/// A deterministic slice of a design for job arrays: the points p with p mod count == index.
struct Shard {
  std::uint32_t index = 0;
  std::uint32_t count = 1;
};
Shard parse_shard(const std::string& text);
std::vector<std::uint32_t> shard_points(std::size_t points, Shard shard);

int run_command(const RunArgs& args, const ModelRegistry& registry, std::ostream& out,
                const mpi::Session& session);
int sweep_command(const SweepArgs& args, const ModelRegistry& registry, std::ostream& out,
                  const mpi::Session& session);
int calibrate_command(const CalibrateArgs& args, const ModelRegistry& registry, std::ostream& out,
                      const mpi::Session& session);
int sensitivity_command(const SensitivityArgs& args, const ModelRegistry& registry, std::ostream& out,
                        const mpi::Session& session);
int merge_command(const MergeArgs& args, const ModelRegistry& registry, std::ostream& out);
int export_command(const std::string& file, const std::string& directory, bool overwrite,
                   const ModelRegistry& registry, std::ostream& out);
int validate_command(const std::string& file, const ModelRegistry& registry, std::ostream& out);
int params_command(bool markdown, const ModelRegistry& registry, std::ostream& out);
/// The layout of the file a run of the scenario (default: the registry's), or a sweep of the sweep
/// file, writes; as Markdown, the dataset tables of docs/output.md.
int schema_command(const std::optional<std::string>& file, bool markdown, const ModelRegistry& registry,
                   std::ostream& out);
/// One file: its summary. Several: each file's summary, then their scalar summaries side by side.
int report_command(const std::vector<std::string>& files, const ModelRegistry& registry, std::ostream& out);
/// Measures throughput on the registry's default scenario and the share of the built-in
/// benchmark sweep (bench/sweep_1000_points.toml, or bench/sweep_100_points.toml with --quick)
/// spent writing HDF5; runs this executable as child processes to measure peak memory.
int bench_command(const BenchArgs& args, const ModelRegistry& registry, std::ostream& out);

/// Parses the command line and runs the command; returns the process exit code.
int main(int argc, char** argv, const ModelRegistry& registry);
/// The parsing of main() alone (the fuzz target fuzz_command_line): the exit code when parsing
/// ends lwsim (help, version, bad input, reported as main reports them), or -1 when it chose a
/// command, which is not run.
int parse_command_line(int argc, char** argv);

}  // namespace sim::cli
