#pragma once
// What a model puts in the output file, declared once so the engine can lay out, stream, merge
// and summarise results without knowing what they mean (DESIGN §4.2). Every array has named
// dimensions, a description and units.

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace sim {

enum class DType : std::uint8_t { u8, i16, i32, i64, f32, f64 };

[[nodiscard]] std::size_t dtype_size(DType type) noexcept;
[[nodiscard]] const char* dtype_name(DType type) noexcept;

/// A named dimension. Coordinate labels (practice names, phase names...) are optional; without
/// them the coordinate is the index.
struct Dimension {
  std::string name;
  std::size_t size = 0;
  std::string description;
  std::vector<std::string> labels;
};

/// A per-replicate result, stored as [point, replicate, dims...].
struct FieldSpec {
  std::string path;  // e.g. "/results/fip"
  DType type = DType::f64;
  std::vector<std::string> dims;  // trailing dimensions
  std::string description;
  std::string units;
};

/// A sum over replicates kept exactly (fixed point in 64-bit integers, so that it does not
/// depend on the order in which replicates finish), stored per point as [point, dims...] after
/// division by the number of replicates or by another accumulator (a conditional mean).
struct AccumulatorSpec {
  std::string path;  // e.g. "/timeseries/coherence"
  std::vector<std::string> dims;
  std::string description;
  std::string units;
  /// Values are rounded to multiples of 2^-fraction_bits before summing (0 for counts).
  int fraction_bits = 32;
  /// Empty: divide by the number of replicates. Otherwise the path of an accumulator whose
  /// dimensions are a prefix of this one's: divide element-wise by its raw sum (broadcast).
  std::string denominator;
};

/// An integer per-replicate result that can be compared with an observation (the FIP count, or
/// one practice's outcome). For summarised observables the engine writes the distribution per
/// point and P(value = observed) with its Monte Carlo standard error; every observable can enter
/// the distance of a calibration.
struct ObservableSpec {
  std::string name;         // e.g. "fip_count"
  std::string field;        // path of a FieldSpec of an integer type
  std::size_t element = 0;  // which element of the field (0 for a field with no trailing dims)
  std::int64_t max_value = 0;
  std::string description;
  /// What mean(value) / max_value means, for summaries of sweeps (e.g. "mean P(FIP)").
  std::string share_label;
  /// Written to output files as a distribution (false for the many per-entity observables).
  bool summarised = true;
};

/// A constant array of the scenario (practice names, list sizes), written once.
struct StaticArray {
  std::string path;
  std::vector<std::string> dims;
  std::string description;
  std::string units;
  std::variant<std::vector<std::string>, std::vector<std::int64_t>, std::vector<double>> data;
};

struct OutputSchema {
  /// The dimension of the model's entities (for lwp, "practice"): exports give one row per point
  /// and entity.
  std::string entity_dimension;
  std::vector<Dimension> dims;
  std::vector<FieldSpec> fields;
  std::vector<AccumulatorSpec> accumulators;
  std::vector<ObservableSpec> observables;
  std::vector<StaticArray> statics;

  [[nodiscard]] const Dimension& dim(const std::string& name) const;
  /// Number of elements per replicate (fields) or per point (accumulators) of `dims`.
  [[nodiscard]] std::size_t elements(const std::vector<std::string>& dims) const;
  [[nodiscard]] std::size_t field_index(const std::string& path) const;
  [[nodiscard]] std::size_t accumulator_index(const std::string& path) const;
  /// Checks internal consistency (dims exist, denominators are prefixes...); throws logic_error.
  void check() const;
};

}  // namespace sim
