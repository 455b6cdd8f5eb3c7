#pragma once
// The model's parameters as a plain struct for the weekly step, generated from parameters.def
// together with the table, so that nothing about a parameter is written twice.

#include <cstddef>

#include "sim/params.hpp"

namespace lwp {

/// Every parameter's position in the table, by its field name: model code names a parameter as
/// ParamId::clp_departure_hazard, which does not compile when misspelt.
enum class ParamId : std::size_t {
#define LWP_PARAM(field, name, kind, def, lo, hi, unit, meaning, source) field,
#include "models/lwp/parameters.def"
#undef LWP_PARAM
};

/// The index of a parameter in parameter_table() and in sim::ParamValues.
constexpr std::size_t param_index(ParamId id) noexcept {
  return static_cast<std::size_t>(id);
}

struct Parameters {
#define LWP_PARAM(field, name, kind, def, lo, hi, unit, meaning, source) double field = def;
#include "models/lwp/parameters.def"
#undef LWP_PARAM

  /// The values of a validated assignment, in table order.
  static Parameters from(const sim::ParamValues& values);
};

/// The parameter table (names, defaults, ranges, units, meanings, sources).
const sim::ParamTable& parameter_table();

}  // namespace lwp
