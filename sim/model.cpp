#include "sim/model.hpp"

#include <stdexcept>

namespace sim {

void Model::check(const ModelSetup& /*setup*/, const ParamValues& /*values*/) const {}

const std::int64_t* Observation::find(std::string_view observable) const {
  for (const auto& [name, value] : values) {
    if (name == observable) return &value;
  }
  return nullptr;
}

const std::vector<double>& PointSummary::at(const std::string& path) const {
  const auto it = arrays.find(path);
  if (it == arrays.end()) throw std::out_of_range("point summary has no array " + path);
  return it->second;
}

}  // namespace sim
