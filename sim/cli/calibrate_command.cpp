// `lwsim calibrate CALIBRATION.toml -o OUT.h5 [--resume]`: ABC-SMC calibration of parameters to
// observed data (sim/calibration). The output file (sim/calibration/calibration_output.hpp) is
// rewritten, atomically, after every generation, so an interrupted calibration resumes from its
// last complete generation.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <ostream>
#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "sim/calibration/abc.hpp"
#include "sim/calibration/calibration_file.hpp"
#include "sim/calibration/calibration_output.hpp"
#include "sim/cli/batch_evaluation.hpp"
#include "sim/cli/command.hpp"
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
using calibration::Predictive;

/// A calibration under way on rank 0: what it reads, computes with and writes to.
struct Calibration {
  const CalibrateArgs& args;
  const CalibrationFile& file;
  const OutputSchema& schema;
  BatchEvaluator& evaluator;
  const output::Attributes& attributes;
  output::PendingOutput& output;
  mutable std::optional<std::size_t> saved_generations;  // what the output file holds, once written

  /// Rewrites the output with `state`. A failure (a full disk) leaves the file as it was written
  /// last, which --resume continues: the message says so.
  void write(const AbcState& state, const Predictive* predictive, const std::string& status,
             const std::string& stop) const {
    try {
      calibration::write_calibration(output, file, state, predictive, attributes, status, stop);
    } catch (const InputError&) {
      throw;
    } catch (const std::exception& e) {
      if (!saved_generations) throw std::runtime_error(fmt::format("{}; nothing was written", e.what()));
      const std::size_t g = *saved_generations;
      throw std::runtime_error(fmt::format(
          "{}; {} keeps its {} complete generation{}: make room and resume with `lwsim calibrate {} -o {} "
          "--resume`",
          e.what(), args.output, g, g == 1 ? "" : "s", args.file, args.output));
    }
    saved_generations = state.generations.size();
  }
  /// Says how to resume after a stop (during the generations or the posterior predictive);
  /// returns the exit code.
  [[nodiscard]] int stopped(const AbcState& state, bool in_predictive) const {
    evaluator.finish();
    const std::size_t g = state.generations.size();
    const std::string saved = in_predictive
                                  ? fmt::format(" during the posterior predictive: the {} generations", g)
                                  : fmt::format(": {} generations", g);
    fmt::print(std::cerr,
               "lwsim: interrupted by signal {}{} are saved in {}.\n"
               "lwsim: resume with: lwsim calibrate {} -o {} --resume\n",
               stop_signal(), saved, args.output, args.file, args.output);
    return 128 + (stop_signal() > 0 ? stop_signal() : 2);
  }
};

/// The generations stored by a calibration to resume, and whether it is complete.
struct Resumed {
  AbcState state;
  bool complete = false;
};

/// What a resumed calibration starts from: its file must have been started by this calibration
/// file with this lwsim.
Resumed read_resumed(const Calibration& run) {
  const std::string& path = run.args.output;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    throw InputError(path, 0, "--resume", "no such file to resume; run without --resume to start");
  }
  const output::ResultFile existing = open_input_file(path);
  for (const char* name : {"kind", "lwsim_version", "results_version", "inputs_fingerprint"}) {
    std::string wanted;
    for (const auto& [key, value] : run.attributes) {
      if (key == name) wanted = std::get<std::string>(value);
    }
    if (!existing.has_attribute(name) || existing.attribute_string(name) != wanted) {
      throw InputError(
          path, 0, "--resume",
          fmt::format("the file was not started from this calibration file with this lwsim (its {} "
                      "differs); start a new output file",
                      name));
    }
  }
  return {calibration::read_calibration_state(existing, run.file),
          existing.attribute_string("status") == "complete"};
}

