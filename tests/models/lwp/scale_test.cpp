// Scale-up mechanisms (docs/model.md §7.9): localities and their shared capacity, synthetic
// populations, shared CLPs, waves, a cut of posts, the labour market, costs, and stepping the
// practices of one replicate in parallel. Support and funding act on the CLP's departure hazard
// (clp_test.cpp).

#include <cmath>
#include <string>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "models/lwp/mechanisms.hpp"
#include "models/lwp/simulation.hpp"
#include "tests/support/test_support.hpp"

namespace {

/// A scenario of `localities` localities of `practices` synthetic practices each, with the given
/// community organisations and places, and extra top-level TOML (e.g. [parameters]).
std::string synthetic_scenario(int localities, int practices, int organisations, int capacity,
                               const std::string& extra = "") {
  std::string toml = "[evaluation]\nhorizon_weeks = 104\n" + extra + "\n";
  for (int l = 0; l < localities; ++l) {
    toml += fmt::format(
        "[[locality]]\nname = \"L{}\"\npractices = {}\norganisations = {}\ncapacity = {}\n"
        "list_size = {{ mean = 4200, sd = 1300, min = 1500, max = 12000 }}\ntraining_share = 0.57\n",
        l, practices, organisations, capacity);
  }
  return toml;
}

double summary_value(const sim::PointSummary& s, const std::string& path, std::size_t i = 0) {
  return s.at(path).at(i);
}

}  // namespace

TEST_CASE(
    "CLP groups: each locality's practices split into ceil(n / per CLP) groups of consecutive practices") {
  // Glasgow 2024: 105 practices, 70 CLPs before the cut (1.5 per CLP), 42 after (2.5 per CLP).
  sim::Scenario scenario = lwsim_test::scenario_from(
      synthetic_scenario(1, 105, 12, 20,
                         "[parameters]\n\"programme.practices_per_clp\" = 1.5\n\"programme.cut_week\" = 52\n"
                         "\"programme.practices_per_clp_after_cut\" = 2.5\n"));
  const auto& setup = static_cast<const lwp::Setup&>(*scenario.setup);
  const lwp::Programme programme = lwp::make_programme(setup, lwp::Parameters::from(scenario.params()));
  CHECK(programme.posts_before == 70);
  CHECK(programme.posts_after == 42);
  CHECK(programme.cut_week == 52);
  for (const auto* leads : {&programme.lead_before, &programme.lead_after}) {
    const auto& presence =
        leads == &programme.lead_before ? programme.presence_before : programme.presence_after;
    std::vector<int> size(105, 0);
    for (std::uint32_t i = 0; i < 105; ++i) {
      const std::uint32_t lead = (*leads)[i];
      REQUIRE(lead <= i);
      CHECK((*leads)[lead] == lead);  // a group's lead leads itself
      ++size[lead];
    }
    for (std::uint32_t i = 0; i < 105; ++i) {
      const int n = size[(*leads)[i]];
      CHECK(presence[i] == Approx(1.0 / n));
      if (leads == &programme.lead_before) {
        CHECK((n == 1 || n == 2));
      } else {
        CHECK((n == 2 || n == 3));
      }
    }
  }
  // Without a cut inside the horizon, the groups stay.
  lwsim_test::set(scenario, {{"programme.cut_week", 1041}});
  const lwp::Programme none = lwp::make_programme(setup, lwp::Parameters::from(scenario.params()));
  CHECK(none.cut_week == lwp::kNever);
  CHECK(none.lead_after == none.lead_before);
  CHECK(none.posts_after == 70);
}

TEST_CASE(
    "when more practices share a locality's capacity, the share of referrals linked falls (whole model)") {
  // One locality whose community places are fixed (12 organisations of 5 places); 2, 12 and 48
  // practices refer into them. With 200 replicates the standard error of a linked share is below
  // 0.01; the falls expected (about 0.6 -> 0.3 -> 0.1) are many times larger than the 0.05 asked.
  double previous = 2.0;
  double previous_refused = -1.0;
  for (const int practices : {2, 12, 48}) {
    const sim::Scenario scenario = lwsim_test::scenario_from(synthetic_scenario(1, practices, 12, 5));
    const sim::PointSummary s = lwsim_test::run_point(scenario, 200, 11);
    const double linked = summary_value(s, "/locality/linked_share");
    const double refused = summary_value(s, "/locality/refused_share");
    const double saturation = summary_value(s, "/locality/saturation");
    INFO(practices << " practices: linked " << linked << ", refused " << refused << ", saturation "
                   << saturation);
    CHECK(linked < previous - 0.05);
    CHECK(refused > previous_refused);
    CHECK(saturation >= 0.0);
    CHECK(saturation <= 1.0);
    previous = linked;
    previous_refused = refused;
  }
}

