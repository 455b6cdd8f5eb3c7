#include "models/lwp/outputs.hpp"

#include <string>

#include <fmt/format.h>

namespace lwp {
namespace {

struct SeriesSpec {
  const char* name;
  const char* description;
  const char* units;
};

constexpr std::array<SeriesSpec, kSeriesCount> kSeries = {{
    {"coherence", "coherence score C = shared understanding S of the core leadership", "score"},
    {"cognitive_participation", "cognitive participation score CP", "score"},
    {"collective_action",
     "collective action score CA (role balance of the CLP; 0 without a CLP or referrals)", "score"},
    {"reflexive_monitoring", "reflexive monitoring score RM (recency of appraisal)", "score"},
    {"normalised", "P(normalised in this week)", "probability"},
    {"normalised_by", "P(normalised in this week or before)", "probability"},
    {"clp_in_post", "P(a CLP is in post)", "probability"},
    {"attention_load", "attention load from competing innovations and training", "share"},
    {"engagement", "mean staff engagement", "share"},
    {"understanding", "mean staff understanding", "share"},
    {"caseload", "active patients on the CLP's caseload", "patients"},
    {"patient_support_share", "share of CLP hours on one-to-one patient support (0 without a CLP)", "share"},
    {"practice_development_share", "share of CLP hours on practice development", "share"},
    {"community_networking_share", "share of CLP hours on community networking", "share"},
}};

std::vector<std::string> labels(const auto& names) {
  return {names.begin(), names.end()};
}

// The simulated staff survey (DESIGN §3.3; survey.cpp), declared after everything else so that
// the other fields and accumulators keep their places.
void add_survey(const Setup& setup, sim::OutputSchema& s) {
  using sim::DType;
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

  s.fields.push_back({"/survey/responses",
                      DType::u8,
                      {"survey", "respondent", "item"},
                      "answer to each item on the 5-point scale (1..5); 0 = no questionnaire or no reply",
                      "score (1-5)"});
  s.fields.push_back({"/survey/respondent_practice",
                      DType::i16,
                      {"survey", "respondent"},
                      "practice the questionnaire was sent to (index into /practices/name), -1 = none",
                      "index"});
  s.fields.push_back({"/survey/respondent_role",
                      DType::u8,
                      {"survey", "respondent"},
                      "role of the recipient: 0 lead GP, 1 GP, 2 practice manager, 3 nurse, 4 admin, 5 CLP; "
                      "255 = none",
                      "code"});

  s.accumulators.push_back(
      {"/survey/answered_items",
       {"survey", "outcome", "construct"},
       "mean number of items answered per replicate by respondents in practices with each "
       "final outcome",
       "items",
       0,
       ""});
  s.accumulators.push_back({"/survey/mean_score_by_outcome",
                            {"survey", "outcome", "construct"},
                            "mean item score of the respondents in practices with each final outcome",
                            "score (1-5)",
                            0,
                            "/survey/answered_items"});

  s.statics.push_back({"/evaluation/survey_sent",
                       {"survey"},
                       "questionnaires to send in each survey",
                       "questionnaires",
                       sent});
  s.statics.push_back(
      {"/evaluation/survey_replied", {"survey"}, "replies in each survey", "questionnaires", replied});
}

}  // namespace

sim::OutputSchema make_schema(const Setup& setup) {
  using sim::DType;
  sim::OutputSchema s;
  s.entity_dimension = "practice";
  std::vector<std::string> names, localities, phases;
  std::vector<std::int64_t> list_sizes, start_weeks, phase_first, phase_last;
  for (const PracticeSpec& p : setup.practices) {
    names.push_back(p.name);
    list_sizes.push_back(p.synthetic ? -1 : p.list_size);
    start_weeks.push_back(p.start_week);
    localities.push_back(setup.localities[p.locality]);
  }
  for (const Phase& p : setup.phases) {
    phases.push_back(p.name);
    phase_first.push_back(p.first_week);
    phase_last.push_back(p.last_week);
  }
  std::vector<std::string> contacts;
  for (int c = 0; c < kContactBins; ++c) contacts.push_back(std::to_string(c));

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

  s.fields = {
      {"/results/fip",
       DType::u8,
       {"practice"},
       "1 = fully integrated practice (FIP) at the horizon, 0 = partially integrated (PIP)",
       "1"},
      {"/results/fip_count", DType::i32, {}, "number of FIPs in the replicate", "practices"},
      {"/results/first_normalised_week",
       DType::i16,
       {"practice"},
       "first week the practice was normalised, -1 = never",
       "week"},
      {"/results/weeks_normalised", DType::i16, {"practice"}, "weeks spent normalised", "weeks"},
      {"/results/referrals",
       DType::i32,
       {"practice"},
       "patients referred to the CLP over the horizon",
       "patients"},
      {"/results/linked",
       DType::i32,
       {"practice"},
       "referred patients linked to a community organisation",
       "patients"},
      {"/results/contacts_histogram",
       DType::i32,
       {"practice", "contacts"},
       "closed patients by number of CLP contacts",
       "patients"},
      {"/results/events/clp_departures", DType::i16, {"practice"}, "CLP departures", "events"},
      {"/results/events/vacancy_weeks", DType::i16, {"practice"}, "weeks without a CLP in post", "weeks"},
      {"/results/events/leadership_changes",
       DType::i16,
       {"practice"},
       "lead GP and practice manager replacements",
       "events"},
      {"/results/events/staff_changes", DType::i16, {"practice"}, "replacements of other staff", "events"},
      {"/results/events/innovations",
       DType::i16,
       {"practice"},
       "competing innovations that arrived",
       "events"},
      {"/results/events/appraisals", DType::i16, {"practice"}, "reflexive monitoring appraisals", "events"},
      {"/results/phase_scores",
       DType::f32,
       {"practice", "phase", "construct"},
       "mean construct score in each evaluation phase",
       "score"},
      {"/results/engagement_gain",
       DType::f32,
       {"practice", "setting"},
       "engagement gained by staff in formal and informal settings, summed over staff and weeks",
       "share"},
      {"/results/clp_hours_share",
       DType::f32,
       {"practice", "activity"},
       "share of CLP hours on each activity while in post (0 if never in post)",
       "share"},
      {"/results/clp_weeks_in_post", DType::i16, {"practice"}, "weeks with a CLP in post", "weeks"},
      {"/practices/training", DType::u8, {"practice"}, "1 = GP training practice in this replicate", "1"},
      {"/practices/gp_buy_in", DType::f32, {"practice"}, "GP buy-in drawn for this replicate", "share"},
      {"/practices/team_quality",
       DType::f32,
       {"practice"},
       "team relationship quality drawn for this replicate",
       "share"},
      {"/practices/innovation_rate",
       DType::f32,
       {"practice"},
       "rate of competing innovations drawn for this replicate",
       "per year"},
      {"/results/cost",
       DType::f64,
       {},
       "programme cost over the horizon: CLP posts, community links managers and practice development funds",
       "GBP"},
      {"/results/locality_fip_count",
       DType::i32,
       {"locality"},
       "number of FIPs in each locality",
       "practices"},
      {"/results/refused",
       DType::i32,
       {"practice"},
       "requests for a place refused by a full community organisation",
       "patients"},
      {"/results/events/clp_changes",
       DType::i16,
       {"practice"},
       "changes of CLP by regrouping when posts are cut",
       "events"},
      {"/practices/drawn_list_size",
       DType::i32,
       {"practice"},
       "registered patients in this replicate (drawn for synthetic practices; else /practices/list_size)",
       "patients"},
  };

  s.accumulators = {
      {"/summary/p_fip", {"practice"}, "P(FIP) per practice", "probability", 0, ""},
      {"/summary/mean_fip_count", {}, "mean number of FIPs", "practices", 0, ""},
      {"/summary/practices_by_outcome",
       {"outcome"},
       "mean number of practices with each outcome",
       "practices",
       0,
       ""},
      {"/summary/phase_scores_by_outcome",
       {"outcome", "phase", "construct"},
       "mean construct score in each phase, over practices with each outcome",
       "score",
       32,
       "/summary/practices_by_outcome"},
      {"/summary/engagement_gain_by_outcome",
       {"outcome", "setting"},
       "mean engagement gained in formal and informal settings, over practices with each outcome",
       "share",
       32,
       "/summary/practices_by_outcome"},
      {"/summary/clp_hours_share_by_outcome",
       {"outcome", "activity"},
       "mean share of CLP hours on each activity, over practices with each outcome",
       "share",
       32,
       "/summary/practices_by_outcome"},
      {"/summary/clp_years", {}, "mean CLP-years in post summed over practices", "years", 32, ""},
      {"/summary/referrals_per_clp_year",
       {},
       "referrals per CLP-year in post",
       "patients per year",
       0,
       "/summary/clp_years"},
      {"/summary/referrals", {}, "mean referrals summed over practices", "patients", 0, ""},
      {"/summary/linked_share",
       {},
       "share of referred patients linked to a community organisation",
       "share",
       0,
       "/summary/referrals"},
      {"/summary/patients_closed", {}, "mean closed patients summed over practices", "patients", 0, ""},
      {"/summary/contacts_share",
       {"contacts"},
       "share of closed patients by number of CLP contacts",
       "share",
       0,
       "/summary/patients_closed"},
      {"/summary/clp_departures", {"practice"}, "mean CLP departures per practice", "events", 0, ""},
      {"/summary/vacancy_weeks", {"practice"}, "mean weeks without a CLP per practice", "weeks", 0, ""},
      // Scale-up: costs, the nation and the localities.
      {"/summary/cost", {}, "mean programme cost over the horizon", "GBP", 8, ""},
      {"/summary/cost_per_fip",
       {},
       "programme cost per fully integrated practice (mean cost / mean FIP count)",
       "GBP per FIP",
       8,
       "/summary/mean_fip_count"},
      {"/summary/clp_posts", {"period"}, "CLP posts (practices sharing a CLP count once)", "posts", 0, ""},
      {"/summary/vacancy_clp_weeks",
       {},
       "mean weeks CLP posts were vacant, summed over posts",
       "CLP-weeks",
       32,
       ""},
      {"/national/normalised", {"week"}, "share of all practices normalised in each week", "share", 32, ""},
      {"/national/normalised_by",
       {"week"},
       "share of all practices normalised in this week or before",
       "share",
       32,
       ""},
      {"/locality/fip_count", {"locality"}, "mean number of FIPs in each locality", "practices", 0, ""},
      {"/locality/p_fip",
       {"locality"},
       "mean share of each locality's practices that are FIPs",
       "share",
       32,
       ""},
      {"/locality/normalised_by",
       {"week", "locality"},
       "share of each locality's practices normalised in this week or before",
       "share",
       32,
       ""},
      {"/locality/vacancy_clp_weeks",
       {"locality"},
       "mean weeks the locality's CLP posts were vacant, summed over posts",
       "CLP-weeks",
       32,
       ""},
      {"/locality/referrals", {"locality"}, "mean referrals to the locality's CLPs", "patients", 0, ""},
      {"/locality/linked_share",
       {"locality"},
       "share of the locality's referred patients linked to a community organisation",
       "share",
       0,
       "/locality/referrals"},
      {"/locality/link_requests",
       {"locality"},
       "mean requests for a place made to the locality's community organisations",
       "patients",
       0,
       ""},
      {"/locality/refused_share",
       {"locality"},
       "share of requests for a place refused because the organisation was full",
       "share",
       0,
       "/locality/link_requests"},
      {"/locality/saturation",
       {"locality"},
       "share of organisation-weeks in which the locality's organisations had more requests than free places",
       "share",
       32,
       ""},
  };
  if (setup.practice_timeseries) {
    for (const SeriesSpec& series : kSeries) {
      s.accumulators.push_back({std::string("/timeseries/") + series.name,
                                {"week", "practice"},
                                std::string(series.description) + ", mean over replicates",
                                series.units,
                                32,
                                ""});
    }
  }

  s.observables = {{"fip_count", "/results/fip_count", 0, static_cast<std::int64_t>(setup.practice_count()),
                    "number of fully integrated practices at the horizon", "mean P(FIP)", true}};
  // Each practice's outcome can enter a calibration's distance too (observed in Chng 2021), but is
  // not written as a distribution of its own.
  for (std::size_t i = 0; i < setup.practice_count(); ++i) {
    s.observables.push_back(
        {"outcome." + setup.practices[i].name, "/results/fip", i, 1,
         "1 if practice " + setup.practices[i].name + " is fully integrated at the horizon", "", false});
  }
  s.statics = {
      {"/practices/name", {"practice"}, "practice name", "", names},
      {"/practices/list_size",
       {"practice"},
       "registered patients (-1: a synthetic practice, drawn per replicate: /practices/drawn_list_size)",
       "patients",
       list_sizes},
      {"/practices/locality",
       {"practice"},
       "locality (practices in a locality share community organisations)",
       "",
       localities},
      {"/practices/start_week",
       {"practice"},
       "week the programme starts in the practice (rollout wave)",
       "week",
       start_weeks},
      {"/evaluation/phase_first_week", {"phase"}, "first week of each evaluation phase", "week", phase_first},
      {"/evaluation/phase_last_week",
       {"phase"},
       "last week of each evaluation phase (inclusive)",
       "week",
       phase_last},
  };
  if (!setup.surveys.empty()) add_survey(setup, s);
  s.check();
  return s;
}

}  // namespace lwp
