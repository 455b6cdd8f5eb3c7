// What a replicate writes (outputs.hpp): the week's series, and at the end the per-replicate
// results, the summaries' exact sums, the scale-up's costs and localities, and the survey.

#include <algorithm>
#include <array>

#include "models/lwp/mechanisms.hpp"
#include "models/lwp/outputs.hpp"
#include "models/lwp/simulation.hpp"
#include "models/lwp/table.hpp"

namespace lwp {

void LwpSimulation::record_week(const LwpWorkspace& ws, const sim::ReplicateOutput& out, int week) const {
  const auto& practices = ws.state.practices;
  const std::size_t n = practices.size();
  const auto w = static_cast<std::size_t>(week);
  // The nation and the localities: shares of practices normalised (now, and by now).
  std::size_t normalised = 0;
  std::size_t normalised_by = 0;
  const std::size_t localities = setup_->localities.size();
  const sim::Accumulator locality_by = out.accumulator(outputs_.locality.normalised_by);
  for (std::size_t l = 0; l < localities; ++l) {
    const auto& members = setup_->locality_members[l];
    std::size_t count = 0;
    for (std::uint32_t i : members) {
      const Practice& practice = practices[i];
      normalised += practice.normalised ? 1 : 0;
      count += practice.first_normalised_week >= 0 ? 1 : 0;
    }
    normalised_by += count;
    if (!members.empty())
      locality_by.add(w * localities + l, static_cast<double>(count) / static_cast<double>(members.size()));
  }
  const auto practices_n = static_cast<double>(n);
  out.accumulator(outputs_.national.normalised).add(w, static_cast<double>(normalised) / practices_n);
  out.accumulator(outputs_.national.normalised_by).add(w, static_cast<double>(normalised_by) / practices_n);
  if (!setup_->practice_timeseries) return;

  // The series' accumulators are looked up once a week, not once a practice-week.
  std::array<sim::Accumulator, kWeeklySeries.size()> series;
  for (std::size_t s = 0; s < kWeeklySeries.size(); ++s) series[s] = out.accumulator(outputs_.timeseries[s]);
  for (std::size_t i = 0; i < n; ++i) {
    const Practice& practice = practices[i];
    const std::size_t cell = w * n + i;
    for_each_row<kWeeklySeries>([&](auto s) {
      constexpr auto value = kWeeklySeries[s].value;
      series[s].add(cell, value(practice, params_));
    });
  }
}

void LwpSimulation::record_replicate(const LwpWorkspace& ws, const sim::ReplicateOutput& out) const {
  const auto& practices = ws.state.practices;
  const std::size_t n = practices.size();
  const std::size_t phases = setup_->phases.size();
  std::int32_t fip_count = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const Practice& practice = practices[i];
    const PracticeTotals& t = practice.totals;
    const bool fip = classify_integration(practice, params_, *setup_);
    const std::size_t outcome = fip ? 0 : 1;
    fip_count += fip ? 1 : 0;

    out.field(outputs_.results.fip)[i] = fip ? 1 : 0;
    out.field(outputs_.results.first_normalised_week)[i] =
        static_cast<std::int16_t>(practice.first_normalised_week);
    out.field(outputs_.results.weeks_normalised)[i] = static_cast<std::int16_t>(practice.weeks_normalised);
    out.field(outputs_.results.referrals)[i] = static_cast<std::int32_t>(t.referrals);
    out.field(outputs_.results.linked)[i] = static_cast<std::int32_t>(t.linked);
    auto* histogram = out.field(outputs_.results.contacts_histogram) + i * kContactBins;
    for (std::size_t c = 0; c < kContactBins; ++c)
      histogram[c] = static_cast<std::int32_t>(t.closed_by_contacts[c]);
    out.field(outputs_.results.events.clp_departures)[i] = static_cast<std::int16_t>(t.clp_departures);
    out.field(outputs_.results.events.vacancy_weeks)[i] = static_cast<std::int16_t>(t.vacancy_weeks);
    out.field(outputs_.results.events.leadership_changes)[i] =
        static_cast<std::int16_t>(t.leadership_changes);
    out.field(outputs_.results.events.staff_changes)[i] =
        static_cast<std::int16_t>(std::min<std::uint32_t>(t.staff_changes, 32767));
    out.field(outputs_.results.events.innovations)[i] =
        static_cast<std::int16_t>(std::min<std::uint32_t>(t.innovations, 32767));
    out.field(outputs_.results.events.appraisals)[i] = static_cast<std::int16_t>(t.appraisals);
    out.field(outputs_.results.clp_weeks_in_post)[i] = static_cast<std::int16_t>(t.clp_weeks_in_post);
    out.field(outputs_.practices.training)[i] = practice.training ? 1 : 0;
    out.field(outputs_.practices.gp_buy_in)[i] = static_cast<float>(practice.gp_buy_in);
    out.field(outputs_.practices.team_quality)[i] = static_cast<float>(practice.team_quality);
    out.field(outputs_.practices.innovation_rate)[i] = static_cast<float>(practice.innovation_rate * 52.0);

    float* phase_scores = out.field(outputs_.results.phase_scores) + i * phases * 4;
    const sim::Accumulator by_outcome = out.accumulator(outputs_.summary.phase_scores_by_outcome);
    for (std::size_t ph = 0; ph < phases; ++ph) {
      for (std::size_t c = 0; c < 4; ++c) {
        const double mean = t.phase_weeks[ph] > 0 ? t.phase_scores[ph][c] / t.phase_weeks[ph] : 0.0;
        phase_scores[ph * 4 + c] = static_cast<float>(mean);
        by_outcome.add((outcome * phases + ph) * 4 + c, mean);
      }
    }
    const std::array<double, 2> gains = {t.engagement_gain_formal, t.engagement_gain_informal};
    for (std::size_t g = 0; g < 2; ++g) {
      out.field(outputs_.results.engagement_gain)[i * 2 + g] = static_cast<float>(gains[g]);
      out.accumulator(outputs_.summary.engagement_gain_by_outcome).add(outcome * 2 + g, gains[g]);
    }
    for (std::size_t a = 0; a < 3; ++a) {
      const double share = t.clp_hours_available > 0.0 ? t.clp_hours[a] / t.clp_hours_available : 0.0;
      out.field(outputs_.results.clp_hours_share)[i * 3 + a] = static_cast<float>(share);
      out.accumulator(outputs_.summary.clp_hours_share_by_outcome).add(outcome * 3 + a, share);
    }

    out.accumulator(outputs_.summary.p_fip).add_count(i, fip ? 1 : 0);
    out.accumulator(outputs_.summary.practices_by_outcome).add_count(outcome, 1);
    out.accumulator(outputs_.summary.clp_years).add(0, t.clp_weeks_in_post / 52.0);
    out.accumulator(outputs_.summary.referrals_per_clp_year).add_count(0, t.referrals);
    out.accumulator(outputs_.summary.referrals).add_count(0, t.referrals);
    out.accumulator(outputs_.summary.linked_share).add_count(0, t.linked);
    std::int64_t closed = 0;
    for (std::size_t c = 0; c < kContactBins; ++c) {
      out.accumulator(outputs_.summary.contacts_share).add_count(c, t.closed_by_contacts[c]);
      closed += t.closed_by_contacts[c];
    }
    out.accumulator(outputs_.summary.patients_closed).add_count(0, closed);
    out.accumulator(outputs_.summary.clp_departures).add_count(i, t.clp_departures);
    out.accumulator(outputs_.summary.vacancy_weeks).add_count(i, t.vacancy_weeks);
    record_development_and_caseload(practice, i, outcome, out);
  }
  out.field(outputs_.results.fip_count)[0] = fip_count;
  out.accumulator(outputs_.summary.mean_fip_count).add_count(0, fip_count);
  record_scale(ws, out);
  if (!setup_->surveys.empty()) record_survey(ws, out);
}

