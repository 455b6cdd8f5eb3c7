#include "sim/run/job.hpp"

namespace sim {

ParamValues Job::point_params(std::size_t p) const {
  ParamValues point = *base;
  if (!swept.empty()) {
    const auto& row = values.at(p);
    for (std::size_t k = 0; k < swept.size(); ++k) point.set(swept[k], row[k], point.origin(swept[k]));
  }
  return point;
}

}  // namespace sim
