// Scientific invariants of the link-worker programme model: claims that must hold whatever the
// parameter values, and the qualitative patterns of the seed study (Chng et al., BJGP 2021) that
// the Deep End defaults must reproduce.

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "models/lwp/setup.hpp"
#include "models/lwp/simulation.hpp"
#include "models/lwp/state.hpp"
#include "tests/support/test_support.hpp"

using lwsim_test::deep_end;
using lwsim_test::run_point;

namespace {

/// P(FIP) per practice at each value of `parameter`, all with the same seed: replicate r uses the
/// same random streams at every value (common random numbers).
std::vector<std::vector<double>> p_fip_along(const std::string& parameter, const std::vector<double>& values,
                                             std::uint64_t replicates, std::uint32_t seed) {
  std::vector<std::vector<double>> out;
  for (double value : values) {
    sim::Scenario scenario = deep_end();
    lwsim_test::set(scenario, {{parameter, value}});
    out.push_back(run_point(scenario, replicates, seed).at("/summary/p_fip"));
  }
  return out;
}

double mean(const std::vector<double>& v) {
  double sum = 0.0;
  for (double x : v) sum += x;
  return sum / static_cast<double>(v.size());
}

/// Standard error of the difference of two P(FIP) estimates from the same n replicates under
/// common random numbers: Var(X - Y) = Var X + Var Y - 2 Cov(X, Y) <= p1 (1 - p1) / n +
/// p2 (1 - p2) / n, since common random numbers make the covariance non-negative.
double paired_se(double p1, double p2, std::uint64_t n) {
  return std::sqrt((p1 * (1.0 - p1) + p2 * (1.0 - p2)) / static_cast<double>(n));
}

/// Checks that P(FIP) never rises from one value to the next, allowing 4 standard errors of the
/// paired difference per practice (with 7 practices and 3 steps, 21 one-sided comparisons: a
/// false alarm has probability below 21 x 3.2e-5) and for the mean over practices (whose
/// standard error is at most the mean of the practices' standard errors).
void check_never_raises(const std::vector<std::vector<double>>& p, const std::vector<double>& values,
                        std::uint64_t n) {
  for (std::size_t k = 0; k + 1 < p.size(); ++k) {
    double mean_se = 0.0;
    for (std::size_t i = 0; i < p[k].size(); ++i) {
      const double se = paired_se(p[k][i], p[k + 1][i], n);
      mean_se += se / static_cast<double>(p[k].size());
      INFO("practice " << i << ": P(FIP) " << p[k][i] << " at " << values[k] << ", " << p[k + 1][i] << " at "
                       << values[k + 1] << " (4 SE = " << 4.0 * se << ")");
      CHECK(p[k + 1][i] - p[k][i] <= 4.0 * se);
    }
    INFO("mean P(FIP) " << mean(p[k]) << " at " << values[k] << ", " << mean(p[k + 1]) << " at "
                        << values[k + 1]);
    CHECK(mean(p[k + 1]) - mean(p[k]) <= 4.0 * mean_se);
  }
}

/// Checks that the factor matters at all: mean P(FIP) at the first value exceeds that at the
/// last by more than 4 standard errors (so that "never raises" is not vacuous).
void check_lowers(const std::vector<std::vector<double>>& p, std::uint64_t n) {
  const std::vector<double>& first = p.front();
  const std::vector<double>& last = p.back();
  double mean_se = 0.0;
  for (std::size_t i = 0; i < first.size(); ++i)
    mean_se += paired_se(first[i], last[i], n) / static_cast<double>(first.size());
  INFO("mean P(FIP) " << mean(first) << " -> " << mean(last));
  CHECK(mean(first) - mean(last) > 4.0 * mean_se);
}

/// Mean and standard error of statistics over `batches` independent runs (seeds) of a scenario.
struct BatchEstimate {
  double mean = 0.0;
  double se = 0.0;
  std::string values;
};

std::vector<BatchEstimate> over_batches(
    const sim::Scenario& scenario, int batches, std::uint64_t replicates,
    const std::vector<std::function<double(const sim::PointSummary&)>>& statistics) {
  std::vector<std::vector<double>> x(statistics.size());
  for (int b = 0; b < batches; ++b) {
    const sim::PointSummary s = run_point(scenario, replicates, static_cast<std::uint32_t>(1000 + b));
    for (std::size_t k = 0; k < statistics.size(); ++k) x[k].push_back(statistics[k](s));
  }
  std::vector<BatchEstimate> out(statistics.size());
  for (std::size_t k = 0; k < statistics.size(); ++k) {
    std::ostringstream values;
    for (double v : x[k]) {
      out[k].mean += v / batches;
      values << " " << v;
    }
    double variance = 0.0;
    for (double v : x[k]) variance += (v - out[k].mean) * (v - out[k].mean) / (batches - 1);
    out[k].se = std::sqrt(variance / batches);
    out[k].values = values.str();
  }
  return out;
}

}  // namespace

