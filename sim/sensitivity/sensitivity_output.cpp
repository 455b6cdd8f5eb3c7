#include "sim/sensitivity/sensitivity_output.hpp"

#include <numeric>

#include <fmt/format.h>

namespace sim::sensitivity {

using output::constant_plan;

SensitivityDesign make_design(const SensitivityFile& s) {
  SensitivityDesign design;
  const std::size_t d = s.axes.size();
  const std::vector<std::vector<double>> unit =
      s.method == "sobol" ? saltelli_design(s.samples, d)
                          : morris_design(s.samples, d, s.levels, s.design_seed, design.steps);
  design.values = design::map_to_ranges(unit, s.axes);
  return design;
}

SensitivityResults analyse(const SensitivityFile& s, const SensitivityDesign& design,
                           const std::vector<PointSummary>& summaries) {
  const std::size_t d = s.axes.size();
  const std::size_t points = design.values.size();
  SensitivityResults results;
  results.outputs.assign(s.outputs.size(), std::vector<double>(points));
  for (std::size_t o = 0; o < s.outputs.size(); ++o) {
    for (std::size_t p = 0; p < points; ++p) {
      const auto& a = summaries[p].at(s.outputs[o].path);
      results.outputs[o][p] = std::accumulate(a.begin(), a.end(), 0.0) / static_cast<double>(a.size());
    }
    if (s.method == "sobol") {
      results.sobol.push_back(
          sobol_indices(results.outputs[o], s.samples, d, s.bootstrap, s.confidence, s.seed));
    } else {
      results.morris.push_back(
          morris_effects(results.outputs[o], design.steps, d, s.bootstrap, s.confidence, s.seed));
    }
  }
  return results;
}

namespace {

std::vector<double> flat(const std::vector<std::vector<double>>& rows) {
  std::vector<double> out;
  for (const auto& row : rows) out.insert(out.end(), row.begin(), row.end());
  return out;
}

std::vector<double> flat(const std::vector<std::vector<Interval>>& rows) {
  std::vector<double> out;
  for (const auto& row : rows) {
    for (const Interval& i : row) {
      out.push_back(i.lower);
      out.push_back(i.upper);
    }
  }
  return out;
}

/// One member of every output's indices, [output][parameter].
template <class Indices, class Member>
auto by_output(const std::vector<Indices>& indices, Member member) {
  std::vector<std::decay_t<decltype(indices.front().*member)>> rows;
  rows.reserve(indices.size());
  for (const Indices& i : indices) rows.push_back(i.*member);
  return rows;
}

void add_sobol(output::FileLayout& layout, const SensitivityFile& s, const std::vector<SobolIndices>& sobol) {
  const auto D = static_cast<hsize_t>(s.axes.size()), O = static_cast<hsize_t>(s.outputs.size());
  const std::string level = fmt::format("{:g}%", 100.0 * s.confidence);
  std::vector<double> variance;
  variance.reserve(sobol.size());
  for (const SobolIndices& i : sobol) variance.push_back(i.variance);
  auto& out = layout.datasets;
  out.push_back(constant_plan("/sensitivity/first_order", {"output", "parameter"}, {O, D},
                              flat(by_output(sobol, &SobolIndices::first_order)),
                              "first-order Sobol index (Saltelli 2010 estimator)", "1"));
  out.push_back(constant_plan("/sensitivity/first_order_ci", {"output", "parameter", "bound"}, {O, D, 2},
                              flat(by_output(sobol, &SobolIndices::first_order_ci)),
                              level + " percentile bootstrap interval of the first-order index", "1"));
  out.push_back(constant_plan("/sensitivity/total_order", {"output", "parameter"}, {O, D},
                              flat(by_output(sobol, &SobolIndices::total_order)),
                              "total-order Sobol index (Jansen 1999 estimator)", "1"));
  out.push_back(constant_plan("/sensitivity/total_order_ci", {"output", "parameter", "bound"}, {O, D, 2},
                              flat(by_output(sobol, &SobolIndices::total_order_ci)),
                              level + " percentile bootstrap interval of the total-order index", "1"));
  out.push_back(constant_plan("/sensitivity/variance", {"output"}, {O}, variance,
                              "variance of the output over the design", "output's units squared"));
}

void add_morris(output::FileLayout& layout, const SensitivityFile& s,
                const std::vector<MorrisEffects>& morris) {
  const auto D = static_cast<hsize_t>(s.axes.size()), O = static_cast<hsize_t>(s.outputs.size());
  const std::string level = fmt::format("{:g}%", 100.0 * s.confidence);
  auto& out = layout.datasets;
  out.push_back(constant_plan("/sensitivity/mu_star", {"output", "parameter"}, {O, D},
                              flat(by_output(morris, &MorrisEffects::mu_star)),
                              "Morris mu*: mean absolute elementary effect per unit of the parameter's range",
                              "output's units"));
  out.push_back(constant_plan("/sensitivity/mu_star_ci", {"output", "parameter", "bound"}, {O, D, 2},
                              flat(by_output(morris, &MorrisEffects::mu_star_ci)),
                              level + " percentile bootstrap interval of mu*", "output's units"));
  out.push_back(constant_plan("/sensitivity/mu", {"output", "parameter"}, {O, D},
                              flat(by_output(morris, &MorrisEffects::mu)),
                              "Morris mu: mean elementary effect", "output's units"));
  out.push_back(constant_plan(
      "/sensitivity/sigma", {"output", "parameter"}, {O, D}, flat(by_output(morris, &MorrisEffects::sigma)),
      "Morris sigma: standard deviation of the elementary effects", "output's units"));
}

}  // namespace

output::FileLayout sensitivity_layout(const SensitivityFile& s, const SensitivityDesign& design,
                                      const SensitivityResults& results) {
  const std::size_t points = design.values.size();
  std::vector<std::string> parameters, outputs;
  for (const auto& a : s.axes) parameters.push_back(a.name);
  for (const auto& o : s.outputs) outputs.push_back(o.name);
  output::FileLayout layout;
  auto& out = layout.datasets;
  out.push_back(output::scale_plan("point", output::index_values(points), "design point", ""));
  out.push_back(output::scale_plan("parameter", parameters, "analysed parameter", ""));
  out.push_back(output::scale_plan("output", outputs, "analysed output", ""));
  out.push_back(output::scale_plan("bound", std::vector<std::string>{"lower", "upper"},
                                   "confidence interval bound", ""));
  for (std::size_t k = 0; k < s.axes.size(); ++k) {
    std::vector<double> column;
    for (const auto& v : design.values) column.push_back(v[k]);
    out.push_back(constant_plan("/design/" + s.axes[k].name, {"point"}, {static_cast<hsize_t>(points)},
                                column, "value of the parameter at each design point",
                                "see the parameter table"));
  }
  out.push_back(constant_plan(
      "/sensitivity/outputs", {"output", "point"},
      {static_cast<hsize_t>(s.outputs.size()), static_cast<hsize_t>(points)}, flat(results.outputs),
      "each output at each design point (the mean of its summary dataset's values)", "output's units"));
  if (s.method == "sobol") {
    add_sobol(layout, s, results.sobol);
  } else {
    add_morris(layout, s, results.morris);
  }
  return layout;
}

}  // namespace sim::sensitivity
