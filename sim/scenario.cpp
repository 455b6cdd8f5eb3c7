#include "sim/scenario.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "sim/error.hpp"
#include "sim/run/estimate.hpp"

namespace sim {
namespace fs = std::filesystem;

namespace {

constexpr int kMaxBaseDepth = 16;

bool is_builtin(const std::string& path) {
  return path.rfind(kBuiltinPrefix, 0) == 0;
}

std::string lexically_normal(const std::string& path) {
  if (is_builtin(path)) {
    const std::string rest = path.substr(kBuiltinPrefix.size());
    return std::string(kBuiltinPrefix) + fs::path(rest).lexically_normal().generic_string();
  }
  return fs::path(path).lexically_normal().string();
}

// Tables merge key by key; arrays and scalars in `over` replace those in `base`.
void merge_into(config::Value& base, const config::Value& over) {
  for (const auto& [key, value] : over.entries()) {
    config::Value* existing = base.find_mutable(key);
    if (existing != nullptr && existing->is_table() && value.is_table()) {
      merge_into(*existing, value);
    } else {
      base.set(key, value);
    }
  }
}

config::Value load_with_bases(const std::string& path, const ModelRegistry& registry,
                              std::vector<std::string>& chain) {
  const std::string normal = lexically_normal(path);
  std::error_code ec;
  const std::string identity =
      is_builtin(normal) ? normal : fs::weakly_canonical(fs::path(normal), ec).string();
  if (std::find(chain.begin(), chain.end(), identity) != chain.end()) {
    throw InputError(chain.empty() ? path : chain.back(), 0, "base",
                     fmt::format("base scenarios form a loop through {}", path));
  }
  if (static_cast<int>(chain.size()) >= kMaxBaseDepth) {
    throw InputError(path, 0, "base", fmt::format("more than {} levels of base scenarios", kMaxBaseDepth));
  }
  chain.push_back(identity);
  Document doc = read_document(normal, registry);
  if (!doc.root.is_table()) doc.root.fail("expected a table");
  const config::Value* base_value = doc.root.find("base");
  if (base_value == nullptr) return std::move(doc.root);
  const std::string base_path = resolve_relative(normal, base_value->as_string());
  check_named_file(*base_value, base_path, "base scenario");
  {
    const std::string next = lexically_normal(base_path);
    std::error_code ec2;
    const std::string next_identity =
        is_builtin(next) ? next : fs::weakly_canonical(fs::path(next), ec2).string();
    if (std::find(chain.begin(), chain.end(), next_identity) != chain.end()) {
      base_value->fail(fmt::format("base scenarios form a loop: {} is already a base of this file",
                                   base_value->as_string()));
    }
  }
  config::Value merged = [&] {
    try {
      return load_with_bases(base_path, registry, chain);
    } catch (const InputError& e) {
      // A missing base file is reported at the `base` key that names it.
      if (e.file() == lexically_normal(base_path) && e.line() == 0 && e.key().empty()) {
        base_value->fail(fmt::format("cannot read base scenario {}: {}", tried_path(base_path), e.detail()));
      }
      throw;
    }
  }();
  config::Value own = doc.root;
  auto& entries = own.mutable_entries();
  entries.erase(
      std::remove_if(entries.begin(), entries.end(), [](const auto& e) { return e.first == "base"; }),
      entries.end());
  merge_into(merged, own);
  return merged;
}

void read_parameters(const config::Value& table, const std::string& prefix, ParamValues& values) {
  for (const auto& [key, value] : table.entries()) {
    const std::string name = prefix.empty() ? key : prefix + "." + key;
    const auto index = values.table().find(name);
    if (value.is_table() && !index) {
      read_parameters(value, name, values);
      continue;
    }
    if (!index) {
      value.fail(fmt::format("unknown parameter '{}'; {}", name, values.table().suggest(name)));
    }
    values.set_from_config(*index, value);
  }
}

// Returns the `replicates` value when it is above the limit (refused once the model's output is
// known, with an estimate of what it would need).
const config::Value* read_run_section(const config::Value& run, Scenario& scenario) {
  run.expect_keys({"replicates", "seed", "observed"});
  const config::Value* too_many = nullptr;
  if (const auto* r = run.find("replicates")) {
    const std::int64_t n = r->as_integer();
    if (n < 1) r->fail(fmt::format("replicates must be between 1 and {}", kMaxReplicates));
    if (static_cast<std::uint64_t>(n) > kMaxReplicates) too_many = r;
    scenario.replicates = static_cast<std::uint64_t>(n);
  }
  if (const auto* s = run.find("seed")) {
    scenario.seed = checked_seed(s->as_integer(), s->file(), s->line(), s->path());
  }
  return too_many;
}

}  // namespace

std::uint32_t checked_seed(std::int64_t seed, const std::string& file, int line, const std::string& key) {
  if (seed < 0 || seed > 0xFFFFFFFFLL) {
    throw InputError(file, line, key, "seed must be a whole number from 0 to 4294967295");
  }
  return static_cast<std::uint32_t>(seed);
}

std::string tried_path(const std::string& path) {
  if (is_builtin(path) || path.empty() || path.front() == '/') return path;
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::absolute(path, ec).lexically_normal();
  return ec ? path : fmt::format("{} (tried {})", path, absolute.string());
}

std::string resolve_relative(const std::string& from, const std::string& relative) {
  if (relative.empty()) return relative;
  if (is_builtin(relative) || fs::path(relative).is_absolute()) return relative;
  if (is_builtin(from)) {
    const fs::path rest = fs::path(from.substr(kBuiltinPrefix.size())).parent_path() / relative;
    return std::string(kBuiltinPrefix) + rest.lexically_normal().generic_string();
  }
  return (fs::path(from).parent_path() / relative).lexically_normal().string();
}

Document read_document(const std::string& path, const ModelRegistry& registry) {
  Document doc;
  doc.path = path;
  if (is_builtin(path)) {
    const auto text = registry.builtin_file(path);
    if (!text) throw InputError(path, 0, "", "no such built-in file");
    doc.text = std::string(*text);
    doc.root = config::parse_toml(doc.text, path);
    return doc;
  }
  // Read once: the text kept for provenance is the text parsed (a second read could see a file
  // that changed, or grew without bound).
  doc.text = config::read_text_file(path);
  doc.root = config::parse_toml(doc.text, path);
  return doc;
}

void check_named_file(const config::Value& where, const std::string& path, std::string_view what) {
  if (is_builtin(path)) return;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (fs::exists(status) && !fs::is_regular_file(status)) {
    where.fail(fmt::format("the {} {} is not a regular file", what, path));
  }
}

namespace {

// The model of a file that names none: the one its study file names, else the only one there is.
const Model& unnamed_model(const std::string& file, const ModelRegistry& registry, const Model* model) {
  if (model != nullptr) return *model;
  const std::vector<const Model*> models = registry.models();
  if (models.size() == 1) return *models.front();
  throw InputError(file, 0, "model",
                   models.empty() ? std::string("this lwsim has no model registered")
                                  : fmt::format("the file names no model and this lwsim has {}: {}; add "
                                                "model = \"NAME\" at the top of the file",
                                                models.size(), registry.model_names()));
}

Scenario scenario_from_root(config::Value root, const std::string& file, const ModelRegistry& registry,
                            const std::string* observed_text, const Model* default_model) {
  Scenario scenario;
  scenario.file = file;
  const auto* name = root.find("model");
  const Model* model =
      name != nullptr ? &named_model(*name, registry) : &unnamed_model(file, registry, default_model);
  scenario.model = model;

  std::vector<std::string> allowed = {"model", "title", "description", "run", "parameters"};
  for (const std::string& s : model->scenario_sections()) allowed.push_back(s);
  root.expect_keys(allowed);

  if (const auto* t = root.find("title")) scenario.title = t->as_string();
  if (const auto* d = root.find("description")) (void)d->as_string();
  scenario.parameters.emplace(model->parameters());
  if (const auto* p = root.find("parameters")) {
    if (!p->is_table()) p->fail("expected a table of parameters");
    read_parameters(*p, "", *scenario.parameters);
  }
  const config::Value* observed_path = nullptr;
  const config::Value* too_many_replicates = nullptr;
  if (const auto* run = root.find("run")) {
    if (!run->is_table()) run->fail("expected a table");
    too_many_replicates = read_run_section(*run, scenario);
    observed_path = run->find("observed");
  }
  scenario.setup = model->configure(root);
  model->check(*scenario.setup, *scenario.parameters);
  if (too_many_replicates != nullptr) {
    too_many_replicates->fail(
        replicates_limit_message(scenario, 1.0, static_cast<double>(scenario.replicates)));
  }
  if (observed_path != nullptr) {
    const std::string path = resolve_relative(observed_path->file(), observed_path->as_string());
    if (observed_text == nullptr) check_named_file(*observed_path, path, "observed-data file");
    Document doc;
    try {
      if (observed_text != nullptr) {
        doc.path = path;
        doc.text = *observed_text;
        doc.root = config::parse_toml(doc.text, path);
      } else {
        doc = read_document(path, registry);
      }
    } catch (const InputError& e) {
      if (e.line() == 0 && e.key().empty()) {
        observed_path->fail(fmt::format("cannot read observed data {}: {}", path, e.detail()));
      }
      throw;
    }
    Observation obs = read_observed(*model, doc.root, *scenario.setup);
    obs.file = path;
    obs.text = doc.text;
    scenario.observation = std::move(obs);
    if (observed_text == nullptr && !is_builtin(path)) scenario.sources.push_back(path);
  }
  scenario.document = std::move(root);
  return scenario;
}

}  // namespace

const Model& named_model(const config::Value& name, const ModelRegistry& registry) {
  const Model* model = registry.find(name.as_string());
  if (model == nullptr) {
    name.fail(fmt::format("unknown model '{}'; this lwsim has {}", name.as_string(), registry.model_names()));
  }
  return *model;
}

Scenario load_scenario(const std::string& path, const ModelRegistry& registry, const Model* model) {
  std::vector<std::string> chain;
  config::Value root = load_with_bases(path, registry, chain);
  Scenario scenario = scenario_from_root(std::move(root), path, registry, nullptr, model);
  for (std::string& file : chain) {
    if (!is_builtin(file)) scenario.sources.push_back(std::move(file));
  }
  return scenario;
}

Scenario scenario_from_text(const std::string& text, const std::string& name, const ModelRegistry& registry,
                            const std::string* observed_text) {
  config::Value root = config::parse_toml(text, name);
  if (root.find("base") != nullptr) root.at("base").fail("a stored scenario cannot have a base");
  return scenario_from_root(std::move(root), name, registry, observed_text, nullptr);
}

std::string replicates_limit_message(const Scenario& scenario, double points, double replicates) {
  const JobEstimate e = estimate_job(scenario.model->schema(*scenario.setup), points, 0, replicates, 1);
  return fmt::format(
      "must be between 1 and {} per point: {:.0f} replicates{} would need {}", kMaxReplicates, replicates,
      points > 1.0 ? fmt::format(" at each of {:.0f} points", points) : std::string(), e.describe());
}

void apply_overrides(Scenario& scenario, const ScenarioOverrides& overrides) {
  if (overrides.replicates) {
    if (*overrides.replicates < 1) {
      throw InputError("command line", 0, "--replicates",
                       fmt::format("must be between 1 and {}", kMaxReplicates));
    }
    if (*overrides.replicates > kMaxReplicates) {
      throw InputError("command line", 0, "--replicates",
                       replicates_limit_message(scenario, 1.0, static_cast<double>(*overrides.replicates)));
    }
    scenario.replicates = *overrides.replicates;
  }
  if (overrides.seed) {
    scenario.seed =
        checked_seed(static_cast<std::int64_t>(std::min<std::uint64_t>(*overrides.seed, 1ULL << 40)),
                     "command line", 0, "--seed");
  }
  for (const std::string& assignment : overrides.sets) {
    const auto eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw InputError("command line", 0, "--set",
                       fmt::format("expected name=value, found '{}'", assignment));
    }
    const std::string name = assignment.substr(0, eq);
    const auto index = scenario.params().table().find(name);
    if (!index) {
      throw InputError("command line", 0, "--set " + name,
                       fmt::format("unknown parameter; {}", scenario.params().table().suggest(name)));
    }
    scenario.parameters->set_from_text(*index, assignment.substr(eq + 1), "--set");
  }
  if (!overrides.sets.empty()) scenario.model->check(*scenario.setup, scenario.params());
}

