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

const std::vector<double>& PointSummary::at(const OutputSchema& schema, AccumulatorId accumulator) const {
  return at(schema.accumulator(accumulator).path);
}

bool PointSummary::contains(const OutputSchema& schema, AccumulatorId accumulator) const {
  return accumulator.declared() && arrays.count(schema.accumulator(accumulator).path) > 0;
}

const std::vector<double>& PointSummary::distribution(const OutputSchema& schema,
                                                      ObservableId observable) const {
  return at(distribution_path(schema.observable(observable)));
}

}  // namespace sim
