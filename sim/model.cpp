#include "sim/model.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "sim/error.hpp"

namespace sim {

void Model::check(const ModelSetup& /*setup*/, const ParamValues& /*values*/) const {}

std::vector<ParamOverride> Model::overrides(const ModelSetup& /*setup*/) const {
  return {};
}

void refuse_overridden(const Model& model, const ModelSetup& setup, std::size_t index,
                       const std::string& file, int line, const std::string& key) {
  for (const ParamOverride& o : model.overrides(setup)) {
    if (o.parameter != index) continue;
    throw InputError(
        file, line, key,
        fmt::format("{} has its own value in {} ({}:{}: {}), so varying it would change nothing there",
                    model.parameters()[index].name, o.scope, o.file, o.line, o.key));
  }
}

void refuse_overridden(const Model& model, const ModelSetup& setup, std::size_t index,
                       const config::Value& where) {
  refuse_overridden(model, setup, index, where.file(), where.line(), where.path());
}

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