TEST_CASE("a practice that never has a CLP in post is never fully integrated") {
  sim::Scenario scenario = deep_end();
  // Every CLP leaves in week 1 and the vacancy outlasts the horizon.
  lwsim_test::set(scenario, {{"clp.departure_hazard", 0.5}, {"clp.vacancy_mean_weeks", 104}});
  const sim::PointSummary s = run_point(scenario, 400, 11);
  for (double p : s.at("/summary/p_fip")) CHECK(p == 0.0);
}

TEST_CASE(
    "with stable staff, no competing innovations, full GP buy-in and excellent team relationships, every "
    "practice fully integrates") {
  sim::Scenario scenario = deep_end();
  lwsim_test::set(scenario, {{"turnover.lead_gp_hazard", 0.0},
                             {"turnover.practice_manager_hazard", 0.0},
                             {"turnover.staff_hazard", 0.0},
                             {"clp.departure_hazard", 0.0},
                             {"context.innovation_rate_mean", 0.0},
                             {"context.gp_buy_in_mean", 1.0},
                             {"context.team_quality_mean", 1.0}});
  // Claim: P(FIP) > 0.95 for every practice. One-sided test: fail when the estimate is more than
  // 3 standard errors below 0.95, the standard error at p = 0.95 over n = 3000 replicates being
  // sqrt(0.95 x 0.05 / 3000) = 0.0040.
  const std::uint64_t n = 3000;
  const sim::PointSummary s = run_point(scenario, n, 7);
  const double floor = 0.95 - 3.0 * std::sqrt(0.95 * 0.05 / static_cast<double>(n));
  const std::vector<double>& p = s.at("/summary/p_fip");
  for (std::size_t i = 0; i < p.size(); ++i) {
    INFO("practice " << i << ": P(FIP) = " << p[i] << ", mean FIP count "
                     << s.at("/summary/mean_fip_count")[0]);
    CHECK(p[i] >= floor);
  }
}

TEST_CASE("more competing innovations never raise P(FIP)") {
  const std::vector<double> rates = {0.0, 2.0, 6.0, 12.0};  // per practice-year
  const std::uint64_t n = 2000;
  const auto p = p_fip_along("context.innovation_rate_mean", rates, n, 31);
  check_never_raises(p, rates, n);
  check_lowers(p, n);
}

TEST_CASE("a higher CLP departure hazard never raises P(FIP)") {
  const std::vector<double> hazards = {0.0, 0.004, 0.02, 0.05};  // per week
  const std::uint64_t n = 2000;
  const auto p = p_fip_along("clp.departure_hazard", hazards, n, 32);
  check_never_raises(p, hazards, n);
  check_lowers(p, n);
}

TEST_CASE("lower GP buy-in never raises P(FIP)") {
  const std::vector<double> buy_in = {0.9, 0.7, 0.55, 0.3};  // mean across practices
  const std::uint64_t n = 2000;
  const auto p = p_fip_along("context.gp_buy_in_mean", buy_in, n, 33);
  check_never_raises(p, buy_in, n);
  check_lowers(p, n);
}

