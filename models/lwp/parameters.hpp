#pragma once
// The model's parameters as a plain struct for the weekly step, generated from parameters.def
// together with the table, so that nothing about a parameter is written twice.

#include "sim/params.hpp"

namespace lwp {

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
