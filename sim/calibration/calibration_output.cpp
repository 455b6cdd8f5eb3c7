#include "sim/calibration/calibration_output.hpp"

#include <algorithm>
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
  const auto r = static_cast<double>(replicates);
  std::vector<double> p_particle(weights.size(), 0.0);  // each particle's P(observed value)
  for (std::size_t i = 0; i < weights.size(); ++i) {
    std::vector<double> counts(predictive.distribution.size(), 0.0);
    for (std::uint64_t k = 0; k < replicates; ++k) {
      const auto& dist = summaries[i * replicates + k].at(path);
      for (std::size_t b = 0; b < dist.size() && b < counts.size(); ++b) counts[b] += dist[b];
    }
    for (std::size_t b = 0; b < counts.size(); ++b)
      predictive.distribution[b] += weights[i] * (counts[b] / r);
    p_particle[i] = observed_bin < counts.size() ? counts[observed_bin] / r : 0.0;
  }
  predictive.p_observed =
      observed_bin < predictive.distribution.size() ? predictive.distribution[observed_bin] : 0.0;
  double variance = 0.0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double p = p_particle[i];
    const double w = weights[i];
    variance += w * w * ((p - predictive.p_observed) * (p - predictive.p_observed) + p * (1.0 - p) / r);
  }
  predictive.p_observed_se = std::sqrt(variance);
  return predictive;
}

std::vector<PatternCheck> pattern_checks(const OutputSchema& schema,
                                         const std::vector<ObservedPattern>& patterns,
                                         const std::vector<std::vector<double>>& statistics,
                                         const std::vector<double>& weights, std::uint64_t replicates) {
  std::vector<PatternCheck> checks;
  const auto r = static_cast<double>(replicates);
  for (const ObservedPattern& pattern : patterns) {
    std::size_t index = schema.observables.size();
    while (schema.patterns.at(index - schema.observables.size()).name != pattern.name) ++index;
    PatternCheck check;
    check.name = pattern.name;
    check.observed = pattern.expectation();
    double defined = 0.0, sum = 0.0, holds = 0.0, below = 0.0, above = 0.0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
      for (std::uint64_t k = 0; k < replicates; ++k) {
        const double v = statistics[i * replicates + k][index];
        const double w = weights[i] / r;
        if (std::isnan(v)) {
          check.undefined += w;
          continue;
        }
        defined += w;
        sum += w * v;
        holds += pattern.distance(v) == 0.0 ? w : 0.0;
        below += v <= pattern.observed + pattern.tolerance ? w : 0.0;
        above += v >= pattern.observed - pattern.tolerance ? w : 0.0;
      }
    }
    check.mean = defined > 0.0 ? sum / defined : std::nan("");
    const bool value = pattern.kind == PatternKind::count || pattern.kind == PatternKind::proportion;
    if (defined > 0.0) {
      check.p = value ? std::min(1.0, 2.0 * std::min(below, above) / defined) : holds / defined;
    }
    check.verdict = check.p >= 0.1 ? "consistent" : check.p >= 0.01 ? "in the tail" : "outside";
    checks.push_back(std::move(check));
  }
  return checks;
}

