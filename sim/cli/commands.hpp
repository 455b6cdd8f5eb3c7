#pragma once
// lwsim's commands (DESIGN §4.1). The argument parsing lives in cli.cpp (the only file that
// includes CLI11); each command is a function of its arguments and the registry, so that tests
// can call it directly.

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

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
  std::string command_line;
};

int run_command(const RunArgs& args, const ModelRegistry& registry, std::ostream& out);
int validate_command(const std::string& file, const ModelRegistry& registry, std::ostream& out);
int params_command(bool markdown, const ModelRegistry& registry, std::ostream& out);
int report_command(const std::string& file, const ModelRegistry& registry, std::ostream& out);

/// Parses the command line and runs the command; returns the process exit code.
int main(int argc, char** argv, const ModelRegistry& registry);

}  // namespace sim::cli
