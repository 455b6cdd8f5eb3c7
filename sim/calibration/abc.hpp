#pragma once
// Sequential Monte Carlo approximate Bayesian computation (ABC-SMC; Toni et al. 2009, J R Soc
// Interface 6:187; Beaumont et al. 2009, Biometrika 96:983). A population of weighted particles is
// moved through shrinking tolerances: each generation proposes particles by perturbing ones
// drawn from the previous population, simulates them, keeps those whose distance to the
// observation is within the tolerance, and weights them by prior over proposal density.
//
// Every proposal is numbered; its random draws and its simulations' random streams depend only
// on its number, and proposals are accepted in number order, so results do not depend on the
// number of threads or ranks that simulate them.

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "sim/calibration/priors.hpp"
#include "sim/model.hpp"

namespace sim::calibration {

struct AbcSettings {
  std::size_t particles = 500;
  std::uint64_t replicates = 1;  // simulated replicates per proposal
  std::uint32_t seed = 1;
  std::size_t max_generations = 10;
  double min_tolerance = 0.0;              // stop once a tolerance is at or below this
  double quantile = 0.5;                   // next tolerance: this quantile of the last distances
  double min_acceptance = 0.01;            // stop once a generation's acceptance rate is below this
  std::uint64_t max_attempts = 2'000'000;  // proposals over the whole calibration
  double kernel_scale = 2.0;               // perturbation covariance = scale x weighted covariance
  /// Scale-normalised distance re-weighted every generation (Prangle 2017): each term is divided
  /// by the median absolute deviation of its statistic over the previous generation's simulations.
  bool adaptive = true;
  /// Model choice: the probability that a proposal keeps the model of the particle it perturbs
  /// (otherwise it moves to one of the other models, uniformly).
  double model_stay = 0.7;
  std::uint64_t predictive_replicates = 100;
  std::size_t batch = 0;  // proposals simulated at once (0: max(particles, 256))
};

/// One term of the distance: weight × (distance of a statistic from its observation) / scale.
/// The statistic is an observable's mean over the proposal's replicates (compared with its
/// observed value) or a pattern the model computes at the point (compared as the observed-data
/// file says: a value, a sign or an interval).
struct DistanceTerm {
  std::string observable;  // an observable's name, or "pattern.<name>"
  std::size_t index = 0;   // in the evaluator's statistics (the observables, then the patterns)
  double weight = 1.0;
  double observed = 0.0;                   // an observable's observed value
  std::optional<ObservedPattern> pattern;  // a pattern's observation
  /// The unscaled distance of a simulated statistic (+inf for NaN).
  [[nodiscard]] double raw(double statistic) const;
};

struct Generation {
  double tolerance = std::numeric_limits<double>::infinity();
  std::vector<std::vector<double>> particles;   // [particle][parameter], on the value scale
  std::vector<double> weights;                  // normalised
  std::vector<double> distances;                // under `scales`
  std::vector<std::vector<double>> statistics;  // [particle][term]: each term's simulated statistic
  std::vector<double> scales;                   // [term]: what this generation's distances divide by
  /// [term]: the median absolute deviation of each statistic over every proposal this generation
  /// simulated (up to its last acceptance): the next generation's scales when adaptive.
  std::vector<double> spread;
  std::vector<std::size_t> models;  // [particle]: the model of each (all 0 with one model)
  /// The weight of each of `count` models: the posterior model probabilities.
  [[nodiscard]] std::vector<double> model_probabilities(std::size_t count) const;
  std::uint64_t first_attempt = 0;  // numbers of the proposals this generation used
  std::uint64_t attempts = 0;       // proposals up to and including the last accepted one
  std::uint64_t simulated = 0;      // of which inside the prior's support (simulated)
  [[nodiscard]] double acceptance_rate() const;
  [[nodiscard]] double effective_sample_size() const;
};

struct AbcState {
  std::vector<Generation> generations;
  std::uint64_t next_attempt = 0;  // the number the next proposal gets
};

/// Simulates proposals: for each (values of the calibrated parameters, stream offset), the mean
/// over its replicates of every observable of the model, then every pattern of the model.
using Evaluator = std::function<std::vector<std::vector<double>>(
    const std::vector<std::vector<double>>& values, const std::vector<std::uint32_t>& key_offsets,
    const std::vector<std::size_t>& models)>;

/// The calibration cannot go on within its limits (attempts, or stream numbers).
class AbcLimitReached : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class AbcSmc {
 public:
  /// `models`: how many models the calibration chooses between (ABC-SMC model selection, Toni et
  /// al. 2009, with the model kernel of Toni and Stumpf 2010), each with the same priors and a
  /// uniform prior over the models; 1 for a calibration of one model.
  AbcSmc(std::vector<Prior> priors, std::vector<DistanceTerm> terms, AbcSettings settings,
         std::size_t models = 1);

