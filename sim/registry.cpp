#include "sim/registry.hpp"

#include <algorithm>
#include <stdexcept>

#include "sim/util/text.hpp"

namespace sim {

void ModelRegistry::add(std::unique_ptr<const Model> model) {
  if (find(model->name()) != nullptr) {
    throw std::logic_error("model registered twice: " + std::string(model->name()));
  }
  models_.push_back(std::move(model));
}

void ModelRegistry::add_builtin_file(std::string relative_path, std::string_view text) {
  builtin_files_[std::string(kBuiltinPrefix) + relative_path] = text;
}

void ModelRegistry::set_default_scenario(std::string builtin_path) {
  default_scenario_ = std::move(builtin_path);
}

const Model* ModelRegistry::find(std::string_view name) const {
  for (const auto& m : models_) {
    if (m->name() == name) return m.get();
  }
  return nullptr;
}

std::string ModelRegistry::model_names() const {
  std::vector<std::string> names;
  for (const auto& m : models_) names.emplace_back(m->name());
  std::sort(names.begin(), names.end());
  return text::join_list(names, "and");
}

std::vector<const Model*> ModelRegistry::models() const {
  std::vector<const Model*> out;
  for (const auto& m : models_) out.push_back(m.get());
  return out;
}

std::optional<std::string_view> ModelRegistry::builtin_file(std::string_view path) const {
  const auto it = builtin_files_.find(path);
  if (it == builtin_files_.end()) return std::nullopt;
  return it->second;
}

}  // namespace sim
