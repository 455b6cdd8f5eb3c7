#pragma once
// Errors that reach the user. Bad input is always an InputError: one line naming the file, the
// line and the key, and exit code 2 (docs/reliability.md). Anything else is a failure of the run
// (exit 1).

#include <stdexcept>
#include <string>

namespace sim {

/// A problem with something the user gave lwsim: a scenario, sweep, observed-data or output path,
/// a command-line value. `what()` is the one-line message "FILE:LINE: KEY: DETAIL" (the line is
/// omitted when it is not known, the key when there is none).
class InputError : public std::runtime_error {
 public:
  InputError(std::string file, int line, std::string key, std::string detail);

  [[nodiscard]] const std::string& file() const noexcept { return file_; }
  [[nodiscard]] int line() const noexcept { return line_; }
  [[nodiscard]] const std::string& key() const noexcept { return key_; }
  [[nodiscard]] const std::string& detail() const noexcept { return detail_; }

 private:
  std::string file_;
  int line_;
  std::string key_;
  std::string detail_;
};

/// A state invariant that does not hold in a run checked with `--check` (a model defect, or a
/// parameter combination that validation should have refused): exit 1. The model's message says
/// where (entity, week, mechanism) and what; the engine adds the point and replicate.
class InvariantError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Exit codes of the command-line tool (README, *Using lwsim*; a clean stop on a signal exits
/// 128 + the signal, docs/reliability.md, *Signals*).
enum ExitCode : int { kExitSuccess = 0, kExitFailure = 1, kExitBadInput = 2 };

}  // namespace sim