std::string Scenario::resolved_inputs() const {
  std::string out = resolved_toml();
  if (observation) out += "\n# observed data\n" + observation->text;
  return out;
}

std::string Scenario::resolved_toml() const {
  using config::Value;
  Value root = document;
  const config::Origin none{};
  root.set("model", Value::make_string(none, "model", std::string(model->name())));
  Value run = root.find("run") != nullptr ? root.at("run") : Value::make_table(none, "run");
  run.set("replicates", Value::make_integer(none, "run.replicates", static_cast<std::int64_t>(replicates)));
  run.set("seed", Value::make_integer(none, "run.seed", seed));
  if (observation) {
    const std::string& path = observation->file;
    const std::string absolute = is_builtin(path) ? path : fs::absolute(path).lexically_normal().string();
    run.set("observed", Value::make_string(none, "run.observed", absolute));
  }
  root.set("run", std::move(run));
  // Every parameter explicit, nested by its dotted name.
  Value params = Value::make_table(none, "parameters");
  const ParamTable& table = parameters->table();
  for (std::size_t i = 0; i < table.size(); ++i) {
    const std::string name(table[i].name);
    Value* node = &params;
    std::size_t start = 0;
    for (std::size_t dot = name.find('.'); dot != std::string::npos; dot = name.find('.', start)) {
      const std::string part = name.substr(start, dot - start);
      if (node->find(part) == nullptr) node->set(part, Value::make_table(none, part));
      node = node->find_mutable(part);
      start = dot + 1;
    }
    const std::string leaf = name.substr(start);
    const double v = (*parameters)[i];
    switch (table[i].kind) {
      case ParamKind::boolean: node->set(leaf, Value::make_boolean(none, name, v != 0.0)); break;
      case ParamKind::integer:
        node->set(leaf, Value::make_integer(none, name, static_cast<std::int64_t>(v)));
        break;
      case ParamKind::real: node->set(leaf, Value::make_real(none, name, v)); break;
    }
  }
  root.set("parameters", std::move(params));
  return config::write_toml(root);
}

}  // namespace sim
