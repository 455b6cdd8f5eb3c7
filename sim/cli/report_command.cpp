// `lwsim report OUT.h5`: a plain-text summary of any lwsim output file, complete or not (a file
// being written can be reported on at any moment). For a run: the model's summary of its point.
// For a sweep: the design, the points with the highest and lowest outcome, and at a glance the
// parameters that matter most.

#include <algorithm>
#include <cmath>
#include <numeric>
#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "sim/cli/command.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/report_stats.hpp"
#include "sim/cli/stored_results.hpp"
#include "sim/error.hpp"
#include "sim/util/text.hpp"

namespace sim::cli {

namespace {

/// One column of a side-by-side table: a scenario (a run file, or one point of a sweep).
struct Column {
  std::string label;
  PointSummary summary;
  std::vector<std::string> scalars;  // paths of the scalar summaries, in schema order
};

std::vector<std::string> scalar_summaries(const OutputSchema& schema, const PointSummary& summary) {
  std::vector<std::string> paths;
  for (const AccumulatorSpec& a : schema.accumulators) {
    if (a.dims.empty()) paths.push_back(a.path);
  }
  if (summary.arrays.count(output::kObservedProbabilityPath) > 0)
    paths.emplace_back(output::kObservedProbabilityPath);
  return paths;
}

/// Every scalar summary (accumulators without dimensions, P(observed)) of several scenarios side
/// by side, one row per summary, so that compared scenarios can be read across.
void print_side_by_side(const std::vector<Column>& columns, std::ostream& out) {
  if (columns.size() < 2) return;
  std::size_t width = 12;
  for (const Column& c : columns) width = std::max(width, std::min<std::size_t>(c.label.size(), 24));
  std::vector<std::string> rows;
  for (const Column& c : columns) {
    for (const std::string& path : c.scalars) {
      if (std::find(rows.begin(), rows.end(), path) == rows.end()) rows.push_back(path);
    }
  }
  std::size_t name_width = 10;
  for (const std::string& r : rows) name_width = std::max(name_width, r.size());
  std::string header = fmt::format("  {:<{}}", "summary", name_width);
  for (const Column& c : columns) header += fmt::format("  {:>{}}", c.label.substr(0, width), width);
  fmt::print(out, "\nSide by side (means over replicates)\n{}\n", header);
  for (const std::string& r : rows) {
    std::string line = fmt::format("  {:<{}}", r, name_width);
    for (const Column& c : columns) {
      const auto it = c.summary.arrays.find(r);
      if (it == c.summary.arrays.end() || it->second.empty()) {
        line += fmt::format("  {:>{}}", "-", width);
      } else {
        line += fmt::format("  {:>{}.6g}", it->second.front(), width);
      }
    }
    fmt::print(out, "{}\n", line);
  }
}

/// The design of a sweep: its kind, size and the range of each parameter.
void print_design(const output::ResultFile& file, const StoredResults& stored, std::ostream& out) {
  const auto& names = stored.design.parameters;
  if (file.has_attribute("question") && !file.attribute_string("question").empty()) {
    fmt::print(out, "question: {}\n", text::printable(file.attribute_string("question")));
  }
  fmt::print(out,
             "design: {} over {} parameter{}, {} points ({} complete), {} replicates per point, seed {}\n",
             stored.design.kind, names.size(), names.size() == 1 ? "" : "s", stored.status.size(),
             stored.completed(), stored.scenario.replicates, stored.scenario.seed);
  for (std::size_t k = 0; k < names.size(); ++k) {
    const auto& v = stored.design.values[k];
    fmt::print(out, "  {:<40} from {:g} to {:g}\n", text::printable(names[k]),
               *std::min_element(v.begin(), v.end()), *std::max_element(v.begin(), v.end()));
  }
  if (file.has_attribute("shard") && file.attribute_string("shard") != "0/1") {
    fmt::print(out, "shard {} of the design\n", text::printable(file.attribute_string("shard")));
  }
}

/// The outcome of each complete point at a glance: the first observable's mean as a share of its
/// maximum (for lwp, the mean FIP count over the number of practices: mean P(FIP)).
struct Outcome {
  std::string label;
  std::vector<std::size_t> done;   // the complete points
  std::vector<double> value;       // [point]
  std::vector<double> p_observed;  // [point], when the file has observed data
};

Outcome sweep_outcome(const output::ResultFile& file, const StoredResults& stored) {
  const ObservableSpec& observable = stored.schema.observables.front();
  Outcome outcome;
  outcome.label =
      observable.share_label.empty() ? "mean " + observable.name + " / max" : observable.share_label;
  for (std::size_t p = 0; p < stored.status.size(); ++p) {
    if (stored.status[p] != 0) outcome.done.push_back(p);
  }
  if (outcome.done.empty()) return outcome;
  const auto bins = static_cast<std::size_t>(observable.max_value + 1);
  const std::vector<double> distribution =
      file.read_doubles(output::distribution_path(observable), stored.status.size() * bins);
  if (stored.layout.contains(output::kObservedProbabilityPath)) {
    outcome.p_observed = file.read_doubles(output::kObservedProbabilityPath, stored.status.size());
  }
  outcome.value.assign(stored.status.size(), 0.0);
  for (std::size_t p : outcome.done) {
    double mean = 0.0;
    for (std::size_t k = 0; k < bins; ++k) mean += static_cast<double>(k) * distribution[p * bins + k];
    outcome.value[p] = mean / static_cast<double>(std::max<std::int64_t>(1, observable.max_value));
  }
  return outcome;
}

/// The five complete points with the highest outcome, and the five with the lowest.
void print_extremes(const StoredResults& stored, const Outcome& outcome, std::ostream& out) {
  const auto& names = stored.design.parameters;
  const bool has_observed = !outcome.p_observed.empty();
  std::string header = fmt::format("  {:>6}  {:>11}", "point", outcome.label);
  if (has_observed) header += fmt::format("  {:>12}", "P(observed)");
  for (const auto& name : names) header += fmt::format("  {:>14}", name.substr(name.rfind('.') + 1));
  const auto row = [&](std::size_t p) {
    std::string line = fmt::format("  {:>6}  {:>11.4f}", p, outcome.value[p]);
    if (has_observed) line += fmt::format("  {:>12.4f}", outcome.p_observed[p]);
    for (std::size_t k = 0; k < names.size(); ++k)
      line += fmt::format("  {:>14.6g}", stored.design.values[k][p]);
    return line;
  };
  std::vector<std::size_t> order = outcome.done;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return outcome.value[a] > outcome.value[b]; });
  const std::size_t shown = std::min<std::size_t>(5, order.size());
  fmt::print(out, "\nPoints with the highest {}\n{}\n", outcome.label, header);
  for (std::size_t i = 0; i < shown; ++i) fmt::print(out, "{}\n", row(order[i]));
  fmt::print(out, "\nPoints with the lowest {}\n{}\n", outcome.label, header);
  for (std::size_t i = 0; i < shown; ++i) fmt::print(out, "{}\n", row(order[order.size() - 1 - i]));
}