/// The summaries a proposal's statistics are computed from: every observable's distribution and
/// every pattern's inputs.
std::vector<std::string> statistic_inputs(const OutputSchema& schema) {
  std::vector<std::string> keep;
  for (const auto& o : schema.observables) keep.push_back(output::distribution_path(o));
  for (const PatternSpec& p : schema.patterns) {
    for (const std::string& input : p.inputs) {
      if (std::find(keep.begin(), keep.end(), input) == keep.end()) keep.push_back(input);
    }
  }
  return keep;
}

/// A point's statistics: the mean of every observable over its replicates, then every pattern.
std::vector<double> point_statistics(const OutputSchema& schema, const PointSummary& s) {
  std::vector<double> out;
  for (const auto& o : schema.observables) {
    const auto& dist = s.at(output::distribution_path(o));
    double m = 0.0;
    for (std::size_t k = 0; k < dist.size(); ++k) m += static_cast<double>(k) * dist[k];
    out.push_back(m);
  }
  for (const PatternSpec& p : schema.patterns) out.push_back(p.compute(s));
  return out;
}

/// A proposal's values for the evaluator: the calibrated parameters, then the switches of its model
/// (model choice).
std::vector<double> with_switches(const CalibrationFile& c, const std::vector<double>& values,
                                  std::size_t model) {
  std::vector<double> row = values;
  if (!c.models.empty()) row.insert(row.end(), c.switch_values[model].begin(), c.switch_values[model].end());
  return row;
}

/// Runs generations until the calibration's stop rule says why it stops (returned), or a signal
/// asks it to stop (empty). The file is rewritten after every generation.
std::string run_generations(const Calibration& run, AbcState& state) {
  const CalibrationFile& c = run.file;
  const AbcSmc abc(c.priors, c.terms, c.settings, c.models.size());
  const std::vector<std::string> keep = statistic_inputs(run.schema);
  const calibration::Evaluator evaluate = [&](const std::vector<std::vector<double>>& values,
                                              const std::vector<std::uint32_t>& offsets,
                                              const std::vector<std::size_t>& models) {
    std::vector<std::vector<double>> rows;
    for (std::size_t i = 0; i < values.size(); ++i) rows.push_back(with_switches(c, values[i], models[i]));
    std::vector<std::vector<double>> statistics;
    for (const PointSummary& s : run.evaluator.evaluate(rows, offsets, c.settings.replicates, keep)) {
      statistics.push_back(point_statistics(run.schema, s));
    }
    return statistics;
  };
  const bool quiet = run.args.quiet;
  const bool terminal = isatty(fileno(stderr)) != 0;
  std::string stop = abc.stop_reason(state);
  while (stop.empty() && !stop_requested()) {
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
      run.write(state, nullptr, "stopped", e.what());
      throw std::runtime_error(fmt::format(
          "{}; the {} complete generation{} are saved in {} (raise max_attempts, or a higher min_tolerance "
          "or "
          "quantile, and resume with --resume)",
          e.what(), state.generations.size(), state.generations.size() == 1 ? " is" : "s", run.args.output));
    }
    const Generation& gen = state.generations.back();
    if (!quiet) {
      fmt::print(std::cerr, "{}lwsim: generation {}: tolerance {:.4g}, acceptance {:.3f}, ESS {:.0f}{}\n",
                 terminal ? "\r" : "", g, gen.tolerance, gen.acceptance_rate(), gen.effective_sample_size(),
                 terminal ? "\x1b[K" : "");
    }
    run.write(state, nullptr, "running", "");
    stop = abc.stop_reason(state);
  }
  if (stop.empty() && !quiet && terminal) fmt::print(std::cerr, "\n");
  return stop;
}

