// The plain-text summary printed by `lwsim run` and `lwsim report`: the simulated Deep End next to
// what the evaluation observed, laid out so that the four patterns of Chng 2021's comparison
// table (coherence, cognitive participation, collective action, reflexive monitoring) can be
// checked against the simulation.

#include "models/lwp/summary.hpp"

#include <algorithm>
#include <cmath>
#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "models/lwp/outputs.hpp"
#include "models/lwp/state.hpp"

namespace lwp {
namespace {

/// A point's summaries, read through the handles of the datasets they summarise.
struct Summaries {
  const sim::PointSummary& point;
  const sim::OutputSchema& schema;
  const Outputs& outputs;

  [[nodiscard]] const std::vector<double>& at(sim::AccumulatorId accumulator) const {
    return point.at(schema, accumulator);
  }
  [[nodiscard]] bool contains(sim::AccumulatorId accumulator) const {
    return point.contains(schema, accumulator);
  }
};

std::string bar(double p, double scale) {
  const int n = static_cast<int>(std::lround(p * scale));
  std::string out;
  for (int i = 0; i < n; ++i) out += "#";
  return out;
}

std::string percent(double x) {
  if (std::isnan(x)) return "  n/a";
  return fmt::format("{:4.0f}%", 100.0 * x);
}

std::string score_pair(double fip, double pip) {
  const auto one = [](double x) { return std::isnan(x) ? std::string("n/a") : fmt::format("{:.2f}", x); };
  return fmt::format("{} / {}", one(fip), one(pip));
}

// The simulated staff survey beside the real one (Chng 2021 surveyed staff at P2 and P4): mean
// item score per construct of respondents in FIPs and in PIPs.
void describe_survey(const Setup& setup, const Summaries& summary, std::ostream& os) {
  const Outputs::Survey& survey_outputs = summary.outputs.survey;
  if (!summary.contains(survey_outputs.mean_score_by_outcome)) return;
  const std::vector<double>& scores = summary.at(survey_outputs.mean_score_by_outcome);
  const std::vector<double>& answered = summary.at(survey_outputs.answered_items);
  const std::size_t constructs = kConstructs.size();
  fmt::print(os, "\nSimulated staff survey (NoMAD-style, 1-5): mean item score, FIP / PIP respondents\n");
  fmt::print(os, "  {:<14} {:>5} {:>8}  {:>13}  {:>13}  {:>13}  {:>13}\n", "survey", "sent", "replied", "C",
             "CP", "CA", "RM");
  for (std::size_t s = 0; s < setup.surveys.size(); ++s) {
    const Survey& survey = setup.surveys[s];
    std::string row = fmt::format("  {:<14} {:>5} {:>8}",
                                  fmt::format("{} week {}", setup.phases[survey.phase].name, survey.week),
                                  survey.sent, survey.replied);
    for (std::size_t c = 0; c < constructs; ++c) {
      const std::size_t fip = (s * 2 + 0) * constructs + c;
      const std::size_t pip = (s * 2 + 1) * constructs + c;
      row += fmt::format("  {:>13}", score_pair(scores[fip], scores[pip]));
    }
    fmt::print(os, "{}\n", row);
    // Replies per replicate, from the coherence items answered (4 per respondent).
    const double replies =
        (answered[(s * 2) * constructs] + answered[(s * 2 + 1) * constructs]) / kSurveyItemsPerConstruct[0];
    if (replies + 1e-9 < survey.replied) {
      fmt::print(os, "  {:<14} only {:.1f} replies per replicate: the practices have too few staff\n", "",
                 replies);
    }
  }
}

// Scale-up: the programme's posts and cost, and the localities side by side (docs/model.md §7.9).
void describe_programme(const Setup& setup, const Summaries& summary, std::ostream& os) {
  const Outputs& outputs = summary.outputs;
  if (!summary.contains(outputs.summary.cost)) return;
  const std::vector<double>& posts = summary.at(outputs.summary.clp_posts);
  const double fips = summary.at(outputs.summary.mean_fip_count)[0];
  fmt::print(os, "\nProgramme and cost (weeks 0-{})\n", setup.horizon_weeks);
  if (posts[0] != posts[1]) {
    fmt::print(os, "  CLP posts: {:.0f}, cut to {:.0f}\n", posts[0], posts[1]);
  } else {
    fmt::print(os, "  CLP posts: {:.0f} for {} practices\n", posts[0], setup.practice_count());
  }
  fmt::print(os, "  vacant CLP-weeks: {:.1f}\n", summary.at(outputs.summary.vacancy_clp_weeks)[0]);
  fmt::print(os, "  cost: {:.0f} GBP; per fully integrated practice: {}\n",
             summary.at(outputs.summary.cost)[0],
             fips > 0.0 ? fmt::format("{:.0f} GBP", summary.at(outputs.summary.cost_per_fip)[0])
                        : std::string("n/a"));

  const std::size_t localities = setup.localities.size();
  if (localities < 2) return;
  const std::vector<double>& p_fip = summary.at(outputs.locality.p_fip);
  const std::vector<double>& count = summary.at(outputs.locality.fip_count);
  const std::vector<double>& linked = summary.at(outputs.locality.linked_share);
  const std::vector<double>& refused = summary.at(outputs.locality.refused_share);
  const std::vector<double>& saturation = summary.at(outputs.locality.saturation);
  const std::vector<double>& vacancy = summary.at(outputs.locality.vacancy_clp_weeks);
  std::size_t width = 8;
  for (const std::string& name : setup.localities)
    width = std::max(width, std::min<std::size_t>(name.size(), 40));
  fmt::print(os, "\nLocalities (practices sharing community organisations)\n");
  fmt::print(os, "  {:<{}}  {:>9}  {:>6}  {:>6}  {:>7}  {:>7}  {:>9}  {:>16}\n", "locality", width,
             "practices", "P(FIP)", "FIPs", "linked", "refused", "saturated", "vacant CLP-weeks");
  constexpr std::size_t kShown = 20;
  for (std::size_t l = 0; l < std::min(localities, kShown); ++l) {
    fmt::print(os, "  {:<{}}  {:>9}  {:>6.3f}  {:>6.2f}  {:>7}  {:>7}  {:>9}  {:>16.1f}\n",
               setup.localities[l].substr(0, 40), width, setup.locality_members[l].size(), p_fip[l], count[l],
               percent(linked[l]), percent(refused[l]), percent(saturation[l]), vacancy[l]);
  }
  if (localities > kShown) {
    fmt::print(os, "  ... and {} more localities (see /locality/*)\n", localities - kShown);
  }
}

}  // namespace

CentralInterval central_interval(const std::vector<double>& distribution, double mass) {
  const double tail = (1.0 - mass) / 2.0;
  CentralInterval out;
  double cumulative = 0.0;
  bool found_lower = false;
  for (std::size_t v = 0; v < distribution.size(); ++v) {
    cumulative += distribution[v];
    if (!found_lower && cumulative > tail) {
      out.lower = static_cast<int>(v);
      found_lower = true;
    }
    if (cumulative >= 1.0 - tail - 1e-12) {
      out.upper = static_cast<int>(v);
      break;
    }
  }
  return out;
}

void describe_point(const Setup& setup, const sim::PointSummary& point, const sim::Observation* observed,
                    std::ostream& os) {
  const DeclaredOutputs declared = declare_outputs(setup);
  const Summaries summary{point, declared.schema, declared.outputs};
  const Outputs::Summary& outputs = declared.outputs.summary;
  const std::size_t n = setup.practice_count();
  const std::vector<double>& p_fip = summary.at(outputs.p_fip);
  const std::vector<double>& distribution =
      point.distribution(declared.schema, declared.outputs.observables.fip_count);
  const auto replicates = static_cast<double>(point.replicates);
  const std::int64_t* observed_count = observed != nullptr ? observed->find("fip_count") : nullptr;

  fmt::print(os, "\nP(FIP) per practice ({} replicates; ± is the Monte Carlo standard error)\n",
             point.replicates);
  std::size_t width = 8;
  for (const PracticeSpec& p : setup.practices) width = std::max(width, p.name.size());
  const std::size_t shown = std::min<std::size_t>(n, 40);
  for (std::size_t i = 0; i < shown; ++i) {
    const PracticeSpec& spec = setup.practices[i];
    std::string label;
    if (observed != nullptr) {
      for (const auto& [name, outcome] : observed->labels) {
        if (name == spec.name) label = "  observed: " + outcome;
      }
    }
    const double p = p_fip[i];
    const std::string list = spec.synthetic ? std::string("drawn") : std::to_string(spec.list_size);
    fmt::print(os, "  {:<{}}  list {:>5}  {:.3f} ± {:.3f}{}\n", spec.name, width, list, p,
               std::sqrt(p * (1.0 - p) / replicates), label);
  }
  if (shown < n) fmt::print(os, "  ... and {} more practices (see /summary/p_fip)\n", n - shown);

  fmt::print(os, "\nNumber of fully integrated practices (FIP count) of {}\n", n);
  if (observed_count != nullptr) {
    fmt::print(os, "  observed: {} FIP / {} PIP (from {})\n", *observed_count,
               static_cast<std::int64_t>(n) - *observed_count, observed->file);
  }
  fmt::print(os, "  count  simulated P(count)\n");
  const double scale = 50.0 / std::max(1e-9, *std::max_element(distribution.begin(), distribution.end()));
  for (std::size_t v = 0; v < distribution.size(); ++v) {
    if (distribution.size() > 30 && distribution[v] < 5e-4) continue;
    const bool is_observed = observed_count != nullptr && static_cast<std::int64_t>(v) == *observed_count;
    fmt::print(os, "  {:>5}  {:.4f}  {}{}\n", v, distribution[v], bar(distribution[v], scale),
               is_observed ? "  <- observed" : "");
  }
  const CentralInterval interval = central_interval(distribution, 0.9);
  fmt::print(os, "  mean {:.2f}; central 90% interval [{}, {}]\n", summary.at(outputs.mean_fip_count)[0],
             interval.lower, interval.upper);
  if (observed_count != nullptr && point.arrays.count(sim::kObservedProbabilityPath) > 0) {
    const double p = point.at(sim::kObservedProbabilityPath)[0];
    const double se = point.at(sim::kObservedErrorPath)[0];
    const bool inside = *observed_count >= interval.lower && *observed_count <= interval.upper;
    fmt::print(os, "  P(count = {}) = {:.4f} ± {:.4f}; the observed count lies {} the central 90%\n",
               *observed_count, p, se, inside ? "inside" : "OUTSIDE");
  }

  const std::vector<double>& by_outcome = summary.at(outputs.practices_by_outcome);
  const std::vector<double>& scores = summary.at(outputs.phase_scores_by_outcome);
  const std::size_t phases = setup.phases.size();
  fmt::print(os, "\nNPT construct scores, mean in each evaluation phase: simulated FIPs / PIPs\n");
  fmt::print(os, "  (mean {:.2f} FIPs and {:.2f} PIPs per replicate)\n", by_outcome[0], by_outcome[1]);
  std::string header = fmt::format("  {:<26}", "construct");
  for (const Phase& ph : setup.phases)
    header += fmt::format("  {:>13}", fmt::format("{} w{}-{}", ph.name, ph.first_week, ph.last_week));
  fmt::print(os, "{}\n", header);
  const std::array<const char*, 4> names = {"C  coherence", "CP cognitive participation",
                                            "CA collective action", "RM reflexive monitoring"};
  for (std::size_t c = 0; c < 4; ++c) {
    std::string row = fmt::format("  {:<26}", names[c]);
    for (std::size_t ph = 0; ph < phases; ++ph) {
      const double fip = scores[(0 * phases + ph) * 4 + c];
      const double pip = scores[(1 * phases + ph) * 4 + c];
      row += fmt::format(
          "  {:>13}",
          fmt::format("{} / {}", std::isnan(fip) ? std::string("n/a") : fmt::format("{:.2f}", fip),
                      std::isnan(pip) ? std::string("n/a") : fmt::format("{:.2f}", pip)));
    }
    fmt::print(os, "{}\n", row);
  }

  const std::vector<double>& gain = summary.at(outputs.engagement_gain_by_outcome);
  const auto formal_share = [&](std::size_t outcome) {
    const double total = gain[outcome * 2] + gain[outcome * 2 + 1];
    return total > 0.0 ? gain[outcome * 2] / total : std::nan("");
  };
  fmt::print(os, "\nEngagement gained in formal / informal settings (share of the total)\n");
  fmt::print(os, "  FIP {} / {}    PIP {} / {}\n", percent(formal_share(0)), percent(1.0 - formal_share(0)),
             percent(formal_share(1)), percent(1.0 - formal_share(1)));

  const std::vector<double>& hours = summary.at(outputs.clp_hours_share_by_outcome);
  fmt::print(os, "\nCLP hours: patient support / practice development / community networking\n");
  for (std::size_t o = 0; o < 2; ++o) {
    fmt::print(os, "  {}  {} / {} / {}\n", kOutcomes[o], percent(hours[o * 3]), percent(hours[o * 3 + 1]),
               percent(hours[o * 3 + 2]));
  }

  fmt::print(os, "\nReferrals and contacts\n");
  fmt::print(os, "  referrals per CLP-year in post: {:.1f}\n", summary.at(outputs.referrals_per_clp_year)[0]);
  fmt::print(os, "  share of referred patients linked to a community organisation: {}\n",
             percent(summary.at(outputs.linked_share)[0]));
  const std::vector<double>& contacts = summary.at(outputs.contacts_share);
  std::string line = "  closed patients by CLP contacts:";
  for (std::size_t c = 0; c < contacts.size(); ++c) {
    if (contacts[c] >= 0.005) line += fmt::format(" {}:{:.0f}%", c, 100.0 * contacts[c]);
  }
  fmt::print(os, "{}\n", line);

  describe_survey(setup, summary, os);

  const std::vector<double>& departures = summary.at(outputs.clp_departures);
  const std::vector<double>& vacancy = summary.at(outputs.vacancy_weeks);
  double total_departures = 0.0;
  double total_vacancy = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    total_departures += departures[i];
    total_vacancy += vacancy[i];
  }
  fmt::print(os, "\nCLP continuity (weeks 0-{})\n", setup.horizon_weeks);
  fmt::print(os, "  CLP departures per practice: {:.2f}; vacancy weeks per practice: {:.1f}\n",
             total_departures / static_cast<double>(n), total_vacancy / static_cast<double>(n));
  describe_programme(setup, summary, os);
}

}  // namespace lwp