/// The parameters that matter most for the outcome, at a glance (report_stats.hpp).
void print_main_effects(const StoredResults& stored, const Outcome& outcome, std::ostream& out) {
  const auto& names = stored.design.parameters;
  std::vector<double> y;
  for (std::size_t p : outcome.done) y.push_back(outcome.value[p]);
  struct Effect {
    std::string name;
    MainEffect effect;
  };
  std::vector<Effect> effects;
  for (std::size_t k = 0; k < names.size(); ++k) {
    std::vector<double> x;
    for (std::size_t p : outcome.done) x.push_back(stored.design.values[k][p]);
    effects.push_back({names[k], main_effect(x, y)});
  }
  std::stable_sort(effects.begin(), effects.end(), [](const Effect& a, const Effect& b) {
    return a.effect.variance_share > b.effect.variance_share;
  });
  fmt::print(out,
             "\nParameters that matter most for {}, at a glance (over the {} complete points;\n"
             "share = variance of the outcome explained by the parameter alone, from bin means;\n"
             "rho = Spearman rank correlation)\n",
             outcome.label, outcome.done.size());
  fmt::print(out, "  {:<40} {:>6} {:>7}   {} from the lowest to the highest bin\n", "parameter", "share",
             "rho", outcome.label);
  for (const Effect& e : effects) {
    fmt::print(out, "  {:<40} {:>6.2f} {:>7.2f}   {:.3f} -> {:.3f}\n", e.name, e.effect.variance_share,
               e.effect.rank_correlation, e.effect.first_bin_mean, e.effect.last_bin_mean);
  }
}

