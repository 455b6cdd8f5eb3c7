#pragma once
// What the model writes (docs/output.md): per-replicate results, exact sums over replicates
// (summaries and timeseries), the FIP count as the observable compared with observation, and the
// scenario's constants. declare_outputs() builds the schema and, with it, a handle to every
// dataset the model records; the handles are grouped as the file is (outputs.results.fip is
// /results/fip, outputs.locality.fip_count is /locality/fip_count), so a dataset has one name
// from its declaration to the file.

#include <array>
#include <cstdint>

#include "models/lwp/parameters.hpp"
#include "models/lwp/setup.hpp"
#include "models/lwp/state.hpp"
#include "sim/schema.hpp"

namespace lwp {

/// The mean of one attribute over a practice's staff.
inline double staff_mean(const Staff& staff, const std::array<double, kMaxStaff>& attribute) {
  double sum = 0.0;
  for (std::size_t k = 0; k < static_cast<std::size_t>(staff.count); ++k) sum += attribute[k];
  return sum / staff.count;
}

/// A weekly series recorded per practice and averaged over replicates (/timeseries/<name>):
/// adding a row adds the dataset and its recording.
struct WeeklySeries {
  const char* name;
  const char* description;
  const char* units;
  double (*value)(const Practice& practice, const Parameters& params);
};

inline constexpr std::array<WeeklySeries, 15> kWeeklySeries = {{
    {"coherence", "coherence score C = shared understanding S of the core leadership", "score",
     [](const Practice& p, const Parameters&) { return p.coherence; }},
    {"cognitive_participation", "cognitive participation score CP", "score",
     [](const Practice& p, const Parameters&) { return p.participation; }},
    {"collective_action",
     "collective action score CA (role balance of the CLP; 0 without a CLP or referrals)", "score",
     [](const Practice& p, const Parameters&) { return p.action; }},
    {"reflexive_monitoring", "reflexive monitoring score RM (recency of appraisal)", "score",
     [](const Practice& p, const Parameters&) { return p.monitoring; }},
    {"normalised", "P(normalised in this week)", "probability",
     [](const Practice& p, const Parameters&) { return p.normalised ? 1.0 : 0.0; }},
    {"normalised_by", "P(normalised in this week or before)", "probability",
     [](const Practice& p, const Parameters&) { return p.first_normalised_week >= 0 ? 1.0 : 0.0; }},
    {"clp_in_post", "P(a CLP is in post)", "probability",
     [](const Practice& p, const Parameters&) { return p.clp.in_post ? 1.0 : 0.0; }},
    {"attention_load", "attention load from competing innovations and training", "share",
     [](const Practice& p, const Parameters&) { return p.attention_load; }},
    {"engagement", "mean staff engagement", "share",
     [](const Practice& p, const Parameters&) { return staff_mean(p.staff, p.staff.engagement); }},
    {"understanding", "mean staff understanding", "share",
     [](const Practice& p, const Parameters&) { return staff_mean(p.staff, p.staff.understanding); }},
    // Summed as integers: the same value as summing the counts as doubles (every partial sum is
    // an integer far below 2^53, so exact either way).
    {"caseload", "active patients on the CLP's caseload", "patients",
     [](const Practice& p, const Parameters&) {
       std::uint64_t sum = 0;
       for (std::uint32_t patients : p.clp.caseload) sum += patients;
       return static_cast<double>(sum);
     }},
    {"patient_support_share", "share of CLP hours on one-to-one patient support (0 without a CLP)", "share",
     [](const Practice& p, const Parameters& params) {
       return p.hours[0] / (params.clp_hours_per_week * p.clp_presence);
     }},
    {"practice_development_share", "share of CLP hours on practice development", "share",
     [](const Practice& p, const Parameters& params) {
       return p.hours[1] / (params.clp_hours_per_week * p.clp_presence);
     }},
    {"community_networking_share", "share of CLP hours on community networking", "share",
     [](const Practice& p, const Parameters& params) {
       return p.hours[2] / (params.clp_hours_per_week * p.clp_presence);
     }},
    {"development_activities", "development activities kept up (of 3)", "activities",
     [](const Practice& p, const Parameters&) {
       double kept = 0.0;
       for (bool active : p.activities) kept += active ? 1.0 : 0.0;
       return kept;
     }},
}};

/// Handles to every dataset the model records, in the groups of the file. A handle of a dataset
/// the scenario does not write (the survey's without a survey, the timeseries of a large
/// scenario) is left undeclared.
struct Outputs {
  struct Events {
    sim::FieldId<std::int16_t> clp_departures;
    sim::FieldId<std::int16_t> vacancy_weeks;
    sim::FieldId<std::int16_t> leadership_changes;
    sim::FieldId<std::int16_t> staff_changes;
    sim::FieldId<std::int16_t> innovations;
    sim::FieldId<std::int16_t> appraisals;
    sim::FieldId<std::int16_t> clp_changes;
  };
  struct Results {
    sim::FieldId<std::uint8_t> fip;
    sim::FieldId<std::int32_t> fip_count;
    sim::FieldId<std::int16_t> first_normalised_week;
    sim::FieldId<std::int16_t> weeks_normalised;
    sim::FieldId<std::int32_t> referrals;
    sim::FieldId<std::int32_t> linked;
    sim::FieldId<std::int32_t> contacts_histogram;
    Events events;
    sim::FieldId<float> phase_scores;
    sim::FieldId<float> engagement_gain;
    sim::FieldId<float> clp_hours_share;
    sim::FieldId<std::int16_t> clp_weeks_in_post;
    sim::FieldId<double> cost;
    sim::FieldId<std::int32_t> locality_fip_count;
    sim::FieldId<std::int32_t> refused;
    sim::FieldId<std::uint8_t> activities_kept;
    sim::FieldId<float> mean_caseload;
    sim::FieldId<std::int32_t> dropped;
  };
  /// What is drawn for each practice in each replicate.
  struct Practices {
    sim::FieldId<std::uint8_t> training;
    sim::FieldId<float> gp_buy_in;
    sim::FieldId<float> team_quality;
    sim::FieldId<float> innovation_rate;
    sim::FieldId<std::int32_t> drawn_list_size;
  };
  struct Summary {
    sim::AccumulatorId p_fip;
    sim::AccumulatorId mean_fip_count;
    sim::AccumulatorId practices_by_outcome;
    sim::AccumulatorId phase_scores_by_outcome;
    sim::AccumulatorId engagement_gain_by_outcome;
    sim::AccumulatorId clp_hours_share_by_outcome;
    sim::AccumulatorId clp_years;
    sim::AccumulatorId referrals_per_clp_year;
    sim::AccumulatorId referrals;
    sim::AccumulatorId linked_share;
    sim::AccumulatorId patients_closed;
    sim::AccumulatorId contacts_share;
    sim::AccumulatorId clp_departures;
    sim::AccumulatorId vacancy_weeks;
    sim::AccumulatorId cost;
    sim::AccumulatorId cost_per_fip;
    sim::AccumulatorId clp_posts;
    sim::AccumulatorId vacancy_clp_weeks;
    sim::AccumulatorId activities_kept_by_outcome;
    sim::AccumulatorId caseload_by_outcome;
  };
  struct National {
    sim::AccumulatorId normalised;
    sim::AccumulatorId normalised_by;
  };
  struct Localities {
    sim::AccumulatorId fip_count;
    sim::AccumulatorId p_fip;
    sim::AccumulatorId normalised_by;
    sim::AccumulatorId vacancy_clp_weeks;
    sim::AccumulatorId referrals;
    sim::AccumulatorId linked_share;
    sim::AccumulatorId link_requests;
    sim::AccumulatorId refused_share;
    sim::AccumulatorId saturation;
  };
  struct Survey {
    sim::FieldId<std::uint8_t> responses;
    sim::FieldId<std::int16_t> respondent_practice;
    sim::FieldId<std::uint8_t> respondent_role;
    sim::AccumulatorId answered_items;
    sim::AccumulatorId mean_score_by_outcome;
  };
  struct Observables {
    sim::ObservableId fip_count;
  };

  Results results;
  Practices practices;
  Summary summary;
  National national;
  Localities locality;
  /// /timeseries/<kWeeklySeries[s].name>, in the order of kWeeklySeries.
  std::array<sim::AccumulatorId, kWeeklySeries.size()> timeseries;
  Survey survey;
  Observables observables;
};

/// The schema of a scenario and the handles to its datasets, built together.
struct DeclaredOutputs {
  sim::OutputSchema schema;
  Outputs outputs;
};
DeclaredOutputs declare_outputs(const Setup& setup);
sim::OutputSchema make_schema(const Setup& setup);

/// Labels of the small dimensions.
inline constexpr std::array<const char*, 4> kConstructs = {"coherence", "cognitive_participation",
                                                           "collective_action", "reflexive_monitoring"};
inline constexpr std::array<const char*, 2> kOutcomes = {"FIP", "PIP"};
inline constexpr std::array<const char*, 2> kSettings = {"formal", "informal"};
inline constexpr std::array<const char*, 3> kActivities = {"patient_support", "practice_development",
                                                           "community_networking"};
/// In the order of Activity.
inline constexpr std::array<const char*, kActivityCount> kDevelopmentActivities = {
    "staff_wellbeing", "community_information", "shared_learning"};

}  // namespace lwp
