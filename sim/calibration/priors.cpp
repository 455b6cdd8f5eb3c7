#include "sim/calibration/priors.hpp"

#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "sim/error.hpp"
#include "sim/random.hpp"

namespace sim::calibration {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

double log_normal_pdf(double x, double mean, double sd) {
  const double z = (x - mean) / sd;
  return -0.5 * z * z - std::log(sd) - 0.9189385332046727;
}

}  // namespace

double Prior::sample(Stream& s) const {
  switch (kind) {
    case PriorKind::uniform: return min + random::uniform(s) * (max - min);
    case PriorKind::log_uniform:
      return std::exp(std::log(min) + random::uniform(s) * (std::log(max) - std::log(min)));
    case PriorKind::beta: return min + random::beta(s, a, b) * (max - min);
    case PriorKind::normal:
    case PriorKind::truncated_normal:
      // Rejection from the normal: the support holds most of the mass or the file is refused.
      for (int attempt = 0; attempt < 100000; ++attempt) {
        const double x = a + b * random::normal(s);
        if (x >= min && x <= max) return x;
      }
      return std::clamp(a, min, max);
  }
  return min;
}

double Prior::to_internal(double value) const {
  return kind == PriorKind::log_uniform ? std::log(value) : value;
}
double Prior::to_value(double internal) const {
  return kind == PriorKind::log_uniform ? std::exp(internal) : internal;
}
bool Prior::in_support(double value) const {
  return std::isfinite(value) && value >= min && value <= max;
}

double Prior::log_density(double internal) const {
  const double x = to_value(internal);
  if (!in_support(x)) return -kInf;
  switch (kind) {
    case PriorKind::uniform: return -std::log(max - min);
    case PriorKind::log_uniform: return -std::log(std::log(max) - std::log(min));  // uniform in log x
    case PriorKind::beta: {
      const double u = (x - min) / (max - min);
      if (u <= 0.0 || u >= 1.0)
        return (u == 0.0 && a == 1.0) || (u == 1.0 && b == 1.0) ? -std::log(max - min) : -kInf;
      return (a - 1.0) * std::log(u) + (b - 1.0) * std::log1p(-u) + std::lgamma(a + b) - std::lgamma(a) -
             std::lgamma(b) - std::log(max - min);
    }
    case PriorKind::normal:
    case PriorKind::truncated_normal: {
      // Normalised over the support, so that weights compare across supports correctly.
      const double mass =
          0.5 * (std::erf((max - a) / (b * std::sqrt(2.0))) - std::erf((min - a) / (b * std::sqrt(2.0))));
      return log_normal_pdf(x, a, b) - std::log(mass);
    }
  }
  return -kInf;
}

std::string Prior::describe() const {
  switch (kind) {
    case PriorKind::uniform: return fmt::format("uniform on [{}, {}]", min, max);
    case PriorKind::log_uniform: return fmt::format("log-uniform on [{}, {}]", min, max);
    case PriorKind::beta: return fmt::format("beta({}, {}) on [{}, {}]", a, b, min, max);
    case PriorKind::normal: return fmt::format("normal({}, {}) restricted to [{}, {}]", a, b, min, max);
    case PriorKind::truncated_normal:
      return fmt::format("normal({}, {}) truncated to [{}, {}]", a, b, min, max);
  }
  return "";
}

