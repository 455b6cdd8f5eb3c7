#include "sim/calibration/posterior.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>

#include "sim/error.hpp"
#include "sim/output/provenance.hpp"
#include "sim/output/result_file.hpp"

namespace sim::calibration {

namespace {

[[noreturn]] void refuse(const std::string& path, const std::string& why) {
  throw InputError(path, 0, "--posterior", why);
}

}  // namespace

Posterior load_posterior(const std::string& path, const Scenario& scenario) {
  Posterior posterior;
  posterior.file = path;
  std::optional<output::ResultFile> file;
  try {
    file.emplace(output::ResultFile::open(path, false));
  } catch (const h5::OutputError& e) {
    refuse(path, fmt::format("cannot read it as a calibration: {}", e.what()));
  }
  if (!file->has_attribute("kind") || file->attribute_string("kind") != "calibration") {
    refuse(path, "not a calibration file (`lwsim calibrate -o` writes one)");
  }
  if (!file->has_attribute("status") || file->attribute_string("status") != "complete") {
    refuse(path, "the calibration is not complete: resume it with `lwsim calibrate ... --resume` first");
  }
  if (file->has_dataset("/posterior/model_probability")) {
    refuse(path,
           "the calibration chooses between [[variant]]s; --posterior takes the calibration of one model "
           "(calibrate the chosen variant on its own)");
  }
  const std::string version(scenario.model->results_version());
  if (!file->has_attribute("results_version") || file->attribute_string("results_version") != version) {
    refuse(path,
           fmt::format(
               "the calibration was made with results version {} of the model, this lwsim has {}: "
               "calibrate again",
               file->has_attribute("results_version") ? file->attribute_string("results_version") : "(none)",
               version));
  }
  try {
    posterior.names = file->read_strings("/dims/parameter");
    const std::size_t d = posterior.names.size();
    const std::vector<hsize_t> shape = file->shape("/posterior/particles");
    if (shape.size() != 2 || shape[1] != d || shape[0] == 0 || shape[0] > 10'000'000) {
      refuse(path, "its /posterior/particles does not match its parameters");
    }
    const auto n = static_cast<std::size_t>(shape[0]);
    const std::vector<double> values = file->read_doubles("/posterior/particles", n * d);
    posterior.weights = file->read_doubles("/posterior/weights", n);
    for (std::size_t i = 0; i < n; ++i) {
      posterior.particles.emplace_back(values.begin() + static_cast<std::ptrdiff_t>(i * d),
                                       values.begin() + static_cast<std::ptrdiff_t>((i + 1) * d));
    }
  } catch (const h5::OutputError& e) {
    refuse(path, fmt::format("damaged calibration file: {}", e.what()));
  }
  double total = 0.0;
  for (double w : posterior.weights) {
    if (!(w >= 0.0) || !std::isfinite(w))
      refuse(path, "damaged calibration file: a weight is not a finite number >= 0");
    total += w;
    posterior.cumulative.push_back(total);
  }
  if (!(total > 0.0)) refuse(path, "damaged calibration file: the weights sum to 0");
  const ParamTable& table = scenario.params().table();
  for (const std::string& name : posterior.names) {
    const std::optional<std::size_t> index = table.find(name);
    if (!index)
      refuse(path,
             fmt::format("calibrates '{}', which model {} does not have", name, scenario.model->name()));
    posterior.parameters.push_back(*index);
  }
  // Every particle must make a valid scenario (the calibration's base may differ from this one).
  for (std::size_t i = 0; i < posterior.particles.size(); ++i) {
    ParamValues values = scenario.params();
    for (std::size_t k = 0; k < posterior.parameters.size(); ++k) {
      const double v = posterior.particles[i][k];
      const ParamSpec& spec = table[posterior.parameters[k]];
      if (!std::isfinite(v) || v < spec.min || v > spec.max) {
        refuse(path, fmt::format("particle {} gives {} = {}, outside its range [{}, {}]", i, spec.name, v,
                                 spec.min, spec.max));
      }
      values.set(posterior.parameters[k], v, {path, 0});
    }
    try {
      scenario.model->check(*scenario.setup, values);
    } catch (const InputError& e) {
      refuse(path, fmt::format("particle {} does not make a valid scenario with {}: {}", i, scenario.file,
                               e.detail()));
    }
  }
  posterior.seed = scenario.seed;
  return posterior;
}

void attach_posterior(Job& job, Posterior posterior) {
  for (std::size_t k = 0; k < posterior.parameters.size(); ++k) {
    for (std::size_t swept : job.swept) {
      if (swept == posterior.parameters[k]) {
        refuse(posterior.file,
               fmt::format("the design varies {}, which the posterior gives: a parameter is either "
                           "swept or drawn from the posterior",
                           posterior.names[k]));
      }
    }
  }
  posterior.seed = job.seed;
  declare_posterior_outputs(job.schema, posterior);
  job.posterior = std::make_shared<const Posterior>(std::move(posterior));
}

std::string posterior_inputs(const Posterior& posterior) {
  std::string values;
  for (const auto& row : posterior.particles) {
    for (double v : row) values += fmt::format("{} ", v);
  }
  for (double w : posterior.weights) values += fmt::format("{} ", w);
  std::string names;
  for (const std::string& n : posterior.names) names += (names.empty() ? "" : ", ") + n;
  return fmt::format(
      "\n# parameters drawn per replicate from the posterior of {} ({} particles; {}); "
      "particles and weights fingerprint {}\n",
      posterior.file, posterior.particles.size(), names, output::fingerprint(values));
}

void refuse_set_parameters(const Posterior& posterior, const std::vector<std::string>& sets) {
  for (const std::string& set : sets) {
    const std::string name = set.substr(0, set.find('='));
    for (const std::string& p : posterior.names) {
      if (name == p) {
        throw InputError(
            "command line", 0, "--set",
            fmt::format("{} is drawn from the posterior of {} (--posterior): leave it out of --set", p,
                        posterior.file));
      }
    }
  }
}

void print_variance_split(const Posterior& posterior, const OutputSchema& schema, const PointSummary& summary,
                          std::uint64_t replicates, std::ostream& out) {
  fmt::print(out, "\nParameters drawn per replicate from the posterior of {} ({} particles: {})\n",
             posterior.file, posterior.particles.size(), fmt::join(posterior.names, ", "));
  const auto& draws = summary.at(schema, posterior.draws);
  for (const Posterior::ObservableSums& sums : posterior.sums) {
    const VarianceSplit split =
        split_variance(draws, summary.at(schema, sums.sum), summary.at(schema, sums.sum_of_squares),
                       static_cast<double>(replicates));
    if (!(split.total > 0.0)) continue;
    fmt::print(
        out,
        "  variance of {} over the replicates {:.4g}: {:.0f}% from the calibrated parameters (between the {} "
        "particles drawn), {:.0f}% stochastic (within them)\n",
        schema.observables[sums.observable].name, split.total, 100.0 * split.parameter / split.total,
        split.particles, 100.0 * split.stochastic / split.total);
  }
}

VarianceSplit split_variance(const std::vector<double>& values, const std::vector<double>& particles) {
  // The same sums as the stored per-particle summaries, from the replicates themselves.
  std::size_t n = 0;
  for (double p : particles) n = std::max(n, static_cast<std::size_t>(p) + 1);
  std::vector<double> draws(n, 0.0), sums(n, 0.0), squares(n, 0.0);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const auto j = static_cast<std::size_t>(particles[i]);
    draws[j] += 1.0;
    sums[j] += values[i];
    squares[j] += values[i] * values[i];
  }
  return split_variance(draws, sums, squares, 1.0);
}

VarianceSplit split_variance(const std::vector<double>& draws, const std::vector<double>& sums,
                             const std::vector<double>& squares, double replicates) {
  VarianceSplit split;
  // Back from means per replicate to the exact integer sums.
  double n = 0.0, total_sum = 0.0, total_squares = 0.0, within = 0.0;
  for (std::size_t j = 0; j < draws.size(); ++j) {
    const double count = std::round(draws[j] * replicates);
    if (count <= 0.0) continue;
    const double sum = sums[j] * replicates;
    const double sq = squares[j] * replicates;
    ++split.particles;
    n += count;
    total_sum += sum;
    total_squares += sq;
    within += sq - sum * sum / count;
  }
  if (n < 2.0) return split;
  split.total = (total_squares - total_sum * total_sum / n) / (n - 1.0);
  // One-way analysis of variance: the within-particle mean square estimates E[Var(Y | particle)];
  // the rest of the total is the parameters' share (not below 0).
  const double residual_df = n - static_cast<double>(split.particles);
  split.stochastic = residual_df > 0.0 ? within / residual_df : split.total;
  split.stochastic = std::clamp(split.stochastic, 0.0, split.total);
  split.parameter = split.total - split.stochastic;
  return split;
}

}  // namespace sim::calibration
