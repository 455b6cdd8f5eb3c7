#pragma once
// One command of lwsim's command line: its name, its help, its options and what it runs. Each
// command's entry sits in its own file, next to its code; command_table.cpp lists them, and is
// the only list: cli.cpp (the only file that includes CLI11) builds the parser from it, and the
// messages that name the commands take their names from it.

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "sim/mpi/session.hpp"
#include "sim/registry.hpp"

namespace sim::cli {

/// The field of a command's arguments that an option's value goes to.
using OptionTarget = std::variant<bool*, unsigned*, double*, std::string*, std::optional<std::string>*,
                                  std::optional<std::uint64_t>*, std::vector<std::string>*>;

/// An option or a positional argument (a name without a leading '-'). A bool is a flag; a list
/// takes every value given (a named list, one value per use: --set a=1 --set b=2).
class Option {
 public:
  Option(std::string names, std::string help, OptionTarget target)
      : names_(std::move(names)), help_(std::move(help)), target_(target) {}
  /// The option must be given.
  [[nodiscard]] Option required() && {
    required_ = true;
    return std::move(*this);
  }
  /// Its value must lie in [low, high].
  [[nodiscard]] Option within(double low, double high) && {
    range_ = {low, high};
    return std::move(*this);
  }

  [[nodiscard]] const std::string& names() const noexcept { return names_; }
  [[nodiscard]] const std::string& help() const noexcept { return help_; }
  [[nodiscard]] const OptionTarget& target() const noexcept { return target_; }
  [[nodiscard]] bool is_required() const noexcept { return required_; }
  [[nodiscard]] const std::optional<std::pair<double, double>>& range() const noexcept { return range_; }

 private:
  std::string names_;
  std::string help_;
  OptionTarget target_;
  bool required_ = false;
  std::optional<std::pair<double, double>> range_;
};

/// --threads, --quiet and --check, which the commands that compute take.
Option threads_option(unsigned& threads);
Option quiet_option(bool& quiet);
Option check_option(bool& check);

/// What a command runs with.
struct Invocation {
  const ModelRegistry& registry;
  const mpi::Session& session;
  std::ostream& out;
  const std::string& command_line;  // as typed, for the output's provenance
};

/// How a command runs when started by mpirun or srun.
enum class Ranks : std::uint8_t {
  every,        // every rank runs it and they share the work (the command uses the session)
  first,        // rank 0 runs it; the other ranks wait for its exit code
  one_process,  // refused: it measures one process
};

/// After a first SIGINT or SIGTERM (a second one exits at once).
enum class OnStop : std::uint8_t {
  command_decides,  // the command stops where what it leaves is whole, and says so
  run_to_end,       // it writes nothing, or only at its end: it runs to the end, then exits 128 + signal
};

struct Command {
  std::string name;
  std::string help;
  std::vector<Option> options;  // bound to the arguments `run` reads
  Ranks ranks = Ranks::first;
  OnStop on_stop = OnStop::command_decides;
  std::function<int(const Invocation&)> run;  // returns the exit code
};

/// The run function of a command whose arguments record the command line: `command(*args,
/// registry, out, session)`, or `command(*args, registry, out)` for one that does not compute.
template <class Args>
std::function<int(const Invocation&)> runs(std::shared_ptr<Args> args,
                                           int (*command)(const Args&, const ModelRegistry&, std::ostream&,
                                                          const mpi::Session&)) {
  return [args, command](const Invocation& i) {
    args->command_line = i.command_line;
    return command(*args, i.registry, i.out, i.session);
  };
}
template <class Args>
std::function<int(const Invocation&)> runs(std::shared_ptr<Args> args,
                                           int (*command)(const Args&, const ModelRegistry&, std::ostream&)) {
  return [args, command](const Invocation& i) {
    args->command_line = i.command_line;
    return command(*args, i.registry, i.out);
  };
}

/// Every command, in the order `lwsim --help` lists them (command_table.cpp).
std::vector<Command> command_table();

}  // namespace sim::cli