// Development activities kept up at the end of each phase, the CLP's mean caseload and the
// patients who left the waiting list.
void LwpSimulation::record_development_and_caseload(const Practice& practice, std::size_t i,
                                                    std::size_t outcome,
                                                    const sim::ReplicateOutput& out) const {
  const PracticeTotals& t = practice.totals;
  const std::size_t phases = setup_->phases.size();
  std::uint8_t* kept = out.field(outputs_.results.activities_kept) + i * phases * kActivityCount;
  const sim::Accumulator by_outcome = out.accumulator(outputs_.summary.activities_kept_by_outcome);
  for (std::size_t ph = 0; ph < phases; ++ph) {
    for (std::size_t a = 0; a < kActivityCount; ++a) {
      kept[ph * kActivityCount + a] = t.activities_kept[ph][a];
      by_outcome.add_count((outcome * phases + ph) * kActivityCount + a, t.activities_kept[ph][a]);
    }
  }
  const double caseload = t.clp_weeks_in_post > 0 ? t.caseload_weeks / t.clp_weeks_in_post : 0.0;
  out.field(outputs_.results.mean_caseload)[i] = static_cast<float>(caseload);
  out.accumulator(outputs_.summary.caseload_by_outcome).add(outcome, caseload);
  out.field(outputs_.results.dropped)[i] = static_cast<std::int32_t>(t.dropped);
}

