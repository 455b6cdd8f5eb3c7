#pragma once
// Root attributes of every output file (DESIGN §4.2): what produced it, from what, and how, so
// that a file can be understood, reproduced and checked before resuming or merging.

#include <cstdint>
#include <string>

#include "sim/output/result_file.hpp"
#include "sim/scenario.hpp"

namespace sim::output {

struct Provenance {
  std::string kind;  // "run" or "sweep"
  std::string command_line;
  unsigned threads = 1;
  int ranks = 1;
  std::string inputs_text;  // the full resolved input (scenario, or sweep and scenario)
};

/// A short stable fingerprint (hex of a 64-bit FNV-1a hash) of text.
std::string fingerprint(const std::string& text);

/// The current time as an ISO 8601 UTC timestamp.
std::string utc_now();

Attributes provenance_attributes(const Scenario& scenario, const Provenance& provenance);

/// Joins argv into one command line, quoting arguments that need it.
std::string command_line(int argc, const char* const* argv);

}  // namespace sim::output
