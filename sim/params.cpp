#include "sim/params.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/error.hpp"

namespace sim {

std::optional<std::string> ParamSpec::problem_with(double value) const {
  if (!std::isfinite(value)) return fmt::format("value {} is not a finite number", value);
  switch (kind) {
    case ParamKind::boolean:
      if (value != 0.0 && value != 1.0) return std::string("expected true or false");
      return std::nullopt;
    case ParamKind::integer:
      if (value != std::floor(value)) return fmt::format("expected a whole number, got {}", value);
      break;
    case ParamKind::real: break;
  }
  if (value < min || value > max) {
    return fmt::format("value {} is outside the allowed range [{}, {}]{}", format(value), format(min),
                       format(max), unit.empty() ? "" : fmt::format(" ({})", unit));
  }
  return std::nullopt;
}

double ParamSpec::number_from(const config::Value& value) const {
  switch (kind) {
    case ParamKind::boolean:
      if (value.kind() != config::Value::Kind::boolean) {
        value.fail(fmt::format("expected true or false, found {}", config::Value::kind_name(value.kind())));
      }
      return value.as_bool() ? 1.0 : 0.0;
    case ParamKind::integer:
      if (value.kind() != config::Value::Kind::integer) {
        value.fail(fmt::format("expected a whole number, found {}", config::Value::kind_name(value.kind())));
      }
      return static_cast<double>(value.as_integer());
    case ParamKind::real:
      if (!value.is_number()) {
        value.fail(fmt::format("expected a number, found {}", config::Value::kind_name(value.kind())));
      }
      return value.as_real();
  }
  return 0.0;
}

std::string ParamSpec::format(double value) const {
  switch (kind) {
    case ParamKind::boolean: return value != 0.0 ? "true" : "false";
    case ParamKind::integer: return fmt::format("{}", static_cast<long long>(value));
    case ParamKind::real: break;
  }
  std::string s = fmt::format("{}", value);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

ParamTable::ParamTable(std::vector<ParamSpec> specs, std::vector<Citation> citations)
    : specs_(std::move(specs)), citations_(std::move(citations)) {
  std::map<std::string_view, int> seen;
  for (const ParamSpec& spec : specs_) {
    if (seen[spec.name]++ > 0) {
      throw std::logic_error(fmt::format("parameter table: duplicate name {}", spec.name));
    }
    if (spec.min > spec.max) {
      throw std::logic_error(fmt::format("parameter table: {} has min > max", spec.name));
    }
    if (auto problem = spec.problem_with(spec.default_value)) {
      throw std::logic_error(fmt::format("parameter table: default of {}: {}", spec.name, *problem));
    }
    const bool known_source = spec.source == "assumption" ||
                              std::any_of(citations_.begin(), citations_.end(), [&](const Citation& c) {
                                return spec.source.find(c.key) != std::string_view::npos;
                              });
    if (!known_source) {
      throw std::logic_error(
          fmt::format("parameter table: {} cites an unknown source '{}'", spec.name, spec.source));
    }
  }
}

std::optional<std::size_t> ParamTable::find(std::string_view name) const {
  for (std::size_t i = 0; i < specs_.size(); ++i) {
    if (specs_[i].name == name) return i;
  }
  return std::nullopt;
}

namespace {
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0U : 1U)});
      diagonal = up;
    }
  }
  return row[b.size()];
}
}  // namespace

std::string ParamTable::suggest(std::string_view name) const {
  std::size_t best = name.size() / 3 + 2;
  std::string_view best_name;
  for (const ParamSpec& spec : specs_) {
    const std::size_t d = edit_distance(name, spec.name);
    if (d < best) {
      best = d;
      best_name = spec.name;
    }
  }
  if (best_name.empty()) return "see `lwsim params` for the parameter names";
  return fmt::format("did you mean '{}'?", best_name);
}

namespace {
std::string section_of(std::string_view name) {
  return std::string(name.substr(0, name.find('.')));
}
std::string escape_cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else
      out += c;
  }
  return out;
}
std::string kind_name(ParamKind kind) {
  switch (kind) {
    case ParamKind::real: return "real";
    case ParamKind::integer: return "integer";
    case ParamKind::boolean: return "boolean";
  }
  return "";
}
}  // namespace

