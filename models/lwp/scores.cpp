// 6. Scores and classification (docs/model.md §7.7). Weekly NPT construct scores: coherence C = S;
// cognitive participation CP from engagement with credit for formal participation; collective
// action CA = the balance of the CLP's role while a CLP is in post and referrals flow, with the
// networking hours counted as far as they make links (Skivington 2018); reflexive
// monitoring RM from recent appraisals (reported, not used to classify, as in Chng 2021). A
// practice is normalised in a week when C, CP and CA have been above their thresholds for the
// last W weeks, and fully integrated (FIP) when normalised in enough of the final window.

#include <algorithm>
#include <cmath>

#include "models/lwp/mechanisms.hpp"

namespace lwp {

double role_balance(const std::array<double, 3>& hours, const Parameters& params, double presence,
                    double networking_credit) {
  const double total = params.clp_hours_per_week * presence;
  const double support = hours[0] / total;
  const double development = hours[1] / total;
  const double networking = networking_credit * hours[2] / total;
  const double other = std::max(0.0, 1.0 - support - development - networking);
  const double distance = std::fabs(support - params.clp_target_share_patient_support) +
                          std::fabs(development - params.clp_target_share_practice_development) +
                          std::fabs(networking - params.clp_target_share_community_networking) + other;
  return std::clamp(1.0 - 0.5 * distance, 0.0, 1.0);
}

double networking_credit(const Practice& practice, const Parameters& params) noexcept {
  return std::min(1.0, practice.link_yield / params.links_full_credit_yield);
}

void score_week(Practice& practice, const Parameters& params, const Setup& setup, int week,
                double formal_attendance) {
  const Staff& staff = practice.staff;
  double engagement = 0.0;
  for (std::size_t i = 0; i < static_cast<std::size_t>(staff.count); ++i) engagement += staff.engagement[i];
  engagement /= staff.count;

  practice.formal_recency += (formal_attendance - practice.formal_recency) / params.score_formal_memory_weeks;
  practice.referral_flow += (static_cast<double>(practice.referrals_this_week) - practice.referral_flow) /
                            params.score_referral_memory_weeks;

  practice.coherence = practice.shared_understanding;
  practice.participation =
      (1.0 - params.score_formal_credit) * engagement + params.score_formal_credit * practice.formal_recency;
  const bool flowing = practice.clp.in_post && practice.referral_flow >= params.score_referral_flow_min;
  practice.action = flowing ? role_balance(practice.hours, params, practice.clp_presence,
                                           networking_credit(practice, params))
                            : 0.0;
  practice.monitoring = std::max(
      0.0, 1.0 - static_cast<double>(week - practice.last_appraisal_week) / params.monitoring_memory_weeks);

  const bool above = practice.coherence >= params.score_coherence_threshold &&
                     practice.participation >= params.score_participation_threshold &&
                     practice.action >= params.score_action_threshold;
  practice.weeks_above = above ? practice.weeks_above + 1 : 0;
  practice.normalised = practice.weeks_above >= static_cast<int>(params.classification_window_weeks);
  if (practice.normalised) {
    ++practice.weeks_normalised;
    if (practice.first_normalised_week < 0) practice.first_normalised_week = week;
  }

  for (std::size_t ph = 0; ph < setup.phases.size(); ++ph) {
    const Phase& phase = setup.phases[ph];
    if (week < phase.first_week || week > phase.last_week) continue;
    auto& sums = practice.totals.phase_scores[ph];
    sums[0] += practice.coherence;
    sums[1] += practice.participation;
    sums[2] += practice.action;
    sums[3] += practice.monitoring;
    ++practice.totals.phase_weeks[ph];
    if (ph == setup.final_phase && practice.normalised) ++practice.final_window_normalised;
    if (week == phase.last_week) {
      for (std::size_t a = 0; a < kActivityCount; ++a)
        practice.totals.activities_kept[ph][a] = practice.activities[a] ? 1 : 0;
    }
  }
}

bool classify_integration(const Practice& practice, const Parameters& params, const Setup& setup) {
  const Phase& final = setup.phases[setup.final_phase];
  const int weeks = final.last_week - final.first_week + 1;
  return practice.final_window_normalised > 0 &&
         practice.final_window_normalised >= params.classification_final_share * weeks;
}

}  // namespace lwp
