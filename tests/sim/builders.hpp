#pragma once
// Builders for the engine's plain structs (schema entries, parameter specs) in the sim tests.
// They assign members by name, so a member added to a struct later does not break the tests'
// brace initialisation (-Wmissing-field-initializers is an error).

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/params.hpp"
#include "sim/schema.hpp"

namespace sim_test {

inline sim::Dimension dimension(std::string name, std::size_t size, std::vector<std::string> labels = {},
                                std::string description = "a dimension") {
  sim::Dimension d;
  d.name = std::move(name);
  d.size = size;
  d.description = std::move(description);
  d.labels = std::move(labels);
  return d;
}

inline sim::FieldSpec field(std::string path, sim::DType type, std::vector<std::string> dims,
                            std::string description = "a field", std::string units = "1") {
  sim::FieldSpec f;
  f.path = std::move(path);
  f.type = type;
  f.dims = std::move(dims);
  f.description = std::move(description);
  f.units = std::move(units);
  return f;
}

inline sim::AccumulatorSpec accumulator(std::string path, std::vector<std::string> dims, int fraction_bits,
                                        std::string denominator = "",
                                        std::string description = "an accumulator", std::string units = "1") {
  sim::AccumulatorSpec a;
  a.path = std::move(path);
  a.dims = std::move(dims);
  a.description = std::move(description);
  a.units = std::move(units);
  a.fraction_bits = fraction_bits;
  a.denominator = std::move(denominator);
  return a;
}

inline sim::ObservableSpec observable(std::string name, std::string field_path, std::int64_t max_value) {
  sim::ObservableSpec o;
  o.name = std::move(name);
  o.field = std::move(field_path);
  o.max_value = max_value;
  o.description = "an observable";
  return o;
}

template <class Data>
sim::StaticArray static_array(std::string path, std::vector<std::string> dims, std::string description,
                              std::string units, Data data) {
  sim::StaticArray s;
  s.path = std::move(path);
  s.dims = std::move(dims);
  s.description = std::move(description);
  s.units = std::move(units);
  s.data = std::move(data);
  return s;
}

inline sim::ParamSpec param(std::string_view name, sim::ParamKind kind, double default_value, double min,
                            double max, std::string_view unit = "1", std::string_view source = "assumption") {
  sim::ParamSpec p;
  p.name = name;
  p.kind = kind;
  p.default_value = default_value;
  p.min = min;
  p.max = max;
  p.unit = unit;
  p.meaning = "a parameter";
  p.source = source;
  return p;
}

}  // namespace sim_test