  [[nodiscard]] const std::vector<Prior>& priors() const noexcept { return priors_; }
  [[nodiscard]] const AbcSettings& settings() const noexcept { return settings_; }
  /// The distance of a proposal's statistics (one per term) under `scales` (one per term).
  [[nodiscard]] double distance(const std::vector<double>& statistics,
                                const std::vector<double>& scales) const;
  /// Each term's statistic, from the evaluator's statistics of a proposal.
  [[nodiscard]] std::vector<double> term_statistics(const std::vector<double>& evaluated) const;
  /// The scales the next generation divides each term by (1 for the first, or when not adaptive).
  [[nodiscard]] std::vector<double> next_scales(const AbcState& state) const;
  [[nodiscard]] const std::vector<DistanceTerm>& terms() const noexcept { return terms_; }

  /// Why the calibration should stop now, or empty to go on.
  [[nodiscard]] std::string stop_reason(const AbcState& state) const;
  /// Runs one more generation. Throws AbcLimitReached (leaving `state` as it was) when the
  /// generation cannot be completed within max_attempts.
  void run_generation(
      AbcState& state, const Evaluator& evaluate,
      const std::function<void(std::size_t accepted, std::uint64_t attempts)>& progress) const;

  /// The tolerance the next generation would use.
  [[nodiscard]] double next_tolerance(const AbcState& state) const;
  /// The last generation's tolerance on the scales of the next (the largest distance of its
  /// population under them, when the distance is re-weighted).
  [[nodiscard]] double previous_tolerance(const AbcState& state) const;

 private:
  /// A proposal: its values, its model, and whether its model is still alive (model choice).
  struct Proposal {
    std::vector<double> value;
    std::size_t model = 0;
    bool alive = true;
  };
  /// Proposes (numbered from state.next_attempt), simulates in batches and accepts in number order
  /// until `next` holds the generation's particles, with their statistics and the spreads; returns
  /// the number of the next proposal.
  std::uint64_t fill_generation(const AbcState& state, Generation& next,
                                const std::function<Proposal(std::uint64_t)>& propose,
                                const Evaluator& evaluate,
                                const std::function<void(std::size_t, std::uint64_t)>& progress) const;
  void run_model_choice_generation(
      AbcState& state, const Evaluator& evaluate,
      const std::function<void(std::size_t accepted, std::uint64_t attempts)>& progress) const;

  std::vector<Prior> priors_;
  std::vector<DistanceTerm> terms_;
  AbcSettings settings_;
  std::size_t models_ = 1;
};

/// The median absolute deviation of the finite values (a scale that outliers do not move); the
/// mean absolute deviation from the median where that is 0, and 1 where both are (or no value is
/// finite), so that no term is divided by 0.
double robust_scale(std::vector<double> values);

/// Weighted quantile of values (weights need not be normalised).
double weighted_quantile(const std::vector<double>& values, const std::vector<double>& weights, double q);

}  // namespace sim::calibration
