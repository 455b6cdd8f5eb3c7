#pragma once
// Models, and the files that travel inside the binary (the built-in scenarios), by name.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/model.hpp"

namespace sim {

/// Prefix of the paths of files embedded in the binary.
inline constexpr std::string_view kBuiltinPrefix = "<built-in>/";

class ModelRegistry {
 public:
  void add(std::unique_ptr<const Model> model);
  /// Registers a file embedded in the binary under "<built-in>/<relative_path>".
  void add_builtin_file(std::string relative_path, std::string_view text);
  /// The scenario `lwsim run` uses when none is given.
  void set_default_scenario(std::string builtin_path);

  [[nodiscard]] const Model* find(std::string_view name) const;
  [[nodiscard]] std::vector<const Model*> models() const;
  /// The models' names in a sentence, for messages: "lwp", "binomial, ishigami and lwp".
  [[nodiscard]] std::string model_names() const;
  [[nodiscard]] std::optional<std::string_view> builtin_file(std::string_view path) const;
  [[nodiscard]] const std::string& default_scenario() const noexcept { return default_scenario_; }

 private:
  std::vector<std::unique_ptr<const Model>> models_;
  std::map<std::string, std::string_view, std::less<>> builtin_files_;
  std::string default_scenario_;
};

}  // namespace sim
