#include "sim/output/provenance.hpp"

#include <ctime>

#include <fmt/format.h>

#include "sim/version.hpp"

namespace sim::output {

Attributes with_attribute(Attributes attributes, const std::string& name, const AttributeValue& value) {
  for (auto& [key, v] : attributes) {
    if (key == name) {
      v = value;
      return attributes;
    }
  }
  attributes.emplace_back(name, value);
  return attributes;
}

double attributes_bytes(const Attributes& attributes) {
  double bytes = 0.0;
  for (const auto& [key, value] : attributes) {
    bytes +=
        static_cast<double>(key.size()) +
        std::visit([](const auto& v) { return static_cast<double>(fmt::format("{}", v).size()); }, value);
  }
  return bytes;
}

std::string fingerprint(const std::string& text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return fmt::format("{:016x}", hash);
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

Attributes provenance_attributes(const Scenario& scenario, const Provenance& provenance) {
  Attributes a;
  a.emplace_back("lwsim_version", std::string(lwsim_version()));
  a.emplace_back("schema_version", std::int64_t{kSchemaVersion});
  a.emplace_back("git_commit", std::string(git_commit()));
  a.emplace_back("model", std::string(scenario.model->name()));
  a.emplace_back("results_version", std::string(scenario.model->results_version()));
  a.emplace_back("kind", provenance.kind);
  a.emplace_back("seed", static_cast<std::int64_t>(scenario.seed));
  a.emplace_back("replicates", static_cast<std::int64_t>(scenario.replicates));
  a.emplace_back("created_utc", utc_now());
  a.emplace_back("command_line", provenance.command_line);
  a.emplace_back("threads", static_cast<std::int64_t>(provenance.threads));
  a.emplace_back("ranks", static_cast<std::int64_t>(provenance.ranks));
  a.emplace_back("title", scenario.title);
  a.emplace_back("scenario_file", scenario.file);
  a.emplace_back("scenario", scenario.resolved_toml());
  a.emplace_back("observed", scenario.observation ? scenario.observation->text : std::string());
  a.emplace_back("inputs_fingerprint", fingerprint(provenance.inputs_text));
  return a;
}

Attributes study_attributes(const StudyHeader& study, const Provenance& provenance) {
  Attributes a = provenance_attributes(study.scenario, provenance);
  for (auto& [key, value] : a) {
    if (key == "title") value = study.title;
  }
  a.emplace_back(provenance.kind + "_file", study.file);
  a.emplace_back(provenance.kind, provenance.inputs_text);
  a.emplace_back("question", study.question);
  return a;
}

std::string command_line(int argc, const char* const* argv) {
  std::string out;
  for (int i = 0; i < argc; ++i) {
    const std::string arg = argv[i];
    if (!out.empty()) out += ' ';
    const bool plain = !arg.empty() && arg.find_first_of(" \t\n'\"\\$`") == std::string::npos;
    if (plain) {
      out += arg;
    } else {
      out += '\'';
      for (char c : arg) {
        if (c == '\'')
          out += "'\\''";
        else
          out += c;
      }
      out += '\'';
    }
  }
  return out;
}

}  // namespace sim::output
