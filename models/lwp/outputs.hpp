#pragma once
// What the model writes (DESIGN §4.2): per-replicate results, exact sums over replicates
// (timeseries and summaries), the FIP count as the observable compared with observation, and the
// scenario's constants. The enumerations follow the order in which schema() declares them.

#include "models/lwp/setup.hpp"
#include "models/lwp/state.hpp"
#include "sim/schema.hpp"

namespace lwp {

enum Field : std::size_t {
  kFip,
  kFipCount,
  kFirstNormalisedWeek,
  kWeeksNormalised,
  kReferrals,
  kLinked,
  kContactsHistogram,
  kClpDepartures,
  kVacancyWeeks,
  kLeadershipChanges,
  kStaffChanges,
  kInnovations,
  kAppraisals,
  kPhaseScores,
  kEngagementGain,
  kClpHoursShare,
  kClpWeeksInPost,
  kTraining,
  kGpBuyIn,
  kTeamQuality,
  kInnovationRate,
  // Scale-up outputs (docs/model.md §7.9)
  kCost,
  kLocalityFipCount,
  kRefused,
  kClpChanges,
  kDrawnListSize,
  kFieldCount
};

enum Accumulator : std::size_t {
  kPFip,
  kMeanFipCount,
  kPracticesByOutcome,
  kPhaseScoresByOutcome,
  kEngagementGainByOutcome,
  kClpHoursShareByOutcome,
  kClpYears,
  kReferralsPerClpYear,
  kReferralsTotal,
  kLinkedShare,
  kPatientsClosed,
  kContactsShare,
  kMeanClpDepartures,
  kMeanVacancyWeeks,
  // Scale-up: costs, localities and the nation (docs/model.md §7.9)
  kCostTotal,
  kCostPerFip,
  kClpPosts,
  kVacancyClpWeeks,
  kNationalNormalised,
  kNationalNormalisedBy,
  kLocalityFipCountMean,
  kLocalityPFip,
  kLocalityNormalisedBy,
  kLocalityVacancyClpWeeks,
  kLocalityReferrals,
  kLocalityLinkedShare,
  kLocalityLinkRequests,
  kLocalityRefusedShare,
  kLocalitySaturation,
  kFirstTimeseries  // the per-practice timeseries follow (when written), in the order of Series
};

/// Weekly series recorded per practice, averaged over replicates: /timeseries/<name>.
enum Series : std::size_t {
  kCoherence,
  kParticipation,
  kAction,
  kMonitoring,
  kNormalised,
  kNormalisedBy,
  kClpInPost,
  kAttentionLoad,
  kEngagement,
  kUnderstanding,
  kCaseload,
  kPatientSupportShare,
  kPracticeDevelopmentShare,
  kNetworkingShare,
  kSeriesCount
};

/// The simulated staff survey's fields and accumulators come after all the others, and exist only
/// when the scenario has a survey ([evaluation.survey]).
inline constexpr std::size_t kSurveyResponses = kFieldCount;
inline constexpr std::size_t kSurveyRespondentPractice = kFieldCount + 1;
inline constexpr std::size_t kSurveyRespondentRole = kFieldCount + 2;
/// The survey's accumulators follow the per-practice timeseries, which large scenarios omit.
inline std::size_t survey_answered_items(const Setup& setup) noexcept {
  return static_cast<std::size_t>(kFirstTimeseries) +
         (setup.practice_timeseries ? static_cast<std::size_t>(kSeriesCount) : 0);
}
inline std::size_t survey_score_by_outcome(const Setup& setup) noexcept {
  return survey_answered_items(setup) + 1;
}

/// Labels of the small dimensions.
inline constexpr std::array<const char*, 4> kConstructs = {"coherence", "cognitive_participation",
                                                           "collective_action", "reflexive_monitoring"};
inline constexpr std::array<const char*, 2> kOutcomes = {"FIP", "PIP"};
inline constexpr std::array<const char*, 2> kSettings = {"formal", "informal"};
inline constexpr std::array<const char*, 3> kActivities = {"patient_support", "practice_development",
                                                           "community_networking"};

sim::OutputSchema make_schema(const Setup& setup);

}  // namespace lwp
