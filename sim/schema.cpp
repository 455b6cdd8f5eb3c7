#include "sim/schema.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

namespace sim {

std::size_t dtype_size(DType type) noexcept {
  switch (type) {
    case DType::u8: return 1;
    case DType::i16: return 2;
    case DType::i32: return 4;
    case DType::i64: return 8;
    case DType::f32: return 4;
    case DType::f64: return 8;
  }
  return 0;
}

const char* dtype_name(DType type) noexcept {
  switch (type) {
    case DType::u8: return "uint8";
    case DType::i16: return "int16";
    case DType::i32: return "int32";
    case DType::i64: return "int64";
    case DType::f32: return "float32";
    case DType::f64: return "float64";
  }
  return "?";
}

const Dimension& OutputSchema::dim(const std::string& name) const {
  for (const Dimension& d : dims) {
    if (d.name == name) return d;
  }
  throw std::logic_error(fmt::format("output schema: no dimension named {}", name));
}

std::size_t OutputSchema::elements(const std::vector<std::string>& names) const {
  std::size_t n = 1;
  for (const std::string& name : names) n *= dim(name).size;
  return n;
}

std::size_t OutputSchema::time_steps() const {
  return time_dimension.empty() ? 1 : dim(time_dimension).size;
}

std::size_t OutputSchema::steps_per_replicate() const {
  return (entity_dimension.empty() ? 1 : dim(entity_dimension).size) * time_steps();
}

std::string OutputSchema::step_unit() const {
  if (entity_dimension.empty() && time_dimension.empty()) return "replicate";
  if (entity_dimension.empty() || time_dimension.empty()) return entity_dimension + time_dimension;
  return entity_dimension + "-" + time_dimension;
}

AccumulatorId OutputSchema::add_accumulator(std::string path, std::vector<std::string> trailing_dims,
                                            std::string description, std::string units, Summation summation) {
  std::string denominator = summation.divided_by.declared() ? accumulator(summation.divided_by).path : "";
  accumulators.push_back({std::move(path), std::move(trailing_dims), std::move(description), std::move(units),
                          summation.fraction_bits, std::move(denominator)});
  return AccumulatorId(accumulators.size() - 1);
}

std::size_t OutputSchema::field_index(const std::string& path) const {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].path == path) return i;
  }
  throw std::logic_error(fmt::format("output schema: no field {}", path));
}

std::size_t OutputSchema::accumulator_index(const std::string& path) const {
  for (std::size_t i = 0; i < accumulators.size(); ++i) {
    if (accumulators[i].path == path) return i;
  }
  throw std::logic_error(fmt::format("output schema: no accumulator {}", path));
}

void OutputSchema::check() const {
  std::set<std::string> paths;
  const auto unique = [&](const std::string& path) {
    if (path.empty() || path[0] != '/')
      throw std::logic_error("output schema: path must start with /: " + path);
    if (!paths.insert(path).second) throw std::logic_error("output schema: duplicate path " + path);
  };
  std::set<std::string> dim_names{"point", "replicate"};
  for (const Dimension& d : dims) {
    if (!dim_names.insert(d.name).second)
      throw std::logic_error("output schema: duplicate dimension " + d.name);
    if (!d.labels.empty() && d.labels.size() != d.size) {
      throw std::logic_error("output schema: dimension " + d.name + " has the wrong number of labels");
    }
  }
  for (const std::string* name : {&entity_dimension, &time_dimension}) {
    if (!name->empty()) (void)dim(*name);
  }
  for (const FieldSpec& f : fields) {
    unique(f.path);
    (void)elements(f.dims);
  }
  for (const RatioSpec& r : ratios) {
    for (const std::string* path : {&r.numerator, &r.denominator}) {
      if (!fields.at(field_index(*path)).dims.empty())
        throw std::logic_error("output schema: ratio " + r.name + " of a field with dimensions " + *path);
    }
  }
  for (const AccumulatorSpec& a : accumulators) {
    unique(a.path);
    (void)elements(a.dims);
    if (!a.denominator.empty()) {
      const AccumulatorSpec& d = accumulators.at(accumulator_index(a.denominator));
      if (d.dims.size() > a.dims.size() || !std::equal(d.dims.begin(), d.dims.end(), a.dims.begin())) {
        throw std::logic_error("output schema: denominator of " + a.path + " is not a prefix");
      }
    }
    if (a.fraction_bits < 0 || a.fraction_bits > 40) {
      throw std::logic_error("output schema: fraction_bits out of range for " + a.path);
    }
  }
  for (const ObservableSpec& o : observables) {
    const FieldSpec& f = fields.at(field_index(o.field));
    if (o.element >= elements(f.dims) || f.type == DType::f32 || f.type == DType::f64) {
      throw std::logic_error("output schema: observable " + o.name +
                             " must be an element of an integer field");
    }
    if (o.max_value < 0)
      throw std::logic_error("output schema: observable " + o.name + " has a negative maximum");
  }
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    const PatternSpec& p = patterns[i];
    if (!p.compute) throw std::logic_error("output schema: pattern " + p.name + " computes nothing");
    for (std::size_t j = 0; j < i; ++j) {
      if (patterns[j].name == p.name) throw std::logic_error("output schema: pattern " + p.name + " twice");
    }
    for (const std::string& input : p.inputs) (void)accumulator_index(input);
  }
  for (const StaticArray& s : statics) {
    unique(s.path);
    const std::size_t n = elements(s.dims);
    const std::size_t have = std::visit([](const auto& v) { return v.size(); }, s.data);
    if (n != have) throw std::logic_error("output schema: static " + s.path + " has the wrong size");
  }
}

std::string distribution_path(const ObservableSpec& observable) {
  return fmt::format("/summary/{}_distribution", observable.name);
}

SchemaGroup::SchemaGroup(OutputSchema& schema, std::string path, std::string description)
    : schema_(&schema), path_(std::move(path)) {
  for (GroupSpec& group : schema.groups) {
    if (group.path != path_) continue;
    if (group.description.empty()) group.description = std::move(description);
    return;
  }
  schema.groups.push_back({path_, std::move(description)});
}

SchemaGroup SchemaGroup::group(std::string_view name, std::string description) const {
  return {*schema_, path_of(name), std::move(description)};
}

AccumulatorId SchemaGroup::accumulator(std::string_view name, std::vector<std::string> dims,
                                       std::string description, std::string units,
                                       Summation summation) const {
  return schema_->add_accumulator(path_of(name), std::move(dims), std::move(description), std::move(units),
                                  summation);
}

std::string SchemaGroup::path_of(std::string_view name) const {
  return path_ + "/" + std::string(name);
}

const PatternSpec* OutputSchema::find_pattern(std::string_view name) const {
  for (const PatternSpec& p : patterns) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

}  // namespace sim
