// Claims about what the model writes (outputs.hpp): every handle names the dataset of the same
// name in the same group, declared with the handle's element type, and the datasets a scenario
// does not write have no handle.

#include "models/lwp/outputs.hpp"

#include <algorithm>
#include <string>

#include <catch2/catch.hpp>

#include "tests/support/test_support.hpp"

namespace {

template <class T>
std::string path_of(const sim::OutputSchema& schema, sim::FieldId<T> field) {
  REQUIRE(field.declared());
  const sim::FieldSpec& spec = schema.fields.at(field.index());
  CHECK(spec.type == sim::dtype_of<T>);
  return spec.path;
}

std::string path_of(const sim::OutputSchema& schema, sim::AccumulatorId accumulator) {
  REQUIRE(accumulator.declared());
  return schema.accumulator(accumulator).path;
}

/// "/results/events/clp_departures" for the member outputs.results.events.clp_departures.
std::string path_named(std::string member) {
  std::replace(member.begin(), member.end(), '.', '/');
  return "/" + member;
}

const lwp::Setup& setup_of(const sim::Scenario& scenario) {
  return static_cast<const lwp::Setup&>(*scenario.setup);
}

}  // namespace

// The handle outputs.<member> names the dataset /<member with / for .>.
#define CHECK_HANDLE(member) CHECK(path_of(declared.schema, declared.outputs.member) == path_named(#member))

TEST_CASE("every output handle names the dataset of its own name and group") {
  const sim::Scenario scenario = lwsim_test::deep_end();
  const lwp::DeclaredOutputs declared = lwp::declare_outputs(setup_of(scenario));
  CHECK_HANDLE(results.fip);
  CHECK_HANDLE(results.fip_count);
  CHECK_HANDLE(results.first_normalised_week);
  CHECK_HANDLE(results.weeks_normalised);
  CHECK_HANDLE(results.referrals);
  CHECK_HANDLE(results.linked);
  CHECK_HANDLE(results.contacts_histogram);
  CHECK_HANDLE(results.events.clp_departures);
  CHECK_HANDLE(results.events.vacancy_weeks);
  CHECK_HANDLE(results.events.leadership_changes);
  CHECK_HANDLE(results.events.staff_changes);
  CHECK_HANDLE(results.events.innovations);
  CHECK_HANDLE(results.events.appraisals);
  CHECK_HANDLE(results.events.clp_changes);
  CHECK_HANDLE(results.phase_scores);
  CHECK_HANDLE(results.engagement_gain);
  CHECK_HANDLE(results.clp_hours_share);
  CHECK_HANDLE(results.clp_weeks_in_post);
  CHECK_HANDLE(results.cost);
  CHECK_HANDLE(results.locality_fip_count);
  CHECK_HANDLE(results.refused);
  CHECK_HANDLE(practices.training);
  CHECK_HANDLE(practices.gp_buy_in);
  CHECK_HANDLE(practices.team_quality);
  CHECK_HANDLE(practices.innovation_rate);
  CHECK_HANDLE(practices.drawn_list_size);
  CHECK_HANDLE(summary.p_fip);
  CHECK_HANDLE(summary.mean_fip_count);
  CHECK_HANDLE(summary.practices_by_outcome);
  CHECK_HANDLE(summary.phase_scores_by_outcome);
  CHECK_HANDLE(summary.engagement_gain_by_outcome);
  CHECK_HANDLE(summary.clp_hours_share_by_outcome);
  CHECK_HANDLE(summary.clp_years);
  CHECK_HANDLE(summary.referrals_per_clp_year);
  CHECK_HANDLE(summary.referrals);
  CHECK_HANDLE(summary.linked_share);
  CHECK_HANDLE(summary.patients_closed);
  CHECK_HANDLE(summary.contacts_share);
  CHECK_HANDLE(summary.clp_departures);
  CHECK_HANDLE(summary.vacancy_weeks);
  CHECK_HANDLE(summary.cost);
  CHECK_HANDLE(summary.cost_per_fip);
  CHECK_HANDLE(summary.clp_posts);
  CHECK_HANDLE(summary.vacancy_clp_weeks);
  CHECK_HANDLE(national.normalised);
  CHECK_HANDLE(national.normalised_by);
  CHECK_HANDLE(locality.fip_count);
  CHECK_HANDLE(locality.p_fip);
  CHECK_HANDLE(locality.normalised_by);
  CHECK_HANDLE(locality.vacancy_clp_weeks);
  CHECK_HANDLE(locality.referrals);
  CHECK_HANDLE(locality.linked_share);
  CHECK_HANDLE(locality.link_requests);
  CHECK_HANDLE(locality.refused_share);
  CHECK_HANDLE(locality.saturation);
  CHECK_HANDLE(survey.responses);
  CHECK_HANDLE(survey.respondent_practice);
  CHECK_HANDLE(survey.respondent_role);
  CHECK_HANDLE(survey.answered_items);
  CHECK_HANDLE(survey.mean_score_by_outcome);
  for (std::size_t s = 0; s < lwp::kWeeklySeries.size(); ++s) {
    CHECK(path_of(declared.schema, declared.outputs.timeseries[s]) ==
          std::string("/timeseries/") + lwp::kWeeklySeries[s].name);
  }
  const sim::ObservableSpec& fip_count = declared.schema.observable(declared.outputs.observables.fip_count);
  CHECK(fip_count.name == "fip_count");
  CHECK(fip_count.field == "/results/fip_count");
}

TEST_CASE("a scenario without a survey or per-practice timeseries declares none of their handles") {
  const sim::Scenario scenario = lwsim_test::scenario_from(
      "[evaluation]\nhorizon_weeks = 104\n[outputs]\npractice_timeseries = false\n"
      "[[locality]]\nname = \"L\"\npractices = 3\norganisations = 2\ncapacity = 8\n"
      "list_size = { mean = 4200, sd = 1300, min = 1500, max = 12000 }\ntraining_share = 0.5\n");
  const lwp::DeclaredOutputs declared = lwp::declare_outputs(setup_of(scenario));
  CHECK_FALSE(declared.outputs.survey.responses.declared());
  CHECK_FALSE(declared.outputs.survey.answered_items.declared());
  for (const sim::AccumulatorId series : declared.outputs.timeseries) CHECK_FALSE(series.declared());
  CHECK(declared.outputs.locality.normalised_by.declared());
  for (const sim::AccumulatorSpec& a : declared.schema.accumulators) {
    CHECK(a.path.rfind("/timeseries/", 0) == std::string::npos);
    CHECK(a.path.rfind("/survey/", 0) == std::string::npos);
  }
}