TEST_CASE("the Deep End defaults reproduce the seed study's contrasts between FIPs and PIPs") {
  // Chng 2021, comparison of FIPs and PIPs. Each contrast (FIP minus PIP, or PIP minus FIP) is
  // estimated in K = 8 independent batches (seeds) of 400 replicates; it must exceed 3 standard
  // errors of the batch mean (one-sided t test, t(0.99, 7 df) = 3.0).
  const sim::Scenario scenario = deep_end();
  const auto& setup = static_cast<const lwp::Setup&>(*scenario.setup);
  const std::size_t phases = setup.phases.size();
  const std::size_t final_phase = setup.final_phase;
  constexpr std::size_t kFip = 0;
  constexpr std::size_t kPip = 1;
  const auto final_score = [&](std::size_t construct) {
    return [&, construct](const sim::PointSummary& s) {
      const auto& scores = s.at("/summary/phase_scores_by_outcome");  // [outcome, phase, construct]
      return scores[(kFip * phases + final_phase) * 4 + construct] -
             scores[(kPip * phases + final_phase) * 4 + construct];
    };
  };
  const auto coherence = final_score(0);
  const auto formal = [&](const sim::PointSummary& s) {
    const auto& gain = s.at("/summary/engagement_gain_by_outcome");  // [outcome, setting]
    const auto formal_share = [&](std::size_t o) { return gain[o * 2] / (gain[o * 2] + gain[o * 2 + 1]); };
    return formal_share(kFip) - formal_share(kPip);
  };
  const auto support = [&](const sim::PointSummary& s) {
    const auto& hours = s.at("/summary/clp_hours_share_by_outcome");  // [outcome, activity]
    return hours[kPip * 3 + 0] - hours[kFip * 3 + 0];
  };
  const auto development = [&](const sim::PointSummary& s) {
    const auto& hours = s.at("/summary/clp_hours_share_by_outcome");
    return hours[kFip * 3 + 1] - hours[kPip * 3 + 1];
  };
  // Development activities kept up at the end of the final phase, mean over the three activities.
  const auto activities = [&](const sim::PointSummary& s) {
    const auto& kept = s.at("/summary/activities_kept_by_outcome");  // [outcome, phase, activity]
    const auto share = [&](std::size_t o) {
      double sum = 0.0;
      for (std::size_t a = 0; a < lwp::kActivityCount; ++a) sum += kept[(o * phases + final_phase) * 3 + a];
      return sum / static_cast<double>(lwp::kActivityCount);
    };
    return share(kFip) - share(kPip);
  };
  const std::vector<BatchEstimate> e =
      over_batches(scenario, 8, 400,
                   {coherence, formal, support, development, final_score(1), final_score(2), activities,
                    [](const sim::PointSummary& s) { return s.at("/summary/caseload_by_outcome")[kPip]; },
                    [&](const sim::PointSummary& s) {
                      return s.at("/summary/phase_scores_by_outcome")[(kFip * phases + final_phase) * 4 + 3];
                    },
                    [&](const sim::PointSummary& s) {
                      return s.at("/summary/phase_scores_by_outcome")[(kPip * phases + final_phase) * 4 + 3];
                    }});

  // Coherence: FIP core leadership share an understanding of the LWP.
  {
    INFO("FIP - PIP mean coherence in the final phase: " << e[0].mean << " ± " << e[0].se
                                                         << " (batches:" << e[0].values << ")");
    CHECK(e[0].mean > 3.0 * e[0].se);
  }
  // Cognitive participation: FIP staff engage in formal settings, PIP staff more informally.
  {
    INFO("FIP - PIP formal share of engagement gained: " << e[1].mean << " ± " << e[1].se
                                                         << " (batches:" << e[1].values << ")");
    CHECK(e[1].mean > 3.0 * e[1].se);
  }
  // Collective action: PIP CLPs focus on one-to-one patient support...
  {
    INFO("PIP - FIP share of CLP hours on patient support: " << e[2].mean << " ± " << e[2].se
                                                             << " (batches:" << e[2].values << ")");
    CHECK(e[2].mean > 3.0 * e[2].se);
  }
  // ...while FIP CLPs' practice development is unconstrained.
  {
    INFO("FIP - PIP share of CLP hours on practice development: " << e[3].mean << " ± " << e[3].se
                                                                  << " (batches:" << e[3].values << ")");
    CHECK(e[3].mean > 3.0 * e[3].se);
  }
  // Cognitive participation and collective action, like coherence, are higher in FIPs at the end.
  {
    INFO("FIP - PIP mean cognitive participation in the final phase: " << e[4].mean << " ± " << e[4].se
                                                                       << " (batches:" << e[4].values << ")");
    CHECK(e[4].mean > 3.0 * e[4].se);
  }
  {
    INFO("FIP - PIP mean collective action in the final phase: " << e[5].mean << " ± " << e[5].se
                                                                 << " (batches:" << e[5].values << ")");
    CHECK(e[5].mean > 3.0 * e[5].se);
  }
  // Over time: all practices tried the development activities; by the end FIPs kept them up more.
  {
    INFO("FIP - PIP share of development activities kept up at the end of the final phase: "
         << e[6].mean << " ± " << e[6].se << " (batches:" << e[6].values << ")");
    CHECK(e[6].mean > 3.0 * e[6].se);
  }
  // PIP CLPs' patient support is real work: a caseload (Skivington 2018: case management is
  // time-consuming). Claim: PIP CLPs carry at least 10 active patients on average (10 hours a week
  // at patient.support_hours = 1), by more than 3 standard errors.
  {
    INFO("mean active caseload of PIP CLPs: " << e[7].mean << " ± " << e[7].se << " (batches:" << e[7].values
                                              << ")");
    CHECK(e[7].mean - 10.0 > 3.0 * e[7].se);
  }
  // Reflexive monitoring underdeveloped in both: the final-phase RM is below the middle of the
  // scale (0.5) in FIPs and in PIPs, by more than 3 standard errors.
  for (std::size_t k : {std::size_t{8}, std::size_t{9}}) {
    INFO((k == 8 ? "FIP" : "PIP") << " mean reflexive monitoring in the final phase: " << e[k].mean << " ± "
                                  << e[k].se << " (batches:" << e[k].values << ")");
    CHECK(0.5 - e[k].mean > 3.0 * e[k].se);
  }
}

