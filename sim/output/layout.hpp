#pragma once
// The layout of a result file (docs/output.md): every dataset with its named dimensions, type,
// description and units, derived from a model's OutputSchema and a design. Creating, resuming,
// merging and compressing files all work from this one description.

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include <hdf5.h>

#include "sim/model.hpp"
#include "sim/schema.hpp"

namespace sim::output {

/// The swept parameters and their values at each point (empty for a single scenario).
struct DesignInfo {
  std::string kind = "single";  // single, grid, lhs, sobol, random, csv, ...
  std::size_t points = 1;
  std::vector<std::string> parameters;
  std::vector<std::vector<double>> values;  // [parameter][point]
  std::vector<std::string> labels;          // [point], or empty (sweep files' `labels`)
  std::int64_t reference = -1;              // the point compared with, or -1
};

enum class Role : std::uint8_t {
  scale,     // a dimension scale under /dims (written at creation)
  constant,  // design values and scenario constants (written at creation)
  field,     // [point, replicate, ...] streamed per block
  summary,   // [point, ...] written when a point completes
  status,    // /status/completed
};

using ArrayData =
    std::variant<std::monostate, std::vector<std::string>, std::vector<std::int64_t>, std::vector<double>>;

struct DatasetPlan {
  std::string path;
  Role role = Role::summary;
  DType type = DType::f64;
  bool is_string = false;
  std::vector<std::string> dims;
  std::vector<hsize_t> shape;
  std::string description;
  std::string units;
  ArrayData data;                // for scales and constants
  std::size_t source_index = 0;  // field index (fields) in the schema

  [[nodiscard]] std::size_t elements() const;
};

struct FileLayout {
  std::vector<DatasetPlan> datasets;
  /// What the groups hold (the engine's and the model's), for `lwsim schema`.
  std::vector<GroupSpec> groups;

  /// The description of a group ("" if it has none).
  [[nodiscard]] const std::string& group_description(const std::string& path) const;

  [[nodiscard]] const DatasetPlan& at(const std::string& path) const;
  [[nodiscard]] std::size_t index_of(const std::string& path) const;
  [[nodiscard]] bool contains(const std::string& path) const;
};

/// Paths of the engine's own datasets (the summaries of observables are named in schema.hpp).
inline constexpr const char* kStatusPath = "/status/completed";
/// The most points a result file can hold (a sweep's design is refused beyond kMaxPoints, the same
/// number): a reader refuses a file claiming more before allocating for them.
inline constexpr std::uint64_t kMaxStoredPoints = 10'000'000;
using sim::distribution_path;
using sim::kObservedErrorPath;
using sim::kObservedProbabilityPath;

/// 0, 1, ..., n - 1: the values of a dimension without labels.
std::vector<std::int64_t> index_values(std::size_t n);

/// The dimension scale /dims/<name>: `values` are its labels (text) or its indices; its size is
/// theirs.
DatasetPlan scale_plan(const std::string& name, ArrayData values, std::string description, std::string units);

/// A dataset written once, when the file is created: a real, whole or text array (as `data` is).
DatasetPlan constant_plan(std::string path, std::vector<std::string> dims, std::vector<hsize_t> shape,
                          ArrayData data, std::string description, std::string units);

FileLayout make_layout(const OutputSchema& schema, const DesignInfo& design, std::uint64_t replicates,
                       const Observation* observed);

}  // namespace sim::output
