#include "sim/sweep.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "sim/error.hpp"
#include "sim/run/estimate.hpp"
#include "sim/util/text.hpp"

namespace sim {
namespace {

using config::Value;

const std::vector<std::string> kKinds = {"grid", "lhs", "sobol", "random", "csv"};

// A swept parameter as written, with where it was written.
struct AxisSource {
  design::Axis axis;
  std::size_t index = 0;
  const Value* value = nullptr;
};

double checked_level(const ParamSpec& spec, const Value& v) {
  double x = 0.0;
  switch (spec.kind) {
    case ParamKind::boolean:
      if (v.kind() != Value::Kind::boolean) v.fail("expected true or false");
      x = v.as_bool() ? 1.0 : 0.0;
      break;
    case ParamKind::integer:
      if (v.kind() != Value::Kind::integer) v.fail("expected a whole number");
      x = static_cast<double>(v.as_integer());
      break;
    case ParamKind::real:
      if (!v.is_number()) v.fail(fmt::format("expected a number, found {}", Value::kind_name(v.kind())));
      x = v.as_real();
      break;
  }
  if (auto problem = spec.problem_with(x)) v.fail(*problem);
  return x;
}

AxisSource read_axis(const ParamTable& table, const std::string& name, std::size_t index, const Value& v,
                     const std::string& kind) {
  const ParamSpec& spec = table[index];
  AxisSource out;
  out.index = index;
  out.value = &v;
  out.axis.name = name;
  out.axis.integer = spec.kind == ParamKind::integer;
  if (kind == "grid") {
    if (!v.is_array()) v.fail("a grid needs a list of levels, e.g. [0.1, 0.2, 0.4]");
    if (v.items().empty()) v.fail("the list of levels is empty");
    for (const Value& level : v.items()) out.axis.levels.push_back(checked_level(spec, level));
    return out;
  }
  if (!v.is_table()) {
    v.fail(
        fmt::format("a {} design needs a range, e.g. {{ min = 0.1, max = 0.9, scale = \"linear\" }}", kind));
  }
  v.expect_keys({"min", "max", "scale"});
  if (spec.kind == ParamKind::boolean) v.fail("a boolean parameter cannot be swept over a range; use a grid");
  out.axis.min = checked_level(spec, v.at("min"));
  out.axis.max = checked_level(spec, v.at("max"));
  if (out.axis.min == out.axis.max)
    v.at("max").fail(fmt::format("empty range: min = max = {}", out.axis.min));
  if (out.axis.min > out.axis.max)
    v.at("min").fail(fmt::format("min ({}) is greater than max ({})", out.axis.min, out.axis.max));
  if (const Value* scale = v.find("scale")) {
    const std::string& s = scale->as_string();
    if (s == "log") {
      out.axis.scale = design::Scale::log;
      if (out.axis.min <= 0.0)
        scale->fail("a log scale needs min > 0 (the range includes 0 or negative values)");
    } else if (s != "linear") {
      scale->fail("scale must be \"linear\" or \"log\"");
    }
  }
  return out;
}

void collect_axes(const ParamTable& table, const Value& node, const std::string& prefix,
                  const std::string& kind, std::vector<AxisSource>& out) {
  for (const auto& [key, value] : node.entries()) {
    const std::string name = prefix.empty() ? key : prefix + "." + key;
    const auto index = table.find(name);
    if (!index) {
      if (value.is_table() && value.find("min") == nullptr && value.find("max") == nullptr) {
        collect_axes(table, value, name, kind, out);
        continue;
      }
      value.fail(fmt::format("unknown parameter '{}'; {}", name, table.suggest(name)));
    }
    for (const AxisSource& existing : out) {
      if (existing.index == *index) value.fail(fmt::format("parameter '{}' is swept twice", name));
    }
    out.push_back(read_axis(table, name, *index, value, kind));
  }
}

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, ',')) {
    const auto first = cell.find_first_not_of(" \t\r\"");
    const auto last = cell.find_last_not_of(" \t\r\"");
    cells.push_back(first == std::string::npos ? std::string() : cell.substr(first, last - first + 1));
  }
  if (!line.empty() && line.back() == ',') cells.emplace_back();
  return cells;
}

constexpr std::size_t kMaxCsvLineBytes = std::size_t{1} << 20;
/// Labels head table columns (`lwsim report`) and name points in sentences: short enough for both.
constexpr std::size_t kMaxLabelBytes = 24;