// Costs, CLP posts, and the localities' results (docs/model.md §7.9).
void LwpSimulation::record_scale(const LwpWorkspace& ws, const sim::ReplicateOutput& out) const {
  const auto& practices = ws.state.practices;
  double cost = 0.0;
  double vacancy = 0.0;
  for (std::size_t i = 0; i < practices.size(); ++i) {
    const PracticeTotals& t = practices[i].totals;
    cost += t.cost;
    vacancy += t.vacancy_clp_weeks;
    out.field(outputs_.results.refused)[i] = static_cast<std::int32_t>(t.refused);
    out.field(outputs_.results.events.clp_changes)[i] = static_cast<std::int16_t>(t.clp_changes);
    out.field(outputs_.practices.drawn_list_size)[i] = practices[i].list_size;
  }
  out.field(outputs_.results.cost)[0] = cost;
  out.accumulator(outputs_.summary.cost).add(0, cost);
  out.accumulator(outputs_.summary.cost_per_fip).add(0, cost);
  out.accumulator(outputs_.summary.clp_posts).add_count(0, programme_.posts_before);
  out.accumulator(outputs_.summary.clp_posts).add_count(1, programme_.posts_after);
  out.accumulator(outputs_.summary.vacancy_clp_weeks).add(0, vacancy);

  const double organisation_weeks_per = static_cast<double>(setup_->weeks());
  for (std::size_t l = 0; l < setup_->localities.size(); ++l) {
    const auto& members = setup_->locality_members[l];
    std::int32_t fips = 0;
    double locality_vacancy = 0.0;
    std::int64_t referrals = 0, linked = 0, requests = 0, refused = 0;
    for (std::uint32_t i : members) {
      const Practice& practice = practices[i];
      const PracticeTotals& t = practice.totals;
      fips += out.field(outputs_.results.fip)[i];
      locality_vacancy += t.vacancy_clp_weeks;
      referrals += t.referrals;
      linked += t.linked;
      requests += t.link_requests;
      refused += t.refused;
    }
    out.field(outputs_.results.locality_fip_count)[l] = fips;
    out.accumulator(outputs_.locality.fip_count).add_count(l, fips);
    if (!members.empty())
      out.accumulator(outputs_.locality.p_fip)
          .add(l, static_cast<double>(fips) / static_cast<double>(members.size()));
    out.accumulator(outputs_.locality.vacancy_clp_weeks).add(l, locality_vacancy);
    out.accumulator(outputs_.locality.referrals).add_count(l, referrals);
    out.accumulator(outputs_.locality.linked_share).add_count(l, linked);
    out.accumulator(outputs_.locality.link_requests).add_count(l, requests);
    out.accumulator(outputs_.locality.refused_share).add_count(l, refused);
    const Locality& locality = ws.state.localities[l];
    const double organisation_weeks = organisation_weeks_per * std::max(1, locality.organisations);
    out.accumulator(outputs_.locality.saturation).add(l, locality.saturated_weeks / organisation_weeks);
  }
}

void LwpSimulation::record_survey(const LwpWorkspace& ws, const sim::ReplicateOutput& out) const {
  const std::size_t respondents = setup_->survey_respondents();
  const std::size_t items = kSurveyItems;
  const std::size_t constructs = kConstructs.size();
  auto* responses = out.field(outputs_.survey.responses);
  auto* practice_of = out.field(outputs_.survey.respondent_practice);
  auto* role_of = out.field(outputs_.survey.respondent_role);
  const sim::Accumulator scores = out.accumulator(outputs_.survey.mean_score_by_outcome);
  const sim::Accumulator answered = out.accumulator(outputs_.survey.answered_items);
  for (std::size_t s = 0; s < setup_->surveys.size(); ++s) {
    for (std::size_t r = 0; r < respondents; ++r) {
      const std::size_t cell = s * respondents + r;
      const SurveyRecipient& recipient = ws.state.survey[cell];
      practice_of[cell] = static_cast<std::int16_t>(recipient.practice);
      role_of[cell] = recipient.role;
      std::copy(recipient.answers.begin(), recipient.answers.end(), responses + cell * items);
      if (!recipient.replied) continue;
      // Respondents are grouped by their practice's outcome at the horizon, as the evaluation
      // compared FIPs with PIPs.
      const Practice& practice = ws.state.practices[static_cast<std::size_t>(recipient.practice)];
      const std::size_t outcome = classify_integration(practice, params_, *setup_) ? 0 : 1;
      for (std::size_t item = 0; item < items; ++item) {
        const std::size_t slot =
            (s * kOutcomes.size() + outcome) * constructs + survey_construct(static_cast<int>(item));
        scores.add_count(slot, recipient.answers[item]);
        answered.add_count(slot, 1);
      }
    }
  }
}

}  // namespace lwp
