// The command line (DESIGN §4.1). The only file that includes CLI11. Exit codes: 0 success,
// 2 bad input (with a one-line message naming file, line and key), 1 anything else.

#include <functional>
#include <iostream>
#include <optional>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ostream.h>

#include "sim/cli/commands.hpp"
#include "sim/cli/ranks.hpp"
#include "sim/error.hpp"
#include "sim/output/hdf5.hpp"
#include "sim/output/provenance.hpp"
#include "sim/util/interrupt.hpp"
#include "sim/util/text.hpp"
#include "sim/version.hpp"

namespace sim::cli {

namespace {

constexpr const char* kCheckHelp =
    "verify the model's state invariants (bounds, conservation of staff and patients) after every "
    "mechanism of every week, at some cost in speed; stop at the first violation, naming the point, "
    "replicate, practice, week and mechanism";

/// --threads and --quiet, which every command that computes takes.
void add_compute_options(CLI::App* command, unsigned& threads, bool& quiet) {
  command->add_option("--threads", threads, "worker threads (default: all cores)");
  command->add_flag("--quiet", quiet, "no progress display");
}

int report_error(const std::string& message, int code) {
  std::cout.flush();
  fmt::print(std::cerr, "lwsim: error: {}\n", text::printable(message));
  return code;
}

// A command that writes nothing, or writes its files only at the end, runs to its end after a
// first SIGINT or SIGTERM (a second one exits at once); its exit code then says it was stopped.
int unless_interrupted(int code) {
  if (code != kExitSuccess || !stop_requested()) return code;
  fmt::print(std::cerr, "lwsim: interrupted by signal {}\n", stop_signal());
  return 128 + (stop_signal() > 0 ? stop_signal() : 2);
}

// CLI11's own errors (unknown option, missing argument...) are bad input too.
int cli_error(const CLI::Error& e) {
  std::string message = e.what();
  if (message.empty()) message = e.get_name();
  for (char& c : message) {
    if (c == '\n') c = ' ';
  }
  if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::RequiredError) &&
      message.find("subcommand") != std::string::npos) {
    message =
        "a command is required: run, sweep, merge, calibrate, sensitivity, validate, params, schema, "
        "report, export or bench (see lwsim --help)";
  }
  return report_error("command line: " + message, kExitBadInput);
}

}  // namespace

