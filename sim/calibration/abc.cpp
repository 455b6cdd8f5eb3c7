#include "sim/calibration/abc.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "sim/random.hpp"
#include "sim/rng.hpp"

namespace sim::calibration {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// Proposal streams have a key of their own (replicate word 0xFFFFFFFE), never a replicate's.
constexpr std::uint32_t kProposalKey = 0xFFFFFFFEU;

double log_sum_exp(const std::vector<double>& terms) {
  const double top = *std::max_element(terms.begin(), terms.end());
  if (!std::isfinite(top)) return top;
  double sum = 0.0;
  for (double t : terms) sum += std::exp(t - top);
  return top + std::log(sum);
}

/// Lower-triangular Cholesky factor of a symmetric positive definite matrix (row-major d x d);
/// a tiny ridge keeps degenerate populations (a parameter at one value) factorable.
std::vector<double> cholesky(std::vector<double> a, std::size_t d) {
  for (std::size_t i = 0; i < d; ++i) a[i * d + i] += 1e-12 * std::max(1.0, std::fabs(a[i * d + i]));
  std::vector<double> l(d * d, 0.0);
  for (std::size_t i = 0; i < d; ++i) {
    for (std::size_t j = 0; j <= i; ++j) {
      double s = a[i * d + j];
      for (std::size_t k = 0; k < j; ++k) s -= l[i * d + k] * l[j * d + k];
      if (i == j) {
        l[i * d + i] = std::sqrt(std::max(s, 1e-300));
      } else {
        l[i * d + j] = s / l[j * d + j];
      }
    }
  }
  return l;
}

/// log N(x; mean, L L^T) given the Cholesky factor L.
double log_mvn(const std::vector<double>& x, const std::vector<double>& mean, const std::vector<double>& l,
               double log_det_half, std::size_t d, std::vector<double>& scratch) {
  // Solve L z = x - mean.
  for (std::size_t i = 0; i < d; ++i) {
    double s = x[i] - mean[i];
    for (std::size_t k = 0; k < i; ++k) s -= l[i * d + k] * scratch[k];
    scratch[i] = s / l[i * d + i];
  }
  double q = 0.0;
  for (std::size_t i = 0; i < d; ++i) q += scratch[i] * scratch[i];
  return -0.5 * q - log_det_half - 0.5 * static_cast<double>(d) * 1.8378770664093453;
}

}  // namespace

namespace {

/// exp(log weights), normalised to sum 1 (computed from the largest, so that none overflows).
std::vector<double> normalised_weights(const std::vector<double>& log_weights) {
  const double top = *std::max_element(log_weights.begin(), log_weights.end());
  std::vector<double> weights(log_weights.size());
  double total = 0.0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    weights[i] = std::exp(log_weights[i] - top);
    total += weights[i];
  }
  for (double& w : weights) w /= total;
  return weights;
}

}  // namespace

double Generation::acceptance_rate() const {
  return attempts > 0 ? static_cast<double>(particles.size()) / static_cast<double>(attempts) : 0.0;
}

double Generation::effective_sample_size() const {
  double sum_sq = 0.0;
  for (double w : weights) sum_sq += w * w;
  return sum_sq > 0.0 ? 1.0 / sum_sq : 0.0;
}

double weighted_quantile(const std::vector<double>& values, const std::vector<double>& weights, double q) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  double cumulative = 0.0;
  for (std::size_t i : order) {
    cumulative += weights[i];
    if (cumulative >= q * total - 1e-12 * total) return values[i];
  }
  return values[order.back()];
}

std::vector<double> Generation::model_probabilities(std::size_t count) const {
  std::vector<double> p(count, 0.0);
  for (std::size_t i = 0; i < weights.size(); ++i) p.at(models.empty() ? 0 : models[i]) += weights[i];
  return p;
}

