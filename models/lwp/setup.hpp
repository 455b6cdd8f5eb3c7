#pragma once
// The model-specific part of a scenario: the practices, how training status is assigned, the
// localities and the evaluation's phase windows. Read once, immutable, shared by all threads.

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/config/value.hpp"
#include "sim/model.hpp"

namespace lwp {

/// An evaluation phase: inclusive week range (week 0 = 1 Nov 2014 in the Deep End scenario).
struct Phase {
  std::string name;
  int first_week = 0;
  int last_week = 0;
};

/// A simulated staff survey (DESIGN §3.3): questionnaires sent and replies received at the end of
/// an evaluation phase. Chng 2021 surveyed staff at P2 (44 sent, 38 replied) and P4 (30, 19).
struct Survey {
  std::size_t phase = 0;  // index into Setup::phases
  int week = 0;           // the phase's last week: when the questionnaires are answered
  std::uint32_t sent = 0;
  std::uint32_t replied = 0;
};

/// The most questionnaires one survey may send.
inline constexpr std::int64_t kMaxSurveySent = 10000;

struct PracticeSpec {
  std::string name;
  int list_size = 0;
  std::optional<bool> training;  // fixed by the scenario, or drawn per replicate
  std::uint32_t locality = 0;
  std::optional<std::string> observed_outcome;  // "FIP" or "PIP", from the observed file
  std::string file;                             // where the practice was written, for error messages
  int line = 0;
  std::string key;  // e.g. "practice[2]"
};

class Setup final : public sim::ModelSetup {
 public:
  std::vector<PracticeSpec> practices;
  std::vector<std::string> localities;
  std::vector<std::vector<std::uint32_t>> locality_members;  // practice indices, in order
  /// Practices without a fixed training flag, of which exactly training_draw_count are drawn
  /// as training practices in each replicate.
  std::vector<std::uint32_t> training_draw_pool;
  std::uint32_t training_draw_count = 0;
  int horizon_weeks = 104;  // weeks 0..horizon_weeks inclusive are simulated
  std::vector<Phase> phases;
  std::size_t final_phase = 0;  // index of the phase that classifies FIP/PIP
  /// [evaluation.survey], in phase order; empty: no survey, and no survey outputs.
  std::vector<Survey> surveys;

  [[nodiscard]] int weeks() const noexcept { return horizon_weeks + 1; }
  [[nodiscard]] std::size_t practice_count() const noexcept { return practices.size(); }
  /// Questionnaire slots per survey in the outputs: the largest `sent` (at least 1).
  [[nodiscard]] std::size_t survey_respondents() const noexcept {
    std::size_t most = 1;
    for (const Survey& s : surveys) most = std::max<std::size_t>(most, s.sent);
    return most;
  }
};

/// Reads [evaluation] (with [evaluation.survey]), [practices] and [[practice]] (InputErrors name file, line
/// and key).
std::shared_ptr<const Setup> read_setup(const sim::config::Value& scenario);

/// Reads an observed-data file (counts of FIPs and PIPs, optionally per-practice outcomes).
sim::Observation read_observation(const sim::config::Value& document, const Setup& setup);

/// The top-level scenario keys this model reads.
std::vector<std::string> scenario_sections();

/// The most staff, team ties, organisations and concurrent innovations a practice can hold.
inline constexpr int kMaxStaff = 128;

}  // namespace lwp
