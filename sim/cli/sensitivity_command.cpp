// `lwsim sensitivity SENSITIVITY.toml -o OUT.h5`: Sobol indices (Saltelli sampling; Saltelli 2010
// first-order and Jansen 1999 total-order estimators) or Morris elementary effects, with
// bootstrap confidence intervals, for the outputs the file names. Every design point runs the
// same replicates (common random numbers), which keeps noise out of the differences the indices
// are made of.

#include <iostream>
#include <numeric>
#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "sim/cli/batch_evaluation.hpp"
#include "sim/cli/commands.hpp"
#include "sim/error.hpp"
#include "sim/output/layout.hpp"
#include "sim/output/pending_output.hpp"
#include "sim/output/provenance.hpp"
#include "sim/output/result_file.hpp"
#include "sim/run/estimate.hpp"
#include "sim/run/runner.hpp"
#include "sim/sensitivity/indices.hpp"
#include "sim/sensitivity/sensitivity_file.hpp"
#include "sim/util/interrupt.hpp"
#include "sim/version.hpp"

namespace sim::cli {

namespace {

std::vector<std::int64_t> iota(std::size_t n) {
  std::vector<std::int64_t> v(n);
  std::iota(v.begin(), v.end(), 0);
  return v;
}

}  // namespace

int sensitivity_command(const SensitivityArgs& args, const ModelRegistry& registry, std::ostream& out,
                        const mpi::Session& session) {
  using sensitivity::SensitivityFile;
  const SensitivityFile s = sensitivity::load_sensitivity(args.file, registry);
  const unsigned threads = resolve_threads(args.threads);
  const bool root = session.rank() == 0;
  const std::size_t d = s.axes.size();

  Job base = job_for(s.scenario);
  BatchEvaluator evaluator(session, base, s.parameters, threads);
  if (!root) {
    evaluator.serve();
    return static_cast<int>(session.broadcast(std::int64_t{0}));
  }
  return evaluator.conclude([&]() -> int {
    output::PendingOutput pending(
        output::OutputTarget{args.output, "-o", args.overwrite, "use --overwrite to replace it", s.sources});
    // Refuse up front a design that cannot fit in the CPU time or memory.
    const JobEstimate estimate = estimate_job(base.schema, static_cast<double>(s.points()), d,
                                              static_cast<double>(s.replicates), threads);
    if (const std::string why = beyond_limits(estimate); !why.empty()) {
      throw InputError(args.file, 0, "", "the sensitivity analysis cannot run: " + why);
    }

    // The design on the unit cube, then on the parameters' ranges.
    std::vector<std::vector<sensitivity::MorrisStep>> steps;
    const std::vector<std::vector<double>> unit =
        s.method == "sobol" ? sensitivity::saltelli_design(s.samples, d)
                            : sensitivity::morris_design(s.samples, d, s.levels, s.design_seed, steps);
    const std::vector<std::vector<double>> values = design::map_to_ranges(unit, s.axes);
    std::vector<std::string> keep;
    for (const auto& o : s.outputs) keep.push_back(o.path);
    if (!args.quiet) {
      fmt::print(std::cerr, "lwsim: {} design of {} points x {} replicates...\n", s.method, values.size(),
                 s.replicates);
    }
    std::vector<PointSummary> summaries;
    try {
      summaries = evaluator.evaluate(values, {}, s.replicates, keep);
    } catch (const BatchInterrupted&) {
      evaluator.finish();
      fmt::print(
          std::cerr,
          "lwsim: interrupted by signal {}; nothing written (a sensitivity analysis is not resumable)\n",
          stop_signal());
      return 128 + (stop_signal() > 0 ? stop_signal() : 2);
    }
    evaluator.finish();

    // Each output at each point: the mean of its summary dataset's values.
    std::vector<std::vector<double>> y(s.outputs.size(), std::vector<double>(values.size()));
    for (std::size_t o = 0; o < s.outputs.size(); ++o) {
      for (std::size_t p = 0; p < values.size(); ++p) {
        const auto& a = summaries[p].at(s.outputs[o].path);
        y[o][p] = std::accumulate(a.begin(), a.end(), 0.0) / static_cast<double>(a.size());
      }
    }

    using output::DatasetPlan;
    using output::Role;
    output::FileLayout layout;
    std::vector<std::string> names, output_names;
    for (const auto& a : s.axes) names.push_back(a.name);
    for (const auto& o : s.outputs) output_names.push_back(o.name);
    const auto P = static_cast<hsize_t>(values.size()), D = static_cast<hsize_t>(d),
               O = static_cast<hsize_t>(s.outputs.size());
    const auto scale = [&](const std::string& name, std::size_t size, output::ArrayData data,
                           const std::string& what) {
      const bool strings = std::holds_alternative<std::vector<std::string>>(data);
      layout.datasets.push_back({"/dims/" + name,
                                 Role::scale,
                                 DType::i64,
                                 strings,
                                 {name},
                                 {static_cast<hsize_t>(size)},
                                 what,
                                 "",
                                 std::move(data),
                                 0});
    };
    const auto array = [&](const std::string& path, std::vector<std::string> dims, std::vector<hsize_t> shape,
                           std::vector<double> data, const std::string& what, const std::string& units) {
      layout.datasets.push_back({path, Role::constant, DType::f64, false, std::move(dims), std::move(shape),
                                 what, units, std::move(data), 0});
    };
    scale("point", values.size(), iota(values.size()), "design point");
    scale("parameter", d, names, "analysed parameter");
    scale("output", s.outputs.size(), output_names, "analysed output");
    scale("bound", 2, std::vector<std::string>{"lower", "upper"}, "confidence interval bound");
    for (std::size_t k = 0; k < d; ++k) {
      std::vector<double> column;
      for (const auto& v : values) column.push_back(v[k]);
      array("/design/" + s.axes[k].name, {"point"}, {P}, column,
            "value of the parameter at each design point", "see the parameter table");
    }
    std::vector<double> flat;
    for (const auto& row : y) flat.insert(flat.end(), row.begin(), row.end());
    array("/sensitivity/outputs", {"output", "point"}, {O, P}, flat,
          "each output at each design point (the mean of its summary dataset's values)", "output's units");
    const auto ci_flat = [](const std::vector<sensitivity::Interval>& v, std::vector<double>& into) {
      for (const auto& i : v) {
        into.push_back(i.lower);
        into.push_back(i.upper);
      }
    };
    const std::string level = fmt::format("{:g}%", 100.0 * s.confidence);
    fmt::print(out, "lwsim {} | sensitivity {} | {}\n", lwsim_version(), args.file, s.title);
    if (!s.question.empty()) fmt::print(out, "question: {}\n", s.question);
    if (s.method == "sobol") {
      std::vector<double> first, total, first_ci, total_ci, variance;
      fmt::print(out,
                 "Sobol indices from {} points ({} samples x ({} parameters + 2)), {} replicates each; {} "
                 "bootstrap intervals\n",
                 values.size(), s.samples, d, s.replicates, level);
      for (std::size_t o = 0; o < s.outputs.size(); ++o) {
        const auto idx = sensitivity::sobol_indices(y[o], s.samples, d, s.bootstrap, s.confidence, s.seed);
        first.insert(first.end(), idx.first_order.begin(), idx.first_order.end());
        total.insert(total.end(), idx.total_order.begin(), idx.total_order.end());
        ci_flat(idx.first_order_ci, first_ci);
        ci_flat(idx.total_order_ci, total_ci);
        variance.push_back(idx.variance);
        std::vector<std::size_t> order(d);
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
          return idx.total_order[a] > idx.total_order[b];
        });
        fmt::print(out, "\n{} (variance {:.4g})\n  {:<40} {:>22} {:>22}\n", s.outputs[o].name, idx.variance,
                   "parameter", "first order", "total order");
        for (std::size_t k : order) {
          fmt::print(out, "  {:<40} {:>6.3f} [{:>6.3f}, {:>6.3f}] {:>6.3f} [{:>6.3f}, {:>6.3f}]\n", names[k],
                     idx.first_order[k], idx.first_order_ci[k].lower, idx.first_order_ci[k].upper,
                     idx.total_order[k], idx.total_order_ci[k].lower, idx.total_order_ci[k].upper);
        }
      }
      array("/sensitivity/first_order", {"output", "parameter"}, {O, D}, first,
            "first-order Sobol index (Saltelli 2010 estimator)", "1");
      array("/sensitivity/first_order_ci", {"output", "parameter", "bound"}, {O, D, 2}, first_ci,
            level + " percentile bootstrap interval of the first-order index", "1");
      array("/sensitivity/total_order", {"output", "parameter"}, {O, D}, total,
            "total-order Sobol index (Jansen 1999 estimator)", "1");
      array("/sensitivity/total_order_ci", {"output", "parameter", "bound"}, {O, D, 2}, total_ci,
            level + " percentile bootstrap interval of the total-order index", "1");
      array("/sensitivity/variance", {"output"}, {O}, variance, "variance of the output over the design",
            "output's units squared");
    } else {
      std::vector<double> mu_star, mu, sigma, mu_star_ci;
      fmt::print(
          out,
          "Morris elementary effects from {} trajectories of {} levels ({} points), {} replicates each\n",
          s.samples, s.levels, values.size(), s.replicates);
      for (std::size_t o = 0; o < s.outputs.size(); ++o) {
        const auto e = sensitivity::morris_effects(y[o], steps, d, s.bootstrap, s.confidence, s.seed);
        mu_star.insert(mu_star.end(), e.mu_star.begin(), e.mu_star.end());
        mu.insert(mu.end(), e.mu.begin(), e.mu.end());
        sigma.insert(sigma.end(), e.sigma.begin(), e.sigma.end());
        ci_flat(e.mu_star_ci, mu_star_ci);
        std::vector<std::size_t> order(d);
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return e.mu_star[a] > e.mu_star[b]; });
        fmt::print(out, "\n{} (effects per unit of the parameter's range)\n  {:<40} {:>24} {:>9} {:>9}\n",
                   s.outputs[o].name, "parameter", "mu*", "mu", "sigma");
        for (std::size_t k : order) {
          fmt::print(out, "  {:<40} {:>7.4f} [{:>6.4f}, {:>6.4f}] {:>9.4f} {:>9.4f}\n", names[k],
                     e.mu_star[k], e.mu_star_ci[k].lower, e.mu_star_ci[k].upper, e.mu[k], e.sigma[k]);
        }
      }
      array("/sensitivity/mu_star", {"output", "parameter"}, {O, D}, mu_star,
            "Morris mu*: mean absolute elementary effect per unit of the parameter's range",
            "output's units");
      array("/sensitivity/mu_star_ci", {"output", "parameter", "bound"}, {O, D, 2}, mu_star_ci,
            level + " percentile bootstrap interval of mu*", "output's units");
      array("/sensitivity/mu", {"output", "parameter"}, {O, D}, mu, "Morris mu: mean elementary effect",
            "output's units");
      array("/sensitivity/sigma", {"output", "parameter"}, {O, D}, sigma,
            "Morris sigma: standard deviation of the elementary effects", "output's units");
    }
    const std::string inputs = s.resolved_text();
    output::Attributes attributes = output::provenance_attributes(
        s.scenario, {"sensitivity", args.command_line, threads, session.size(), inputs});
    for (auto& [key, value] : attributes) {
      if (key == "title") value = s.title;
    }
    attributes.emplace_back("sensitivity_file", args.file);
    attributes.emplace_back("sensitivity", inputs);
    attributes.emplace_back("method", s.method);
    attributes.emplace_back("question", s.question);
    output::ResultFile file =
        output::ResultFile::create(pending.temporary(), layout, attributes, output::Storage::compressed);
    file.flush_to_disk();
    file.close();
    pending.commit();
    fmt::print(out, "\nWrote {}\n", args.output);
    return kExitSuccess;
  });
}

}  // namespace sim::cli
