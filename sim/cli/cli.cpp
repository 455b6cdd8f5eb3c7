// The command line (README, *Using lwsim*), built from the table of commands (command.hpp). The
// only file that includes CLI11. Exit codes: 0 success, 2 bad input (with a one-line message naming
// file, line and key), 1 anything else.

#include <cmath>
#include <csignal>
#include <iostream>
#include <optional>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ostream.h>

#include "sim/cli/command.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/ranks.hpp"
#include "sim/error.hpp"
#include "sim/output/provenance.hpp"
#include "sim/run/runner.hpp"
#include "sim/util/interrupt.hpp"
#include "sim/util/text.hpp"
#include "sim/version.hpp"

namespace sim::cli {

namespace {

int report_error(const std::string& message, int code) {
  std::cout.flush();
  fmt::print(std::cerr, "lwsim: error: {}\n", text::printable(message));
  return code;
}

std::vector<std::string> names_of(const std::vector<Command>& commands) {
  std::vector<std::string> names;
  names.reserve(commands.size());
  for (const Command& c : commands) names.push_back(c.name);
  return names;
}

// CLI11's own errors (unknown option, missing argument...) are bad input too.
int cli_error(const CLI::Error& e, const std::vector<Command>& commands) {
  std::string message = e.what();
  if (message.empty()) message = e.get_name();
  for (char& c : message) {
    if (c == '\n') c = ' ';
  }
  if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::RequiredError) &&
      message.find("subcommand") != std::string::npos) {
    message = fmt::format("a command is required: {} (see lwsim --help)",
                          text::join_list(names_of(commands), "or"));
  }
  return report_error("command line: " + message, kExitBadInput);
}

// CLI11 reads "nan", "inf" and "1e999" as numbers, and a range check lets NaN through (every
// comparison with it is false): a non-finite value is refused before any range.
CLI::Validator finite_number() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        double value = 0.0;
        if (!CLI::detail::lexical_cast(text, value)) return {};  // CLI11 says it is not a number
        return std::isfinite(value) ? std::string() : "value " + text + " is not a finite number";
      },
      "FINITE");
}

void add_option(CLI::App& command, const Option& option) {
  const bool named = option.names().front() == '-';
  CLI::Option* added = std::visit(
      [&](auto* target) -> CLI::Option* {
        using T = std::remove_pointer_t<decltype(target)>;
        if constexpr (std::is_same_v<T, bool>) {
          return command.add_flag(option.names(), *target, option.help());
        } else {
          CLI::Option* o = command.add_option(option.names(), *target, option.help());
          if constexpr (std::is_same_v<T, std::vector<std::string>>) {
            if (named) o->allow_extra_args(false);
          }
          if constexpr (std::is_same_v<T, double>) o->check(finite_number());
          if constexpr (std::is_same_v<T, unsigned> || std::is_same_v<T, double>) {
            if (const auto& range = option.range()) {
              o->check(CLI::Range(static_cast<T>(range->first), static_cast<T>(range->second)));
            }
          }
          return o;
        }
      },
      option.target());
  if (option.is_required()) added->required();
}

/// The parser of every command of the table; returns each command's subcommand, in table order.
std::vector<CLI::App*> build_parser(CLI::App& app, const std::vector<Command>& commands) {
  app.set_version_flag("--version", fmt::format("lwsim {} ({})", lwsim_version(), git_commit()));
  app.require_subcommand(1);
  app.fallthrough(false);
  std::vector<CLI::App*> parsers;
  for (const Command& command : commands) {
    CLI::App* parser = app.add_subcommand(command.name, command.help);
    for (const Option& option : command.options) add_option(*parser, option);
    parsers.push_back(parser);
  }
  return parsers;
}

/// Parses the command line into the table's arguments; the exit code when that ends lwsim (help,
/// version, bad input), or the command chosen.
std::variant<int, const Command*> parse(int argc, char** argv, const std::vector<Command>& commands) {
  CLI::App app{"lwsim: agent-based simulation of link-worker programme integration in general practice",
               "lwsim"};
  const std::vector<CLI::App*> parsers = build_parser(app, commands);
  // CLI11 reports an unknown command as a missing one; name it.
  if (argc > 1 && argv[1][0] != '-') {
    const std::vector<std::string> names = names_of(commands);
    if (std::find(names.begin(), names.end(), argv[1]) == names.end()) {
      return report_error(
          fmt::format("command line: unknown command '{}'; the commands are {} (see lwsim --help)", argv[1],
                      text::join_list(names, "and")),
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
    return cli_error(e, commands);
  }
  for (std::size_t i = 0; i < commands.size(); ++i) {
    if (*parsers[i]) return &commands[i];
  }
  return kExitFailure;
}

/// Runs `command` as its table entry says it runs under MPI and after a stop; errors become one
/// line on stderr (from rank 0 only: every rank meets the same bad input) and the exit code.
int run_chosen(const Command& command, const Invocation& invocation) {
  const mpi::Session& session = invocation.session;
  const auto fail = [&](const std::string& message, int code) {
    return session.rank() == 0 ? report_error(message, code) : code;
  };
  try {
    int code = kExitFailure;
    switch (command.ranks) {
      case Ranks::every: code = command.run(invocation); break;
      case Ranks::first: code = root_finishes(session, [&] { return command.run(invocation); }); break;
      case Ranks::one_process:
        if (session.distributed()) {
          throw InputError(
              "command line", 0, command.name,
              fmt::format("lwsim {} measures one process: run it without mpirun or srun", command.name));
        }
        code = command.run(invocation);
        break;
    }
    if (command.on_stop == OnStop::run_to_end && code == kExitSuccess && stop_requested()) {
      fmt::print(std::cerr, "lwsim: interrupted by signal {}\n", stop_signal());
      return 128 + (stop_signal() > 0 ? stop_signal() : 2);
    }
    return code;
  } catch (const InputError& e) {
    return fail(e.what(), kExitBadInput);
  } catch (const std::exception& e) {
    return fail(e.what(), kExitFailure);
  }
}

}  // namespace

Option threads_option(unsigned& threads) {
  return Option("--threads", "worker threads (default: all cores)", &threads).within(0, kMaxThreads);
}

Option quiet_option(bool& quiet) {
  return {"--quiet", "no progress display", &quiet};
}

Option check_option(bool& check) {
  return {"--check",
          "verify the model's state invariants (bounds, conservation of staff and patients) after every "
          "mechanism of every week, at some cost in speed; stop at the first violation, naming the point, "
          "replicate, practice, week and mechanism",
          &check};
}

int parse_command_line(int argc, char** argv) {
  const std::vector<Command> commands = command_table();
  const auto parsed = parse(argc, argv, commands);
  if (const int* code = std::get_if<int>(&parsed)) return *code;
  return -1;
}

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
  // A write past the file-size limit (`ulimit -f`, a batch system's per-job limit) would end the
  // process with SIGXFSZ and no word, leaving its temporaries. Ignored, the write fails with
  // EFBIG ("File too large") and takes the path of any failed write (docs/reliability.md).
  std::signal(SIGXFSZ, SIG_IGN);
  const std::vector<Command> commands = command_table();
  const auto parsed = parse(argc, argv, commands);
  if (const int* code = std::get_if<int>(&parsed)) return *code;
  const std::string command_line = output::command_line(argc, argv);
  return run_chosen(*std::get<const Command*>(parsed), {registry, *session, std::cout, command_line});
}

}  // namespace sim::cli
