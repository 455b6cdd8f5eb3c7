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

#include "sim/calibration/posterior.hpp"
#include "sim/cli/command.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/paired_differences.hpp"
#include "sim/cli/report_stats.hpp"
#include "sim/cli/stored_results.hpp"
#include "sim/error.hpp"
#include "sim/util/text.hpp"

namespace sim::cli {

namespace {

/// One row of a side-by-side table: an element of a per-point summary.
struct Row {
  std::string name;  // the path, with [label] for an element of a dimension
  std::string path;
  std::size_t element = 0;
  std::string units;
};

/// One column of a side-by-side table: a scenario (a run file, or one point of a sweep).
struct Column {
  std::string label;
  PointSummary summary;
  std::vector<Row> rows;  // the summaries it has, in schema order
};

/// The summaries worth reading across scenarios: accumulators without dimensions, each element of
/// those over one small labelled dimension (for lwp, CLP posts before and after a cut), and
/// P(observed).
std::vector<Row> side_by_side_rows(const OutputSchema& schema, const PointSummary& summary) {
  constexpr std::size_t kMostElements = 4;
  std::vector<Row> rows;
  for (const AccumulatorSpec& a : schema.accumulators) {
    if (a.dims.empty()) {
      rows.push_back({a.path, a.path, 0, a.units});
    } else if (a.dims.size() == 1) {
      const Dimension& dim = schema.dim(a.dims.front());
      if (dim.labels.empty() || dim.size > kMostElements) continue;
      for (std::size_t i = 0; i < dim.size; ++i)
        rows.push_back({fmt::format("{}[{}]", a.path, dim.labels[i]), a.path, i, a.units});
    }
  }
  if (summary.arrays.count(output::kObservedProbabilityPath) > 0)
    rows.push_back({output::kObservedProbabilityPath, output::kObservedProbabilityPath, 0, "probability"});
  return rows;
}

/// Table columns are at most this wide; longer labels are cut.
constexpr std::size_t kColumnWidth = 24;

/// The summaries of several scenarios side by side, one row per summary, so that compared
/// scenarios can be read across. Money reads as money (£6.9m); other values keep 6 digits.
void print_side_by_side(const std::vector<Column>& columns, std::ostream& out) {
  if (columns.size() < 2) return;
  std::size_t width = 12;
  for (const Column& c : columns) width = std::max(width, std::min(c.label.size(), kColumnWidth));
  std::vector<Row> rows;
  for (const Column& c : columns) {
    for (const Row& row : c.rows) {
      if (std::none_of(rows.begin(), rows.end(), [&](const Row& r) { return r.name == row.name; }))
        rows.push_back(row);
    }
  }
  std::size_t name_width = 10;
  for (const Row& r : rows) name_width = std::max(name_width, r.name.size());
  std::string header = fmt::format("  {:<{}}", "summary", name_width);
  for (const Column& c : columns) header += fmt::format("  {:>{}}", c.label.substr(0, width), width);
  fmt::print(out, "\nSide by side (means over replicates)\n{}\n", header);
  for (const Row& r : rows) {
    std::string line = fmt::format("  {:<{}}", r.name, name_width);
    for (const Column& c : columns) {
      const auto it = c.summary.arrays.find(r.path);
      if (it == c.summary.arrays.end() || it->second.size() <= r.element) {
        line += fmt::format("  {:>{}}", "-", width);
      } else if (r.units.rfind("GBP", 0) == 0) {
        line += fmt::format("  {:>{}}", format_quantity(it->second[r.element], r.units), width);
      } else {
        line += fmt::format("  {:>{}.6g}", it->second[r.element], width);
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
  // A screen of few points explains variance by chance: say so, and how many points would do.
  constexpr std::size_t kPointsPerBin = 10;  // chance share at most 1 / 10
  constexpr double kMostChance = 1.0 / static_cast<double>(kPointsPerBin);
  const auto worst = std::max_element(effects.begin(), effects.end(), [](const Effect& a, const Effect& b) {
    return a.effect.chance_share < b.effect.chance_share;
  });
  if (worst != effects.end() && worst->effect.chance_share > kMostChance) {
    const std::size_t needed = kPointsPerBin * (worst->effect.bins - 1) + 1;
    fmt::print(
        out,
        "  CAUTION: with {} points in {} bins, a parameter with no effect on the outcome explains "
        "about {:.2f}\n  of its variance by chance (share ~ (bins - 1) / (points - 1)); read the shares "
        "above against\n  that, or sweep at least {} points (chance below {:.1f})\n",
        outcome.done.size(), worst->effect.bins, worst->effect.chance_share, needed, kMostChance);
  }
}

void print_comparison(const output::ResultFile& file, const StoredResults& stored, std::ostream& out);

void report_sweep(const output::ResultFile& file, const StoredResults& stored, std::ostream& out) {
  print_design(file, stored, out);
  print_comparison(file, stored, out);
  const Outcome outcome = sweep_outcome(file, stored);
  if (outcome.done.empty()) {
    fmt::print(out, "no point is complete yet\n");
    return;
  }
  print_extremes(stored, outcome, out);
  if (!stored.design.parameters.empty() && outcome.done.size() >= 3) print_main_effects(stored, outcome, out);
}

/// A sweep of a few points compares scenarios: its points side by side, headed by their labels,
/// or by the swept value when one parameter is swept and the headers stay distinct, else by
/// point number with a legend.
void report_sweep_points(const output::ResultFile& file, const StoredResults& stored, std::ostream& out) {
  constexpr std::size_t kMostPoints = 8;
  if (stored.status.size() < 2 || stored.status.size() > kMostPoints) return;
  const output::DesignInfo& design = stored.design;
  std::vector<std::string> labels;
  for (std::size_t p = 0; p < stored.status.size(); ++p) {
    if (!design.labels.empty()) {
      labels.push_back(text::printable(design.labels[p]));
    } else if (design.parameters.size() == 1) {
      const std::string& name = design.parameters.front();
      labels.push_back(fmt::format("{}={:g}", name.substr(name.rfind('.') + 1), design.values.front()[p])
                           .substr(0, kColumnWidth));
    } else {
      labels.push_back(point_label(design, p));
    }
  }
  std::vector<std::string> sorted = labels;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
    for (std::size_t p = 0; p < labels.size(); ++p) labels[p] = point_label(output::DesignInfo{}, p);
  }
  std::vector<Column> columns;
  for (std::size_t p = 0; p < stored.status.size(); ++p) {
    if (stored.status[p] == 0) continue;
    PointSummary summary = stored.point_summary(file, p);
    std::vector<Row> rows = side_by_side_rows(stored.schema, summary);
    columns.push_back({labels[p], std::move(summary), std::move(rows)});
  }
  print_side_by_side(columns, out);
  if (design.labels.empty() && labels.front() == "point 0" && !design.parameters.empty()) {
    fmt::print(out, "where\n");
    for (std::size_t p = 0; p < stored.status.size(); ++p) {
      std::string values;
      for (std::size_t k = 0; k < design.parameters.size(); ++k)
        values += fmt::format("{}{} = {:g}", k == 0 ? "" : ", ", design.parameters[k], design.values[k][p]);
      fmt::print(out, "  point {}: {}\n", p, values);
    }
  }
}

std::string signed_quantity(double value, const std::string& units, int decimals = 2) {
  return (value > 0.0 ? "+" : "") + format_quantity(value, units, decimals);
}

/// The answer of a compare: the file's question, then every point against the reference point
/// (paired_differences.hpp), its first line a sentence with the first quantity.
void print_comparison(const output::ResultFile& file, const StoredResults& stored, std::ostream& out) {
  const std::optional<Comparison> comparison = compare_with_reference(file, stored);
  if (!comparison || comparison->points.empty()) return;
  const std::string reference = text::printable(comparison->reference_label);
  for (const PointComparison& pc : comparison->points) {
    if (pc.differences.empty()) continue;
    const PairedDifference& d = pc.differences.front();
    fmt::print(out,
               "answer: {} against {}: {} {} against {}, a difference of {} (90% of replicates: {} to {})\n",
               text::printable(pc.label), reference, d.quantity, format_quantity(d.point_mean, d.units),
               format_quantity(d.reference_mean, d.units), signed_quantity(d.mean, d.units),
               signed_quantity(d.low, d.units), signed_quantity(d.high, d.units));
  }
  fmt::print(out,
             "\nPaired differences against the reference \"{}\" ({} replicates under common random numbers:\n"
             "replicate r is the same simulated world at every point; the difference is the point's value\n"
             "minus the reference's in the same replicate. 90%: the interval holding 90% of the replicates'\n"
             "differences; +- the Monte Carlo standard error of the mean difference)\n",
             reference, comparison->replicates);
  for (const PointComparison& pc : comparison->points) {
    fmt::print(out, "  {}\n", text::printable(pc.label));
    for (const PairedDifference& d : pc.differences) {
      fmt::print(out, "    {}: {} against {}: {} +- {} (90%: {} to {})\n", d.quantity,
                 format_quantity(d.point_mean, d.units), format_quantity(d.reference_mean, d.units),
                 signed_quantity(d.mean, d.units), format_quantity(d.standard_error, d.units, 3),
                 signed_quantity(d.low, d.units), signed_quantity(d.high, d.units));
    }
    for (const PairedRatio& r : pc.ratios) {
      std::string incremental = "not defined (no difference in the denominator)";
      const double x = r.numerator_difference;
      const double y = r.denominator_difference;
      if (r.incremental_defined && ((x < 0.0 && y > 0.0) || (x > 0.0 && y < 0.0))) {
        incremental = x < 0.0 ? "none: more at a lower cost than the reference (dominant)"
                              : "none: less at a higher cost than the reference (dominated)";
      } else if (r.incremental_defined) {
        incremental = format_quantity(r.incremental, r.units);
        if (y < 0.0) incremental += " saved per one fewer (lower than the reference on both)";
        incremental +=
            r.interval_defined
                ? fmt::format(" (90% confidence interval {} to {})", format_quantity(r.low, r.units),
                              format_quantity(r.high, r.units))
                : " (no interval: the denominator's difference is within its Monte Carlo error of 0)";
      }
      fmt::print(out, "    {}: {} against {}; {}: {}\n", r.name, format_quantity(r.point_ratio, r.units),
                 format_quantity(r.reference_ratio, r.units), r.incremental_name, incremental);
    }
  }
}

/// A sweep made with --posterior: at each point, the variance of every summarised observable
/// split into the part from the calibrated parameters and the stochastic part.
void report_posterior_variance(const output::ResultFile& file, const StoredResults& stored,
                               std::ostream& out) {
  const Posterior& posterior = *stored.posterior;
  fmt::print(out,
             "\nParameters drawn per replicate from the posterior of {} ({} particles); variance over the "
             "replicates at each point:\n",
             text::printable(posterior.file), posterior.particles.size());
  for (std::size_t point = 0; point < stored.status.size(); ++point) {
    if (stored.status[point] == 0) continue;
    const PointSummary summary = stored.point_summary(file, point);
    const auto& draws = summary.at(stored.schema, posterior.draws);
    for (const Posterior::ObservableSums& sums : posterior.sums) {
      const calibration::VarianceSplit split = calibration::split_variance(
          draws, summary.at(stored.schema, sums.sum), summary.at(stored.schema, sums.sum_of_squares),
          static_cast<double>(stored.scenario.replicates));
      if (!(split.total > 0.0)) continue;
      const std::string label =
          point < stored.design.labels.size() ? stored.design.labels[point] : fmt::format("point {}", point);
      fmt::print(out, "  {:<24} {}: {:.4g}, {:.0f}% from the calibrated parameters, {:.0f}% stochastic\n",
                 text::printable(label), stored.schema.observables[sums.observable].name, split.total,
                 100.0 * split.parameter / split.total, 100.0 * split.stochastic / split.total);
    }
  }
  // A compare: the same split of each point's paired difference from the reference, from the
  // replicates (each replicate's two worlds share a particle).
  if (stored.design.reference < 0) return;
  const auto reference = static_cast<std::size_t>(stored.design.reference);
  const std::size_t points = stored.status.size();
  const std::size_t replicates = stored.scenario.replicates;
  if (stored.status[reference] == 0) return;
  const std::string particle_path = stored.schema.fields[posterior.particle_field.index()].path;
  const std::vector<double> particles = file.read_doubles(particle_path, points * replicates);
  for (const Posterior::ObservableSums& sums : posterior.sums) {
    const ObservableSpec& observable = stored.schema.observables[sums.observable];
    const FieldSpec& field = stored.schema.fields[stored.schema.field_index(observable.field)];
    if (!field.dims.empty()) continue;
    const std::vector<double> values = file.read_doubles(field.path, points * replicates);
    for (std::size_t point = 0; point < points; ++point) {
      if (point == reference || stored.status[point] == 0) continue;
      std::vector<double> difference(replicates), drawn(replicates);
      for (std::size_t r = 0; r < replicates; ++r) {
        difference[r] = values[point * replicates + r] - values[reference * replicates + r];
        drawn[r] = particles[point * replicates + r];
      }
      const calibration::VarianceSplit split = calibration::split_variance(difference, drawn);
      if (!(split.total > 0.0)) continue;
      const std::string label =
          point < stored.design.labels.size() ? stored.design.labels[point] : fmt::format("point {}", point);
      fmt::print(out,
                 "  {} minus the reference, {}: variance {:.4g}, {:.0f}% from the calibrated parameters, "
                 "{:.0f}% stochastic\n",
                 text::printable(label), observable.name, split.total, 100.0 * split.parameter / split.total,
                 100.0 * split.stochastic / split.total);
    }
  }
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
    if (stored.posterior) report_posterior_variance(file, stored, out);
    return kExitSuccess;
  }
  fmt::print(out, "{} replicates, seed {}\n", stored.scenario.replicates, stored.scenario.seed);
  for (std::size_t point = 0; point < stored.status.size(); ++point) {
    if (stored.status[point] == 0) continue;
    PointSummary summary = stored.point_summary(file, point);
    stored.scenario.model->describe(*stored.scenario.setup, summary, stored.observation(), out);
    if (stored.posterior) {
      calibration::print_variance_split(*stored.posterior, stored.schema, summary, stored.scenario.replicates,
                                        out);
    }
    if (columns != nullptr) {
      const std::size_t slash = path.rfind('/');
      std::vector<Row> rows = side_by_side_rows(stored.schema, summary);
      columns->push_back({text::printable(slash == std::string::npos ? path : path.substr(slash + 1)),
                          summary, std::move(rows)});
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