/// The posterior predictive distribution of the model's first summarised observable over the
/// final population, or nothing when a signal stopped it.
std::optional<Predictive> predict(const Calibration& run, const AbcState& state) {
  const CalibrationFile& c = run.file;
  const Generation& last = state.generations.back();
  const ObservableSpec* observable = nullptr;
  for (const auto& o : run.schema.observables) {
    if (o.summarised && observable == nullptr) observable = &o;
  }
  const std::uint64_t r = c.settings.predictive_replicates;
  const std::uint64_t start = state.next_attempt * c.settings.replicates;
  if (start + last.particles.size() * r >= (std::uint64_t{1} << 32)) {
    throw std::runtime_error("the calibration ran out of random-stream numbers for its posterior predictive");
  }
  // Each particle's replicates are simulated as points of one replicate (the same streams as one
  // point of r replicates), so that every pattern is computed as for one evaluation of the
  // practices, as observed.
  std::vector<std::vector<double>> values;
  std::vector<std::uint32_t> offsets;
  for (std::size_t i = 0; i < last.particles.size(); ++i) {
    for (std::uint64_t k = 0; k < r; ++k) {
      values.push_back(with_switches(c, last.particles[i], last.models[i]));
      offsets.push_back(static_cast<std::uint32_t>(start + i * r + k));
    }
  }
  // Simulated in twenty parts or so, with progress counted in simulations (the parts change no
  // result: each draw's streams are its own).
  const bool quiet = run.args.quiet;
  const bool terminal = isatty(fileno(stderr)) != 0;
  const std::size_t total = values.size();
  const std::size_t part = std::max<std::size_t>(total / 20, 1);
  const std::vector<std::string> keep = statistic_inputs(run.schema);
  try {
    std::vector<PointSummary> summaries;
    summaries.reserve(total);
    for (std::size_t from = 0; from < total; from += part) {
      const std::size_t to = std::min(total, from + part);
      const std::vector<std::vector<double>> chunk(values.begin() + static_cast<std::ptrdiff_t>(from),
                                                   values.begin() + static_cast<std::ptrdiff_t>(to));
      const std::vector<std::uint32_t> chunk_offsets(offsets.begin() + static_cast<std::ptrdiff_t>(from),
                                                     offsets.begin() + static_cast<std::ptrdiff_t>(to));
      for (PointSummary& s : run.evaluator.evaluate(chunk, chunk_offsets, 1, keep))
        summaries.push_back(std::move(s));
      if (!quiet && terminal) {
        fmt::print(std::cerr, "\rlwsim: posterior predictive: {}/{} simulations\x1b[K", to, total);
      }
    }
    if (!quiet) {
      fmt::print(std::cerr, "{}lwsim: posterior predictive: {} simulations ({} per particle){}\n",
                 terminal ? "\r" : "", total, r, terminal ? "\x1b[K" : "");
    }
    const auto observed = static_cast<double>(*c.scenario.observation->find(observable->name));
    Predictive predictive =
        calibration::posterior_predictive(*observable, observed, summaries, last.weights, r);
    std::vector<std::vector<double>> statistics;
    for (const PointSummary& s : summaries) statistics.push_back(point_statistics(run.schema, s));
    predictive.checks = calibration::pattern_checks(run.schema, c.scenario.observation->patterns, statistics,
                                                    last.weights, r);
    return predictive;
  } catch (const BatchInterrupted&) {
    return std::nullopt;
  }
}

