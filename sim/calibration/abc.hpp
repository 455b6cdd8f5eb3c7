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
#include <string>
#include <vector>

#include "sim/calibration/priors.hpp"

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
  std::uint64_t predictive_replicates = 100;
  std::size_t batch = 0;  // proposals simulated at once (0: max(particles, 256))
};

/// One term of the distance: weight × |mean over replicates of an observable − observed value|.
struct DistanceTerm {
  std::string observable;
  std::size_t index = 0;  // in the output schema's observables
  double weight = 1.0;
  double observed = 0.0;
};

struct Generation {
  double tolerance = std::numeric_limits<double>::infinity();
  std::vector<std::vector<double>> particles;  // [particle][parameter], on the value scale
  std::vector<double> weights;                 // normalised
  std::vector<double> distances;
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
/// over its replicates of every observable of the model.
using Evaluator = std::function<std::vector<std::vector<double>>(
    const std::vector<std::vector<double>>& values, const std::vector<std::uint32_t>& key_offsets)>;

/// The calibration cannot go on within its limits (attempts, or stream numbers).
class AbcLimitReached : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class AbcSmc {
 public:
  AbcSmc(std::vector<Prior> priors, std::vector<DistanceTerm> terms, AbcSettings settings);

  [[nodiscard]] const std::vector<Prior>& priors() const noexcept { return priors_; }
  [[nodiscard]] const AbcSettings& settings() const noexcept { return settings_; }
  [[nodiscard]] double distance(const std::vector<double>& observable_means) const;

  /// Why the calibration should stop now, or empty to go on.
  [[nodiscard]] std::string stop_reason(const AbcState& state) const;
  /// Runs one more generation. Throws AbcLimitReached (leaving `state` as it was) when the
  /// generation cannot be completed within max_attempts.
  void run_generation(
      AbcState& state, const Evaluator& evaluate,
      const std::function<void(std::size_t accepted, std::uint64_t attempts)>& progress) const;

  /// The tolerance the next generation would use.
  [[nodiscard]] double next_tolerance(const AbcState& state) const;

 private:
  std::vector<Prior> priors_;
  std::vector<DistanceTerm> terms_;
  AbcSettings settings_;
};

/// Weighted quantile of values (weights need not be normalised).
double weighted_quantile(const std::vector<double>& values, const std::vector<double>& weights, double q);

}  // namespace sim::calibration
