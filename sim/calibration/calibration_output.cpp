#include "sim/calibration/calibration_output.hpp"

#include <cmath>

#include <fmt/format.h>

#include "sim/error.hpp"

namespace sim::calibration {

using output::constant_plan;
using output::index_values;
using output::scale_plan;

Predictive posterior_predictive(const ObservableSpec& observable, double observed,
                                const std::vector<PointSummary>& summaries,
                                const std::vector<double>& weights, std::uint64_t replicates) {
  const std::string path = output::distribution_path(observable);
  Predictive predictive;
  predictive.observable = observable.name;
  predictive.distribution.assign(static_cast<std::size_t>(observable.max_value) + 1, 0.0);
  predictive.observed = observed;
  const auto observed_bin = static_cast<std::size_t>(observed);
  for (std::size_t i = 0; i < summaries.size(); ++i) {
    const auto& dist = summaries[i].at(path);
    for (std::size_t k = 0; k < dist.size(); ++k) predictive.distribution[k] += weights[i] * dist[k];
  }
  predictive.p_observed =
      observed_bin < predictive.distribution.size() ? predictive.distribution[observed_bin] : 0.0;
  double variance = 0.0;
  for (std::size_t i = 0; i < summaries.size(); ++i) {
    const auto& dist = summaries[i].at(path);
    const double p = observed_bin < dist.size() ? dist[observed_bin] : 0.0;
    const double w = weights[i];
    variance += w * w *
                ((p - predictive.p_observed) * (p - predictive.p_observed) +
                 p * (1.0 - p) / static_cast<double>(replicates));
  }
  predictive.p_observed_se = std::sqrt(variance);
  return predictive;
}

namespace {

/// /abc: every generation's particles, weights, distances and statistics.
void add_generations(output::FileLayout& layout, const AbcState& state, hsize_t n, hsize_t d) {
  std::vector<double> particles, weights, distances, tolerance, ess, acceptance;
  std::vector<std::int64_t> attempts, simulated, first;
  for (const Generation& gen : state.generations) {
    for (const auto& p : gen.particles) particles.insert(particles.end(), p.begin(), p.end());
    weights.insert(weights.end(), gen.weights.begin(), gen.weights.end());
    distances.insert(distances.end(), gen.distances.begin(), gen.distances.end());
    tolerance.push_back(gen.tolerance);
    ess.push_back(gen.effective_sample_size());
    acceptance.push_back(gen.acceptance_rate());
    attempts.push_back(static_cast<std::int64_t>(gen.attempts));
    simulated.push_back(static_cast<std::int64_t>(gen.simulated));
    first.push_back(static_cast<std::int64_t>(gen.first_attempt));
  }
  const auto g = static_cast<hsize_t>(state.generations.size());
  auto& out = layout.datasets;
  out.push_back(constant_plan("/abc/particles", {"generation", "particle", "parameter"}, {g, n, d}, particles,
                              "accepted particles of each generation (parameter values)",
                              "see the parameter table"));
  out.push_back(constant_plan("/abc/weights", {"generation", "particle"}, {g, n}, weights,
                              "normalised importance weights", "1"));
  out.push_back(constant_plan("/abc/distances", {"generation", "particle"}, {g, n}, distances,
                              "distance of each accepted particle", "distance"));
  out.push_back(constant_plan("/abc/tolerance", {"generation"}, {g}, tolerance,
                              "tolerance of each generation (inf for generation 0)", "distance"));
  out.push_back(constant_plan("/abc/effective_sample_size", {"generation"}, {g}, ess,
                              "effective sample size 1 / sum(w^2)", "particles"));
  out.push_back(constant_plan("/abc/acceptance_rate", {"generation"}, {g}, acceptance,
                              "accepted particles / proposals made up to the last acceptance", "1"));
  out.push_back(constant_plan("/abc/proposals", {"generation"}, {g}, attempts,
                              "proposals made up to the last acceptance", "proposals"));
  out.push_back(constant_plan("/abc/simulated", {"generation"}, {g}, simulated,
                              "proposals inside the prior's support (simulated)", "proposals"));
  out.push_back(constant_plan("/abc/first_proposal", {"generation"}, {g}, first,
                              "number of the generation's first proposal", "1"));
}

/// /posterior: the last generation, and each parameter's weighted median and 90% interval.
void add_posterior(output::FileLayout& layout, const Generation& last, hsize_t n, hsize_t d) {
  std::vector<double> particles;
  for (const auto& p : last.particles) particles.insert(particles.end(), p.begin(), p.end());
  auto& out = layout.datasets;
  out.push_back(constant_plan("/posterior/particles", {"particle", "parameter"}, {n, d}, particles,
                              "the final population: a weighted sample of the ABC posterior",
                              "see the parameter table"));
  out.push_back(constant_plan("/posterior/weights", {"particle"}, {n}, last.weights,
                              "weights of the final population", "1"));
  std::vector<double> summary;
  for (std::size_t k = 0; k < d; ++k) {
    std::vector<double> column;
    for (const auto& p : last.particles) column.push_back(p[k]);
    for (double q : {0.5, 0.05, 0.95}) summary.push_back(weighted_quantile(column, last.weights, q));
  }
  out.push_back(constant_plan("/posterior/summary", {"parameter", "statistic"}, {d, 3}, summary,
                              "weighted median and 90% interval (5% and 95% quantiles) of each parameter",
                              "see the parameter table"));
}

/// /posterior_predictive: the predictive distribution and P(observed value).
void add_predictive(output::FileLayout& layout, const Predictive& predictive) {
  const std::string& name = predictive.observable;
  const auto bins = predictive.distribution.size();
  auto& out = layout.datasets;
  out.push_back(scale_plan(name, index_values(bins), "possible values of " + name, ""));
  out.push_back(constant_plan(
      "/posterior_predictive/" + name + "_distribution", {name}, {static_cast<hsize_t>(bins)},
      predictive.distribution,
      "posterior predictive distribution: P(value) over the final population's weighted particles",
      "probability"));
  out.push_back(constant_plan(
      "/posterior_predictive/p_observed", {}, {}, std::vector<double>{predictive.p_observed},
      fmt::format("posterior predictive P({} = {}), the observed value", name, predictive.observed),
      "probability"));
  out.push_back(constant_plan("/posterior_predictive/p_observed_se", {}, {},
                              std::vector<double>{predictive.p_observed_se},
                              "approximate Monte Carlo standard error of p_observed", "probability"));
}

}  // namespace

output::FileLayout calibration_layout(const CalibrationFile& c, const AbcState& state,
                                      const Predictive* predictive) {
  const std::size_t g = state.generations.size();
  const std::size_t n = c.settings.particles;
  const std::size_t d = c.priors.size();
  std::vector<std::string> names, priors;
  for (const auto& p : c.priors) {
    names.push_back(p.parameter);
    priors.push_back(p.describe());
  }
  output::FileLayout layout;
  auto& out = layout.datasets;
  out.push_back(scale_plan("parameter", names, "calibrated parameter (parameter-table name)", ""));
  out.push_back(scale_plan("generation", index_values(g), "ABC-SMC generation", ""));
  out.push_back(scale_plan("particle", index_values(n), "particle of a population", ""));
  out.push_back(scale_plan("statistic", std::vector<std::string>{"median", "q05", "q95"},
                           "weighted posterior statistic", ""));
  out.push_back(constant_plan("/abc/prior", {"parameter"}, {static_cast<hsize_t>(d)}, priors,
                              "prior distribution of each parameter", ""));
  add_generations(layout, state, n, d);
  if (g > 0) add_posterior(layout, state.generations.back(), n, d);
  if (predictive != nullptr) add_predictive(layout, *predictive);
  return layout;
}

void write_calibration(output::PendingOutput& pending, const CalibrationFile& c, const AbcState& state,
                       const Predictive* predictive, output::Attributes attributes, const std::string& status,
                       const std::string& stop) {
  attributes.emplace_back("status", status);
  attributes.emplace_back("stop_reason", stop);
  attributes.emplace_back("next_proposal", static_cast<std::int64_t>(state.next_attempt));
  attributes.emplace_back("generations", static_cast<std::int64_t>(state.generations.size()));
  output::ResultFile file = output::ResultFile::create(
      pending.temporary(), calibration_layout(c, state, predictive), attributes, output::Storage::compressed);
  file.flush_to_disk();
  file.close();
  pending.commit();
}

AbcState read_calibration_state(const output::ResultFile& file, const CalibrationFile& c) {
  AbcState state;
  const auto g = static_cast<std::size_t>(file.attribute_int("generations"));
  state.next_attempt = static_cast<std::uint64_t>(file.attribute_int("next_proposal"));
  const std::size_t n = c.settings.particles, d = c.priors.size();
  if (g == 0) return state;
  // Each dataset is read only at the size the generations, particles and parameters give.
  const auto read = [&](const char* path, std::size_t expected) {
    try {
      return file.read_doubles(path, expected);
    } catch (const h5::OutputError& e) {
      throw InputError(
          file.path(), 0, "--resume",
          fmt::format("the stored generations do not match the calibration file ({})", e.what()));
    }
  };
  if (g > c.settings.max_generations) {
    throw InputError(file.path(), 0, "--resume", "the stored generations do not match the calibration file");
  }
  const auto particles = read("/abc/particles", g * n * d);
  const auto weights = read("/abc/weights", g * n);
  const auto distances = read("/abc/distances", g * n);
  const auto tolerance = read("/abc/tolerance", g);
  const auto attempts = read("/abc/proposals", g);
  const auto simulated = read("/abc/simulated", g);
  const auto first = read("/abc/first_proposal", g);
  for (std::size_t i = 0; i < g; ++i) {
    Generation gen;
    gen.tolerance = tolerance[i];
    gen.attempts = static_cast<std::uint64_t>(attempts[i]);
    gen.simulated = static_cast<std::uint64_t>(simulated[i]);
    gen.first_attempt = static_cast<std::uint64_t>(first[i]);
    for (std::size_t p = 0; p < n; ++p) {
      gen.particles.emplace_back(particles.begin() + static_cast<std::ptrdiff_t>((i * n + p) * d),
                                 particles.begin() + static_cast<std::ptrdiff_t>((i * n + p + 1) * d));
      gen.weights.push_back(weights[i * n + p]);
      gen.distances.push_back(distances[i * n + p]);
    }
    state.generations.push_back(std::move(gen));
  }
  return state;
}

}  // namespace sim::calibration