// std::getline with a bound: a file without newlines (or /dev/zero) must not take all the memory.
bool read_line(std::istream& in, std::string& line, const std::string& path, int line_number) {
  line.clear();
  char c = 0;
  bool any = false;
  while (in.get(c)) {
    any = true;
    if (c == '\n') return true;
    line += c;
    if (line.size() > kMaxCsvLineBytes) {
      throw InputError(path, line_number + 1, "",
                       fmt::format("a line longer than {} bytes; is this a CSV file?", kMaxCsvLineBytes));
    }
  }
  return any;
}

// strtod would stop at a NUL and read "0.1<NUL>9" as 0.1 (TOML files refuse NUL bytes too): a cell
// holding one is refused, naming its line and column.
void refuse_nul(const std::vector<std::string>& cells, const std::string& path, int line_number,
                const std::vector<AxisSource>* axes) {
  for (std::size_t k = 0; k < cells.size(); ++k) {
    if (cells[k].find('\0') == std::string::npos) continue;
    const std::string key = axes != nullptr && k < axes->size() ? (*axes)[k].axis.name : std::string();
    throw InputError(path, line_number, key,
                     fmt::format("column {} holds a NUL byte; is this a text file?", k + 1));
  }
}

// An explicit list of points: a header of parameter names, then one row of values per point.
void read_csv_points(const std::string& path, const Value& where, const ParamTable& table, Sweep& sweep,
                     std::vector<AxisSource>& axes) {
  std::ifstream in(path);
  if (!in) where.fail(fmt::format("cannot read the points file {}", path));
  std::string line;
  int line_number = 0;
  while (read_line(in, line, path, line_number)) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") != std::string::npos) break;
  }
  if (line_number == 0 || line.find_first_not_of(" \t\r") == std::string::npos) {
    throw InputError(path, 0, "", "the points file is empty; expected a header of parameter names");
  }
  // A UTF-8 byte-order mark (spreadsheets write one) is not part of the first parameter's name.
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
  const std::vector<std::string> names = split_csv_line(line);
  refuse_nul(names, path, line_number, nullptr);
  for (std::size_t column = 0; column < names.size(); ++column) {
    const std::string& name = names[column];
    if (name.empty()) {
      throw InputError(path, line_number, fmt::format("column {}", column + 1),
                       "the header names no parameter here (an empty cell)");
    }
    const auto index = table.find(name);
    if (!index)
      throw InputError(path, line_number, name, fmt::format("unknown parameter; {}", table.suggest(name)));
    refuse_overridden(*sweep.scenario.model, *sweep.scenario.setup, *index, path, line_number, name);
    for (const AxisSource& a : axes) {
      if (a.index == *index) throw InputError(path, line_number, name, "column appears twice");
    }
    AxisSource a;
    a.index = *index;
    a.axis.name = name;
    a.axis.integer = table[*index].kind == ParamKind::integer;
    a.value = &where;
    axes.push_back(a);
  }
  while (read_line(in, line, path, line_number)) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const auto cells = split_csv_line(line);
    refuse_nul(cells, path, line_number, &axes);
    if (cells.size() != axes.size()) {
      throw InputError(path, line_number, "",
                       fmt::format("expected {} values, found {}", axes.size(), cells.size()));
    }
    std::vector<double> point;
    for (std::size_t k = 0; k < cells.size(); ++k) {
      const ParamSpec& spec = table[axes[k].index];
      double x = 0.0;
      if (spec.kind == ParamKind::boolean && (cells[k] == "true" || cells[k] == "false")) {
        x = cells[k] == "true" ? 1.0 : 0.0;
      } else {
        char* end = nullptr;
        x = std::strtod(cells[k].c_str(), &end);
        if (cells[k].empty() || end == nullptr || *end != '\0') {
          throw InputError(path, line_number, axes[k].axis.name,
                           fmt::format("'{}' is not a number", cells[k]));
        }
      }
      if (auto problem = spec.problem_with(x))
        throw InputError(path, line_number, axes[k].axis.name, *problem);
      point.push_back(x);
    }
    sweep.points.push_back(std::move(point));
    if (sweep.points.size() > kMaxPoints ||
        static_cast<double>(sweep.points.size() * axes.size()) > kMaxDesignValues) {
      throw InputError(path, line_number, "",
                       fmt::format("more than {} points or {:.0f} values (points x parameters)", kMaxPoints,
                                   kMaxDesignValues));
    }
  }
  if (sweep.points.empty()) throw InputError(path, line_number, "", "the points file has no points");
}