AbcSmc::AbcSmc(std::vector<Prior> priors, std::vector<DistanceTerm> terms, AbcSettings settings,
               std::size_t models)
    : priors_(std::move(priors)),
      terms_(std::move(terms)),
      settings_(settings),
      models_(std::max<std::size_t>(models, 1)) {
  if (settings_.batch == 0) settings_.batch = std::max<std::size_t>(settings_.particles, 256);
}

double DistanceTerm::raw(double statistic) const {
  if (pattern) return pattern->distance(statistic);
  return std::isnan(statistic) ? kInf : std::fabs(statistic - observed);
}

double robust_scale(std::vector<double> values) {
  std::erase_if(values, [](double v) { return !std::isfinite(v); });
  if (values.empty()) return 1.0;
  const auto median_of = [](std::vector<double>& v) {
    const std::size_t mid = v.size() / 2;
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
    double m = v[mid];
    if (v.size() % 2 == 0)
      m = 0.5 * (m + *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid)));
    return m;
  };
  const double median = median_of(values);
  std::vector<double> deviations(values.size());
  double mean_deviation = 0.0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    deviations[i] = std::fabs(values[i] - median);
    mean_deviation += deviations[i] / static_cast<double>(values.size());
  }
  const double mad = median_of(deviations);
  if (mad > 0.0) return mad;
  return mean_deviation > 0.0 ? mean_deviation : 1.0;
}

double AbcSmc::distance(const std::vector<double>& statistics, const std::vector<double>& scales) const {
  double d = 0.0;
  for (std::size_t j = 0; j < terms_.size(); ++j)
    d += terms_[j].weight * terms_[j].raw(statistics[j]) / scales[j];
  return d;
}

std::vector<double> AbcSmc::term_statistics(const std::vector<double>& evaluated) const {
  std::vector<double> out;
  out.reserve(terms_.size());
  for (const DistanceTerm& t : terms_) out.push_back(evaluated.at(t.index));
  return out;
}

std::vector<double> AbcSmc::next_scales(const AbcState& state) const {
  if (!settings_.adaptive || state.generations.empty()) return std::vector<double>(terms_.size(), 1.0);
  return state.generations.back().spread;
}

double AbcSmc::next_tolerance(const AbcState& state) const {
  if (state.generations.empty()) return kInf;
  const Generation& last = state.generations.back();
  // The last population's distances under the scales the next generation uses.
  const std::vector<double> scales = next_scales(state);
  std::vector<double> sorted;
  for (const auto& statistics : last.statistics) sorted.push_back(distance(statistics, scales));
  std::sort(sorted.begin(), sorted.end());
  const auto k =
      static_cast<std::size_t>(std::floor(settings_.quantile * static_cast<double>(sorted.size() - 1)));
  double next = sorted[k];
  // The last tolerance on the next generation's scales: for a fixed distance the tolerance itself;
  // re-weighted, the largest distance of the last population under the new scales.
  const double previous = settings_.adaptive ? sorted.back() : last.tolerance;
  if (next >= previous) {
    // With discrete distances the quantile can equal the last tolerance; take the largest
    // distance below it instead, so tolerances keep shrinking.
    const auto below = std::lower_bound(sorted.begin(), sorted.end(), previous);
    next = below == sorted.begin() ? previous : *(below - 1);
  }
  return std::max(settings_.min_tolerance, next);
}

double AbcSmc::previous_tolerance(const AbcState& state) const {
  const Generation& last = state.generations.back();
  if (!settings_.adaptive) return last.tolerance;
  const std::vector<double> scales = next_scales(state);
  double largest = 0.0;
  for (const auto& statistics : last.statistics) largest = std::max(largest, distance(statistics, scales));
  return largest;
}

