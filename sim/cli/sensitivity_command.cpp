// `lwsim sensitivity SENSITIVITY.toml -o OUT.h5`: Sobol indices (Saltelli sampling; Saltelli 2010
// first-order and Jansen 1999 total-order estimators) or Morris elementary effects, with
// bootstrap confidence intervals, for the outputs the file names (sim/sensitivity). Every design
// point runs the same replicates (common random numbers), which keeps noise out of the
// differences the indices are made of.

#include <iostream>
#include <numeric>
#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>

#include "sim/cli/batch_evaluation.hpp"
#include "sim/cli/command.hpp"
#include "sim/cli/commands.hpp"
#include "sim/error.hpp"
#include "sim/output/pending_output.hpp"
#include "sim/output/provenance.hpp"
#include "sim/output/result_file.hpp"
#include "sim/run/estimate.hpp"
#include "sim/run/runner.hpp"
#include "sim/sensitivity/sensitivity_output.hpp"
#include "sim/util/interrupt.hpp"
#include "sim/version.hpp"

namespace sim::cli {

namespace {

using sensitivity::SensitivityFile;

/// The parameters by decreasing `key` (ties in table order).
std::vector<std::size_t> ranked(const std::vector<double>& key) {
  std::vector<std::size_t> order(key.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return key[a] > key[b]; });
  return order;
}

void print_sobol(const SensitivityFile& s, const sensitivity::SensitivityResults& results,
                 std::ostream& out) {
  fmt::print(out,
             "Sobol indices from {} points ({} samples x ({} parameters + 2)), {} replicates each; {:g}% "
             "bootstrap intervals\n",
             s.points(), s.samples, s.axes.size(), s.replicates, 100.0 * s.confidence);
  for (std::size_t o = 0; o < s.outputs.size(); ++o) {
    const sensitivity::SobolIndices& idx = results.sobol[o];
    fmt::print(out, "\n{} (variance {:.4g})\n  {:<40} {:>22} {:>22}\n", s.outputs[o].name, idx.variance,
               "parameter", "first order", "total order");
    for (std::size_t k : ranked(idx.total_order)) {
      fmt::print(out, "  {:<40} {:>6.3f} [{:>6.3f}, {:>6.3f}] {:>6.3f} [{:>6.3f}, {:>6.3f}]\n",
                 s.axes[k].name, idx.first_order[k], idx.first_order_ci[k].lower, idx.first_order_ci[k].upper,
                 idx.total_order[k], idx.total_order_ci[k].lower, idx.total_order_ci[k].upper);
    }
    // In theory S1 <= ST; an estimate above says the samples are too few to rank the two.
    std::vector<std::string> above;
    for (std::size_t k = 0; k < s.axes.size(); ++k) {
      if (idx.first_order[k] > idx.total_order[k]) above.push_back(s.axes[k].name);
    }
    if (!above.empty()) {
      fmt::print(out,
                 "  CAUTION: the first-order index is above the total-order index for {} (in theory it is at "
                 "most the total): with {} samples the estimates are too noisy to separate them; read the "
                 "intervals, or use more samples\n",
                 fmt::join(above, ", "), s.samples);
    }
  }
}

void print_morris(const SensitivityFile& s, const sensitivity::SensitivityResults& results,
                  std::ostream& out) {
  fmt::print(out,
             "Morris elementary effects from {} trajectories of {} levels ({} points), {} replicates each\n",
             s.samples, s.levels, s.points(), s.replicates);
  for (std::size_t o = 0; o < s.outputs.size(); ++o) {
    const sensitivity::MorrisEffects& e = results.morris[o];
    fmt::print(out, "\n{} (effects per unit of the parameter's range)\n  {:<40} {:>24} {:>9} {:>9}\n",
               s.outputs[o].name, "parameter", "mu*", "mu", "sigma");
    for (std::size_t k : ranked(e.mu_star)) {
      fmt::print(out, "  {:<40} {:>7.4f} [{:>6.4f}, {:>6.4f}] {:>9.4f} {:>9.4f}\n", s.axes[k].name,
                 e.mu_star[k], e.mu_star_ci[k].lower, e.mu_star_ci[k].upper, e.mu[k], e.sigma[k]);
    }
  }
}

/// Writes the analysis's file (through `pending`, committed).
void write_results(const SensitivityArgs& args, const SensitivityFile& s,
                   const sensitivity::SensitivityDesign& design,
                   const sensitivity::SensitivityResults& results, const mpi::Session& session,
                   unsigned threads, output::PendingOutput& pending) {
  output::Attributes attributes = output::study_attributes(
      s, {"sensitivity", args.command_line, threads, session.size(), s.resolved_text()});
  attributes.emplace_back("method", s.method);
  output::ResultFile file =
      output::ResultFile::create(pending.temporary(), sensitivity::sensitivity_layout(s, design, results),
                                 attributes, output::Storage::compressed);
  file.flush_to_disk();
  file.close();
  pending.commit();
}

}  // namespace