void apply_fixed(const Value& node, const std::string& prefix, ParamValues& values) {
  for (const auto& [key, value] : node.entries()) {
    const std::string name = prefix.empty() ? key : prefix + "." + key;
    const auto index = values.table().find(name);
    if (!index && value.is_table()) {
      apply_fixed(value, name, values);
      continue;
    }
    if (!index) value.fail(fmt::format("unknown parameter '{}'; {}", name, values.table().suggest(name)));
    values.set_from_config(*index, value);
  }
}

/// [design] labels (one short name per point, unique) and reference (a label, or a point number
/// when there are no labels).
void read_labels(const Value& design, Sweep& sweep) {
  const std::size_t points = sweep.points.size();
  if (const Value* labels = design.find("labels")) {
    if (!labels->is_array()) labels->fail("expected an array of strings, one label per point");
    const auto& items = labels->items();
    if (items.size() != points) {
      labels->fail(fmt::format("the design has {} point{}: give one label per point, not {}", points,
                               points == 1 ? "" : "s", items.size()));
    }
    for (const Value& item : items) {
      const std::string& label = item.as_string();
      if (label.empty() || label.size() > kMaxLabelBytes) {
        item.fail(fmt::format("a label must have 1 to {} characters", kMaxLabelBytes));
      }
      if (std::any_of(label.begin(), label.end(),
                      [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
        item.fail("a label must be one line of text (no tab, newline or control character)");
      }
      if (std::find(sweep.labels.begin(), sweep.labels.end(), label) != sweep.labels.end()) {
        item.fail(fmt::format("the label \"{}\" is given twice: each point needs its own", label));
      }
      sweep.labels.push_back(label);
    }
  }
  const Value* reference = design.find("reference");
  if (reference == nullptr) return;
  if (points < 2) reference->fail("a reference needs a design of at least 2 points");
  if (reference->kind() == Value::Kind::string) {
    if (sweep.labels.empty()) reference->fail("a reference by name needs `labels` (or give a point number)");
    const auto it = std::find(sweep.labels.begin(), sweep.labels.end(), reference->as_string());
    if (it == sweep.labels.end()) {
      reference->fail(fmt::format("no point is labelled \"{}\"; the labels are: {}", reference->as_string(),
                                  text::join(sweep.labels, ", ")));
    }
    sweep.reference = it - sweep.labels.begin();
    return;
  }
  const std::int64_t index = reference->as_integer();
  if (index < 0 || static_cast<std::size_t>(index) >= points) {
    reference->fail(fmt::format("the reference must be a point from 0 to {} (or a label)", points - 1));
  }
  sweep.reference = index;
}

}  // namespace

bool is_sweep_document(const config::Value& root) {
  return root.is_table() && root.find("design") != nullptr;
}

Sweep load_sweep(const std::string& path, const ModelRegistry& registry, const ScenarioOverrides& overrides) {
  const Document doc = read_document(path, registry);
  const Value& root = doc.root;
  Sweep sweep;
  static_cast<StudyHeader&>(sweep) = read_study_header(doc, {"design", "fixed", "parameters"}, registry);
  const ParamTable& table = sweep.scenario.params().table();
  if (const Value* fixed = root.find("fixed")) {
    if (!fixed->is_table()) fixed->fail("expected a table of parameter values");
    apply_fixed(*fixed, "", *sweep.scenario.parameters);
  }
  if (!overrides.sets.empty()) apply_overrides(sweep.scenario, {std::nullopt, std::nullopt, overrides.sets});

  const Value& design = root.at("design");
  if (!design.is_table()) design.fail("expected a table");
  design.expect_keys({"kind", "points", "replicates", "seed", "design_seed", "file", "labels", "reference"});
  const Value& kind = design.at("kind");
  sweep.kind = kind.as_string();
  if (std::find(kKinds.begin(), kKinds.end(), sweep.kind) == kKinds.end()) {
    kind.fail("kind must be one of grid, lhs, sobol, random, csv");
  }
  sweep.replicates = sweep.scenario.replicates;
  const Value* replicates_value = design.find("replicates");
  if (replicates_value != nullptr) {
    const std::int64_t n = replicates_value->as_integer();
    if (n < 1) replicates_value->fail(fmt::format("replicates must be between 1 and {}", kMaxReplicates));
    sweep.replicates = static_cast<std::uint64_t>(n);
  }
  sweep.seed = sweep.scenario.seed;
  if (const Value* s = design.find("seed"))
    sweep.seed = checked_seed(s->as_integer(), s->file(), s->line(), s->path());
  sweep.design_seed = sweep.seed;
  if (const Value* s = design.find("design_seed")) {
    sweep.design_seed = checked_seed(s->as_integer(), s->file(), s->line(), s->path());
  }
  if (overrides.replicates) {
    if (*overrides.replicates < 1 || *overrides.replicates > kMaxReplicates) {
      throw InputError("command line", 0, "--replicates",
                       fmt::format("must be between 1 and {}", kMaxReplicates));
    }
    sweep.replicates = *overrides.replicates;
  }
  if (overrides.seed) {
    sweep.seed = checked_seed(static_cast<std::int64_t>(std::min<std::uint64_t>(*overrides.seed, 1ULL << 40)),
                              "command line", 0, "--seed");
  }
  sweep.scenario.replicates = sweep.replicates;
  sweep.scenario.seed = sweep.seed;

  // A design too large to hold or to run is refused before it is generated, with what it would need.
  const auto check_size = [&](const Value& where, double n, std::size_t axes) {
    const double values = n * static_cast<double>(axes);
    const JobEstimate e = estimate_job(sweep.scenario.model->schema(*sweep.scenario.setup), n, axes,
                                       static_cast<double>(sweep.replicates), 1);
    if (e.cpu_seconds > kMaxCpuSeconds) {
      where.fail(fmt::format("the design has {:.0f} points of {} replicates: {}", n, sweep.replicates,
                             beyond_limits(e)));
    }
    if (n <= static_cast<double>(kMaxPoints) && values <= kMaxDesignValues) return;
    where.fail(
        fmt::format("the design has {:.0f} points x {} parameters; at most {} points and {:.0f} values "
                    "(points x parameters) are allowed: at {} replicates per point it would need {}",
                    n, axes, kMaxPoints, kMaxDesignValues, sweep.replicates, e.describe()));
  };
  if (replicates_value != nullptr && sweep.replicates > kMaxReplicates) {
    double n = 1.0;
    if (const Value* p = design.find("points"); p != nullptr && p->kind() == Value::Kind::integer) {
      n = std::max(1.0, static_cast<double>(p->as_integer()));
    }
    replicates_value->fail(
        replicates_limit_message(sweep.scenario, n, static_cast<double>(sweep.replicates)));
  }

  std::size_t points = 0;
  const Value* points_value = design.find("points");
  if (points_value != nullptr) {
    const std::int64_t n = points_value->as_integer();
    if (n < 1) points_value->fail("the number of points must be at least 1");
    check_size(*points_value, static_cast<double>(n), 1);
    points = static_cast<std::size_t>(n);
  }

  std::vector<AxisSource> axes;
  if (sweep.kind == "csv") {
    if (root.find("parameters") != nullptr) {
      root.at("parameters").fail("a csv design takes its parameters from the file's header");
    }
    if (points_value != nullptr) points_value->fail("a csv design takes its points from the file");
    const Value& file = design.at("file");
    const std::string csv_path = resolve_relative(path, file.as_string());
    check_named_file(file, csv_path, "points file");
    read_csv_points(csv_path, file, table, sweep, axes);
    sweep.sources.push_back(csv_path);
  } else {
    if (design.find("file") != nullptr) design.at("file").fail("`file` is only for kind = \"csv\"");
    const Value& parameters = root.at("parameters");
    if (!parameters.is_table()) parameters.fail("expected a table of swept parameters");
    collect_axes(table, parameters, "", sweep.kind, axes);
    if (axes.empty()) parameters.fail("no parameters to sweep");
    for (const AxisSource& a : axes)
      refuse_overridden(*sweep.scenario.model, *sweep.scenario.setup, a.index, *a.value);
    std::vector<design::Axis> plain;
    for (const AxisSource& a : axes) plain.push_back(a.axis);
    if (sweep.kind == "grid") {
      double product = 1.0;
      for (const auto& a : plain) product *= static_cast<double>(a.levels.size());
      check_size(parameters, product, plain.size());
      const auto n = static_cast<std::uint64_t>(product);
      if (points_value != nullptr && points != n) {
        points_value->fail(fmt::format("the grid has {} points (the product of the numbers of levels)", n));
      }
      sweep.points = design::grid(plain);
    } else {
      if (points_value == nullptr) (void)design.at("points");  // throws: missing required key
      check_size(*points_value, static_cast<double>(points), plain.size());
      design::Points unit;
      if (sweep.kind == "lhs") {
        unit = design::latin_hypercube_unit(points, plain.size(), sweep.design_seed);
      } else if (sweep.kind == "sobol") {
        if (plain.size() > design::kMaxSobolDimension) {
          parameters.fail(
              fmt::format("Boost's Sobol sequence has at most {} dimensions", design::kMaxSobolDimension));
        }
        unit = design::sobol_unit(points, plain.size());
      } else {
        unit = design::random_unit(points, plain.size(), sweep.design_seed);
      }
      sweep.points = design::map_to_ranges(unit, plain);
    }
  }
  for (const AxisSource& a : axes) {
    sweep.axes.push_back(a.axis);
    sweep.parameters.push_back(a.index);
  }
  for (const std::string& assignment : overrides.sets) {
    const std::string name = assignment.substr(0, assignment.find('='));
    for (const AxisSource& a : axes) {
      if (a.axis.name != name) continue;
      throw InputError("command line", 0, "--set " + name,
                       fmt::format("the sweep varies this parameter ({}:{}): --set fixes only parameters "
                                   "a sweep does not vary",
                                   a.value->file(), a.value->line()));
    }
  }

  read_labels(design, sweep);

  // Every point must satisfy the model's constraints, checked now rather than mid-run.
  for (std::size_t p = 0; p < sweep.points.size(); ++p) {
    ParamValues values = sweep.scenario.params();
    for (std::size_t k = 0; k < axes.size(); ++k) {
      const Value& where = *axes[k].value;
      values.set(axes[k].index, sweep.points[p][k], {where.file(), where.line()});
    }
    try {
      sweep.scenario.model->check(*sweep.scenario.setup, values);
    } catch (const InputError& e) {
      throw InputError(e.file(), e.line(), e.key(), fmt::format("at design point {}: {}", p, e.detail()));
    }
  }
  return sweep;
}

Job job_for(const Sweep& sweep) {
  Job job = job_for(sweep.scenario);
  job.swept = sweep.parameters;
  job.values = sweep.points;
  job.point_count = sweep.points.size();
  job.replicates = sweep.replicates;
  job.seed = sweep.seed;
  return job;
}

std::vector<std::vector<double>> Sweep::values_by_axis() const {
  std::vector<std::vector<double>> out(axes.size(), std::vector<double>(points.size()));
  for (std::size_t p = 0; p < points.size(); ++p) {
    for (std::size_t k = 0; k < axes.size(); ++k) out[k][p] = points[p][k];
  }
  return out;
}

std::string Sweep::resolved_text() const {
  std::string out = fmt::format(
      "# resolved sweep\ntitle = \"{}\"\n[design]\nkind = \"{}\"\nreplicates = {}\nseed = {}\n"
      "design_seed = {}\npoints = {}\n[points]\n",
      title, kind, replicates, seed, design_seed, points.size());
  const auto by_axis = values_by_axis();
  for (std::size_t k = 0; k < axes.size(); ++k) {
    out += fmt::format("\"{}\" = [", axes[k].name);
    for (std::size_t p = 0; p < by_axis[k].size(); ++p)
      out += fmt::format("{}{}", p == 0 ? "" : ", ", by_axis[k][p]);
    out += "]\n";
  }
  out += "\n# resolved base scenario\n" + scenario.resolved_inputs();
  return out;
}

output::DesignInfo design_of(const Sweep& sweep) {
  output::DesignInfo design;
  design.kind = sweep.kind;
  design.points = sweep.points.size();
  for (const auto& axis : sweep.axes) design.parameters.push_back(axis.name);
  design.values = sweep.values_by_axis();
  design.labels = sweep.labels;
  design.reference = sweep.reference;
  return design;
}

}  // namespace sim