void print_summary(const Calibration& run, const AbcState& state, const Predictive& predictive,
                   const std::string& stop, std::ostream& out) {
  const CalibrationFile& c = run.file;
  const Generation& last = state.generations.back();
  fmt::print(out, "lwsim {} | calibration {} | {}\n", lwsim_version(), run.args.file, c.title);
  if (!c.question.empty()) fmt::print(out, "question: {}\n", c.question);
  fmt::print(out,
             "ABC-SMC with {} particles, {} replicate(s) per proposal: stopped after {} generations: "
             "{}\n",
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
  if (!c.models.empty()) {
    const std::vector<double> p = last.model_probabilities(c.models.size());
    const double ess = last.effective_sample_size();
    fmt::print(out, "Posterior model probabilities (± approximate Monte Carlo error sqrt(p(1 - p) / ESS))\n");
    for (std::size_t m = 0; m < c.models.size(); ++m) {
      fmt::print(out, "  {:<40} {:.3f} ± {:.3f}\n", c.models[m].name, p[m],
                 std::sqrt(p[m] * (1.0 - p[m]) / ess));
    }
  }
  fmt::print(out, "Posterior predictive P({} = {}) = {:.4f} ± {:.4f}\n", predictive.observable,
             predictive.observed, predictive.p_observed, predictive.p_observed_se);
  if (!predictive.checks.empty()) {
    fmt::print(out,
               "Posterior predictive checks of the observed patterns (one simulated evaluation per draw; p: "
               "P(a draw holds) for a sign or interval, two-sided tail probability for a value)\n");
    fmt::print(out, "  {:<24} {:>16}  {:>9}  {:>9}  {}\n", "pattern", "observed", "mean", "p", "verdict");
    for (const calibration::PatternCheck& check : predictive.checks) {
      fmt::print(out, "  {:<24} {:>16}  {:>9.3f}  {:>9.3f}  {}{}\n", check.name, check.observed, check.mean,
                 check.p, check.verdict,
                 check.undefined > 0.0
                     ? fmt::format(" (undefined in {:.1f}% of draws)", 100.0 * check.undefined)
                     : "");
    }
  }
  fmt::print(out, "Wrote {}\n", run.args.output);
}

}  // namespace

int calibrate_command(const CalibrateArgs& args, const ModelRegistry& registry, std::ostream& out,
                      const mpi::Session& session) {
  const CalibrationFile c = calibration::load_calibration(args.file, registry);
  const unsigned threads = resolve_threads(args.threads);
  const OutputSchema schema = c.scenario.model->schema(*c.scenario.setup);
  Job base = job_for(c.scenario);
  base.seed = c.settings.seed;
  std::vector<std::size_t> swept;
  for (const auto& p : c.priors) swept.push_back(p.index);
  swept.insert(swept.end(), c.switches.begin(), c.switches.end());
  BatchEvaluator evaluator(session, base, swept, threads);
  if (session.rank() != 0) {
    evaluator.serve();
    return static_cast<int>(session.broadcast(std::int64_t{0}));
  }
  const output::Attributes attributes = output::study_attributes(
      c, {"calibration", args.command_line, threads, session.size(), c.resolved_text()});
  return evaluator.conclude([&]() -> int {
    output::PendingOutput pending(output::OutputTarget{
        args.output, "-o", args.resume, "use --resume to continue it, or choose another name", c.sources});
    const Calibration run{args, c, schema, evaluator, attributes, pending, std::nullopt};
    AbcState state;
    if (args.resume) {
      Resumed resumed = read_resumed(run);
      state = std::move(resumed.state);
      run.saved_generations = state.generations.size();
      if (resumed.complete) {
        fmt::print(out, "{} is already complete ({} generations). See `lwsim report {}`.\n", args.output,
                   state.generations.size(), args.output);
        evaluator.finish();
        return kExitSuccess;
      }
    } else {
      run.write(state, nullptr, "running", "");
    }
    install_interrupt_handlers();
    const std::string stop = run_generations(run, state);
    if (stop.empty()) return run.stopped(state, false);
    const std::optional<Predictive> predictive = predict(run, state);
    if (!predictive) return run.stopped(state, true);
    evaluator.finish();
    run.write(state, &*predictive, "complete", stop);
    print_summary(run, state, *predictive, stop, out);
    return kExitSuccess;
  });
}

Command calibrate_entry() {
  auto args = std::make_shared<CalibrateArgs>();
  return {"calibrate",
          "Calibrate parameters to observed data by ABC-SMC (resumable after any generation)",
          {Option("file", "calibration file (TOML)", &args->file).required(),
           Option("-o,--output", "output HDF5 file", &args->output).required(),
           {"--resume", "continue from the last complete generation in the output", &args->resume},
           threads_option(args->threads),
           quiet_option(args->quiet)},
          Ranks::every,
          OnStop::command_decides,
          runs(args, &calibrate_command)};
}

}  // namespace sim::cli