std::string AbcSmc::stop_reason(const AbcState& state) const {
  if (state.generations.empty()) return {};
  const Generation& last = state.generations.back();
  if (state.generations.size() >= settings_.max_generations) {
    return fmt::format("reached the maximum of {} generations", settings_.max_generations);
  }
  if (last.tolerance <= settings_.min_tolerance) {
    return fmt::format("reached the minimum tolerance {}", settings_.min_tolerance);
  }
  if (state.generations.size() > 1 && next_tolerance(state) >= previous_tolerance(state)) {
    return fmt::format(
        "the tolerance cannot shrink below {} (every distance of the last generation equals it)",
        last.tolerance);
  }
  if (state.generations.size() > 1 && last.acceptance_rate() < settings_.min_acceptance) {
    return fmt::format("the acceptance rate {:.4f} fell below the floor {}", last.acceptance_rate(),
                       settings_.min_acceptance);
  }
  return {};
}

void AbcSmc::run_generation(AbcState& state, const Evaluator& evaluate,
                            const std::function<void(std::size_t, std::uint64_t)>& progress) const {
  if (models_ > 1) {
    run_model_choice_generation(state, evaluate, progress);
    return;
  }
  const std::size_t d = priors_.size();
  const std::size_t n = settings_.particles;
  const bool first = state.generations.empty();
  Generation next;
  next.tolerance = next_tolerance(state);
  next.first_attempt = state.next_attempt;
  next.scales = next_scales(state);

  // The proposal kernel: a multivariate normal on the internal scale with covariance
  // kernel_scale x the previous population's weighted covariance (Beaumont et al. 2009).
  std::vector<std::vector<double>> previous_internal;
  std::vector<double> previous_weights;
  std::vector<double> cumulative;
  std::vector<double> chol;
  double log_det_half = 0.0;
  if (!first) {
    const Generation& last = state.generations.back();
    previous_weights = last.weights;
    for (const auto& p : last.particles) {
      std::vector<double> internal(d);
      for (std::size_t k = 0; k < d; ++k) internal[k] = priors_[k].to_internal(p[k]);
      previous_internal.push_back(std::move(internal));
    }
    std::vector<double> mean(d, 0.0);
    for (std::size_t i = 0; i < previous_internal.size(); ++i) {
      for (std::size_t k = 0; k < d; ++k) mean[k] += previous_weights[i] * previous_internal[i][k];
    }
    std::vector<double> cov(d * d, 0.0);
    for (std::size_t i = 0; i < previous_internal.size(); ++i) {
      for (std::size_t a = 0; a < d; ++a) {
        for (std::size_t b = 0; b < d; ++b) {
          cov[a * d + b] +=
              previous_weights[i] * (previous_internal[i][a] - mean[a]) * (previous_internal[i][b] - mean[b]);
        }
      }
    }
    for (double& c : cov) c *= settings_.kernel_scale;
    chol = cholesky(cov, d);
    for (std::size_t k = 0; k < d; ++k) log_det_half += std::log(chol[k * d + k]);
    cumulative.assign(previous_weights.size(), 0.0);
    std::partial_sum(previous_weights.begin(), previous_weights.end(), cumulative.begin());
  }

  const auto propose = [&](std::uint64_t attempt) -> Proposal {
    Stream s({settings_.seed, kProposalKey},
             {static_cast<std::uint32_t>(attempt), static_cast<std::uint32_t>(attempt >> 32), 1U});
    std::vector<double> value(d);
    if (first) {
      for (std::size_t k = 0; k < d; ++k) value[k] = priors_[k].sample(s);
    } else {
      const double u = random::uniform(s) * cumulative.back();
      const std::size_t j = static_cast<std::size_t>(std::min<std::ptrdiff_t>(
          std::lower_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin(),
          static_cast<std::ptrdiff_t>(cumulative.size()) - 1));
      std::vector<double> z(d);
      for (std::size_t k = 0; k < d; ++k) z[k] = random::normal(s);
      for (std::size_t a = 0; a < d; ++a) {
        double x = previous_internal[j][a];
        for (std::size_t b = 0; b <= a; ++b) x += chol[a * d + b] * z[b];
        value[a] = priors_[a].to_value(x);
      }
    }
    for (std::size_t k = 0; k < d; ++k) {
      if (priors_[k].integer) value[k] = std::round(value[k]);
    }
    return {std::move(value), 0, true};
  };

  const std::uint64_t next_attempt = fill_generation(state, next, propose, evaluate, progress);

  // Weights: prior density over the mixture of proposal densities (uniform in generation 0).
  next.weights.assign(n, 1.0 / static_cast<double>(n));
  if (!first) {
    std::vector<double> log_weights(n);
    std::vector<double> internal(d), scratch(d), terms(previous_internal.size());
    for (std::size_t i = 0; i < n; ++i) {
      double log_prior = 0.0;
      for (std::size_t k = 0; k < d; ++k) {
        internal[k] = priors_[k].to_internal(next.particles[i][k]);
        log_prior += priors_[k].log_density(internal[k]);
      }
      for (std::size_t j = 0; j < previous_internal.size(); ++j) {
        terms[j] = std::log(previous_weights[j]) +
                   log_mvn(internal, previous_internal[j], chol, log_det_half, d, scratch);
      }
      log_weights[i] = log_prior - log_sum_exp(terms);
    }
    next.weights = normalised_weights(log_weights);
  }
  state.generations.push_back(std::move(next));
  state.next_attempt = next_attempt;
}