std::string ParamTable::markdown(std::string_view model_name) const {
  std::string out = fmt::format(
      "<!-- Generated by `lwsim params --markdown` from the parameter table of the {} model.\n"
      "     Do not edit: change the table (models/{}/parameters.def) and regenerate with\n"
      "     `cmake --build build/release --target docs-parameters`. A test fails when this file\n"
      "     is out of date. -->\n\n",
      model_name, model_name);
  out += fmt::format("# Parameters of the `{}` model\n\n", model_name);
  out +=
      "Every model parameter, with its default, allowed range (inclusive), unit, meaning and "
      "source. A source is a citation (listed at the end) or *assumption*: a value chosen by "
      "the modellers where no data exist, to be swept, calibrated or replaced when data "
      "appear. Set a parameter in a scenario under `[parameters]` with its dotted name, for "
      "example\n\n```toml\n[parameters]\n";
  if (!specs_.empty()) {
    out += fmt::format("{} = {}\n", specs_.front().name, specs_.front().format(specs_.front().default_value));
  }
  out += "```\n\nor on the command line with `--set name=value`.\n";
  std::string current;
  for (const ParamSpec& spec : specs_) {
    const std::string section = section_of(spec.name);
    if (section != current) {
      current = section;
      out += fmt::format("\n## `{}`\n\n", section);
      out += "| name | default | range | unit | meaning | source |\n";
      out += "|---|---|---|---|---|---|\n";
    }
    const std::string range = spec.kind == ParamKind::boolean
                                  ? std::string("true, false")
                                  : fmt::format("[{}, {}]", spec.format(spec.min), spec.format(spec.max));
    std::string source(spec.source);
    if (source.rfind("assumption", 0) == 0) source = "*assumption*" + source.substr(10);
    out += fmt::format("| `{}` | {} | {} | {} | {} | {} |\n", spec.name, spec.format(spec.default_value),
                       range, spec.unit.empty() ? std::string("—") : escape_cell(spec.unit),
                       escape_cell(spec.meaning), escape_cell(source));
  }
  out += "\n## Sources\n\n";
  for (const Citation& c : citations_) out += fmt::format("- **{}**: {}\n", c.key, c.text);
  std::size_t assumptions = 0;
  for (const ParamSpec& spec : specs_) assumptions += spec.source == "assumption" ? 1U : 0U;
  out += fmt::format(
      "\n{} parameters, {} of them assumptions; kinds: real unless stated in the "
      "range (integer parameters take whole numbers).\n",
      specs_.size(), assumptions);
  return out;
}

std::string ParamTable::text() const {
  std::size_t width = 4;
  for (const ParamSpec& spec : specs_) width = std::max(width, spec.name.size());
  std::string out = fmt::format("{:<{}}  {:>10}  {:<22}  {:<8}  {}\n", "name", width, "default", "range",
                                "kind", "unit — meaning [source]");
  for (const ParamSpec& spec : specs_) {
    const std::string range = fmt::format("[{}, {}]", spec.format(spec.min), spec.format(spec.max));
    out += fmt::format("{:<{}}  {:>10}  {:<22}  {:<8}  {} — {} [{}]\n", spec.name, width,
                       spec.format(spec.default_value),
                       spec.kind == ParamKind::boolean ? std::string("true/false") : range,
                       kind_name(spec.kind), spec.unit.empty() ? "-" : spec.unit, spec.meaning, spec.source);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

ParamValues::ParamValues(const ParamTable& table)
    : table_(&table), values_(table.size()), origins_(table.size()) {
  for (std::size_t i = 0; i < table.size(); ++i) values_[i] = table[i].default_value;
}

double ParamValues::get(std::string_view name) const {
  const auto i = table_->find(name);
  if (!i) throw std::out_of_range(fmt::format("no parameter named {}", name));
  return values_[*i];
}

void ParamValues::set(std::size_t i, double value, ParamOrigin origin) {
  if (auto problem = (*table_)[i].problem_with(value)) {
    // Report at the rejected value's origin, but keep the parameter as it was.
    const ParamOrigin previous = origins_[i];
    origins_[i] = std::move(origin);
    try {
      fail(i, *problem);
    } catch (...) {
      origins_[i] = previous;
      throw;
    }
  }
  origins_[i] = std::move(origin);
  values_[i] = value;
}

void ParamValues::set_from_config(std::size_t i, const config::Value& value) {
  set(i, (*table_)[i].number_from(value), {value.file(), value.line()});
}

void ParamValues::set_from_text(std::size_t i, std::string_view text, const std::string& source) {
  const ParamSpec& spec = (*table_)[i];
  const ParamOrigin origin{source, 0};
  const auto reject = [&](const std::string& detail) {
    ParamValues located = *this;
    located.origins_[i] = origin;
    located.fail(i, detail);
  };
  if (spec.kind == ParamKind::boolean) {
    if (text == "true") return set(i, 1.0, origin);
    if (text == "false") return set(i, 0.0, origin);
    reject(fmt::format("expected true or false, found '{}'", text));
  }
  double value = 0.0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty())
    reject(fmt::format("expected a number, found '{}'", text));
  set(i, value, origin);
}

std::optional<std::size_t> ParamValues::last_set(std::span<const std::size_t> indices) const {
  std::optional<std::size_t> best;
  const auto rank = [&](std::size_t i) {
    const ParamOrigin& o = origins_[i];
    return o.file == "--set" ? (1LL << 40) : static_cast<long long>(o.line);
  };
  for (std::size_t i : indices) {
    if (origins_[i].file.empty()) continue;
    if (!best || rank(i) >= rank(*best)) best = i;
  }
  return best;
}

void ParamValues::fail(std::size_t i, const std::string& detail) const {
  const ParamOrigin& o = origins_[i];
  if (o.file == "--set") {
    throw InputError("command line", 0, "--set " + std::string((*table_)[i].name), detail);
  }
  const std::string key = o.file.empty() || o.file == "--set"
                              ? std::string((*table_)[i].name)
                              : "parameters." + std::string((*table_)[i].name);
  throw InputError(o.file.empty() ? std::string("<defaults>") : o.file, o.line, key, detail);
}

}  // namespace sim
