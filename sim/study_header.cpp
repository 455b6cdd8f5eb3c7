#include "sim/study_header.hpp"

#include <fmt/format.h>

#include "sim/error.hpp"

namespace sim {

StudyHeader read_study_header(const Document& doc, const std::vector<std::string>& own,
                              const ModelRegistry& registry) {
  const config::Value& root = doc.root;
  std::vector<std::string> keys = {"model", "title", "question", "description", "base"};
  keys.insert(keys.end(), own.begin(), own.end());
  root.expect_keys(keys);
  StudyHeader header;
  header.file = doc.path;
  if (const auto* t = root.find("title")) header.title = t->as_string();
  if (const auto* q = root.find("question")) header.question = q->as_string();
  if (const auto* d = root.find("description")) (void)d->as_string();
  const config::Value* name = root.find("model");
  const Model* model = name != nullptr ? &named_model(*name, registry) : nullptr;

  const config::Value& base = root.at("base");
  const std::string base_path = resolve_relative(doc.path, base.as_string());
  check_named_file(base, base_path, "base scenario");
  try {
    header.scenario = load_scenario(base_path, registry, model);
  } catch (const InputError& e) {
    // A missing or unreadable base file is reported at the `base` key that names it.
    if (e.line() == 0 && e.key().empty()) {
      base.fail(fmt::format("cannot read base scenario {}: {}", tried_path(base_path), e.detail()));
    }
    throw;
  }
  if (model != nullptr && header.scenario.model != model) {
    name->fail(fmt::format("the base scenario {} is a scenario of model {}", base_path,
                           header.scenario.model->name()));
  }
  if (header.title.empty()) header.title = header.scenario.title;
  if (doc.path.rfind(kBuiltinPrefix, 0) != 0) header.sources.push_back(doc.path);
  header.sources.insert(header.sources.end(), header.scenario.sources.begin(), header.scenario.sources.end());
  return header;
}

}  // namespace sim
