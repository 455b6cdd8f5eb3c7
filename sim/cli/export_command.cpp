// `lwsim export OUT.h5 --csv DIR`, for analysts who use spreadsheets: DIR/points.csv has one row
// per design point (its label, parameters and every per-point summary), DIR/points_<entity>.csv
// one row per point and entity (for lwp: per point and practice), and for a sweep with a
// reference point DIR/differences.csv the paired differences against it (the numbers of
// `lwsim report`). Files appear only when complete, all of them or none.

#include <filesystem>
#include <fstream>
#include <iostream>
#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "sim/cli/command.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/paired_differences.hpp"
#include "sim/cli/stored_results.hpp"
#include "sim/error.hpp"
#include "sim/output/pending_output.hpp"
#include "sim/util/interrupt.hpp"

namespace sim::cli {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxColumnsPerDataset = 256;

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string number(double v) {
  if (std::isnan(v)) return "";
  return fmt::format("{}", v);
}

std::string column_base(const std::string& path) {
  std::string name = path.rfind("/summary/", 0) == 0 ? path.substr(9) : path.substr(1);
  for (char& c : name) {
    if (c == '/') c = '.';
  }
  return name;
}

/// Column names for the trailing dimensions of a dataset (labels where the dimension has them).
std::vector<std::string> column_names(const OutputSchema& schema, const output::DatasetPlan& plan,
                                      std::size_t skip) {
  std::vector<std::string> names = {column_base(plan.path)};
  for (std::size_t d = skip; d < plan.dims.size(); ++d) {
    std::vector<std::string> labels;
    const std::string& dim = plan.dims[d];
    const Dimension* known = nullptr;
    for (const Dimension& candidate : schema.dims) {
      if (candidate.name == dim) known = &candidate;
    }
    for (std::size_t i = 0; i < plan.shape[d]; ++i) {
      labels.push_back(known != nullptr && !known->labels.empty() ? known->labels[i] : std::to_string(i));
    }
    std::vector<std::string> next;
    for (const std::string& n : names) {
      for (const std::string& l : labels) next.push_back(n + "." + l);
    }
    names = std::move(next);
  }
  return names;
}

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

/// Writes `table` to the output's temporary (committed by the caller).
void write_table(const Table& table, const output::PendingOutput& pending) {
  const std::string& path = pending.target();
  std::ofstream out(pending.temporary(), std::ios::trunc);
  if (!out) throw InputError(path, 0, "--csv", fmt::format("cannot write: {}", std::strerror(errno)));
  for (std::size_t i = 0; i < table.header.size(); ++i) out << (i ? "," : "") << csv_field(table.header[i]);
  out << '\n';
  for (const auto& row : table.rows) {
    for (std::size_t i = 0; i < row.size(); ++i) out << (i ? "," : "") << csv_field(row[i]);
    out << '\n';
  }
  out.flush();
  if (!out) throw std::runtime_error(fmt::format("{}: write failed: {}", path, std::strerror(errno)));
}

/// The directory an export created: removed again (with nothing in it) unless the export succeeds.
struct CreatedDirectory {
  std::string path;  // empty: the directory was there already
  bool keep = false;
  CreatedDirectory() = default;
  CreatedDirectory(const CreatedDirectory&) = delete;
  CreatedDirectory& operator=(const CreatedDirectory&) = delete;
  ~CreatedDirectory() {
    std::error_code ec;
    if (!keep && !path.empty()) fs::remove(path, ec);  // only an empty directory is removed
  }
};

/// DIR is created when missing (and noted in `created`); its parent must exist.
void prepare_directory(const std::string& directory, CreatedDirectory& created) {
  std::error_code ec;
  if (fs::exists(directory, ec) && !fs::is_directory(directory, ec)) {
    throw InputError(directory, 0, "--csv", "exists and is not a directory");
  }
  fs::path dir(directory);
  if (!dir.has_filename() && dir.has_parent_path()) dir = dir.parent_path();  // "out/" names out
  const fs::path parent = dir.has_parent_path() ? dir.parent_path() : fs::path(".");
  if (!fs::exists(directory, ec) && !fs::is_directory(parent, ec)) {
    throw InputError(directory, 0, "--csv", fmt::format("the directory {} does not exist", parent.string()));
  }
  // An existing directory is not changed by this; a new one holds no file the checks could refuse.
  if (!fs::exists(directory, ec)) created.path = directory;
  fs::create_directories(directory, ec);
  if (ec)
    throw InputError(directory, 0, "--csv", fmt::format("cannot create the directory: {}", ec.message()));
}

/// The summaries each table takes: per point (no entity dimension, few columns) and per point and
/// entity; time series are left out.
struct Exported {
  std::vector<const output::DatasetPlan*> per_point;
  std::vector<const output::DatasetPlan*> per_entity;
};

Exported exported_datasets(const StoredResults& stored) {
  const std::string& entity = stored.schema.entity_dimension;
  const std::string& time = stored.schema.time_dimension;
  Exported chosen;
  for (const output::DatasetPlan& plan : stored.layout.datasets) {
    if (plan.role != output::Role::summary) continue;
    const std::size_t trailing = plan.elements() / std::max<hsize_t>(plan.shape[0], 1);
    const bool over_time =
        !time.empty() && std::find(plan.dims.begin(), plan.dims.end(), time) != plan.dims.end();
    if (over_time) continue;
    if (plan.dims.size() >= 2 && plan.dims[1] == entity) {
      if (trailing / plan.shape[1] <= kMaxColumnsPerDataset) chosen.per_entity.push_back(&plan);
    } else if (std::find(plan.dims.begin(), plan.dims.end(), entity) == plan.dims.end() &&
               trailing <= kMaxColumnsPerDataset) {
      chosen.per_point.push_back(&plan);
    }
  }
  return chosen;
}

/// A point's values of a dataset (zeros when the point is not complete).
std::vector<double> point_values(const output::ResultFile& file, const output::DatasetPlan& plan,
                                 std::size_t point, bool complete) {
  std::vector<double> values(plan.elements() / plan.shape[0], 0.0);
  if (complete) file.read_points(plan.path, DType::f64, point, 1, values.data());
  return values;
}

/// The first columns of a row: the point, whether it is complete, and then `between` (the
/// entity), then the point's parameter values.
std::vector<std::string> row_start(const StoredResults& stored, std::size_t p, const std::string& between) {
  std::vector<std::string> row = {std::to_string(p)};
  if (!stored.design.labels.empty()) row.push_back(stored.design.labels[p]);
  row.emplace_back(stored.status[p] != 0 ? "1" : "0");
  if (!between.empty()) row.push_back(between);
  for (const auto& values : stored.design.values) row.push_back(number(values[p]));
  return row;
}

/// The header of row_start's columns.
std::vector<std::string> start_header(const StoredResults& stored, const std::string& between) {
  std::vector<std::string> header = {"point"};
  if (!stored.design.labels.empty()) header.emplace_back("label");
  header.emplace_back("completed");
  if (!between.empty()) header.push_back(between);
  for (const auto& p : stored.design.parameters) header.push_back(p);
  return header;
}

/// The paired differences against the reference point, one row per point and quantity.
Table difference_table(const Comparison& comparison) {
  Table table;
  table.header = {"point",        "label",         "reference_point", "reference_label", "quantity",
                  "units",        "point_value",   "reference_value", "difference",      "standard_error",
                  "interval_low", "interval_high", "interval"};
  const std::string reference = std::to_string(comparison.reference);
  for (const PointComparison& pc : comparison.points) {
    const std::vector<std::string> start = {std::to_string(pc.point), pc.label, reference,
                                            comparison.reference_label};
    const auto add = [&](std::vector<std::string> rest) {
      std::vector<std::string> row = start;
      row.insert(row.end(), rest.begin(), rest.end());
      table.rows.push_back(std::move(row));
    };
    for (const PairedDifference& d : pc.differences) {
      add({d.quantity, d.units, number(d.point_mean), number(d.reference_mean), number(d.mean),
           number(d.standard_error), number(d.low), number(d.high), "90% of replicates"});
    }
    for (const PairedRatio& r : pc.ratios) {
      add({r.name, r.units, number(r.point_ratio), number(r.reference_ratio),
           number(r.point_ratio - r.reference_ratio), "", "", "", ""});
      add({r.incremental_name, r.units, "", "", r.incremental_defined ? number(r.incremental) : "", "",
           r.interval_defined ? number(r.low) : "", r.interval_defined ? number(r.high) : "",
           r.interval_defined ? "90% confidence (delta method)" : ""});
    }
  }
  return table;
}

Table point_table(const output::ResultFile& file, const StoredResults& stored, const Exported& chosen) {
  Table table;
  table.header = start_header(stored, "");
  for (const auto* plan : chosen.per_point) {
    for (const auto& c : column_names(stored.schema, *plan, 1)) table.header.push_back(c);
  }
  for (std::size_t p = 0; p < stored.status.size(); ++p) {
    const bool complete = stored.status[p] != 0;
    std::vector<std::string> row = row_start(stored, p, "");
    for (const auto* plan : chosen.per_point) {
      for (double v : point_values(file, *plan, p, complete)) row.push_back(complete ? number(v) : "");
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

Table entity_table(const output::ResultFile& file, const StoredResults& stored, const Exported& chosen) {
  const std::string& entity = stored.schema.entity_dimension;
  const Dimension& entity_dim = stored.schema.dim(entity);
  Table table;
  table.header = start_header(stored, entity);
  for (const auto* plan : chosen.per_entity) {
    for (const auto& c : column_names(stored.schema, *plan, 2)) table.header.push_back(c);
  }
  for (std::size_t p = 0; p < stored.status.size(); ++p) {
    const bool complete = stored.status[p] != 0;
    std::vector<std::vector<double>> values;
    for (const auto* plan : chosen.per_entity) values.push_back(point_values(file, *plan, p, complete));
    for (std::size_t e = 0; e < entity_dim.size; ++e) {
      std::vector<std::string> row =
          row_start(stored, p, entity_dim.labels.empty() ? std::to_string(e) : entity_dim.labels[e]);
      for (const std::vector<double>& v : values) {
        const std::size_t per = v.size() / entity_dim.size;
        for (std::size_t i = 0; i < per; ++i) row.push_back(complete ? number(v[e * per + i]) : "");
      }
      table.rows.push_back(std::move(row));
    }
  }
  return table;
}

int export_file(const std::string& file_path, const std::string& directory, bool overwrite,
                const ModelRegistry& registry, std::ostream& out) {
  const output::ResultFile file = open_input_file(file_path);
  const StoredResults stored = read_stored_results(file, registry);
  // All or nothing: both tables are written to temporaries and renamed together; on any failure
  // neither file changes and a directory this export created is removed (declared before the
  // outputs, so that it goes after their temporaries and lock files).
  CreatedDirectory created;
  prepare_directory(directory, created);
  const std::string points_csv = (fs::path(directory) / "points.csv").string();
  const std::string entity_csv =
      (fs::path(directory) / fmt::format("points_{}.csv", stored.schema.entity_dimension)).string();
  const std::string differences_csv = (fs::path(directory) / "differences.csv").string();
  const auto target = [&](const std::string& path) {
    return output::OutputTarget{path, "--csv", overwrite, "use --overwrite to replace it", {file_path}};
  };
  output::PendingOutput points_output(target(points_csv));
  output::PendingOutput entity_output(target(entity_csv));
  const std::optional<Comparison> comparison = compare_with_reference(file, stored);
  std::optional<output::PendingOutput> differences_output;
  if (comparison) differences_output.emplace(target(differences_csv));
  const Exported chosen = exported_datasets(stored);
  const Table points = point_table(file, stored, chosen);
  const Table entities = entity_table(file, stored, chosen);
  const Table differences = comparison ? difference_table(*comparison) : Table{};
  // Stopped (SIGINT, SIGTERM) before writing: nothing is written.
  if (stop_requested()) {
    fmt::print(std::cerr, "lwsim: interrupted by signal {}; nothing written\n", stop_signal());
    return 128 + (stop_signal() > 0 ? stop_signal() : 2);
  }
  write_table(points, points_output);
  write_table(entities, entity_output);
  std::vector<output::PendingOutput*> outputs = {&points_output, &entity_output};
  if (differences_output) {
    write_table(differences, *differences_output);
    outputs.push_back(&*differences_output);
  }
  output::PendingOutput::commit_all(outputs);
  created.keep = true;
  fmt::print(out, "Wrote {} ({} rows, {} columns) and {} ({} rows, {} columns)\n", points_csv,
             points.rows.size(), points.header.size(), entity_csv, entities.rows.size(),
             entities.header.size());
  if (differences_output) {
    fmt::print(out, "Wrote {} ({} rows: paired differences against point {}, \"{}\")\n", differences_csv,
               differences.rows.size(), comparison->reference, comparison->reference_label);
  }
  return kExitSuccess;
}

}  // namespace

int export_command(const std::string& file_path, const std::string& directory, bool overwrite,
                   const ModelRegistry& registry, std::ostream& out) {
  return reading(file_path, [&] { return export_file(file_path, directory, overwrite, registry, out); });
}

Command export_entry() {
  struct Args {
    std::string file;
    std::string directory;
    bool overwrite = false;
  };
  auto args = std::make_shared<Args>();
  return {"export",
          "Export an output file's summaries as CSV for spreadsheets",
          {Option("file", "lwsim output file (HDF5)", &args->file).required(),
           Option("--csv", "directory for points.csv and points_practice.csv", &args->directory).required(),
           {"--overwrite", "replace existing CSV files", &args->overwrite}},
          Ranks::first,
          OnStop::command_decides,
          [args](const Invocation& i) {
            return export_command(args->file, args->directory, args->overwrite, i.registry, i.out);
          }};
}

}  // namespace sim::cli