TEST_CASE("CLPs shared across practices lower P(FIP)") {
  // 40 practices, 300 replicates: a P(FIP) near 0.4 has a standard error below 0.005 over the
  // 12,000 practice-replicates; sharing each CLP between 3 practices must lower it by far more.
  sim::Scenario scenario = lwsim_test::scenario_from(synthetic_scenario(4, 10, 12, 50));
  const double own = lwsim_test::mean_p_fip(lwsim_test::run_point(scenario, 300, 3));
  lwsim_test::set(scenario, {{"programme.practices_per_clp", 3.0}});
  const sim::PointSummary shared_summary = lwsim_test::run_point(scenario, 300, 3);
  const double shared = lwsim_test::mean_p_fip(shared_summary);
  INFO("own CLP " << own << ", shared by 3: " << shared);
  CHECK(own > 0.2);
  CHECK(shared < own - 0.05);
  CHECK(summary_value(shared_summary, "/summary/clp_posts", 0) == 16.0);  // 4 localities x ceil(10 / 3)
}

TEST_CASE("a cut of posts changes nothing before its week (common random numbers)") {
  const std::string extra =
      "[parameters]\n\"programme.practices_per_clp\" = 1.5\n\"programme.practices_per_clp_after_cut\" = "
      "2.5\n";
  sim::Scenario scenario = lwsim_test::scenario_from(synthetic_scenario(2, 12, 12, 20, extra));
  lwsim_test::set(scenario, {{"programme.cut_week", 1041}});
  const sim::PointSummary none = lwsim_test::run_point(scenario, 200, 9);
  const int cut_week = 40;
  lwsim_test::set(scenario, {{"programme.cut_week", cut_week}});
  const sim::PointSummary cut = lwsim_test::run_point(scenario, 200, 9);
  const std::size_t practices = 24;
  for (const char* path : {"/timeseries/coherence", "/timeseries/collective_action", "/timeseries/engagement",
                           "/timeseries/clp_in_post", "/timeseries/normalised_by"}) {
    const auto& a = none.at(path);
    const auto& b = cut.at(path);
    bool before_identical = true;
    bool after_differs = false;
    for (std::size_t w = 0; w < a.size() / practices; ++w) {
      for (std::size_t i = 0; i < practices; ++i) {
        const std::size_t cell = w * practices + i;
        if (static_cast<int>(w) < cut_week) {
          before_identical = before_identical &&
                             std::bit_cast<std::uint64_t>(a[cell]) == std::bit_cast<std::uint64_t>(b[cell]);
        } else if (a[cell] != b[cell]) {
          after_differs = true;
        }
      }
    }
    INFO(path);
    CHECK(before_identical);
    if (std::string(path) != "/timeseries/normalised_by") CHECK(after_differs);
  }
  CHECK(summary_value(cut, "/summary/clp_posts", 1) < summary_value(none, "/summary/clp_posts", 1));
  CHECK(summary_value(cut, "/summary/cost") < summary_value(none, "/summary/cost"));
}

TEST_CASE("a practice of a later wave has no CLP, no vacancy and no cost before its start") {
  const sim::Scenario scenario = lwsim_test::scenario_from(
      "[evaluation]\nhorizon_weeks = 104\n"
      "[[practice]]\nname = \"first\"\nlist_size = 4000\n"
      "[[practice]]\nname = \"later\"\nlist_size = 4000\nstart_week = 60\n");
  const sim::PointSummary s = lwsim_test::run_point(scenario, 200, 4);
  const auto& in_post = s.at("/timeseries/clp_in_post");
  for (std::size_t w = 0; w < 60; ++w) CHECK(in_post[w * 2 + 1] == 0.0);
  double later_in_post = 0.0;
  for (std::size_t w = 60; w < 105; ++w) later_in_post += in_post[w * 2 + 1];
  CHECK(later_in_post > 0.0);
  // Vacancy weeks count from the start only: at most the 45 weeks from week 60 to 104.
  CHECK(s.at("/summary/vacancy_weeks")[1] <= 45.0);
  CHECK(s.at("/summary/vacancy_weeks")[1] > 0.0);  // recruitment takes time
  CHECK(s.at("/summary/p_fip")[1] < s.at("/summary/p_fip")[0]);
}

