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

/// A simulated staff survey (docs/model.md §7.8): questionnaires sent and replies received at the
/// end of an evaluation phase. Chng 2021 surveyed staff at P2 (44 sent, 38 replied) and P4 (30,
/// 19).
struct Survey {
  std::size_t phase = 0;  // index into Setup::phases
  int week = 0;           // the phase's last week: when the questionnaires are answered
  std::uint32_t sent = 0;
  std::uint32_t replied = 0;
};

/// The most questionnaires one survey may send.
inline constexpr std::int64_t kMaxSurveySent = 10000;

/// A locality: practices sharing community organisations ([[locality]], docs/scenarios.md). A
/// locality may generate a synthetic population of practices per replicate from its
/// distributions; unset values take the model parameters' defaults.
struct LocalitySpec {
  std::string name;
  std::optional<int> organisations;  // else community.organisations
  std::optional<double> capacity;    // places per organisation; else community.capacity
  int start_week = 0;                // when the programme starts in its practices (rollout wave)
  // Synthetic population: `synthetic` practices generated per replicate.
  std::uint32_t synthetic = 0;
  double list_size_mean = 0.0;  // log-normal list sizes with this mean and standard deviation,
  double list_size_sd = 0.0;    // clamped to [list_size_min, list_size_max]
  int list_size_min = 0;
  int list_size_max = 0;
  double training_share = 0.0;  // each synthetic practice is a training practice with this probability
  // Context means for all practices of the locality (else the context.* parameters).
  std::optional<double> gp_buy_in_mean;
  std::optional<double> team_quality_mean;
  std::optional<double> innovation_rate_mean;  // per practice-year
};

/// Something known to have happened in a practice ([[practice.event]]): it happens in that week
/// of every replicate, besides what the model draws.
enum class EventKind : std::uint8_t {
  clp_change,
  lead_gp_change,
  practice_manager_change,
  competing_innovation
};

struct DatedEvent {
  int week = 0;
  EventKind kind = EventKind::clp_change;
  std::optional<double> load;         // competing innovation: share of attention (else innovation.load_mean)
  std::optional<int> duration_weeks;  // competing innovation: weeks (else innovation.duration_mean_weeks)
};

struct PracticeSpec {
  std::string name;
  int list_size = 0;             // synthetic practices: the largest list size they can draw
  bool synthetic = false;        // generated per replicate from its locality's distributions
  std::optional<bool> training;  // fixed by the scenario, or drawn per replicate
  std::uint32_t locality = 0;
  int start_week = 0;                           // the programme's start in this practice (rollout wave)
  std::optional<std::string> observed_outcome;  // "FIP" or "PIP", from the observed file
  // What is known of the practice (else drawn per replicate from the context distributions).
  std::optional<double> gp_buy_in;
  std::optional<double> team_quality;
  std::optional<double> innovation_rate;  // per practice-year
  std::vector<DatedEvent> events;         // in week order
  std::string file;                       // where the practice was written, for error messages
  int line = 0;
  std::string key;  // e.g. "practice[2]"
};

class Setup final : public sim::ModelSetup {
 public:
  std::vector<PracticeSpec> practices;
  std::vector<std::string> localities;
  std::vector<LocalitySpec> locality_specs;                  // one per locality, in the order of `localities`
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
  /// Model parameters that a [[locality]] replaces with its own value (organisations, capacity,
  /// context means), one per key written, for Model::overrides.
  std::vector<sim::ParamOverride> overrides;
  /// Weekly series per practice (/timeseries/*, [week, practice]); off for large populations,
  /// whose per-locality and national series are always written ([outputs] practice_timeseries).
  bool practice_timeseries = true;

  [[nodiscard]] int weeks() const noexcept { return horizon_weeks + 1; }
  [[nodiscard]] std::size_t practice_count() const noexcept { return practices.size(); }
  /// Questionnaire slots per survey in the outputs: the largest `sent` (at least 1).
  [[nodiscard]] std::size_t survey_respondents() const noexcept {
    std::size_t most = 1;
    for (const Survey& s : surveys) most = std::max<std::size_t>(most, s.sent);
    return most;
  }
};

/// Reads [evaluation] (with [evaluation.survey]), [practices], [[practice]], [[locality]] and [outputs]
/// (InputErrors name file, line and key).
std::shared_ptr<const Setup> read_setup(const sim::config::Value& scenario);

/// Reads an observed-data file (counts of FIPs and PIPs, optionally per-practice outcomes).
sim::Observation read_observation(const sim::config::Value& document, const Setup& setup);

/// The top-level scenario keys this model reads.
std::vector<std::string> scenario_sections();

/// The most staff, team ties, organisations and concurrent innovations a practice can hold.
inline constexpr int kMaxStaff = 128;

}  // namespace lwp
