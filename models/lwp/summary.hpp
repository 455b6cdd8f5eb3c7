#pragma once

#include <iosfwd>
#include <vector>

#include "models/lwp/setup.hpp"
#include "sim/model.hpp"

namespace lwp {

struct CentralInterval {
  int lower = 0;
  int upper = 0;
};

/// The smallest and largest values v with P(X < v) ≤ (1 - mass)/2 and P(X > v) ≤ (1 - mass)/2:
/// the central `mass` interval of a discrete distribution.
CentralInterval central_interval(const std::vector<double>& distribution, double mass);

void describe_point(const Setup& setup, const sim::PointSummary& summary, const sim::Observation* observed,
                    std::ostream& os);

}  // namespace lwp