std::uint64_t AbcSmc::fill_generation(const AbcState& state, Generation& next,
                                      const std::function<Proposal(std::uint64_t)>& propose,
                                      const Evaluator& evaluate,
                                      const std::function<void(std::size_t, std::uint64_t)>& progress) const {
  const std::size_t d = priors_.size();
  const std::size_t n = settings_.particles;
  const bool first = state.generations.empty();
  std::vector<std::vector<double>> simulated_statistics(terms_.size());  // [term][simulation]
  std::uint64_t next_attempt = state.next_attempt;  // committed to the state only on success
  while (next.particles.size() < n) {
    const std::size_t batch = first ? n : settings_.batch;
    if (next_attempt + batch > settings_.max_attempts) {
      throw AbcLimitReached(
          fmt::format("generation {} could not reach tolerance {:.6g}: {} of {} particles accepted after {} "
                      "proposals, and the "
                      "calibration's limit is {} proposals in all (max_attempts)",
                      state.generations.size(), next.tolerance, next.particles.size(), n, next.attempts,
                      settings_.max_attempts));
    }
    const std::uint64_t key_limit =
        (std::uint64_t{1} << 32) / std::max<std::uint64_t>(settings_.replicates, 1);
    if (next_attempt + batch > key_limit) {
      throw AbcLimitReached(
          "the calibration ran out of random-stream numbers (proposals x replicates >= 2^32)");
    }
    std::vector<std::vector<double>> proposals;
    std::vector<std::size_t> models;
    std::vector<std::uint32_t> offsets;
    std::vector<bool> valid(batch, false);
    for (std::size_t i = 0; i < batch; ++i) {
      const std::uint64_t attempt = next_attempt + i;
      Proposal p = propose(attempt);
      bool inside = p.alive;
      for (std::size_t k = 0; k < d && inside; ++k) inside = priors_[k].in_support(p.value[k]);
      valid[i] = inside;
      if (!inside) continue;
      proposals.push_back(std::move(p.value));
      models.push_back(p.model);
      offsets.push_back(static_cast<std::uint32_t>(attempt * settings_.replicates));
    }
    const std::vector<std::vector<double>> evaluated =
        proposals.empty() ? std::vector<std::vector<double>>{} : evaluate(proposals, offsets, models);
    std::size_t v = 0;
    for (std::size_t i = 0; i < batch && next.particles.size() < n; ++i) {
      ++next.attempts;
      if (!valid[i]) continue;
      ++next.simulated;
      std::vector<double> statistics = term_statistics(evaluated[v]);
      for (std::size_t j = 0; j < terms_.size(); ++j) simulated_statistics[j].push_back(statistics[j]);
      const double dist = distance(statistics, next.scales);
      if (first || dist <= next.tolerance) {
        next.particles.push_back(proposals[v]);
        next.models.push_back(models[v]);
        next.distances.push_back(dist);
        next.statistics.push_back(std::move(statistics));
      }
      ++v;
    }
    next_attempt += batch;
    if (progress) progress(next.particles.size(), next.attempts);
  }
  for (auto& values : simulated_statistics) next.spread.push_back(robust_scale(std::move(values)));
  return next_attempt;
}