namespace {

/// /abc: every generation's particles, weights, distances and statistics.
void add_generations(output::FileLayout& layout, const AbcState& state, hsize_t n, hsize_t d, hsize_t t) {
  std::vector<double> particles, weights, distances, tolerance, ess, acceptance, statistics, scales, spread;
  std::vector<std::int64_t> attempts, simulated, first;
  for (const Generation& gen : state.generations) {
    for (const auto& p : gen.particles) particles.insert(particles.end(), p.begin(), p.end());
    weights.insert(weights.end(), gen.weights.begin(), gen.weights.end());
    distances.insert(distances.end(), gen.distances.begin(), gen.distances.end());
    for (const auto& s : gen.statistics) statistics.insert(statistics.end(), s.begin(), s.end());
    scales.insert(scales.end(), gen.scales.begin(), gen.scales.end());
    spread.insert(spread.end(), gen.spread.begin(), gen.spread.end());
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
  out.push_back(constant_plan("/abc/statistics", {"generation", "particle", "term"}, {g, n, t}, statistics,
                              "each accepted particle's simulated statistic of each distance term",
                              "see /abc/term"));
  out.push_back(constant_plan("/abc/scales", {"generation", "term"}, {g, t}, scales,
                              "what each term's distance was divided by in the generation (1: not scaled)",
                              "see /abc/term"));
  out.push_back(constant_plan("/abc/spread", {"generation", "term"}, {g, t}, spread,
                              "median absolute deviation of each term's statistic over the generation's "
                              "simulations: the next generation's scales when the distance is adaptive",
                              "see /abc/term"));
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

/// Model choice: each particle's model and the model probabilities of every generation.
void add_models(output::FileLayout& layout, const CalibrationFile& c, const AbcState& state, hsize_t n) {
  const std::size_t m_count = c.models.size();
  std::vector<std::string> names;
  for (const ModelVariant& m : c.models) names.push_back(m.name);
  std::vector<std::int64_t> models;
  std::vector<double> probabilities;
  for (const Generation& gen : state.generations) {
    for (std::size_t m : gen.models) models.push_back(static_cast<std::int64_t>(m));
    const std::vector<double> p = gen.model_probabilities(m_count);
    probabilities.insert(probabilities.end(), p.begin(), p.end());
  }
  const auto g = static_cast<hsize_t>(state.generations.size());
  const auto mc = static_cast<hsize_t>(m_count);
  auto& out = layout.datasets;
  out.push_back(scale_plan("model", names, "model (mechanism variant) the calibration chooses between", ""));
  out.push_back(constant_plan("/abc/model", {"generation", "particle"}, {g, n}, models,
                              "the model of each accepted particle (index)", "index"));
  out.push_back(constant_plan(
      "/abc/model_probability", {"generation", "model"}, {g, mc}, probabilities,
      "posterior model probabilities after each generation (the weights of its particles)", "probability"));
  if (g == 0) return;
  const Generation& last = state.generations.back();
  const std::vector<double> p = last.model_probabilities(m_count);
  std::vector<double> se;
  for (double x : p) se.push_back(std::sqrt(x * (1.0 - x) / last.effective_sample_size()));
  out.push_back(constant_plan("/posterior/model_probability", {"model"}, {mc}, p,
                              "posterior probability of each model", "probability"));
  out.push_back(constant_plan("/posterior/model_probability_se", {"model"}, {mc}, se,
                              "its approximate Monte Carlo error, sqrt(p (1 - p) / ESS)", "probability"));
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
  if (predictive.checks.empty()) return;
  std::vector<std::string> names, observed, verdicts;
  std::vector<double> mean, p, undefined;
  for (const PatternCheck& c : predictive.checks) {
    names.push_back(c.name);
    observed.push_back(c.observed);
    verdicts.push_back(c.verdict);
    mean.push_back(c.mean);
    p.push_back(c.p);
    undefined.push_back(c.undefined);
  }
  const auto n = static_cast<hsize_t>(names.size());
  out.push_back(scale_plan("pattern", names, "observed pattern (docs/scenarios.md, Patterns)", ""));
  out.push_back(constant_plan("/posterior_predictive/pattern_observed", {"pattern"}, {n}, observed,
                              "what was observed of each pattern", ""));
  out.push_back(
      constant_plan("/posterior_predictive/pattern_mean", {"pattern"}, {n}, mean,
                    "posterior predictive mean of each pattern's statistic (one simulated evaluation "
                    "per draw; draws where it is undefined left out)",
                    "see the model's patterns"));
  out.push_back(
      constant_plan("/posterior_predictive/pattern_p", {"pattern"}, {n}, p,
                    "sign or interval: P(a simulated evaluation holds the pattern); value: two-sided "
                    "tail probability of the observed value",
                    "probability"));
  out.push_back(constant_plan("/posterior_predictive/pattern_undefined", {"pattern"}, {n}, undefined,
                              "share of draws in which the statistic is undefined (no FIP or no PIP)",
                              "probability"));
  out.push_back(constant_plan("/posterior_predictive/pattern_verdict", {"pattern"}, {n}, verdicts,
                              "consistent (p >= 0.1), in the tail (0.01 <= p < 0.1) or outside (p < 0.01)",
                              ""));
}

}  // namespace

output::FileLayout calibration_layout(const CalibrationFile& c, const AbcState& state,
                                      const Predictive* predictive) {
  const std::size_t g = state.generations.size();
  const std::size_t n = c.settings.particles;
  const std::size_t d = c.priors.size();
  std::vector<std::string> names, priors, terms, observed;
  for (const auto& p : c.priors) {
    names.push_back(p.parameter);
    priors.push_back(p.describe());
  }
  for (const DistanceTerm& t : c.terms) {
    terms.push_back(t.observable);
    observed.push_back(t.pattern ? fmt::format("{} ({})", t.pattern->expectation(), t.pattern->kind_name())
                                 : fmt::format("= {:g}", t.observed));
  }
  output::FileLayout layout;
  auto& out = layout.datasets;
  out.push_back(scale_plan("parameter", names, "calibrated parameter (parameter-table name)", ""));
  out.push_back(scale_plan("generation", index_values(g), "ABC-SMC generation", ""));
  out.push_back(scale_plan("particle", index_values(n), "particle of a population", ""));
  out.push_back(scale_plan("statistic", std::vector<std::string>{"median", "q05", "q95"},
                           "weighted posterior statistic", ""));
  out.push_back(scale_plan("term", terms, "term of the distance: an observable or pattern.<name>", ""));
  out.push_back(constant_plan("/abc/prior", {"parameter"}, {static_cast<hsize_t>(d)}, priors,
                              "prior distribution of each parameter", ""));
  out.push_back(constant_plan("/abc/observed", {"term"}, {static_cast<hsize_t>(terms.size())}, observed,
                              "what was observed of each term's statistic", ""));
  add_generations(layout, state, n, d, terms.size());
  if (g > 0) add_posterior(layout, state.generations.back(), n, d);
  if (!c.models.empty()) add_models(layout, c, state, n);
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
  const std::size_t t = c.terms.size();
  const auto statistics = read("/abc/statistics", g * n * t);
  const auto scales = read("/abc/scales", g * t);
  const auto spread = read("/abc/spread", g * t);
  const auto models = c.models.empty() ? std::vector<double>(g * n, 0.0) : read("/abc/model", g * n);
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
      const double m = models[i * n + p];
      if (!(m >= 0.0 && m < static_cast<double>(std::max<std::size_t>(c.models.size(), 1)))) {
        throw InputError(file.path(), 0, "--resume",
                         "the stored generations do not match the calibration file");
      }
      gen.models.push_back(static_cast<std::size_t>(m));
      gen.statistics.emplace_back(statistics.begin() + static_cast<std::ptrdiff_t>((i * n + p) * t),
                                  statistics.begin() + static_cast<std::ptrdiff_t>((i * n + p + 1) * t));
    }
    gen.scales.assign(scales.begin() + static_cast<std::ptrdiff_t>(i * t),
                      scales.begin() + static_cast<std::ptrdiff_t>((i + 1) * t));
    gen.spread.assign(spread.begin() + static_cast<std::ptrdiff_t>(i * t),
                      spread.begin() + static_cast<std::ptrdiff_t>((i + 1) * t));
    state.generations.push_back(std::move(gen));
  }
  return state;
}

}  // namespace sim::calibration
