#include "models/lwp/outputs.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include <fmt/format.h>

#include "sim/model.hpp"

namespace lwp {
namespace {

using sim::counts;
using sim::SchemaGroup;

/// Sums of values kept to 2^-32, optionally divided by another accumulator.
sim::Summation values(sim::AccumulatorId divided_by = {}) {
  return sim::fixed_point(32, divided_by);
}
/// Money, kept to 1/256 GBP.
sim::Summation money(sim::AccumulatorId divided_by = {}) {
  return sim::fixed_point(8, divided_by);
}

std::vector<std::string> labels(const auto& names) {
  return {names.begin(), names.end()};
}

void declare_dimensions(const Setup& setup, sim::OutputSchema& s) {
  std::vector<std::string> names, phases;
  for (const PracticeSpec& p : setup.practices) names.push_back(p.name);
  for (const Phase& p : setup.phases) phases.push_back(p.name);
  s.entity_dimension = "practice";
  s.time_dimension = "week";
  s.dims = {
      {"practice", setup.practice_count(), "practice (named in /practices/name)", names},
      {"week",
       static_cast<std::size_t>(setup.weeks()),
       "week since the start (week 0 = 1 Nov 2014 in the Deep End scenario)",
       {}},
      {"phase", setup.phases.size(), "evaluation phase window", phases},
      {"construct", kConstructs.size(), "NPT construct", labels(kConstructs)},
      {"outcome", kOutcomes.size(), "integration outcome at the horizon", labels(kOutcomes)},
      {"setting", kSettings.size(), "setting in which engagement was gained", labels(kSettings)},
      {"activity", kActivities.size(), "CLP activity", labels(kActivities)},
      {"contacts", static_cast<std::size_t>(kContactBins), "number of CLP contacts", {}},
      {"locality", setup.localities.size(), "locality (practices sharing community organisations)",
       setup.localities},
      {"period", 2, "before and after a cut of CLP posts (programme.cut_week)", {"before_cut", "after_cut"}},
  };
}

// Per-replicate results: each practice's outcome, events and scores, and what was drawn for it.
void declare_results(sim::OutputSchema& s, Outputs& h) {
  const SchemaGroup results(s, "/results", "per-replicate results");
  Outputs::Results& r = h.results;
  r.fip = results.field<std::uint8_t>(
      "fip", {"practice"},
      "1 = fully integrated practice (FIP) at the horizon, 0 = partially integrated (PIP)", "1");
  r.fip_count = results.field<std::int32_t>("fip_count", {}, "number of FIPs in the replicate", "practices");
  r.first_normalised_week = results.field<std::int16_t>(
      "first_normalised_week", {"practice"}, "first week the practice was normalised, -1 = never", "week");
  r.weeks_normalised =
      results.field<std::int16_t>("weeks_normalised", {"practice"}, "weeks spent normalised", "weeks");
  r.referrals = results.field<std::int32_t>("referrals", {"practice"},
                                            "patients referred to the CLP over the horizon", "patients");
  r.linked = results.field<std::int32_t>("linked", {"practice"},
                                         "referred patients linked to a community organisation", "patients");
  r.contacts_histogram = results.field<std::int32_t>("contacts_histogram", {"practice", "contacts"},
                                                     "closed patients by number of CLP contacts", "patients");

  const SchemaGroup events = results.group("events", "events over the horizon, per practice");
  Outputs::Events& e = r.events;
  e.clp_departures = events.field<std::int16_t>("clp_departures", {"practice"}, "CLP departures", "events");
  e.vacancy_weeks =
      events.field<std::int16_t>("vacancy_weeks", {"practice"}, "weeks without a CLP in post", "weeks");
  e.leadership_changes = events.field<std::int16_t>("leadership_changes", {"practice"},
                                                    "lead GP and practice manager replacements", "events");
  e.staff_changes =
      events.field<std::int16_t>("staff_changes", {"practice"}, "replacements of other staff", "events");
  e.innovations =
      events.field<std::int16_t>("innovations", {"practice"}, "competing innovations that arrived", "events");
  e.appraisals =
      events.field<std::int16_t>("appraisals", {"practice"}, "reflexive monitoring appraisals", "events");

  r.phase_scores = results.field<float>("phase_scores", {"practice", "phase", "construct"},
                                        "mean construct score in each evaluation phase", "score");
  r.engagement_gain = results.field<float>(
      "engagement_gain", {"practice", "setting"},
      "engagement gained by staff in formal and informal settings, summed over staff and weeks", "share");
  r.clp_hours_share =
      results.field<float>("clp_hours_share", {"practice", "activity"},
                           "share of CLP hours on each activity while in post (0 if never in post)", "share");
  r.clp_weeks_in_post =
      results.field<std::int16_t>("clp_weeks_in_post", {"practice"}, "weeks with a CLP in post", "weeks");

  const SchemaGroup practices(
      s, "/practices", "the practices: the scenario's constants, and what is drawn for each replicate");
  Outputs::Practices& p = h.practices;
  p.training = practices.field<std::uint8_t>("training", {"practice"},
                                             "1 = GP training practice in this replicate", "1");
  p.gp_buy_in =
      practices.field<float>("gp_buy_in", {"practice"}, "GP buy-in drawn for this replicate", "share");
  p.team_quality = practices.field<float>("team_quality", {"practice"},
                                          "team relationship quality drawn for this replicate", "share");
  p.innovation_rate = practices.field<float>(
      "innovation_rate", {"practice"}, "rate of competing innovations drawn for this replicate", "per year");
}

// Summaries over replicates of the per-replicate results (conditional means divide by the
// number of practices with each outcome).
void declare_summaries(sim::OutputSchema& s, Outputs& h) {
  const SchemaGroup summary(s, "/summary", "summaries over replicates, from exact sums");
  Outputs::Summary& m = h.summary;
  m.p_fip = summary.accumulator("p_fip", {"practice"}, "P(FIP) per practice", "probability", counts());
  m.mean_fip_count = summary.accumulator("mean_fip_count", {}, "mean number of FIPs", "practices", counts());
  m.practices_by_outcome =
      summary.accumulator("practices_by_outcome", {"outcome"}, "mean number of practices with each outcome",
                          "practices", counts());
  m.phase_scores_by_outcome =
      summary.accumulator("phase_scores_by_outcome", {"outcome", "phase", "construct"},
                          "mean construct score in each phase, over practices with each outcome", "score",
                          values(m.practices_by_outcome));
  m.engagement_gain_by_outcome = summary.accumulator(
      "engagement_gain_by_outcome", {"outcome", "setting"},
      "mean engagement gained in formal and informal settings, over practices with each outcome", "share",
      values(m.practices_by_outcome));
  m.clp_hours_share_by_outcome =
      summary.accumulator("clp_hours_share_by_outcome", {"outcome", "activity"},
                          "mean share of CLP hours on each activity, over practices with each outcome",
                          "share", values(m.practices_by_outcome));
  m.clp_years =
      summary.accumulator("clp_years", {}, "mean CLP-years in post summed over practices", "years", values());
  m.referrals_per_clp_year =
      summary.accumulator("referrals_per_clp_year", {}, "referrals per CLP-year in post", "patients per year",
                          counts(m.clp_years));
  m.referrals =
      summary.accumulator("referrals", {}, "mean referrals summed over practices", "patients", counts());
  m.linked_share =
      summary.accumulator("linked_share", {}, "share of referred patients linked to a community organisation",
                          "share", counts(m.referrals));
  m.patients_closed = summary.accumulator("patients_closed", {}, "mean closed patients summed over practices",
                                          "patients", counts());
  m.contacts_share = summary.accumulator("contacts_share", {"contacts"},
                                         "share of closed patients by number of CLP contacts", "share",
                                         counts(m.patients_closed));
  m.clp_departures = summary.accumulator("clp_departures", {"practice"}, "mean CLP departures per practice",
                                         "events", counts());
  m.vacancy_weeks = summary.accumulator("vacancy_weeks", {"practice"},
                                        "mean weeks without a CLP per practice", "weeks", counts());
}

// Scale-up (docs/model.md §7.9): the programme's cost and posts, the nation and the localities.
void declare_scale_up(sim::OutputSchema& s, Outputs& h) {
  const SchemaGroup results(s, "/results");
  h.results.cost = results.field<double>(
      "cost", {},
      "programme cost over the horizon: CLP posts, community links managers and practice development funds",
      "GBP");
  h.results.locality_fip_count = results.field<std::int32_t>("locality_fip_count", {"locality"},
                                                             "number of FIPs in each locality", "practices");
  h.results.refused = results.field<std::int32_t>(
      "refused", {"practice"}, "requests for a place refused by a full community organisation", "patients");
  h.results.events.clp_changes = results.group("events").field<std::int16_t>(
      "clp_changes", {"practice"}, "changes of CLP by regrouping when posts are cut", "events");
  h.practices.drawn_list_size = SchemaGroup(s, "/practices")
                                    .field<std::int32_t>("drawn_list_size", {"practice"},
                                                         "registered patients in this replicate (drawn for "
                                                         "synthetic practices; else /practices/list_size)",
                                                         "patients");

  const SchemaGroup summary(s, "/summary");
  Outputs::Summary& m = h.summary;
  m.cost = summary.accumulator("cost", {}, "mean programme cost over the horizon", "GBP", money());
  m.cost_per_fip = summary.accumulator(
      "cost_per_fip", {}, "programme cost per fully integrated practice (mean cost / mean FIP count)",
      "GBP per FIP", money(m.mean_fip_count));
  s.ratios.push_back(
      {"cost per FIP", "cost per additional FIP", "/results/cost", "/results/fip_count", "GBP per FIP"});
  m.clp_posts = summary.accumulator("clp_posts", {"period"}, "CLP posts (practices sharing a CLP count once)",
                                    "posts", counts());
  m.vacancy_clp_weeks = summary.accumulator(
      "vacancy_clp_weeks", {}, "mean weeks CLP posts were vacant, summed over posts", "CLP-weeks", values());

  const SchemaGroup national(s, "/national", "the nation: every practice of the scenario");
  h.national.normalised = national.accumulator(
      "normalised", {"week"}, "share of all practices normalised in each week", "share", values());
  h.national.normalised_by =
      national.accumulator("normalised_by", {"week"},
                           "share of all practices normalised in this week or before", "share", values());

  const SchemaGroup locality(s, "/locality", "localities: practices sharing community organisations");
  Outputs::Localities& l = h.locality;
  l.fip_count = locality.accumulator("fip_count", {"locality"}, "mean number of FIPs in each locality",
                                     "practices", counts());
  l.p_fip = locality.accumulator("p_fip", {"locality"},
                                 "mean share of each locality's practices that are FIPs", "share", values());
  l.normalised_by = locality.accumulator(
      "normalised_by", {"week", "locality"},
      "share of each locality's practices normalised in this week or before", "share", values());
  l.vacancy_clp_weeks = locality.accumulator(
      "vacancy_clp_weeks", {"locality"}, "mean weeks the locality's CLP posts were vacant, summed over posts",
      "CLP-weeks", values());
  l.referrals = locality.accumulator("referrals", {"locality"}, "mean referrals to the locality's CLPs",
                                     "patients", counts());
  l.linked_share =
      locality.accumulator("linked_share", {"locality"},
                           "share of the locality's referred patients linked to a community organisation",
                           "share", counts(l.referrals));
  l.link_requests = locality.accumulator(
      "link_requests", {"locality"},
      "mean requests for a place made to the locality's community organisations", "patients", counts());
  l.refused_share =
      locality.accumulator("refused_share", {"locality"},
                           "share of requests for a place refused because the organisation was full", "share",
                           counts(l.link_requests));
  l.saturation = locality.accumulator(
      "saturation", {"locality"},
      "share of organisation-weeks in which the locality's organisations had more requests than free places",
      "share", values());
}

// Development work tried and abandoned, and the CLP's caseload (docs/model.md §7.4): what the
// paper's patterns are compared with.
void declare_development_and_caseload(sim::OutputSchema& s, Outputs& h) {
  s.dims.push_back({"development_activity", kDevelopmentActivities.size(),
                    "development activity tried from the start of the programme",
                    labels(kDevelopmentActivities)});
  const SchemaGroup results(s, "/results");
  h.results.activities_kept = results.field<std::uint8_t>(
      "activities_kept", {"practice", "phase", "development_activity"},
      "1 = the development activity was kept up at the end of the phase, 0 = dropped (or not started)", "1");
  h.results.mean_caseload =
      results.field<float>("mean_caseload", {"practice"},
                           "mean active caseload over the weeks with a CLP in post (0 if none)", "patients");
  h.results.dropped = results.field<std::int32_t>(
      "dropped", {"practice"}, "patients who left the CLP's waiting list unlinked", "patients");
  const SchemaGroup summary(s, "/summary");
  Outputs::Summary& m = h.summary;
  m.activities_kept_by_outcome = summary.accumulator(
      "activities_kept_by_outcome", {"outcome", "phase", "development_activity"},
      "share of the practices with each outcome that kept each development activity up at the end of each "
      "phase",
      "share", counts(m.practices_by_outcome));
  m.caseload_by_outcome = summary.accumulator(
      "caseload_by_outcome", {"outcome"},
      "mean active caseload of the CLP over the weeks in post, over practices with each outcome", "patients",
      values(m.practices_by_outcome));
}

// Patterns (docs/model.md section 10): statistics of a point that the evaluation observed
// (Chng 2021, Table 3 and the account of the programme over time), each from the summaries over
// FIPs and over PIPs at the last evaluation phase (P4 in the Deep End). A difference between FIPs
// and PIPs is NaN at a point whose replicates had none of one of them.
void declare_patterns(const Setup& setup, sim::OutputSchema& s) {
  constexpr std::size_t kFip = 0, kPip = 1;
  const std::size_t phases = setup.phases.size();
  if (phases == 0) return;
  const std::size_t last = phases - 1;
  const std::string scores = "/summary/phase_scores_by_outcome";    // [outcome, phase, construct]
  const std::string hours = "/summary/clp_hours_share_by_outcome";  // [outcome, activity]
  const std::string gains = "/summary/engagement_gain_by_outcome";  // [outcome, setting]
  const std::string kept = "/summary/activities_kept_by_outcome";   // [outcome, phase, activity]
  const std::size_t constructs = kConstructs.size();
  const auto score = [=](const sim::PointSummary& p, std::size_t outcome, std::size_t construct) {
    return p.at(scores)[(outcome * phases + last) * constructs + construct];
  };
  const auto kept_share = [=](const sim::PointSummary& p, std::size_t outcome) {
    const std::size_t n = kDevelopmentActivities.size();
    double sum = 0.0;
    for (std::size_t a = 0; a < n; ++a) sum += p.at(kept)[(outcome * phases + last) * n + a];
    return sum / static_cast<double>(n);
  };
  const auto formal_share = [=](const sim::PointSummary& p, std::size_t outcome) {
    const double formal = p.at(gains)[outcome * kSettings.size() + 0];
    const double informal = p.at(gains)[outcome * kSettings.size() + 1];
    return formal + informal > 0.0 ? formal / (formal + informal) : std::numeric_limits<double>::quiet_NaN();
  };
  const auto hours_share = [=](const sim::PointSummary& p, std::size_t outcome, std::size_t activity) {
    return p.at(hours)[outcome * kActivities.size() + activity];
  };
  const char* construct_names[] = {"coherence", "participation", "action"};
  const char* construct_words[] = {"coherence (C)", "cognitive participation (CP)", "collective action (CA)"};
  for (std::size_t c = 0; c < 3; ++c) {
    s.patterns.push_back(
        {fmt::format("{}_gap", construct_names[c]),
         fmt::format("mean {} score at the last evaluation phase, FIPs minus PIPs", construct_words[c]),
         "score",
         {scores},
         [=](const sim::PointSummary& p) { return score(p, kFip, c) - score(p, kPip, c); }});
  }
  for (std::size_t o : {kFip, kPip}) {
    s.patterns.push_back(
        {fmt::format("monitoring_{}", o == kFip ? "fip" : "pip"),
         fmt::format("mean reflexive monitoring (RM) score at the last evaluation phase in {}",
                     o == kFip ? "FIPs" : "PIPs"),
         "score",
         {scores},
         [=](const sim::PointSummary& p) { return score(p, o, 3); }});
  }
  s.patterns.push_back(
      {"formal_share_gap",
       "share of the engagement staff gained that was gained in formal settings (meetings, shared "
       "learning), FIPs minus PIPs",
       "share",
       {gains},
       [=](const sim::PointSummary& p) { return formal_share(p, kFip) - formal_share(p, kPip); }});
  s.patterns.push_back(
      {"development_share_gap",
       "share of CLP hours on practice development, FIPs minus PIPs",
       "share",
       {hours},
       [=](const sim::PointSummary& p) { return hours_share(p, kFip, 1) - hours_share(p, kPip, 1); }});
  s.patterns.push_back(
      {"pip_support_lead",
       "in PIPs, the share of CLP hours on one-to-one patient support minus the larger of the shares "
       "on practice development and on community networking",
       "share",
       {hours},
       [=](const sim::PointSummary& p) {
         return hours_share(p, kPip, 0) - std::max(hours_share(p, kPip, 1), hours_share(p, kPip, 2));
       }});
  for (std::size_t o : {kFip, kPip}) {
    s.patterns.push_back(
        {fmt::format("{}_activities_kept", o == kFip ? "fip" : "pip"),
         fmt::format("share of {} keeping each development activity up at the end of the last "
                     "evaluation phase (mean over the three activities)",
                     o == kFip ? "FIPs" : "PIPs"),
         "share",
         {kept},
         [=](const sim::PointSummary& p) { return kept_share(p, o); }});
  }
  s.patterns.push_back(
      {"activities_kept_gap",
       "share of practices keeping each development activity up at the end of the last evaluation "
       "phase (mean over the three activities), FIPs minus PIPs",
       "share",
       {kept},
       [=](const sim::PointSummary& p) { return kept_share(p, kFip) - kept_share(p, kPip); }});
}

void declare_timeseries(const Setup& setup, sim::OutputSchema& s, Outputs& h) {
  if (!setup.practice_timeseries) return;
  const SchemaGroup timeseries(
      s, "/timeseries",
      "weekly series per practice, means over replicates; written for scenarios of up "
      "to 1,000 practices unless [outputs] practice_timeseries says otherwise");
  for (std::size_t i = 0; i < kWeeklySeries.size(); ++i) {
    const WeeklySeries& series = kWeeklySeries[i];
    h.timeseries[i] = timeseries.accumulator(series.name, {"week", "practice"},
                                             std::string(series.description) + ", mean over replicates",
                                             series.units, values());
  }
}

void declare_observables(const Setup& setup, sim::OutputSchema& s, Outputs& h) {
  h.observables.fip_count =
      s.add_observable("fip_count", h.results.fip_count, 0, static_cast<std::int64_t>(setup.practice_count()),
                       "number of fully integrated practices at the horizon", "mean P(FIP)", true);
  // Each practice's outcome can enter a calibration's distance too (observed in Chng 2021), but is
  // not written as a distribution of its own.
  for (std::size_t i = 0; i < setup.practice_count(); ++i) {
    const std::string& name = setup.practices[i].name;
    (void)s.add_observable("outcome." + name, h.results.fip, i, 1,
                           "1 if practice " + name + " is fully integrated at the horizon", "", false);
  }
}

// The scenario's constants, written when the file is created.
void declare_constants(const Setup& setup, sim::OutputSchema& s) {
  std::vector<std::string> names, localities;
  std::vector<std::int64_t> list_sizes, start_weeks, phase_first, phase_last;
  for (const PracticeSpec& p : setup.practices) {
    names.push_back(p.name);
    list_sizes.push_back(p.synthetic ? -1 : p.list_size);
    start_weeks.push_back(p.start_week);
    localities.push_back(setup.localities[p.locality]);
  }
  for (const Phase& p : setup.phases) {
    phase_first.push_back(p.first_week);
    phase_last.push_back(p.last_week);
  }
  const SchemaGroup practices(s, "/practices");
  practices.constant("name", {"practice"}, "practice name", "", names);
  practices.constant(
      "list_size", {"practice"},
      "registered patients (-1: a synthetic practice, drawn per replicate: /practices/drawn_list_size)",
      "patients", list_sizes);
  practices.constant("locality", {"practice"},
                     "locality (practices in a locality share community organisations)", "", localities);
  practices.constant("start_week", {"practice"}, "week the programme starts in the practice (rollout wave)",
                     "week", start_weeks);
  const SchemaGroup evaluation(s, "/evaluation", "the virtual evaluation's phases and surveys");
  evaluation.constant("phase_first_week", {"phase"}, "first week of each evaluation phase", "week",
                      phase_first);
  evaluation.constant("phase_last_week", {"phase"}, "last week of each evaluation phase (inclusive)", "week",
                      phase_last);
}

// The simulated staff survey (docs/model.md §7.8; survey.cpp), when the scenario has one.
void declare_survey(const Setup& setup, sim::OutputSchema& s, Outputs& h) {
  if (setup.surveys.empty()) return;
  std::vector<std::string> surveyed, items;
  std::vector<std::int64_t> sent, replied;
  for (const Survey& survey : setup.surveys) {
    surveyed.push_back(setup.phases[survey.phase].name);
    sent.push_back(survey.sent);
    replied.push_back(survey.replied);
  }
  for (std::size_t c = 0; c < kConstructs.size(); ++c) {
    for (int k = 1; k <= kSurveyItemsPerConstruct[c]; ++k)
      items.push_back(fmt::format("{}_{}", kConstructs[c], k));
  }
  s.dims.push_back(
      {"survey", surveyed.size(), "simulated staff survey, at the end of the named phase", surveyed});
  s.dims.push_back({"respondent",
                    setup.survey_respondents(),
                    "questionnaire sent in a survey (by practice in scenario order, then priority order)",
                    {}});
  s.dims.push_back({"item", items.size(), "NoMAD-style construct item of the questionnaire", items});

  const SchemaGroup survey(s, "/survey",
                           "the simulated staff survey (virtual evaluation, docs/model.md section 7.8); only "
                           "when the scenario has [evaluation.survey]");
  Outputs::Survey& v = h.survey;
  v.responses = survey.field<std::uint8_t>(
      "responses", {"survey", "respondent", "item"},
      "answer to each item on the 5-point scale (1..5); 0 = no questionnaire or no reply", "score (1-5)");
  v.respondent_practice = survey.field<std::int16_t>(
      "respondent_practice", {"survey", "respondent"},
      "practice the questionnaire was sent to (index into /practices/name), -1 = none", "index");
  v.respondent_role = survey.field<std::uint8_t>(
      "respondent_role", {"survey", "respondent"},
      "role of the recipient: 0 lead GP, 1 GP, 2 practice manager, 3 nurse, 4 admin, 5 CLP; 255 = none",
      "code");
  v.answered_items = survey.accumulator(
      "answered_items", {"survey", "outcome", "construct"},
      "mean number of items answered per replicate by respondents in practices with each final outcome",
      "items", counts());
  v.mean_score_by_outcome =
      survey.accumulator("mean_score_by_outcome", {"survey", "outcome", "construct"},
                         "mean item score of the respondents in practices with each final outcome",
                         "score (1-5)", counts(v.answered_items));

  const SchemaGroup evaluation(s, "/evaluation");
  evaluation.constant("survey_sent", {"survey"}, "questionnaires to send in each survey", "questionnaires",
                      sent);
  evaluation.constant("survey_replied", {"survey"}, "replies in each survey", "questionnaires", replied);
}

}  // namespace

// The order of the sections is the order of the datasets in the file.
DeclaredOutputs declare_outputs(const Setup& setup) {
  DeclaredOutputs declared;
  sim::OutputSchema& s = declared.schema;
  Outputs& h = declared.outputs;
  declare_dimensions(setup, s);
  declare_results(s, h);
  declare_summaries(s, h);
  declare_scale_up(s, h);
  declare_development_and_caseload(s, h);
  declare_timeseries(setup, s, h);
  declare_observables(setup, s, h);
  declare_patterns(setup, s);
  declare_constants(setup, s);
  declare_survey(setup, s, h);
  s.check();
  return declared;
}

sim::OutputSchema make_schema(const Setup& setup) {
  return declare_outputs(setup).schema;
}

}  // namespace lwp
