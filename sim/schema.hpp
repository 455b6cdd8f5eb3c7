#pragma once
// What a model puts in the output file, declared once so the engine can lay out, stream, merge
// and summarise results without knowing what they mean (docs/output.md). Every array has named
// dimensions, a description and units. Declaring a dataset returns a typed handle (FieldId<T>,
// AccumulatorId, ObservableId) through which the model records it: the handle, not a position in
// a list, says which dataset is meant, and a field's element type is fixed when it is declared.

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace sim {

enum class DType : std::uint8_t { u8, i16, i32, i64, f32, f64 };

[[nodiscard]] std::size_t dtype_size(DType type) noexcept;
[[nodiscard]] const char* dtype_name(DType type) noexcept;

/// The DType a C++ element type is stored as (only these six can be fields).
template <class T>
inline constexpr DType dtype_of = [] {
  if constexpr (std::is_same_v<T, std::uint8_t>)
    return DType::u8;
  else if constexpr (std::is_same_v<T, std::int16_t>)
    return DType::i16;
  else if constexpr (std::is_same_v<T, std::int32_t>)
    return DType::i32;
  else if constexpr (std::is_same_v<T, std::int64_t>)
    return DType::i64;
  else if constexpr (std::is_same_v<T, float>)
    return DType::f32;
  else if constexpr (std::is_same_v<T, double>)
    return DType::f64;
  else
    static_assert(!sizeof(T), "a field's elements are uint8, int16, int32, int64, float or double");
}();

struct OutputSchema;
struct PointSummary;

/// Where a declared dataset is in its schema. Only OutputSchema makes valid ones; a
/// default-constructed handle names nothing (a dataset the scenario does not write).
template <class Tag>
class SchemaId {
 public:
  constexpr SchemaId() = default;
  [[nodiscard]] constexpr std::size_t index() const noexcept { return index_; }
  [[nodiscard]] constexpr bool declared() const noexcept { return index_ != kNone; }

 private:
  friend struct OutputSchema;
  static constexpr std::size_t kNone = ~std::size_t{0};
  explicit constexpr SchemaId(std::size_t index) : index_(index) {}
  std::size_t index_ = kNone;
};

template <class T>
struct FieldTag;
/// A per-replicate result whose elements are of type T (ReplicateOutput::field returns a T*).
template <class T>
using FieldId = SchemaId<FieldTag<T>>;
struct AccumulatorTag;
struct ObservableTag;
/// An exact sum over replicates (ReplicateOutput::accumulator).
using AccumulatorId = SchemaId<AccumulatorTag>;
/// An observable (an element of an integer field compared with observation).
using ObservableId = SchemaId<ObservableTag>;

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

/// A ratio of two per-replicate scalar fields that compared scenarios are judged by (for lwp, the
/// programme cost per fully integrated practice). `lwsim report` gives at each point the ratio of
/// the means, and against a sweep's reference point the incremental ratio: the difference in the
/// numerator's mean over the difference in the denominator's ("cost per additional FIP").
struct RatioSpec {
  std::string name;              // e.g. "cost per FIP"
  std::string incremental_name;  // e.g. "cost per additional FIP"
  std::string numerator;         // path of a FieldSpec without trailing dimensions
  std::string denominator;       // likewise
  std::string units;
};

/// A pattern: a named statistic of a design point that the model computes from the point's
/// summaries and that an evaluation may have observed (for lwp, the difference in coherence at P4
/// between fully and partially integrated practices). Observed-data files state what was seen of
/// it ([[pattern]], docs/scenarios.md) and a calibration can fit it (docs/scenarios.md, *Calibration files*).
struct PatternSpec {
  std::string name;  // e.g. "coherence_gap_p4"
  std::string description;
  std::string units;
  /// Paths of the summaries `compute` reads (kept by a calibration's evaluations).
  std::vector<std::string> inputs;
  /// The statistic at a point; NaN where it is undefined (for lwp, a difference between FIPs and
  /// PIPs at a point whose replicates have none of one of them).
  std::function<double(const PointSummary&)> compute;
};

/// A constant array of the scenario (practice names, list sizes), written once.
struct StaticArray {
  std::string path;
  std::vector<std::string> dims;
  std::string description;
  std::string units;
  std::variant<std::vector<std::string>, std::vector<std::int64_t>, std::vector<double>> data;
};

/// A group of datasets (an HDF5 group such as /results), described for `lwsim schema`.
struct GroupSpec {
  std::string path;
  std::string description;
};

/// How an accumulator sums (AccumulatorSpec): the fixed-point precision, and the accumulator
/// its sums are divided by (none: divide by the number of replicates).
struct Summation {
  int fraction_bits = 32;
  AccumulatorId divided_by;
};
/// Sums of integer counts (add_count), exact.
constexpr Summation counts(AccumulatorId divided_by = {}) {
  return {0, divided_by};
}
/// Sums of values rounded to multiples of 2^-fraction_bits.
constexpr Summation fixed_point(int fraction_bits, AccumulatorId divided_by = {}) {
  return {fraction_bits, divided_by};
}

struct OutputSchema {
  /// The dimension of the model's entities (for lwp, "practice"): exports give one row per point
  /// and entity.
  std::string entity_dimension;
  /// The dimension of the model's time steps (for lwp, "week"), if it has one: throughput is
  /// counted in entity-steps, and exports leave out the arrays over time.
  std::string time_dimension;
  std::vector<Dimension> dims;
  std::vector<FieldSpec> fields;
  std::vector<AccumulatorSpec> accumulators;
  std::vector<ObservableSpec> observables;
  std::vector<StaticArray> statics;
  std::vector<GroupSpec> groups;
  std::vector<RatioSpec> ratios;
  std::vector<PatternSpec> patterns;

  /// Declares a per-replicate result of element type T (its DType follows from T).
  template <class T>
  FieldId<T> add_field(std::string path, std::vector<std::string> trailing_dims, std::string description,
                       std::string units) {
    fields.push_back(
        {std::move(path), dtype_of<T>, std::move(trailing_dims), std::move(description), std::move(units)});
    return FieldId<T>(fields.size() - 1);
  }
  AccumulatorId add_accumulator(std::string path, std::vector<std::string> trailing_dims,
                                std::string description, std::string units, Summation summation = {});
  /// Declares element `element` of an integer field as an observable named `name`.
  template <std::integral T>
  ObservableId add_observable(std::string name, FieldId<T> field, std::size_t element, std::int64_t max_value,
                              std::string description, std::string share_label, bool summarised) {
    observables.push_back({std::move(name), fields.at(field.index()).path, element, max_value,
                           std::move(description), std::move(share_label), summarised});
    return ObservableId(observables.size() - 1);
  }

  [[nodiscard]] const Dimension& dim(const std::string& name) const;
  /// Number of elements per replicate (fields) or per point (accumulators) of `dims`.
  [[nodiscard]] std::size_t elements(const std::vector<std::string>& dims) const;
  /// Size of the time dimension (1 without one): the time steps of a replicate.
  [[nodiscard]] std::size_t time_steps() const;
  /// Entity-steps per replicate (entities x time steps), the unit of throughput.
  [[nodiscard]] std::size_t steps_per_replicate() const;
  /// The name of that unit: "practice-week" for lwp ("replicate" for a model with neither).
  [[nodiscard]] std::string step_unit() const;
  [[nodiscard]] std::size_t field_index(const std::string& path) const;
  [[nodiscard]] std::size_t accumulator_index(const std::string& path) const;
  [[nodiscard]] const AccumulatorSpec& accumulator(AccumulatorId id) const {
    return accumulators.at(id.index());
  }
  [[nodiscard]] const ObservableSpec& observable(ObservableId id) const { return observables.at(id.index()); }
  /// The pattern named `name`, or nullptr.
  [[nodiscard]] const PatternSpec* find_pattern(std::string_view name) const;
  /// Checks internal consistency (dims exist, denominators are prefixes...); throws logic_error.
  void check() const;
};

/// Paths of the engine's own summaries of observables, beside the model's accumulators.
inline constexpr const char* kObservedProbabilityPath = "/summary/p_observed";
inline constexpr const char* kObservedErrorPath = "/summary/p_observed_se";
/// Where the distribution of a summarised observable is written ("/summary/<name>_distribution").
std::string distribution_path(const ObservableSpec& observable);

/// Declares the datasets of one group of a schema, each by its leaf name, so that a handle and
/// its dataset share one name: in a group made for "/results",
///   handles.fip = results.field<std::uint8_t>("fip", {"practice"}, "1 = fully integrated", "1");
/// declares /results/fip.
class SchemaGroup {
 public:
  SchemaGroup(OutputSchema& schema, std::string path, std::string description = {});

  /// A group inside this one ("/results" -> "/results/events").
  [[nodiscard]] SchemaGroup group(std::string_view name, std::string description = {}) const;
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

  template <class T>
  [[nodiscard]] FieldId<T> field(std::string_view name, std::vector<std::string> dims,
                                 std::string description, std::string units) const {
    return schema_->add_field<T>(path_of(name), std::move(dims), std::move(description), std::move(units));
  }
  [[nodiscard]] AccumulatorId accumulator(std::string_view name, std::vector<std::string> dims,
                                          std::string description, std::string units,
                                          Summation summation = {}) const;
  /// A constant array of the scenario (StaticArray), written when the file is created.
  template <class T>
  void constant(std::string_view name, std::vector<std::string> dims, std::string description,
                std::string units, std::vector<T> data) const {
    schema_->statics.push_back(
        {path_of(name), std::move(dims), std::move(description), std::move(units), std::move(data)});
  }

 private:
  [[nodiscard]] std::string path_of(std::string_view name) const;

  OutputSchema* schema_;
  std::string path_;
};

}  // namespace sim
