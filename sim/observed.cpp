// Observed patterns (docs/scenarios.md, *Patterns*): what an evaluation saw of the statistics a
// model computes at a design point, read from an observed-data file's [[pattern]] tables.

#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "sim/error.hpp"
#include "sim/model.hpp"
#include "sim/schema.hpp"

namespace sim {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct KindName {
  PatternKind kind;
  std::string_view name;
};
constexpr KindName kKinds[] = {{PatternKind::count, "count"},
                               {PatternKind::proportion, "proportion"},
                               {PatternKind::sign, "sign"},
                               {PatternKind::interval, "interval"}};

double finite_number(const config::Value& v) {
  const double x = v.as_real();
  if (!std::isfinite(x)) v.fail("must be a finite number");
  return x;
}

ObservedPattern read_pattern(const config::Value& entry, const OutputSchema& schema) {
  if (!entry.is_table()) entry.fail("expected a table ([[pattern]])");
  ObservedPattern p;
  const config::Value& name = entry.at("name");
  p.name = name.as_string();
  if (schema.find_pattern(p.name) == nullptr) {
    std::string known;
    for (const PatternSpec& s : schema.patterns) known += (known.empty() ? "" : ", ") + s.name;
    name.fail(fmt::format("unknown pattern '{}'; the model computes {}", p.name,
                          known.empty() ? "no patterns" : known));
  }
  p.file = entry.file();
  p.line = entry.line();
  const config::Value& kind = entry.at("kind");
  bool known_kind = false;
  for (const KindName& k : kKinds) {
    if (kind.as_string() == k.name) {
      p.kind = k.kind;
      known_kind = true;
    }
  }
  if (!known_kind)
    kind.fail(
        fmt::format("unknown kind '{}'; expected count, proportion, sign or interval", kind.as_string()));
  p.source = entry.at("source").as_string();
  if (p.source.empty()) entry.at("source").fail("must cite the sentence of the source the pattern encodes");
  if (const config::Value* w = entry.find("weight")) {
    p.weight = finite_number(*w);
    if (!(p.weight > 0.0)) w->fail("must be above 0");
  }
  switch (p.kind) {
    case PatternKind::count:
    case PatternKind::proportion: {
      entry.expect_keys({"name", "kind", "source", "weight", "observed", "tolerance"});
      const config::Value& observed = entry.at("observed");
      if (p.kind == PatternKind::count) {
        const std::int64_t n = observed.as_integer();
        if (n < 0) observed.fail("a count must be 0 or more");
        p.observed = static_cast<double>(n);
      } else {
        p.observed = finite_number(observed);
        if (p.observed < 0.0 || p.observed > 1.0) observed.fail("a proportion must be between 0 and 1");
      }
      if (const config::Value* t = entry.find("tolerance")) {
        p.tolerance = finite_number(*t);
        if (p.tolerance < 0.0) t->fail("must be 0 or more");
      }
      break;
    }
    case PatternKind::sign: {
      entry.expect_keys({"name", "kind", "source", "weight", "direction"});
      const config::Value& direction = entry.at("direction");
      if (direction.as_string() == "positive") {
        p.low = 0.0;
        p.high = kInf;
      } else if (direction.as_string() == "negative") {
        p.low = -kInf;
        p.high = 0.0;
      } else {
        direction.fail(fmt::format("unknown direction '{}'; expected \"positive\" or \"negative\"",
                                   direction.as_string()));
      }
      break;
    }
    case PatternKind::interval: {
      entry.expect_keys({"name", "kind", "source", "weight", "min", "max"});
      const config::Value* min = entry.find("min");
      const config::Value* max = entry.find("max");
      if (min == nullptr && max == nullptr) entry.fail("an interval needs min, max or both");
      p.low = min != nullptr ? finite_number(*min) : -kInf;
      p.high = max != nullptr ? finite_number(*max) : kInf;
      if (p.low > p.high)
        (max != nullptr ? *max : *min).fail(fmt::format("min {} is above max {}", p.low, p.high));
      break;
    }
  }
  return p;
}

}  // namespace

double ObservedPattern::distance(double simulated) const {
  if (std::isnan(simulated)) return kInf;
  switch (kind) {
    case PatternKind::count:
    case PatternKind::proportion: return std::max(0.0, std::fabs(simulated - observed) - tolerance);
    case PatternKind::sign:
    case PatternKind::interval:
      if (simulated < low) return low - simulated;
      if (simulated > high) return simulated - high;
      return 0.0;
  }
  return kInf;
}

std::string ObservedPattern::expectation() const {
  switch (kind) {
    case PatternKind::count:
    case PatternKind::proportion:
      return tolerance > 0.0 ? fmt::format("= {:g} ± {:g}", observed, tolerance)
                             : fmt::format("= {:g}", observed);
    case PatternKind::sign: return low == 0.0 ? "> 0" : "< 0";
    case PatternKind::interval:
      if (!std::isfinite(low)) return fmt::format("<= {:g}", high);
      if (!std::isfinite(high)) return fmt::format(">= {:g}", low);
      return fmt::format("in [{:g}, {:g}]", low, high);
  }
  return {};
}

std::string_view ObservedPattern::kind_name() const {
  for (const KindName& k : kKinds) {
    if (k.kind == kind) return k.name;
  }
  return "?";
}

Observation read_observed(const Model& model, const config::Value& document, const ModelSetup& setup) {
  Observation observation = model.read_observation(document, setup);
  const config::Value* patterns = document.find("pattern");
  if (patterns == nullptr) return observation;
  if (!patterns->is_array()) patterns->fail("expected an array of tables ([[pattern]])");
  const OutputSchema schema = model.schema(setup);
  for (const config::Value& entry : patterns->items()) {
    ObservedPattern p = read_pattern(entry, schema);
    for (const ObservedPattern& q : observation.patterns) {
      if (q.name == p.name) {
        entry.at("name").fail(fmt::format("pattern '{}' is already observed at line {}", p.name, q.line));
      }
    }
    observation.patterns.push_back(std::move(p));
  }
  return observation;
}

}  // namespace sim
