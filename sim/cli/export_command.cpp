// `lwsim export OUT.h5 --csv DIR`, for analysts who use spreadsheets: DIR/points.csv has one row
// per design point (its parameters and every per-point summary), DIR/points_<entity>.csv one row
// per point and entity (for lwp: per point and practice). Files appear only when complete.

#include <filesystem>
#include <fstream>
#include <iostream>
#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "sim/cli/commands.hpp"
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

}  // namespace

namespace {
int export_file(const std::string& file_path, const std::string& directory, bool overwrite,
                const ModelRegistry& registry, std::ostream& out);
}  // namespace

int export_command(const std::string& file_path, const std::string& directory, bool overwrite,
                   const ModelRegistry& registry, std::ostream& out) {
  return reading(file_path, [&] { return export_file(file_path, directory, overwrite, registry, out); });
}

namespace {
int export_file(const std::string& file_path, const std::string& directory, bool overwrite,
                const ModelRegistry& registry, std::ostream& out) {
  const output::ResultFile file = open_input_file(file_path);
  const StoredResults stored = read_stored_results(file, registry);
  const OutputSchema& schema = stored.schema;
  const std::string& entity = schema.entity_dimension;

  std::error_code ec;
  if (fs::exists(directory, ec) && !fs::is_directory(directory, ec)) {
    throw InputError(directory, 0, "--csv", "exists and is not a directory");
  }
  const fs::path parent =
      fs::path(directory).has_parent_path() ? fs::path(directory).parent_path() : fs::path(".");
  if (!fs::exists(directory, ec) && !fs::is_directory(parent, ec)) {
    throw InputError(directory, 0, "--csv", fmt::format("the directory {} does not exist", parent.string()));
  }
  const std::string points_csv = (fs::path(directory) / "points.csv").string();
  const std::string entity_csv = (fs::path(directory) / fmt::format("points_{}.csv", entity)).string();
  // An existing directory is not changed by this; a new one holds no file the checks could refuse.
  fs::create_directories(directory, ec);
  if (ec)
    throw InputError(directory, 0, "--csv", fmt::format("cannot create the directory: {}", ec.message()));
  const auto target = [&](const std::string& path) {
    return output::OutputTarget{path, "--csv", overwrite, "use --overwrite to replace it", {file_path}};
  };
  output::PendingOutput points_output(target(points_csv));
  output::PendingOutput entity_output(target(entity_csv));

  const std::size_t points = stored.status.size();
  const std::vector<std::string>& parameters = stored.design.parameters;

  // Per-point datasets (no entity dimension, small trailing dimensions), and per-entity ones.
  std::vector<const output::DatasetPlan*> per_point, per_entity;
  for (const output::DatasetPlan& plan : stored.layout.datasets) {
    if (plan.role != output::Role::summary) continue;
    const std::size_t trailing = plan.elements() / std::max<hsize_t>(plan.shape[0], 1);
    const bool has_week = std::find(plan.dims.begin(), plan.dims.end(), "week") != plan.dims.end();
    if (has_week) continue;
    if (plan.dims.size() >= 2 && plan.dims[1] == entity) {
      if (trailing / plan.shape[1] <= kMaxColumnsPerDataset) per_entity.push_back(&plan);
    } else if (std::find(plan.dims.begin(), plan.dims.end(), entity) == plan.dims.end() &&
               trailing <= kMaxColumnsPerDataset) {
      per_point.push_back(&plan);
    }
  }

  Table point_table;
  point_table.header = {"point", "completed"};
  for (const auto& p : parameters) point_table.header.push_back(p);
  for (const auto* plan : per_point) {
    for (const auto& c : column_names(schema, *plan, 1)) point_table.header.push_back(c);
  }
  Table entity_table;
  entity_table.header = {"point", "completed", entity};
  for (const auto& p : parameters) entity_table.header.push_back(p);
  for (const auto* plan : per_entity) {
    for (const auto& c : column_names(schema, *plan, 2)) entity_table.header.push_back(c);
  }
  const Dimension& entity_dim = schema.dim(entity);

  std::vector<double> buffer;
  for (std::size_t p = 0; p < points; ++p) {
    const bool complete = stored.status[p] != 0;
    std::vector<std::string> row = {std::to_string(p), complete ? "1" : "0"};
    for (std::size_t k = 0; k < parameters.size(); ++k) row.push_back(number(stored.design.values[k][p]));
    for (const auto* plan : per_point) {
      const std::size_t n = plan->elements() / plan->shape[0];
      buffer.assign(n, 0.0);
      if (complete) file.read_points(plan->path, DType::f64, p, 1, buffer.data());
      for (double v : buffer) row.push_back(complete ? number(v) : "");
    }
    point_table.rows.push_back(std::move(row));

    std::vector<std::vector<double>> entity_values;
    for (const auto* plan : per_entity) {
      const std::size_t n = plan->elements() / plan->shape[0];
      buffer.assign(n, 0.0);
      if (complete) file.read_points(plan->path, DType::f64, p, 1, buffer.data());
      entity_values.push_back(buffer);
    }
    for (std::size_t e = 0; e < entity_dim.size; ++e) {
      std::vector<std::string> erow = {std::to_string(p), complete ? "1" : "0",
                                       entity_dim.labels.empty() ? std::to_string(e) : entity_dim.labels[e]};
      for (std::size_t k = 0; k < parameters.size(); ++k) erow.push_back(number(stored.design.values[k][p]));
      for (std::size_t d = 0; d < per_entity.size(); ++d) {
        const std::size_t per = entity_values[d].size() / entity_dim.size;
        for (std::size_t i = 0; i < per; ++i)
          erow.push_back(complete ? number(entity_values[d][e * per + i]) : "");
      }
      entity_table.rows.push_back(std::move(erow));
    }
  }
  // Stopped (SIGINT, SIGTERM) before writing: nothing is written.
  if (stop_requested()) {
    fmt::print(std::cerr, "lwsim: interrupted by signal {}; nothing written\n", stop_signal());
    return 128 + (stop_signal() > 0 ? stop_signal() : 2);
  }
  write_table(point_table, points_output);
  write_table(entity_table, entity_output);
  points_output.commit();
  entity_output.commit();
  fmt::print(out, "Wrote {} ({} rows, {} columns) and {} ({} rows, {} columns)\n", points_csv,
             point_table.rows.size(), point_table.header.size(), entity_csv, entity_table.rows.size(),
             entity_table.header.size());
  return kExitSuccess;
}

}  // namespace

}  // namespace sim::cli