std::vector<Prior> read_priors(const config::Value& table, const ParamTable& parameters) {
  std::vector<Prior> priors;
  if (!table.is_table()) table.fail("expected a table of priors, one per calibrated parameter");
  const auto read = [&](const std::string& name, const config::Value& spec, const auto& self) -> void {
    const auto index = parameters.find(name);
    if (!index) {
      if (spec.is_table() && spec.find("distribution") == nullptr) {
        for (const auto& [key, child] : spec.entries()) self(name + "." + key, child, self);
        return;
      }
      spec.fail(fmt::format("unknown parameter '{}'; {}", name, parameters.suggest(name)));
    }
    if (!spec.is_table()) spec.fail("expected { distribution = \"...\", ... }");
    const ParamSpec& p = parameters[*index];
    if (p.kind == ParamKind::boolean) spec.fail("a boolean parameter cannot be calibrated");
    for (const Prior& existing : priors) {
      if (existing.index == *index) spec.fail(fmt::format("parameter '{}' has two priors", name));
    }
    Prior prior;
    prior.parameter = name;
    prior.index = *index;
    prior.integer = p.kind == ParamKind::integer;
    prior.file = spec.file();
    prior.line = spec.line();
    prior.key = spec.path();
    prior.min = p.min;
    prior.max = p.max;
    const config::Value& distribution = spec.at("distribution");
    const std::string& kind = distribution.as_string();
    const auto number = [&](const char* key) { return spec.at(key).as_real(); };
    const auto optional_range = [&] {
      if (const auto* lo = spec.find("min")) prior.min = lo->as_real();
      if (const auto* hi = spec.find("max")) prior.max = hi->as_real();
    };
    if (kind == "uniform" || kind == "log-uniform") {
      spec.expect_keys({"distribution", "min", "max"});
      prior.kind = kind == "uniform" ? PriorKind::uniform : PriorKind::log_uniform;
      prior.min = number("min");
      prior.max = number("max");
    } else if (kind == "beta") {
      spec.expect_keys({"distribution", "a", "b", "min", "max"});
      prior.kind = PriorKind::beta;
      prior.a = number("a");
      prior.b = number("b");
      if (!(prior.a > 0.0)) spec.at("a").fail("the beta shape a must be positive");
      if (!(prior.b > 0.0)) spec.at("b").fail("the beta shape b must be positive");
      prior.min = 0.0;
      prior.max = 1.0;
      optional_range();
    } else if (kind == "normal" || kind == "truncated-normal") {
      spec.expect_keys({"distribution", "mean", "sd", "min", "max"});
      prior.kind = kind == "normal" ? PriorKind::normal : PriorKind::truncated_normal;
      prior.a = number("mean");
      prior.b = number("sd");
      if (!(prior.b > 0.0) || !std::isfinite(prior.b))
        spec.at("sd").fail("the standard deviation must be positive");
      if (kind == "truncated-normal") {
        prior.min = number("min");
        prior.max = number("max");
      } else {
        optional_range();
      }
    } else {
      distribution.fail("distribution must be uniform, log-uniform, beta, normal or truncated-normal");
    }
    const config::Value& where = spec.find("max") != nullptr ? spec.at("max") : spec;
    if (!std::isfinite(prior.min) || !std::isfinite(prior.max)) where.fail("the support must be finite");
    if (prior.min >= prior.max) {
      where.fail(fmt::format("improper prior: min ({}) must be less than max ({})", prior.min, prior.max));
    }
    if (prior.kind == PriorKind::log_uniform && prior.min <= 0.0) {
      spec.at("min").fail("a log-uniform prior needs min > 0");
    }
    if (prior.min < p.min || prior.max > p.max) {
      where.fail(fmt::format("the prior's support [{}, {}] goes outside the allowed range of {} [{}, {}]",
                             prior.min, prior.max, name, p.format(p.min), p.format(p.max)));
    }
    if (prior.kind == PriorKind::normal || prior.kind == PriorKind::truncated_normal) {
      const double mass = 0.5 * (std::erf((prior.max - prior.a) / (prior.b * std::sqrt(2.0))) -
                                 std::erf((prior.min - prior.a) / (prior.b * std::sqrt(2.0))));
      if (mass < 1e-4) {
        spec.fail(fmt::format("almost none of this normal prior's mass ({:.2g}) lies in [{}, {}]", mass,
                              prior.min, prior.max));
      }
    }
    priors.push_back(prior);
  };
  for (const auto& [key, spec] : table.entries()) read(key, spec, read);
  if (priors.empty()) table.fail("no priors: name at least one parameter to calibrate");
  return priors;
}

}  // namespace sim::calibration
