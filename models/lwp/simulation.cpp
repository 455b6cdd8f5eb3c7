#include "models/lwp/simulation.hpp"

#include <algorithm>
#include <numeric>

#include "models/lwp/mechanisms.hpp"
#include "models/lwp/outputs.hpp"

namespace lwp {

std::unique_ptr<sim::Workspace> LwpSimulation::make_workspace() const {
  auto ws = std::make_unique<LwpWorkspace>();
  ws->state.practices.resize(setup_->practice_count());
  ws->state.localities.resize(setup_->localities.size());
  ws->members.reserve(setup_->practice_count());
  ws->order.reserve(setup_->practice_count());
  reset_survey(ws->state, *setup_);
  return ws;
}

void LwpSimulation::run_replicate(sim::StreamKey key, const sim::ReplicateOutput& out,
                                  sim::Workspace& workspace) const {
  simulate(key, static_cast<LwpWorkspace&>(workspace), &out);
}

void LwpSimulation::simulate(sim::StreamKey key, LwpWorkspace& ws, const sim::ReplicateOutput* out) const {
  const Draws draws{key, &ws.philox};
  initialise_replicate(ws.state, *setup_, params_, draws);
  for (int week = 0; week < setup_->weeks(); ++week) {
    run_week(ws, draws, week);
    // The virtual evaluation observes the state at the end of a surveyed phase's last week.
    for (std::size_t s = 0; s < setup_->surveys.size(); ++s) {
      if (setup_->surveys[s].week == week) conduct_survey(ws.state, *setup_, params_, draws, s);
    }
    if (out != nullptr) record_week(ws, *out, week);
  }
  if (out != nullptr) record_replicate(ws, *out);
}

// The weekly schedule (DESIGN §3.2). Every practice makes its requests of the community
// organisations before any locality resolves them; the localities are resolved in a fixed order.
void LwpSimulation::run_week(LwpWorkspace& ws, const Draws& draws, int week) const {
  const Parameters& p = params_;
  auto& practices = ws.state.practices;
  for (std::uint32_t i = 0; i < practices.size(); ++i) {
    Practice& practice = practices[i];
    const WeekContext ctx{draws, i, week};
    // 1. Events
    clp_events(practice, p, ctx);
    staff_turnover(practice, p, ctx);
    competing_innovations(practice, p, ctx);
    // 2. Leadership -> coherence
    leadership_meeting(practice, p, ctx);
    practice.shared_understanding = shared_understanding(practice, p);
    // 3. Team relationships -> cognitive participation
    practice.formal_attendance = formal_session(practice, p, ctx);
    informal_contacts(practice, p, ctx, ws.scratch);
    engagement_drift(practice, p);
    // 4. Collective action
    referrals(practice, p, ctx);
    allocate_clp_hours(practice, p);
    patient_contacts(practice, p, ctx);
    practice_development(practice, p);
    community_networking(practice, p);
  }
  for (std::uint32_t l = 0; l < ws.state.localities.size(); ++l) {
    ws.members.clear();
    for (std::uint32_t i : setup_->locality_members[l]) ws.members.push_back(&practices[i]);
    resolve_locality(ws.state.localities[l], ws.members, p, draws, l, week, ws.order);
  }
  for (std::uint32_t i = 0; i < practices.size(); ++i) {
    Practice& practice = practices[i];
    const WeekContext ctx{draws, i, week};
    apply_links(practice, p);
    // 5. Reflexive monitoring
    reflexive_monitoring(practice, p, ctx);
    // 6. Scores and classification
    score_week(practice, p, *setup_, week, practice.formal_attendance);
  }
}

void LwpSimulation::record_week(const LwpWorkspace& ws, const sim::ReplicateOutput& out, int week) const {
  const auto& practices = ws.state.practices;
  const std::size_t n = practices.size();
  const double hours = params_.clp_hours_per_week;
  for (std::size_t i = 0; i < n; ++i) {
    const Practice& practice = practices[i];
    const std::size_t cell = static_cast<std::size_t>(week) * n + i;
    const Staff& staff = practice.staff;
    double engagement = 0.0;
    double understanding = 0.0;
    for (std::size_t k = 0; k < static_cast<std::size_t>(staff.count); ++k) {
      engagement += staff.engagement[k];
      understanding += staff.understanding[k];
    }
    const double caseload = std::accumulate(practice.clp.caseload.begin(), practice.clp.caseload.end(), 0.0);
    const std::array<double, kSeriesCount> values = {
        practice.coherence,
        practice.participation,
        practice.action,
        practice.monitoring,
        practice.normalised ? 1.0 : 0.0,
        practice.first_normalised_week >= 0 ? 1.0 : 0.0,
        practice.clp.in_post ? 1.0 : 0.0,
        practice.attention_load,
        engagement / staff.count,
        understanding / staff.count,
        caseload,
        practice.hours[0] / hours,
        practice.hours[1] / hours,
        practice.hours[2] / hours,
    };
    for (std::size_t s = 0; s < kSeriesCount; ++s) out.accumulator(kFirstTimeseries + s).add(cell, values[s]);
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

    out.field<std::uint8_t>(kFip)[i] = fip ? 1 : 0;
    out.field<std::int16_t>(kFirstNormalisedWeek)[i] =
        static_cast<std::int16_t>(practice.first_normalised_week);
    out.field<std::int16_t>(kWeeksNormalised)[i] = static_cast<std::int16_t>(practice.weeks_normalised);
    out.field<std::int32_t>(kReferrals)[i] = static_cast<std::int32_t>(t.referrals);
    out.field<std::int32_t>(kLinked)[i] = static_cast<std::int32_t>(t.linked);
    auto* histogram = out.field<std::int32_t>(kContactsHistogram) + i * kContactBins;
    for (std::size_t c = 0; c < kContactBins; ++c)
      histogram[c] = static_cast<std::int32_t>(t.closed_by_contacts[c]);
    out.field<std::int16_t>(kClpDepartures)[i] = static_cast<std::int16_t>(t.clp_departures);
    out.field<std::int16_t>(kVacancyWeeks)[i] = static_cast<std::int16_t>(t.vacancy_weeks);
    out.field<std::int16_t>(kLeadershipChanges)[i] = static_cast<std::int16_t>(t.leadership_changes);
    out.field<std::int16_t>(kStaffChanges)[i] =
        static_cast<std::int16_t>(std::min<std::uint32_t>(t.staff_changes, 32767));
    out.field<std::int16_t>(kInnovations)[i] =
        static_cast<std::int16_t>(std::min<std::uint32_t>(t.innovations, 32767));
    out.field<std::int16_t>(kAppraisals)[i] = static_cast<std::int16_t>(t.appraisals);
    out.field<std::int16_t>(kClpWeeksInPost)[i] = static_cast<std::int16_t>(t.clp_weeks_in_post);
    out.field<std::uint8_t>(kTraining)[i] = practice.training ? 1 : 0;
    out.field<float>(kGpBuyIn)[i] = static_cast<float>(practice.gp_buy_in);
    out.field<float>(kTeamQuality)[i] = static_cast<float>(practice.team_quality);
    out.field<float>(kInnovationRate)[i] = static_cast<float>(practice.innovation_rate * 52.0);

    float* phase_scores = out.field<float>(kPhaseScores) + i * phases * 4;
    const sim::Accumulator by_outcome = out.accumulator(kPhaseScoresByOutcome);
    for (std::size_t ph = 0; ph < phases; ++ph) {
      for (std::size_t c = 0; c < 4; ++c) {
        const double mean = t.phase_weeks[ph] > 0 ? t.phase_scores[ph][c] / t.phase_weeks[ph] : 0.0;
        phase_scores[ph * 4 + c] = static_cast<float>(mean);
        by_outcome.add((outcome * phases + ph) * 4 + c, mean);
      }
    }
    const std::array<double, 2> gains = {t.engagement_gain_formal, t.engagement_gain_informal};
    for (std::size_t g = 0; g < 2; ++g) {
      out.field<float>(kEngagementGain)[i * 2 + g] = static_cast<float>(gains[g]);
      out.accumulator(kEngagementGainByOutcome).add(outcome * 2 + g, gains[g]);
    }
    for (std::size_t a = 0; a < 3; ++a) {
      const double share = t.clp_hours_available > 0.0 ? t.clp_hours[a] / t.clp_hours_available : 0.0;
      out.field<float>(kClpHoursShare)[i * 3 + a] = static_cast<float>(share);
      out.accumulator(kClpHoursShareByOutcome).add(outcome * 3 + a, share);
    }

    out.accumulator(kPFip).add_count(i, fip ? 1 : 0);
    out.accumulator(kPracticesByOutcome).add_count(outcome, 1);
    out.accumulator(kClpYears).add(0, t.clp_weeks_in_post / 52.0);
    out.accumulator(kReferralsPerClpYear).add_count(0, t.referrals);
    out.accumulator(kReferralsTotal).add_count(0, t.referrals);
    out.accumulator(kLinkedShare).add_count(0, t.linked);
    std::int64_t closed = 0;
    for (std::size_t c = 0; c < kContactBins; ++c) {
      out.accumulator(kContactsShare).add_count(c, t.closed_by_contacts[c]);
      closed += t.closed_by_contacts[c];
    }
    out.accumulator(kPatientsClosed).add_count(0, closed);
    out.accumulator(kMeanClpDepartures).add_count(i, t.clp_departures);
    out.accumulator(kMeanVacancyWeeks).add_count(i, t.vacancy_weeks);
  }
  out.field<std::int32_t>(kFipCount)[0] = fip_count;
  out.accumulator(kMeanFipCount).add_count(0, fip_count);
  if (!setup_->surveys.empty()) record_survey(ws, out);
}

void LwpSimulation::record_survey(const LwpWorkspace& ws, const sim::ReplicateOutput& out) const {
  const std::size_t respondents = setup_->survey_respondents();
  const std::size_t items = kSurveyItems;
  const std::size_t constructs = kConstructs.size();
  auto* responses = out.field<std::uint8_t>(kSurveyResponses);
  auto* practice_of = out.field<std::int16_t>(kSurveyRespondentPractice);
  auto* role_of = out.field<std::uint8_t>(kSurveyRespondentRole);
  const sim::Accumulator scores = out.accumulator(kSurveyScoreByOutcome);
  const sim::Accumulator answered = out.accumulator(kSurveyAnsweredItems);
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
