#include "models/lwp/model.hpp"

#include <cmath>

#include <fmt/format.h>

#include "models/lwp/mechanisms.hpp"
#include "models/lwp/outputs.hpp"
#include "models/lwp/parameters.hpp"
#include "models/lwp/setup.hpp"
#include "models/lwp/simulation.hpp"
#include "models/lwp/summary.hpp"
#include "sim/error.hpp"

namespace lwp {
extern const std::string_view kDeepEndScenario;
extern const std::string_view kDeepEndObserved;

namespace {

std::vector<std::size_t> indices_of(std::initializer_list<ParamId> ids) {
  std::vector<std::size_t> indices;
  for (ParamId id : ids) indices.push_back(param_index(id));
  return indices;
}

/// Of the given parameters, the one the user set last, else the last one given: the one to name
/// in an error about a constraint between them.
std::size_t culprit(const sim::ParamValues& values, std::initializer_list<ParamId> ids) {
  const std::vector<std::size_t> indices = indices_of(ids);
  return values.last_set(indices).value_or(indices.back());
}

/// Combinations of parameters, each within its range, that would make a probability or a share
/// leave [0, 1] (the model would otherwise have to cap it silently). Refused at the parameter of
/// the combination set last, so the message names the line the user wrote.
void check_probabilities(const Parameters& p, const sim::ParamValues& values) {
  const auto fail = [&](std::initializer_list<ParamId> ids, const std::string& detail) {
    values.fail(culprit(values, ids), detail);
  };
  // The CLP's weekly departure hazard at its highest: the base hazard, raised by the load on
  // programme support and, before a funding renewal, by the funding multiplier.
  const bool cycles = p.funding_cycle_weeks > 0 && p.funding_uncertainty_weeks > 0;
  const double multiplier = cycles ? p.funding_departure_multiplier : 1.0;
  const double hazard = p.clp_departure_hazard * support_factor(p) * multiplier;
  if (hazard > 1.0) {
    fail({ParamId::clp_departure_hazard, ParamId::support_clps_per_manager,
          ParamId::support_reference_clps_per_manager, ParamId::support_departure_effect,
          ParamId::funding_departure_multiplier},
         fmt::format(
             "the CLP's weekly departure hazard would reach {:.4g} (clp.departure_hazard {:.4g} x "
             "support factor {:.4g}{}), but a weekly probability is at most 1",
             hazard, p.clp_departure_hazard, support_factor(p),
             cycles ? fmt::format(" x funding.departure_multiplier {:.4g}", multiplier) : std::string()));
  }
  // The weeks of uncertainty before a renewal lie within one funding cycle.
  if (p.funding_cycle_weeks > 0 && p.funding_uncertainty_weeks >= p.funding_cycle_weeks) {
    fail({ParamId::funding_cycle_weeks, ParamId::funding_uncertainty_weeks},
         fmt::format("funding.uncertainty_weeks ({:g}) must be shorter than funding.cycle_weeks ({:g}): the "
                     "uncertain weeks are those before each renewal",
                     p.funding_uncertainty_weeks, p.funding_cycle_weeks));
  }
  // One competing innovation takes up to (1 + innovation.load_spread) times innovation.load_mean of
  // attention: a share, so at most all of it.
  if ((1.0 + p.innovation_load_spread) * p.innovation_load_mean > 1.0) {
    fail({ParamId::innovation_load_mean, ParamId::innovation_load_spread},
         fmt::format(
             "innovation.load_mean ({:g}) x (1 + innovation.load_spread ({:g})) must be at most 1: one "
             "innovation takes up to that share of attention, and a share is at most 1",
             p.innovation_load_mean, p.innovation_load_spread));
  }
}

class LwpModel final : public sim::Model {
 public:
  [[nodiscard]] std::string_view name() const override { return "lwp"; }
  [[nodiscard]] std::string_view description() const override {
    return "Integration of a link-worker (social prescribing) programme in general practices "
           "(Chng et al., BJGP 2021)";
  }
  [[nodiscard]] std::string_view results_version() const override {
    return "lwp-3";
  }  // lwp-3: model v2 (docs/model.md section 9); lwp-2: scale-up outputs
  [[nodiscard]] const sim::ParamTable& parameters() const override { return parameter_table(); }
  [[nodiscard]] std::vector<std::string> scenario_sections() const override {
    return lwp::scenario_sections();
  }

  [[nodiscard]] std::shared_ptr<const sim::ModelSetup> configure(
      const sim::config::Value& scenario) const override {
    return read_setup(scenario);
  }

  void check(const sim::ModelSetup& model_setup, const sim::ParamValues& values) const override {
    const auto& setup = static_cast<const Setup&>(model_setup);
    const Parameters p = Parameters::from(values);
    const double shares = p.clp_target_share_patient_support + p.clp_target_share_practice_development +
                          p.clp_target_share_community_networking;
    if (std::fabs(shares - 1.0) > 1e-9) {
      values.fail(
          culprit(values,
                  {ParamId::clp_target_share_patient_support, ParamId::clp_target_share_practice_development,
                   ParamId::clp_target_share_community_networking}),
          fmt::format("the three clp.target_share_* parameters must sum to 1 (they sum to {})", shares));
    }
    check_probabilities(p, values);
    const PracticeSpec* largest = &setup.practices.front();
    for (const PracticeSpec& practice : setup.practices) {
      if (practice.list_size > largest->list_size) largest = &practice;
    }
    const Roster roster = roster_for(largest->list_size, p);
    if (roster.total() > kMaxStaff) {
      const std::string detail = fmt::format(
          "a practice of {} patients would have {} staff, more than the {} a practice can hold; raise the "
          "roster.patients_per_* ratios",
          largest->list_size, roster.total(), kMaxStaff);
      const auto set =
          values.last_set(indices_of({ParamId::roster_patients_per_gp, ParamId::roster_patients_per_nurse,
                                      ParamId::roster_patients_per_admin}));
      if (set) values.fail(*set, detail);
      throw sim::InputError(largest->file, largest->line, largest->key + ".list_size", detail);
    }
  }

  [[nodiscard]] std::vector<sim::ParamOverride> overrides(const sim::ModelSetup& setup) const override {
    return static_cast<const Setup&>(setup).overrides;
  }

  [[nodiscard]] sim::OutputSchema schema(const sim::ModelSetup& setup) const override {
    return make_schema(static_cast<const Setup&>(setup));
  }

  [[nodiscard]] std::unique_ptr<const sim::Simulation> prepare(
      const std::shared_ptr<const sim::ModelSetup>& setup, const sim::ParamValues& values) const override {
    return std::make_unique<LwpSimulation>(std::static_pointer_cast<const Setup>(setup),
                                           Parameters::from(values));
  }

  [[nodiscard]] sim::Observation read_observation(const sim::config::Value& document,
                                                  const sim::ModelSetup& setup) const override {
    return lwp::read_observation(document, static_cast<const Setup&>(setup));
  }

  void describe(const sim::ModelSetup& setup, const sim::PointSummary& summary,
                const sim::Observation* observed, std::ostream& out) const override {
    describe_point(static_cast<const Setup&>(setup), summary, observed, out);
  }
};

}  // namespace

void register_model(sim::ModelRegistry& registry) {
  registry.add(std::make_unique<LwpModel>());
  registry.add_builtin_file("deep_end_glasgow.toml", kDeepEndScenario);
  registry.add_builtin_file("observed/deep_end_2016.toml", kDeepEndObserved);
  registry.set_default_scenario(std::string(sim::kBuiltinPrefix) + "deep_end_glasgow.toml");
}

}  // namespace lwp
