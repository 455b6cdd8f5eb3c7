#pragma once
// Reading back what a result file was made from: its scenario (and observed data) from the root
// attributes, its design from /design, its layout. Shared by report, export, resume and merge.

#include <memory>
#include <string>
#include <vector>

#include "sim/error.hpp"
#include "sim/output/hdf5.hpp"
#include "sim/output/layout.hpp"
#include "sim/output/result_file.hpp"
#include "sim/registry.hpp"
#include "sim/run/job.hpp"
#include "sim/scenario.hpp"
#include "sim/sweep.hpp"

namespace sim::cli {

struct StoredResults {
  Scenario scenario;
  OutputSchema schema;
  output::DesignInfo design;
  output::FileLayout layout;
  std::vector<std::uint8_t> status;
  /// The posterior its replicates drew their parameters from (`--posterior`), or none.
  std::shared_ptr<const Posterior> posterior;

  [[nodiscard]] const Observation* observation() const {
    return scenario.observation ? &*scenario.observation : nullptr;
  }
  [[nodiscard]] std::size_t completed() const;
  /// The summaries of one point, read from the file.
  [[nodiscard]] PointSummary point_summary(const output::ResultFile& file, std::size_t point) const;
};

/// Opens a result file given on the command line: a missing, unreadable or non-HDF5 file is bad
/// input (exit 2) naming the file.
output::ResultFile open_input_file(const std::string& path, bool writable = false);

/// Reads the scenario, design and layout of an lwsim result file (InputError naming the file
/// when it is not one, or is damaged).
StoredResults read_stored_results(const output::ResultFile& file, const ModelRegistry& registry);

/// The InputError for a failure reading the result file `path` given on the command line: a
/// damaged file is bad input (exit 2) naming the file, not a failure of lwsim.
InputError damaged_file(const std::string& path, const h5::OutputError& error);

/// Runs `read`; a failure reading the file `path` (and only that file: writing elsewhere may fail
/// for other reasons) becomes damaged_file(path, ...).
template <class Read>
auto reading(const std::string& path, Read&& read) -> decltype(read()) {
  try {
    return read();
  } catch (const h5::OutputError& e) {
    if (e.file() != path) throw;
    throw damaged_file(path, e);
  }
}

}  // namespace sim::cli