TEST_CASE("at the Deep End defaults P(FIP) is not ordered by list size") {
  // Judging links against referrals under waiting lists made large practices least likely to
  // integrate. Claim: the largest practice (Amber, 5946) and the smallest (Magenta, 2244) have
  // P(FIP) within 4 standard errors of their difference (independent practices' streams), and
  // P(FIP) is not monotone decreasing in list size over the seven practices.
  const sim::Scenario scenario = deep_end();
  const auto& setup = static_cast<const lwp::Setup&>(*scenario.setup);
  const std::uint64_t n = 2000;
  const std::vector<double> p = run_point(scenario, n, 41).at("/summary/p_fip");
  REQUIRE(p.size() == setup.practices.size());
  std::vector<std::size_t> order(p.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return setup.practices[a].list_size < setup.practices[b].list_size;
  });
  const double small = p[order.front()];
  const double large = p[order.back()];
  const double se = std::sqrt((small * (1.0 - small) + large * (1.0 - large)) / static_cast<double>(n));
  INFO("P(FIP) smallest practice " << small << ", largest " << large << " (4 SE = " << 4.0 * se << ")");
  CHECK(std::fabs(small - large) <= 4.0 * se);
  bool decreasing = true;
  for (std::size_t k = 0; k + 1 < order.size(); ++k) decreasing = decreasing && p[order[k + 1]] < p[order[k]];
  CHECK_FALSE(decreasing);
}

TEST_CASE("results are bitwise identical for 1 and 2 threads") {
  const auto same_bits = [](const sim::PointSummary& a, const sim::PointSummary& b) {
    REQUIRE(a.replicates == b.replicates);
    REQUIRE(a.arrays.size() == b.arrays.size());
    for (const auto& [path, values] : a.arrays) {
      INFO(path);
      REQUIRE(b.arrays.count(path) == 1);
      const std::vector<double>& other = b.arrays.at(path);
      REQUIRE(values.size() == other.size());
      std::size_t differing = 0;
      for (std::size_t i = 0; i < values.size(); ++i) {
        differing +=
            std::bit_cast<std::uint64_t>(values[i]) != std::bit_cast<std::uint64_t>(other[i]) ? 1U : 0U;
      }
      CHECK(differing == 0);
    }
  };
  const sim::Scenario scenario = deep_end();
  same_bits(run_point(scenario, 300, 5, 1), run_point(scenario, 300, 5, 2));

  // Two localities sharing scarce community capacity: practices interact through it.
  std::string toml = "[practices]\ntraining_count = 3\n";
  for (int i = 0; i < 12; ++i) {
    toml += "[[practice]]\nname = \"P" + std::to_string(i) +
            "\"\nlist_size = " + std::to_string(2500 + 300 * i) + "\nlocality = \"" +
            (i % 2 == 0 ? "North" : "South") + "\"\n";
  }
  sim::Scenario shared = lwsim_test::scenario_from(toml);
  lwsim_test::set(shared, {{"community.capacity", 2.0}});
  same_bits(run_point(shared, 150, 6, 1), run_point(shared, 150, 6, 2));

  // 80 practices in two localities: at kParallelPractices practices and more, each pass of the
  // week runs in parallel over practices (and localities) inside a replicate, so this is the case
  // that takes the parallel week through ThreadSanitizer (the tsan preset runs this test).
  std::string large;
  for (int l = 0; l < 2; ++l) {
    large += fmt::format(
        "[[locality]]\nname = \"L{}\"\npractices = 40\norganisations = 10\ncapacity = 8\n"
        "list_size = {{ mean = 4200, sd = 1300, min = 1500, max = 12000 }}\ntraining_share = 0.5\n",
        l);
  }
  const sim::Scenario wide = lwsim_test::scenario_from(large);
  REQUIRE(static_cast<const lwp::Setup&>(*wide.setup).practice_count() >=
          lwp::LwpSimulation::kParallelPractices);
  same_bits(run_point(wide, 4, 7, 1), run_point(wide, 4, 7, 2));
}