int sensitivity_command(const SensitivityArgs& args, const ModelRegistry& registry, std::ostream& out,
                        const mpi::Session& session) {
  const SensitivityFile s = sensitivity::load_sensitivity(args.file, registry);
  const unsigned threads = resolve_threads(args.threads);
  const Job base = job_for(s.scenario);
  BatchEvaluator evaluator(session, base, s.parameters, threads);
  if (session.rank() != 0) {
    evaluator.serve();
    return static_cast<int>(session.broadcast(std::int64_t{0}));
  }
  return evaluator.conclude([&]() -> int {
    output::PendingOutput pending(
        output::OutputTarget{args.output, "-o", args.overwrite, "use --overwrite to replace it", s.sources});
    // Refuse up front a design that cannot fit in the CPU time or memory.
    const JobEstimate estimate = estimate_job(base.schema, static_cast<double>(s.points()), s.axes.size(),
                                              static_cast<double>(s.replicates), threads);
    if (const std::string why = beyond_limits(estimate); !why.empty()) {
      throw InputError(args.file, 0, "", "the sensitivity analysis cannot run: " + why);
    }
    const sensitivity::SensitivityDesign design = sensitivity::make_design(s);
    std::vector<std::string> keep;
    for (const auto& o : s.outputs) keep.push_back(o.path);
    if (!args.quiet) {
      fmt::print(std::cerr, "lwsim: {} design of {} points x {} replicates...\n", s.method,
                 design.values.size(), s.replicates);
    }
    std::vector<PointSummary> summaries;
    try {
      summaries = evaluator.evaluate(design.values, {}, s.replicates, keep);
    } catch (const BatchInterrupted&) {
      evaluator.finish();
      fmt::print(
          std::cerr,
          "lwsim: interrupted by signal {}; nothing written (a sensitivity analysis is not resumable)\n",
          stop_signal());
      return 128 + (stop_signal() > 0 ? stop_signal() : 2);
    }
    evaluator.finish();
    const sensitivity::SensitivityResults results = sensitivity::analyse(s, design, summaries);
    fmt::print(out, "lwsim {} | sensitivity {} | {}\n", lwsim_version(), args.file, s.title);
    if (!s.question.empty()) fmt::print(out, "question: {}\n", s.question);
    if (s.method == "sobol") {
      print_sobol(s, results, out);
    } else {
      print_morris(s, results, out);
    }
    write_results(args, s, design, results, session, threads, pending);
    fmt::print(out, "\nWrote {}\n", args.output);
    return kExitSuccess;
  });
}

Command sensitivity_entry() {
  auto args = std::make_shared<SensitivityArgs>();
  return {"sensitivity",
          "Global sensitivity analysis: Sobol indices or Morris elementary effects with bootstrap CIs",
          {Option("file", "sensitivity file (TOML)", &args->file).required(),
           Option("-o,--output", "output HDF5 file", &args->output).required(),
           threads_option(args->threads),
           quiet_option(args->quiet),
           {"--overwrite", "replace the output file if it exists", &args->overwrite}},
          Ranks::every,
          OnStop::command_decides,
          runs(args, &sensitivity_command)};
}

}  // namespace sim::cli