void report_sweep(const output::ResultFile& file, const StoredResults& stored, std::ostream& out) {
  print_design(file, stored, out);
  const Outcome outcome = sweep_outcome(file, stored);
  if (outcome.done.empty()) {
    fmt::print(out, "no point is complete yet\n");
    return;
  }
  print_extremes(stored, outcome, out);
  if (!stored.design.parameters.empty() && outcome.done.size() >= 3) print_main_effects(stored, outcome, out);
}

/// A sweep of a few points compares scenarios: its points side by side.
void report_sweep_points(const output::ResultFile& file, const StoredResults& stored, std::ostream& out) {
  constexpr std::size_t kMostPoints = 8;
  if (stored.status.size() < 2 || stored.status.size() > kMostPoints) return;
  std::vector<Column> columns;
  for (std::size_t p = 0; p < stored.status.size(); ++p) {
    if (stored.status[p] == 0) continue;
    std::string label = fmt::format("point {}", p);
    for (std::size_t k = 0; k < stored.design.parameters.size(); ++k) {
      const std::string& name = stored.design.parameters[k];
      label = fmt::format("{}={:g}", name.substr(name.rfind('.') + 1), stored.design.values[k][p]);
      if (stored.design.parameters.size() > 1) label = fmt::format("point {}", p);
    }
    PointSummary summary = stored.point_summary(file, p);
    std::vector<std::string> scalars = scalar_summaries(stored.schema, summary);
    columns.push_back({label, std::move(summary), std::move(scalars)});
  }
  print_side_by_side(columns, out);
}

int report_one(const std::string& path, const ModelRegistry& registry, std::ostream& out,
               std::vector<Column>* columns) {
  const output::ResultFile file = open_input_file(path);
  const StoredResults stored = read_stored_results(file, registry);
  const std::string kind = file.attribute_string("kind");
  // Attributes are printed as text a terminal shows as it is, whatever bytes a file holds.
  const std::string title =
      text::printable(file.has_attribute("title") ? file.attribute_string("title") : stored.scenario.title);
  fmt::print(out, "{}: {} \"{}\", model {}, lwsim {}, created {}\n", text::printable(path),
             text::printable(kind), title, stored.scenario.model->name(),
             text::printable(file.attribute_string("lwsim_version")),
             text::printable(file.attribute_string("created_utc")));
  if (stored.completed() < stored.status.size()) {
    fmt::print(out, "INCOMPLETE: {} of {} points complete{}\n", stored.completed(), stored.status.size(),
               kind == "sweep" ? " (continue with `lwsim sweep ... --resume`)" : "");
  }
  if (kind == "sweep") {
    report_sweep(file, stored, out);
    report_sweep_points(file, stored, out);
    return kExitSuccess;
  }
  fmt::print(out, "{} replicates, seed {}\n", stored.scenario.replicates, stored.scenario.seed);
  for (std::size_t point = 0; point < stored.status.size(); ++point) {
    if (stored.status[point] == 0) continue;
    PointSummary summary = stored.point_summary(file, point);
    stored.scenario.model->describe(*stored.scenario.setup, summary, stored.observation(), out);
    if (columns != nullptr) {
      const std::size_t slash = path.rfind('/');
      std::vector<std::string> scalars = scalar_summaries(stored.schema, summary);
      columns->push_back({text::printable(slash == std::string::npos ? path : path.substr(slash + 1)),
                          summary, std::move(scalars)});
    }
  }
  return kExitSuccess;
}

}  // namespace

int report_command(const std::vector<std::string>& files, const ModelRegistry& registry, std::ostream& out) {
  if (files.size() == 1) {
    return reading(files.front(), [&] { return report_one(files.front(), registry, out, nullptr); });
  }
  std::vector<Column> columns;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (i > 0) fmt::print(out, "\n");
    reading(files[i], [&] { return report_one(files[i], registry, out, &columns); });
  }
  print_side_by_side(columns, out);
  return kExitSuccess;
}

Command report_entry() {
  auto files = std::make_shared<std::vector<std::string>>();
  return {"report",
          "Summarise an output file in plain text (several files: their scenarios side by side)",
          {Option("file", "lwsim output files (HDF5)", files.get()).required()},
          Ranks::first,
          OnStop::run_to_end,
          [files](const Invocation& i) { return report_command(*files, i.registry, i.out); }};
}

}  // namespace sim::cli