namespace {

/// A perturbation kernel on the internal scale: N(0, kernel_scale x the weighted covariance of a
/// set of particles), as its Cholesky factor.
struct Kernel {
  std::vector<double> chol;
  double log_det_half = 0.0;
};

Kernel kernel_of(const std::vector<std::vector<double>>& points, const std::vector<double>& weights,
                 std::size_t d, double scale) {
  double total = 0.0;
  std::vector<double> mean(d, 0.0);
  for (std::size_t i = 0; i < points.size(); ++i) {
    total += weights[i];
    for (std::size_t k = 0; k < d; ++k) mean[k] += weights[i] * points[i][k];
  }
  for (double& m : mean) m /= total;
  std::vector<double> cov(d * d, 0.0);
  for (std::size_t i = 0; i < points.size(); ++i) {
    for (std::size_t a = 0; a < d; ++a) {
      for (std::size_t b = 0; b < d; ++b) {
        cov[a * d + b] += weights[i] / total * (points[i][a] - mean[a]) * (points[i][b] - mean[b]);
      }
    }
  }
  for (double& c : cov) c *= scale;
  Kernel k;
  k.chol = cholesky(cov, d);
  for (std::size_t a = 0; a < d; ++a) k.log_det_half += std::log(k.chol[a * d + a]);
  return k;
}

}  // namespace

