// `lwsim calibrate CALIBRATION.toml -o OUT.h5 [--resume]`: ABC-SMC calibration of parameters to
// observed data (sim/calibration). The output file is rewritten, atomically, after every
// generation, so an interrupted calibration resumes from its last complete generation.

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <numeric>
#include <ostream>
#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "sim/calibration/abc.hpp"
#include "sim/calibration/calibration_file.hpp"
#include "sim/cli/batch_evaluation.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/stored_results.hpp"
#include "sim/error.hpp"
#include "sim/output/layout.hpp"
#include "sim/output/pending_output.hpp"
#include "sim/output/provenance.hpp"
#include "sim/output/result_file.hpp"
#include "sim/run/runner.hpp"
#include "sim/util/interrupt.hpp"
#include "sim/version.hpp"

namespace sim::cli {

namespace {

using calibration::AbcSmc;
using calibration::AbcState;
using calibration::CalibrationFile;
using calibration::Generation;

std::vector<std::int64_t> iota(std::size_t n) {
  std::vector<std::int64_t> v(n);
  std::iota(v.begin(), v.end(), 0);
  return v;
}

/// The predictive distribution of the first summarised observable over the final population.
struct Predictive {
  std::string observable;
  std::vector<double> distribution;
  double observed = 0.0;
  double p_observed = 0.0;
  double p_observed_se = 0.0;
};

output::FileLayout calibration_layout(const CalibrationFile& c, const AbcState& state,
                                      const Predictive* predictive) {
  using output::DatasetPlan;
  using output::Role;
  const std::size_t g = state.generations.size();
  const std::size_t n = c.settings.particles;
  const std::size_t d = c.priors.size();
  std::vector<std::string> names, priors;
  for (const auto& p : c.priors) {
    names.push_back(p.parameter);
    priors.push_back(p.describe());
  }
  output::FileLayout layout;
  const auto scale = [&](const std::string& name, std::size_t size, output::ArrayData data,
                         const std::string& what) {
    layout.datasets.push_back({"/dims/" + name,
                               Role::scale,
                               DType::i64,
                               std::holds_alternative<std::vector<std::string>>(data),
                               {name},
                               {static_cast<hsize_t>(size)},
                               what,
                               "",
                               std::move(data),
                               0});
  };
  scale("parameter", d, names, "calibrated parameter (parameter-table name)");
  scale("generation", g, iota(g), "ABC-SMC generation");
  scale("particle", n, iota(n), "particle of a population");
  scale("statistic", 3, std::vector<std::string>{"median", "q05", "q95"}, "weighted posterior statistic");
  const auto array = [&](const std::string& path, std::vector<std::string> dims, std::vector<hsize_t> shape,
                         output::ArrayData data, const std::string& what, const std::string& units) {
    const bool strings = std::holds_alternative<std::vector<std::string>>(data);
    const bool ints = std::holds_alternative<std::vector<std::int64_t>>(data);
    layout.datasets.push_back({path, Role::constant, ints ? DType::i64 : DType::f64, strings, std::move(dims),
                               std::move(shape), what, units, std::move(data), 0});
  };
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
  const auto G = static_cast<hsize_t>(g), N = static_cast<hsize_t>(n), D = static_cast<hsize_t>(d);
  array("/abc/prior", {"parameter"}, {D}, priors, "prior distribution of each parameter", "");
  array("/abc/particles", {"generation", "particle", "parameter"}, {G, N, D}, particles,
        "accepted particles of each generation (parameter values)", "see the parameter table");
  array("/abc/weights", {"generation", "particle"}, {G, N}, weights, "normalised importance weights", "1");
  array("/abc/distances", {"generation", "particle"}, {G, N}, distances, "distance of each accepted particle",
        "distance");
  array("/abc/tolerance", {"generation"}, {G}, tolerance,
        "tolerance of each generation (inf for generation 0)", "distance");
  array("/abc/effective_sample_size", {"generation"}, {G}, ess, "effective sample size 1 / sum(w^2)",
        "particles");
  array("/abc/acceptance_rate", {"generation"}, {G}, acceptance,
        "accepted particles / proposals made up to the last acceptance", "1");
  array("/abc/proposals", {"generation"}, {G}, attempts, "proposals made up to the last acceptance",
        "proposals");
  array("/abc/simulated", {"generation"}, {G}, simulated, "proposals inside the prior's support (simulated)",
        "proposals");
  array("/abc/first_proposal", {"generation"}, {G}, first, "number of the generation's first proposal", "1");
  if (g > 0) {
    const Generation& last = state.generations.back();
    std::vector<double> final_particles;
    for (const auto& p : last.particles) final_particles.insert(final_particles.end(), p.begin(), p.end());
    array("/posterior/particles", {"particle", "parameter"}, {N, D}, final_particles,
          "the final population: a weighted sample of the ABC posterior", "see the parameter table");
    array("/posterior/weights", {"particle"}, {N}, last.weights, "weights of the final population", "1");
    std::vector<double> summary;
    for (std::size_t k = 0; k < d; ++k) {
      std::vector<double> column;
      for (const auto& p : last.particles) column.push_back(p[k]);
      for (double q : {0.5, 0.05, 0.95})
        summary.push_back(calibration::weighted_quantile(column, last.weights, q));
    }
    array("/posterior/summary", {"parameter", "statistic"}, {D, 3}, summary,
          "weighted median and 90% interval (5% and 95% quantiles) of each parameter",
          "see the parameter table");
  }
  if (predictive != nullptr) {
    const auto bins = predictive->distribution.size();
    scale(predictive->observable, bins, iota(bins), "possible values of " + predictive->observable);
    array("/posterior_predictive/" + predictive->observable + "_distribution", {predictive->observable},
          {static_cast<hsize_t>(bins)}, predictive->distribution,
          "posterior predictive distribution: P(value) over the final population's weighted particles",
          "probability");
    array("/posterior_predictive/p_observed", {}, {}, std::vector<double>{predictive->p_observed},
          fmt::format("posterior predictive P({} = {}), the observed value", predictive->observable,
                      predictive->observed),
          "probability");
    array("/posterior_predictive/p_observed_se", {}, {}, std::vector<double>{predictive->p_observed_se},
          "approximate Monte Carlo standard error of p_observed", "probability");
  }
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

AbcState read_state(const output::ResultFile& file, const CalibrationFile& c) {
  AbcState state;
  const auto g = static_cast<std::size_t>(file.attribute_int("generations"));
  state.next_attempt = static_cast<std::uint64_t>(file.attribute_int("next_proposal"));
  const std::size_t n = c.settings.particles, d = c.priors.size();
  if (g == 0) return state;
  const auto particles = file.read_doubles("/abc/particles");
  const auto weights = file.read_doubles("/abc/weights");
  const auto distances = file.read_doubles("/abc/distances");
  const auto tolerance = file.read_doubles("/abc/tolerance");
  const auto attempts = file.read_doubles("/abc/proposals");
  const auto simulated = file.read_doubles("/abc/simulated");
  const auto first = file.read_doubles("/abc/first_proposal");
  if (particles.size() != g * n * d || weights.size() != g * n || tolerance.size() != g) {
    throw InputError(file.path(), 0, "--resume", "the stored generations do not match the calibration file");
  }
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

}  // namespace

int calibrate_command(const CalibrateArgs& args, const ModelRegistry& registry, std::ostream& out,
                      const mpi::Session& session) {
  const CalibrationFile c = calibration::load_calibration(args.file, registry);
  const unsigned threads = resolve_threads(args.threads);
  const bool root = session.rank() == 0;
  const OutputSchema schema = c.scenario.model->schema(*c.scenario.setup);

  Job base = job_for(c.scenario);
  base.seed = c.settings.seed;
  std::vector<std::size_t> swept;
  for (const auto& p : c.priors) swept.push_back(p.index);
  BatchEvaluator evaluator(session, base, swept, threads);
  if (!root) {
    evaluator.serve();
    return static_cast<int>(session.broadcast(std::int64_t{0}));
  }

  const std::string inputs = c.resolved_text();
  output::Attributes attributes = output::provenance_attributes(
      c.scenario, {"calibration", args.command_line, threads, session.size(), inputs});
  for (auto& [key, value] : attributes) {
    if (key == "title") value = c.title;
  }
  attributes.emplace_back("calibration_file", args.file);
  attributes.emplace_back("calibration", inputs);
  attributes.emplace_back("question", c.question);

  return evaluator.conclude([&]() -> int {
    AbcState state;
    output::PendingOutput pending(output::OutputTarget{
        args.output, "-o", args.resume, "use --resume to continue it, or choose another name", c.sources});
    if (!args.resume) {
      write_calibration(pending, c, state, nullptr, attributes, "running", "");
    } else {
      std::error_code ec;
      if (!std::filesystem::exists(args.output, ec)) {
        throw InputError(args.output, 0, "--resume", "no such file to resume; run without --resume to start");
      }
      const output::ResultFile existing = open_input_file(args.output);
      for (const char* name : {"kind", "lwsim_version", "results_version", "inputs_fingerprint"}) {
        std::string wanted;
        for (const auto& [key, value] : attributes) {
          if (key == name) wanted = std::get<std::string>(value);
        }
        if (!existing.has_attribute(name) || existing.attribute_string(name) != wanted) {
          throw InputError(
              args.output, 0, "--resume",
              fmt::format("the file was not started from this calibration file with this lwsim (its {} "
                          "differs); start a new output file",
                          name));
        }
      }
      state = read_state(existing, c);
      if (existing.attribute_string("status") == "complete") {
        fmt::print(out, "{} is already complete ({} generations). See `lwsim report {}`.\n", args.output,
                   state.generations.size(), args.output);
        evaluator.finish();
        return kExitSuccess;
      }
    }

    const AbcSmc abc(c.priors, c.terms, c.settings);
    std::vector<std::string> keep;
    for (const auto& o : schema.observables) keep.push_back(output::distribution_path(o));
    const auto means_of = [&](const PointSummary& s) {
      std::vector<double> means;
      for (const auto& o : schema.observables) {
        const auto& dist = s.at(output::distribution_path(o));
        double m = 0.0;
        for (std::size_t k = 0; k < dist.size(); ++k) m += static_cast<double>(k) * dist[k];
        means.push_back(m);
      }
      return means;
    };
    const calibration::Evaluator evaluate = [&](const std::vector<std::vector<double>>& values,
                                                const std::vector<std::uint32_t>& offsets) {
      const auto summaries = evaluator.evaluate(values, offsets, c.settings.replicates, keep);
      std::vector<std::vector<double>> means;
      for (const auto& s : summaries) means.push_back(means_of(s));
      return means;
    };
    install_interrupt_handlers();
    const bool quiet = args.quiet;
    const bool terminal = isatty(fileno(stderr)) != 0;
    std::string stop = abc.stop_reason(state);
    while (stop.empty()) {
      if (stop_requested()) break;
      const std::size_t g = state.generations.size();
      try {
        abc.run_generation(state, evaluate, [&](std::size_t accepted, std::uint64_t attempts) {
          if (!quiet && terminal) {
            fmt::print(std::cerr, "\rlwsim: generation {}: {}/{} particles accepted of {} proposals\x1b[K", g,
                       accepted, c.settings.particles, attempts);
          }
        });
      } catch (const BatchInterrupted&) {
        break;  // the generation in progress is dropped; the file holds the complete ones
      } catch (const calibration::AbcLimitReached& e) {
        if (!quiet && terminal) fmt::print(std::cerr, "\n");
        write_calibration(pending, c, state, nullptr, attributes, "stopped", e.what());
        throw std::runtime_error(fmt::format(
            "{}; the {} complete generation{} are saved in {} (raise max_attempts, or a higher min_tolerance "
            "or "
            "quantile, and resume with --resume)",
            e.what(), state.generations.size(), state.generations.size() == 1 ? " is" : "s", args.output));
      }
      const Generation& gen = state.generations.back();
      if (!quiet) {
        fmt::print(std::cerr, "{}lwsim: generation {}: tolerance {:.4g}, acceptance {:.3f}, ESS {:.0f}{}\n",
                   terminal ? "\r" : "", g, gen.tolerance, gen.acceptance_rate(), gen.effective_sample_size(),
                   terminal ? "\x1b[K" : "");
      }
      write_calibration(pending, c, state, nullptr, attributes, "running", "");
      stop = abc.stop_reason(state);
    }
    if (stop.empty()) {
      evaluator.finish();
      if (!quiet && terminal) fmt::print(std::cerr, "\n");
      fmt::print(std::cerr,
                 "lwsim: interrupted by signal {}: {} generations are saved in {}.\n"
                 "lwsim: resume with: lwsim calibrate {} -o {} --resume\n",
                 stop_signal(), state.generations.size(), args.output, args.file, args.output);
      return 128 + (stop_signal() > 0 ? stop_signal() : 2);
    }

    // The posterior predictive distribution of the first summarised observable.
    const Generation& last = state.generations.back();
    const ObservableSpec* observable = nullptr;
    for (const auto& o : schema.observables) {
      if (o.summarised && observable == nullptr) observable = &o;
    }
    Predictive predictive;
    predictive.observable = observable->name;
    predictive.distribution.assign(static_cast<std::size_t>(observable->max_value) + 1, 0.0);
    predictive.observed = static_cast<double>(*c.scenario.observation->find(observable->name));
    std::vector<std::uint32_t> offsets;
    const std::uint64_t r = c.settings.predictive_replicates;
    const std::uint64_t start = state.next_attempt * c.settings.replicates;
    if (start + last.particles.size() * r >= (std::uint64_t{1} << 32)) {
      throw std::runtime_error(
          "the calibration ran out of random-stream numbers for its posterior predictive");
    }
    for (std::size_t i = 0; i < last.particles.size(); ++i)
      offsets.push_back(static_cast<std::uint32_t>(start + i * r));
    std::vector<PointSummary> summaries;
    try {
      summaries = evaluator.evaluate(last.particles, offsets, r, {output::distribution_path(*observable)});
    } catch (const BatchInterrupted&) {
      evaluator.finish();
      fmt::print(std::cerr,
                 "lwsim: interrupted by signal {} during the posterior predictive: the {} generations are "
                 "saved in {}.\nlwsim: resume with: lwsim calibrate {} -o {} --resume\n",
                 stop_signal(), state.generations.size(), args.output, args.file, args.output);
      return 128 + (stop_signal() > 0 ? stop_signal() : 2);
    }
    const auto observed_bin = static_cast<std::size_t>(predictive.observed);
    double variance = 0.0;
    for (std::size_t i = 0; i < last.particles.size(); ++i) {
      const auto& dist = summaries[i].at(output::distribution_path(*observable));
      for (std::size_t k = 0; k < dist.size(); ++k) predictive.distribution[k] += last.weights[i] * dist[k];
    }
    predictive.p_observed =
        observed_bin < predictive.distribution.size() ? predictive.distribution[observed_bin] : 0.0;
    for (std::size_t i = 0; i < last.particles.size(); ++i) {
      const auto& dist = summaries[i].at(output::distribution_path(*observable));
      const double p = observed_bin < dist.size() ? dist[observed_bin] : 0.0;
      const double w = last.weights[i];
      variance += w * w *
                  ((p - predictive.p_observed) * (p - predictive.p_observed) +
                   p * (1.0 - p) / static_cast<double>(r));
    }
    predictive.p_observed_se = std::sqrt(variance);
    evaluator.finish();
    write_calibration(pending, c, state, &predictive, attributes, "complete", stop);

    fmt::print(out, "lwsim {} | calibration {} | {}\n", lwsim_version(), args.file, c.title);
    if (!c.question.empty()) fmt::print(out, "question: {}\n", c.question);
    fmt::print(out,
               "ABC-SMC with {} particles, {} replicate(s) per proposal: stopped after {} generations "
               "because it {}\n",
               c.settings.particles, c.settings.replicates, state.generations.size(), stop);
    fmt::print(out, "  gen  tolerance  acceptance    ESS\n");
    for (std::size_t i = 0; i < state.generations.size(); ++i) {
      const Generation& gen = state.generations[i];
      fmt::print(out, "  {:>3}  {:>9.4g}  {:>10.4f}  {:>5.0f}\n", i, gen.tolerance, gen.acceptance_rate(),
                 gen.effective_sample_size());
    }
    fmt::print(out, "Posterior (weighted median and 90% interval)\n");
    for (std::size_t k = 0; k < c.priors.size(); ++k) {
      std::vector<double> column;
      for (const auto& p : last.particles) column.push_back(p[k]);
      fmt::print(out, "  {:<40} {:.4g}  [{:.4g}, {:.4g}]   prior {}\n", c.priors[k].parameter,
                 calibration::weighted_quantile(column, last.weights, 0.5),
                 calibration::weighted_quantile(column, last.weights, 0.05),
                 calibration::weighted_quantile(column, last.weights, 0.95), c.priors[k].describe());
    }
    fmt::print(out, "Posterior predictive P({} = {}) = {:.4f} ± {:.4f}\n", predictive.observable,
               predictive.observed, predictive.p_observed, predictive.p_observed_se);
    fmt::print(out, "Wrote {}\n", args.output);
    return kExitSuccess;
  });
}

}  // namespace sim::cli