int main(int argc, char** argv, const ModelRegistry& registry) {
  // MPI, when lwsim was started by mpirun or srun --mpi=pmix (and built with MPI).
  std::optional<mpi::Session> session;
  try {
    session.emplace(argc, argv);
  } catch (const std::exception& e) {
    return report_error(e.what(), kExitFailure);
  }
  // From here on SIGINT and SIGTERM ask for a clean stop (a second one exits at once): every
  // command stops at a point where what it leaves behind is whole (docs/reliability.md).
  install_interrupt_handlers();
  const bool root = session->rank() == 0;
  CLI::App app{"lwsim: agent-based simulation of link-worker programme integration in general practice",
               "lwsim"};
  app.set_version_flag("--version", fmt::format("lwsim {} ({})", lwsim_version(), git_commit()));
  app.require_subcommand(1);
  app.fallthrough(false);

  RunArgs run;
  run.command_line = output::command_line(argc, argv);
  CLI::App* run_cmd = app.add_subcommand("run",
                                         "Run a scenario (the built-in Deep End Glasgow scenario when none "
                                         "is given) and compare it with observation");
  run_cmd->add_option("scenario", run.scenario, "scenario file (TOML)");
  run_cmd->add_option("-o,--output", run.output, "write results to this HDF5 file");
  run_cmd->add_option("--replicates", run.replicates, "replicates (overrides run.replicates)");
  run_cmd->add_option("--seed", run.seed, "random seed, 0 to 4294967295 (overrides run.seed)");
  add_compute_options(run_cmd, run.threads, run.quiet);
  run_cmd->add_option("--set", run.sets, "set a parameter, name=value (repeatable)")->allow_extra_args(false);
  run_cmd->add_flag("--overwrite", run.overwrite, "replace the output file if it exists");
  run_cmd->add_flag("--check", run.check, kCheckHelp);

  SweepArgs sweep;
  sweep.command_line = run.command_line;
  CLI::App* sweep_cmd = app.add_subcommand(
      "sweep",
      "Run every point of a sweep file (grid, Latin hypercube, Sobol, random or CSV design), resumable");
  sweep_cmd->add_option("file", sweep.file, "sweep file (TOML)")->required();
  sweep_cmd->add_option("-o,--output", sweep.output, "output HDF5 file")->required();
  sweep_cmd->add_flag("--resume", sweep.resume, "continue an interrupted sweep in the output file");
  sweep_cmd->add_option("--shard", sweep.shard,
                        "compute only shard I of N (points p with p mod N = I), e.g. 2/8");
  add_compute_options(sweep_cmd, sweep.threads, sweep.quiet);
  sweep_cmd->add_flag("--check", sweep.check, kCheckHelp);
  sweep_cmd
      ->add_option("--checkpoint-interval", sweep.checkpoint_seconds,
                   "seconds between checkpoints that mark finished points complete (default 2)")
      ->check(CLI::Range(0.0, 3600.0));

  std::string validate_file;
  CLI::App* validate_cmd =
      app.add_subcommand("validate", "Check a scenario or sweep file and print its resolved values");
  validate_cmd->add_option("file", validate_file, "scenario or sweep file (TOML)")->required();

  bool markdown = false;
  CLI::App* params_cmd = app.add_subcommand("params", "Print the parameter table");
  params_cmd->add_flag("--markdown", markdown, "as Markdown (the content of docs/parameters.md)");

  std::optional<std::string> schema_scenario;
  bool schema_markdown = false;
  CLI::App* schema_cmd = app.add_subcommand(
      "schema",
      "Print the layout of the output file of a scenario (default: the built-in one) or of a sweep file");
  schema_cmd->add_option("scenario", schema_scenario, "scenario or sweep file (TOML)");
  schema_cmd->add_flag("--markdown", schema_markdown, "as Markdown (the dataset tables of docs/output.md)");

  std::vector<std::string> report_files;
  CLI::App* report_cmd = app.add_subcommand(
      "report", "Summarise an output file in plain text (several files: their scenarios side by side)");
  report_cmd->add_option("file", report_files, "lwsim output files (HDF5)")->required();

  CalibrateArgs calibrate;
  calibrate.command_line = run.command_line;
  CLI::App* calibrate_cmd = app.add_subcommand(
      "calibrate", "Calibrate parameters to observed data by ABC-SMC (resumable after any generation)");
  calibrate_cmd->add_option("file", calibrate.file, "calibration file (TOML)")->required();
  calibrate_cmd->add_option("-o,--output", calibrate.output, "output HDF5 file")->required();
  calibrate_cmd->add_flag("--resume", calibrate.resume,
                          "continue from the last complete generation in the output");
  add_compute_options(calibrate_cmd, calibrate.threads, calibrate.quiet);

  SensitivityArgs sensitivity;
  sensitivity.command_line = run.command_line;
  CLI::App* sensitivity_cmd = app.add_subcommand(
      "sensitivity",
      "Global sensitivity analysis: Sobol indices or Morris elementary effects with bootstrap CIs");
  sensitivity_cmd->add_option("file", sensitivity.file, "sensitivity file (TOML)")->required();
  sensitivity_cmd->add_option("-o,--output", sensitivity.output, "output HDF5 file")->required();
  add_compute_options(sensitivity_cmd, sensitivity.threads, sensitivity.quiet);
  sensitivity_cmd->add_flag("--overwrite", sensitivity.overwrite, "replace the output file if it exists");

  MergeArgs merge;
  merge.command_line = run.command_line;
  CLI::App* merge_cmd = app.add_subcommand(
      "merge", "Combine the shards of a job array (lwsim sweep --shard I/N) into one file");
  merge_cmd->add_option("shards", merge.shards, "shard files (HDF5)")->required();
  merge_cmd->add_option("-o,--output", merge.output, "the merged output file")->required();
  merge_cmd->add_flag(
      "--allow-incomplete", merge.allow_incomplete,
      "write a file even when points are missing, marked incomplete (resumable with lwsim sweep "
      "--resume)");

  std::string export_file;
  std::string export_dir;
  bool export_overwrite = false;
  CLI::App* export_cmd =
      app.add_subcommand("export", "Export an output file's summaries as CSV for spreadsheets");
  export_cmd->add_option("file", export_file, "lwsim output file (HDF5)")->required();
  export_cmd->add_option("--csv", export_dir, "directory for points.csv and points_practice.csv")->required();
  export_cmd->add_flag("--overwrite", export_overwrite, "replace existing CSV files");

  BenchArgs bench;
  CLI::App* bench_cmd = app.add_subcommand(
      "bench",
      "Measure throughput (practice-weeks/s on 1 and all threads, Philox calls per practice-week and their "
      "cost, the floor ratio), the HDF5 share of a 1,000-point sweep and peak memory (DESIGN §8)");
  bench_cmd->add_flag("--json", bench.json, "print one JSON object instead of a table");
  bench_cmd
      ->add_option("--threads", bench.threads, "threads of the all-threads figures (default or 0: all cores)")
      ->check(CLI::Range(0U, 4096U));
  bench_cmd->add_flag("--quick", bench.quick, "short runs (under about 30 s): indicative figures only");

  // CLI11 reports an unknown command as a missing one; name it.
  if (argc > 1 && argv[1][0] != '-') {
    const std::string word = argv[1];
    bool known = false;
    for (const CLI::App* sub : app.get_subcommands({})) known = known || sub->get_name() == word;
    if (!known) {
      return report_error(
          fmt::format("command line: unknown command '{}'; the commands are run, sweep, merge, calibrate, "
                      "sensitivity, validate, params, schema, report, export and bench (see lwsim --help)",
                      word),
          kExitBadInput);
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::Error& e) {
    return cli_error(e);
  }

  // Only rank 0 reports errors: every rank meets the same bad input.
  const auto fail = [&](const std::string& message, int code) {
    return root ? report_error(message, code) : code;
  };
  // Commands that do not compute run on rank 0 alone; the other ranks wait for its exit code.
  const auto on_root = [&](const std::function<int()>& command) { return root_finishes(*session, command); };
  try {
    if (*run_cmd) return run_command(run, registry, std::cout, *session);
    if (*sweep_cmd) return sweep_command(sweep, registry, std::cout, *session);
    if (*validate_cmd) {
      return unless_interrupted(
          on_root([&] { return validate_command(validate_file, registry, std::cout); }));
    }
    if (*params_cmd) return on_root([&] { return params_command(markdown, registry, std::cout); });
    if (*schema_cmd) {
      return on_root([&] { return schema_command(schema_scenario, schema_markdown, registry, std::cout); });
    }
    if (*report_cmd) {
      return unless_interrupted(on_root([&] { return report_command(report_files, registry, std::cout); }));
    }
    if (*calibrate_cmd) return calibrate_command(calibrate, registry, std::cout, *session);
    if (*sensitivity_cmd) return sensitivity_command(sensitivity, registry, std::cout, *session);
    if (*merge_cmd) return on_root([&] { return merge_command(merge, registry, std::cout); });
    if (*bench_cmd) {
      if (session->distributed()) {
        throw InputError("command line", 0, "bench",
                         "lwsim bench measures one process: run it without mpirun or srun");
      }
      return bench_command(bench, registry, std::cout);
    }
    if (*export_cmd) {
      return on_root(
          [&] { return export_command(export_file, export_dir, export_overwrite, registry, std::cout); });
    }
  } catch (const InputError& e) {
    return fail(e.what(), kExitBadInput);
  } catch (const h5::OutputError& e) {
    return fail(e.what(), kExitFailure);
  } catch (const std::exception& e) {
    return fail(e.what(), kExitFailure);
  }
  return kExitFailure;
}

}  // namespace sim::cli