// ABC-SMC model selection (Toni et al. 2009, section 2.3; the model kernel of Toni and Stumpf
// 2010): a proposal draws a model from the last generation's model probabilities, keeps it with
// probability model_stay or moves to another uniformly, draws a particle of that model by its
// weight within the model and perturbs it with that model's kernel. A model whose probability has
// fallen to 0 is not proposed again (such a proposal counts as made and is not simulated). The
// weight of an accepted (m, θ) is prior(θ) over the proposal density of (m, θ); the model prior is
// uniform and cancels.
void AbcSmc::run_model_choice_generation(
    AbcState& state, const Evaluator& evaluate,
    const std::function<void(std::size_t, std::uint64_t)>& progress) const {
  const std::size_t d = priors_.size();
  const std::size_t n = settings_.particles;
  const std::size_t m_count = models_;
  const bool first = state.generations.empty();
  Generation next;
  next.tolerance = next_tolerance(state);
  next.first_attempt = state.next_attempt;
  next.scales = next_scales(state);

  // The last population by model: internal points, weights within the model, cumulative sums and
  // the model's kernel (all particles' covariance where a model has too few to have its own).
  std::vector<double> model_p, model_cumulative;
  std::vector<std::vector<std::vector<double>>> internal(m_count);
  std::vector<std::vector<double>> within(m_count), cumulative(m_count);
  std::vector<Kernel> kernels(m_count);
  if (!first) {
    const Generation& last = state.generations.back();
    model_p = last.model_probabilities(m_count);
    model_cumulative.assign(m_count, 0.0);
    std::partial_sum(model_p.begin(), model_p.end(), model_cumulative.begin());
    std::vector<std::vector<double>> all;
    for (std::size_t i = 0; i < last.particles.size(); ++i) {
      std::vector<double> x(d);
      for (std::size_t k = 0; k < d; ++k) x[k] = priors_[k].to_internal(last.particles[i][k]);
      internal[last.models[i]].push_back(x);
      within[last.models[i]].push_back(last.weights[i]);
      all.push_back(std::move(x));
    }
    const Kernel global = kernel_of(all, last.weights, d, settings_.kernel_scale);
    for (std::size_t m = 0; m < m_count; ++m) {
      if (internal[m].empty()) continue;
      const double total = std::accumulate(within[m].begin(), within[m].end(), 0.0);
      for (double& w : within[m]) w /= total;
      cumulative[m].assign(within[m].size(), 0.0);
      std::partial_sum(within[m].begin(), within[m].end(), cumulative[m].begin());
      kernels[m] =
          internal[m].size() > d ? kernel_of(internal[m], within[m], d, settings_.kernel_scale) : global;
    }
  }
  const double stay = settings_.model_stay;
  const double move = (1.0 - stay) / static_cast<double>(m_count - 1);
  const auto pick = [](const std::vector<double>& sums, double u) {
    const auto it = std::lower_bound(sums.begin(), sums.end(), u * sums.back());
    return std::min<std::size_t>(static_cast<std::size_t>(it - sums.begin()), sums.size() - 1);
  };

  const auto propose = [&](std::uint64_t attempt) {
    Stream s({settings_.seed, kProposalKey},
             {static_cast<std::uint32_t>(attempt), static_cast<std::uint32_t>(attempt >> 32), 1U});
    Proposal p;
    p.value.assign(d, 0.0);
    if (first) {
      p.model = std::min<std::size_t>(
          static_cast<std::size_t>(random::uniform(s) * static_cast<double>(m_count)), m_count - 1);
      for (std::size_t k = 0; k < d; ++k) p.value[k] = priors_[k].sample(s);
    } else {
      const std::size_t from = pick(model_cumulative, random::uniform(s));
      p.model = from;
      if (random::uniform(s) >= stay) {
        // One of the other models, uniformly.
        const auto other = std::min<std::size_t>(
            static_cast<std::size_t>(random::uniform(s) * static_cast<double>(m_count - 1)), m_count - 2);
        p.model = other < from ? other : other + 1;
      }
      if (internal[p.model].empty()) {
        p.alive = false;
        return p;
      }
      const std::size_t j = pick(cumulative[p.model], random::uniform(s));
      std::vector<double> z(d);
      for (std::size_t k = 0; k < d; ++k) z[k] = random::normal(s);
      const std::vector<double>& chol = kernels[p.model].chol;
      for (std::size_t a = 0; a < d; ++a) {
        double x = internal[p.model][j][a];
        for (std::size_t b = 0; b <= a; ++b) x += chol[a * d + b] * z[b];
        p.value[a] = priors_[a].to_value(x);
      }
    }
    for (std::size_t k = 0; k < d; ++k) {
      if (priors_[k].integer) p.value[k] = std::round(p.value[k]);
    }
    return p;
  };

  const std::uint64_t next_attempt = fill_generation(state, next, propose, evaluate, progress);

  next.weights.assign(n, 1.0 / static_cast<double>(n));
  if (!first) {
    std::vector<double> log_weights(n), x(d), scratch(d);
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t m = next.models[i];
      double log_prior = 0.0;
      for (std::size_t k = 0; k < d; ++k) {
        x[k] = priors_[k].to_internal(next.particles[i][k]);
        log_prior += priors_[k].log_density(x[k]);
      }
      // P(proposing model m) = sum over the last models m' of P(m') K(m | m').
      double model_q = 0.0;
      for (std::size_t from = 0; from < m_count; ++from) model_q += model_p[from] * (from == m ? stay : move);
      std::vector<double> terms(internal[m].size());
      for (std::size_t j = 0; j < internal[m].size(); ++j) {
        terms[j] = std::log(within[m][j]) +
                   log_mvn(x, internal[m][j], kernels[m].chol, kernels[m].log_det_half, d, scratch);
      }
      log_weights[i] = log_prior - std::log(model_q) - log_sum_exp(terms);
    }
    next.weights = normalised_weights(log_weights);
  }
  state.generations.push_back(std::move(next));
  state.next_attempt = next_attempt;
}

}  // namespace sim::calibration
