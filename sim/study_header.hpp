#pragma once
// What every study file (a sweep, a calibration, a sensitivity analysis) begins with: what it is
// for (`title`, `question`, `description`), its model (`model`, which may be left out while one
// model is registered) and the scenario it varies (`base`, relative to the file). Read here once
// for every kind of study.

#include <string>
#include <vector>

#include "sim/registry.hpp"
#include "sim/scenario.hpp"

namespace sim {

struct StudyHeader {
  std::string file;
  std::string title;  // the file's, or else its base scenario's
  std::string question;
  Scenario scenario;  // the base scenario, of the model the file names
  /// The files the study reads: itself, its scenario's sources, and any a kind of study adds (a
  /// design's points file, observed data): an output must be none of them.
  std::vector<std::string> sources;
};

/// Refuses a top-level key of the study file `doc` that is neither the header's nor one of the
/// kind's `own` keys, reads the header and loads its base scenario: InputErrors naming file, line
/// and key. A `model` the file names is the base scenario's model when that names none, and must
/// be it when it does.
StudyHeader read_study_header(const Document& doc, const std::vector<std::string>& own,
                              const ModelRegistry& registry);

}  // namespace sim
