#pragma once
// Root attributes of every output file (docs/output.md): what produced it, from what, and how, so
// that a file can be understood, reproduced and checked before resuming or merging.

#include <cstdint>
#include <string>

#include "sim/output/result_file.hpp"
#include "sim/scenario.hpp"
#include "sim/study_header.hpp"

namespace sim::output {

struct Provenance {
  std::string kind;  // "run" or "sweep"
  std::string command_line;
  unsigned threads = 1;
  int ranks = 1;
  std::string inputs_text;  // the full resolved input (scenario, or sweep and scenario)
};

/// `attributes` with `name` set to `value`: replaced where it is, else added at the end.
Attributes with_attribute(Attributes attributes, const std::string& name, const AttributeValue& value);

/// The size of attributes as text, for the estimate of an output file (sim/run/estimate.hpp).
double attributes_bytes(const Attributes& attributes);

/// A short stable fingerprint (hex of a 64-bit FNV-1a hash) of text.
std::string fingerprint(const std::string& text);

/// The current time as an ISO 8601 UTC timestamp.
std::string utc_now();

Attributes provenance_attributes(const Scenario& scenario, const Provenance& provenance);

/// The root attributes of a study's file (a sweep, calibration or sensitivity analysis): its base
/// scenario's, with the study's title, then `<kind>_file` (the study file), `<kind>` (the resolved
/// study, provenance.inputs_text) and `question`.
Attributes study_attributes(const StudyHeader& study, const Provenance& provenance);

/// Joins argv into one command line, quoting arguments that need it.
std::string command_line(int argc, const char* const* argv);

}  // namespace sim::output