TEST_CASE("the labour market: vacancies last longer when many posts are open") {
  // CLPs leave every 20 weeks on average and vacancies last 8, so about a quarter of the posts
  // are open at once: with congestion 4 a vacancy lasts about twice as long.
  sim::Scenario scenario = lwsim_test::scenario_from(synthetic_scenario(1, 20, 12, 20));
  lwsim_test::set(scenario, {{"clp.departure_hazard", 0.05}, {"clp.vacancy_mean_weeks", 8.0}});
  const double free_market =
      summary_value(lwsim_test::run_point(scenario, 100, 2), "/summary/vacancy_clp_weeks");
  lwsim_test::set(scenario, {{"labour.congestion", 4.0}});
  const double congested =
      summary_value(lwsim_test::run_point(scenario, 100, 2), "/summary/vacancy_clp_weeks");
  INFO("vacant CLP-weeks: " << free_market << " without congestion, " << congested << " with");
  CHECK(congested > 1.3 * free_market);
}

TEST_CASE(
    "synthetic practices: list sizes within the clamp with the locality's mean, training share as given") {
  const sim::Scenario scenario = lwsim_test::scenario_from(synthetic_scenario(1, 200, 12, 20));
  const auto& setup = static_cast<const lwp::Setup&>(*scenario.setup);
  REQUIRE(setup.practice_count() == 200);
  CHECK(setup.practices[0].name == "L0/001");
  double sum = 0.0;
  int training = 0;
  int n = 0;
  for (std::uint32_t r = 0; r < 10; ++r) {
    const lwp::ReplicateState state = lwsim_test::run_replicate_state(scenario, 8, r);
    for (const lwp::Practice& p : state.practices) {
      CHECK(p.list_size >= 1500);
      CHECK(p.list_size <= 12000);
      sum += p.list_size;
      training += p.training ? 1 : 0;
      ++n;
    }
  }
  // 2000 draws: the mean's standard error is about 1300 / sqrt(2000) = 29 (clamping moves the
  // mean by less than 10); the training share's about 0.011.
  CHECK(sum / n == Approx(4200.0).margin(5 * 29.0));
  CHECK(static_cast<double>(training) / n == Approx(0.57).margin(5 * 0.011));
}

TEST_CASE("costs: a CLP post, its share of a manager and the development fund, per practice-year") {
  const sim::Scenario scenario = lwsim_test::scenario_from(
      "[evaluation]\nhorizon_weeks = 51\n[evaluation.phases]\nall = [0, 51]\n[[practice]]\nname = "
      "\"one\"\nlist_size = 4000\n"
      "[parameters]\n\"clp.departure_hazard\" = 0.0\n");
  const sim::PointSummary s = lwsim_test::run_point(scenario, 10, 1);
  const lwp::Parameters p = lwp::Parameters::from(scenario.params());
  // 52 weeks with the CLP in post all along: one year of everything.
  const double year = p.cost_clp_salary_per_year +
                      p.cost_manager_salary_per_year / p.support_clps_per_manager +
                      p.cost_development_fund_per_year;
  CHECK(summary_value(s, "/summary/cost") == Approx(year).epsilon(1e-6));
}

TEST_CASE("a multi-locality replicate stepped in parallel is bitwise identical for 1 and 2 threads") {
  // 3 localities x 30 practices: above the threshold at which practices are stepped in parallel.
  sim::Scenario scenario = lwsim_test::scenario_from(synthetic_scenario(3, 30, 12, 15));
  lwsim_test::set(scenario, {{"programme.practices_per_clp", 2.0}, {"labour.congestion", 2.0}});
  REQUIRE(static_cast<const lwp::Setup&>(*scenario.setup).practice_count() >=
          lwp::LwpSimulation::kParallelPractices);
  const sim::PointSummary one = lwsim_test::run_point(scenario, 1, 21, 1);
  const sim::PointSummary two = lwsim_test::run_point(scenario, 1, 21, 2);
  CHECK(lwsim_test::identical(one, two));
  const sim::PointSummary one_many = lwsim_test::run_point(scenario, 6, 21, 1);
  const sim::PointSummary two_many = lwsim_test::run_point(scenario, 6, 21, 2);
  CHECK(lwsim_test::identical(one_many, two_many));
}

TEST_CASE("a scenario without an evaluation table classifies its practices in the last default phase, P4") {
  // Regression: the final phase was the first (P1) when [evaluation] was absent, so no practice
  // could be a FIP.
  const sim::Scenario scenario =
      lwsim_test::scenario_from("[[practice]]\nname = \"one\"\nlist_size = 4000\n");
  const auto& setup = static_cast<const lwp::Setup&>(*scenario.setup);
  REQUIRE(setup.phases.size() == 4);
  CHECK(setup.final_phase == 3);
  CHECK(setup.phases[setup.final_phase].name == "P4");
}
