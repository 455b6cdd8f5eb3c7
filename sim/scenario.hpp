#pragma once
// Scenario files (docs/scenarios.md): TOML naming a model (`model = "lwp"`, which may be left out
// while one model is registered), its parameters by their table names, the run settings and the
// model's own sections. A scenario may extend a base scenario (`base = "..."`, relative to the
// file) and override its keys; tables merge key by key, anything else replaces. Unknown keys, wrong
// types and out-of-range values are InputErrors naming file, line and key.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/config/value.hpp"
#include "sim/model.hpp"
#include "sim/params.hpp"
#include "sim/registry.hpp"

namespace sim {

/// A TOML file as read: its tree and its text. Paths starting with "<built-in>/" are read from
/// the files embedded in the binary.
struct Document {
  std::string path;
  std::string text;
  config::Value root;
};

Document read_document(const std::string& path, const ModelRegistry& registry);

/// A file named inside another (a base scenario, observed data, a points file) must be a regular
/// file: a device or a pipe named there could be read forever. InputError at `where` otherwise.
void check_named_file(const config::Value& where, const std::string& path, std::string_view what);

/// Resolves `relative` against the directory of the file `from` (works for built-in files).
std::string resolve_relative(const std::string& from, const std::string& relative);
/// A file path as an error message names the file tried: a relative path with its absolute form,
/// since a relative `base` is resolved from the directory of the file that names it, not from
/// the working directory ("../x.toml (tried /home/a/x.toml)"); built-in and absolute paths as they are.
std::string tried_path(const std::string& path);

/// A scenario with everything resolved: ready to run.
struct Scenario {
  std::string file;
  std::string title;
  const Model* model = nullptr;
  config::Value document;  // the merged tree, without `base`
  std::shared_ptr<const ModelSetup> setup;
  std::optional<ParamValues> parameters;
  std::uint64_t replicates = 1000;
  std::uint32_t seed = 1;
  std::optional<Observation> observation;
  /// The files it was read from (itself, its bases, its observed data; not built-in files): an
  /// output must never be one of them.
  std::vector<std::string> sources;

  [[nodiscard]] const ParamValues& params() const { return *parameters; }
  /// The complete resolved scenario as TOML: every parameter explicit, no `base`. Running it
  /// gives the same results as running this scenario.
  [[nodiscard]] std::string resolved_toml() const;
  /// Everything read from files that changes results: the resolved scenario and the text of its
  /// observed data (the file's path alone would let a resume or merge mix results computed
  /// against different observations). The text that study files fingerprint.
  [[nodiscard]] std::string resolved_inputs() const;
};

/// Upper bound on replicates per design point, to refuse absurd requests up front.
inline constexpr std::uint64_t kMaxReplicates = 100'000'000;

/// Loads a scenario file. Its model is the one it (or a base) names with `model = "..."`; else
/// `model` when given (the model a study file names); else the registry's only model. Naming no
/// model when several are registered, or one that is not, is an InputError listing them.
Scenario load_scenario(const std::string& path, const ModelRegistry& registry, const Model* model = nullptr);

/// The registered model `name` (a `model = "..."` value) names; InputError there listing the
/// registered models when there is none of that name.
const Model& named_model(const config::Value& name, const ModelRegistry& registry);
/// Builds a scenario from TOML text (used to re-read the scenario stored in an output file).
/// When `observed_text` is given it is the observed data, instead of the file `run.observed`
/// names (which may not exist where the output file is read).
Scenario scenario_from_text(const std::string& text, const std::string& name, const ModelRegistry& registry,
                            const std::string* observed_text = nullptr);

/// "must be between 1 and 100000000 per point: N replicates would need <estimate>", the
/// estimate from the scenario's output schema (sim/run/estimate.hpp).
std::string replicates_limit_message(const Scenario& scenario, double points, double replicates);

/// Command-line changes to a scenario: `--replicates`, `--seed`, `--set name=value`.
struct ScenarioOverrides {
  std::optional<std::uint64_t> replicates;
  std::optional<std::uint64_t> seed;
  std::vector<std::string> sets;  // "name=value"
};
void apply_overrides(Scenario& scenario, const ScenarioOverrides& overrides);

/// Checks a seed and returns it as the 32-bit Philox key word (InputError otherwise).
std::uint32_t checked_seed(std::int64_t seed, const std::string& file, int line, const std::string& key);

}  // namespace sim
