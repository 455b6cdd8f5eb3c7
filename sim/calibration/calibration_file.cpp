#include "sim/calibration/calibration_file.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "sim/error.hpp"

namespace sim::calibration {

using config::Value;

bool is_calibration_document(const config::Value& root) {
  return root.is_table() && root.find("abc") != nullptr;
}

namespace {

std::uint64_t integer_in(const Value& v, std::uint64_t min, std::uint64_t max) {
  const std::int64_t n = v.as_integer();
  if (n < 0 || static_cast<std::uint64_t>(n) < min || static_cast<std::uint64_t>(n) > max)
    v.fail(fmt::format("must be between {} and {}", min, max));
  return static_cast<std::uint64_t>(n);
}

std::uint64_t positive_integer(const Value& v, std::uint64_t max) {
  return integer_in(v, 1, max);
}

double number_in(const Value& v, double lo, double hi, bool open_low = false) {
  const double x = v.as_real();
  if (!std::isfinite(x) || x < lo || x > hi || (open_low && x <= lo)) {
    v.fail(fmt::format("must be {} {} and at most {}", open_low ? "above" : "at least", lo, hi));
  }
  return x;
}

void read_settings(const Value& abc, AbcSettings& s, const Scenario& scenario) {
  abc.expect_keys({"particles", "replicates", "seed", "generations", "min_tolerance", "quantile",
                   "min_acceptance", "max_attempts", "kernel_scale", "predictive_replicates", "batch",
                   "adaptive_distance", "model_stay"});
  s.seed = scenario.seed;
  // A weighted population needs two particles at least (its covariance moves the next generation).
  if (const auto* v = abc.find("particles")) s.particles = integer_in(*v, 2, 1'000'000);
  if (const auto* v = abc.find("replicates")) s.replicates = positive_integer(*v, 100'000);
  if (const auto* v = abc.find("seed"))
    s.seed = checked_seed(v->as_integer(), v->file(), v->line(), v->path());
  if (const auto* v = abc.find("generations")) s.max_generations = positive_integer(*v, 1000);
  if (const auto* v = abc.find("min_tolerance")) s.min_tolerance = number_in(*v, 0.0, 1e300);
  if (const auto* v = abc.find("quantile")) s.quantile = number_in(*v, 0.0, 1.0, true);
  if (const auto* v = abc.find("min_acceptance")) s.min_acceptance = number_in(*v, 0.0, 1.0);
  if (const auto* v = abc.find("max_attempts")) s.max_attempts = positive_integer(*v, std::uint64_t{1} << 40);
  if (const auto* v = abc.find("kernel_scale")) s.kernel_scale = number_in(*v, 0.0, 100.0, true);
  if (const auto* v = abc.find("predictive_replicates"))
    s.predictive_replicates = positive_integer(*v, 1'000'000);
  if (const auto* v = abc.find("batch")) s.batch = positive_integer(*v, 10'000'000);
  if (const auto* v = abc.find("adaptive_distance")) s.adaptive = v->as_bool();
  if (const auto* v = abc.find("model_stay")) s.model_stay = number_in(*v, 0.0, 1.0, true);
  // The first generation alone proposes one particle per particle from the priors.
  if (s.max_attempts < s.particles) {
    (abc.find("max_attempts") != nullptr ? abc.at("max_attempts") : abc.at("particles"))
        .fail(fmt::format("max_attempts ({}) is below the number of particles ({}): the first generation "
                          "alone makes one proposal per particle",
                          s.max_attempts, s.particles));
  }
}

}  // namespace

namespace {

/// [[variant]] tables (the models to choose between): each a name and the values it sets; at least
/// two, names unique, no calibrated parameter set, every value in its parameter's range.
void read_models(const Value& root, CalibrationFile& out) {
  const Value* models = root.find("variant");
  if (models == nullptr) return;
  if (!models->is_array()) models->fail("expected an array of tables ([[variant]])");
  const ParamTable& table = out.scenario.params().table();
  for (const Value& entry : models->items()) {
    if (!entry.is_table()) entry.fail("expected a table ([[variant]])");
    entry.expect_keys({"name", "set"});
    ModelVariant variant;
    variant.name = entry.at("name").as_string();
    if (variant.name.empty() || variant.name.size() > 40 || variant.name.find('\n') != std::string::npos)
      entry.at("name").fail("a variant's name is 1 to 40 characters on one line");
    for (const ModelVariant& other : out.models) {
      if (other.name == variant.name)
        entry.at("name").fail(fmt::format("variant '{}' is named twice", variant.name));
    }
    for (const auto& [name, value] : entry.at("set").entries()) {
      const std::optional<std::size_t> index = table.find(name);
      if (!index) value.fail(fmt::format("unknown parameter '{}'", name));
      for (const Prior& prior : out.priors) {
        if (prior.index == *index)
          value.fail(fmt::format("{} is calibrated: a variant may not set it", name));
      }
      const double x = table[*index].number_from(value);
      if (const auto why = table[*index].problem_with(x)) value.fail(*why);
      variant.settings.emplace_back(*index, x);
      if (std::find(out.switches.begin(), out.switches.end(), *index) == out.switches.end())
        out.switches.push_back(*index);
    }
    out.models.push_back(std::move(variant));
  }
  if (out.models.size() < 2) models->fail("model choice needs two [[variant]] tables at least");
  for (const ModelVariant& variant : out.models) {
    std::vector<double> row;
    for (std::size_t index : out.switches) {
      double value = out.scenario.params()[index];
      for (const auto& [i, x] : variant.settings) {
        if (i == index) value = x;
      }
      row.push_back(value);
    }
    out.switch_values.push_back(std::move(row));
  }
}

}  // namespace

CalibrationFile load_calibration(const std::string& path, const ModelRegistry& registry) {
  const Document doc = read_document(path, registry);
  const Value& root = doc.root;
  CalibrationFile out;
  static_cast<StudyHeader&>(out) =
      read_study_header(doc, {"observed", "abc", "distance", "priors", "variant"}, registry);
  if (const auto* observed = root.find("observed")) {
    const std::string observed_path = resolve_relative(path, observed->as_string());
    check_named_file(*observed, observed_path, "observed-data file");
    Document obs;
    try {
      obs = read_document(observed_path, registry);
    } catch (const InputError& e) {
      if (e.line() == 0 && e.key().empty()) {
        observed->fail(fmt::format("cannot read observed data {}: {}", observed_path, e.detail()));
      }
      throw;
    }
    Observation observation = read_observed(*out.scenario.model, obs.root, *out.scenario.setup);
    observation.file = observed_path;
    observation.text = obs.text;
    out.scenario.observation = std::move(observation);
    out.sources.push_back(observed_path);
  }
  if (!out.scenario.observation) {
    root.fail(
        "no observed data to calibrate against: give `observed = \"...\"` here or run.observed in the base "
        "scenario");
  }
  read_settings(root.at("abc"), out.settings, out.scenario);

  // The distance: weights of observables and of the observed data's patterns ("pattern.<name>"),
  // by name or by a prefix ending in '*'.
  const OutputSchema schema = out.scenario.model->schema(*out.scenario.setup);
  const Observation& observation = *out.scenario.observation;
  struct Weighted {
    std::string name;
    double weight;
    const ObservedPattern* pattern;  // nullptr: an observable
  };
  std::vector<Weighted> weights = {{schema.observables.front().name, 1.0, nullptr}};
  if (const auto* distance = root.find("distance")) {
    weights.clear();
    for (const auto& [key, value] : distance->entries()) {
      const double w = number_in(value, 0.0, 1e12);
      const bool wildcard = !key.empty() && key.back() == '*';
      const std::string stem = wildcard ? key.substr(0, key.size() - 1) : key;
      const auto matches_key = [&](const std::string& name) {
        return wildcard ? name.rfind(stem, 0) == 0 : name == key;
      };
      std::vector<Weighted> matched;
      for (const auto& o : schema.observables) {
        if (matches_key(o.name)) matched.push_back({o.name, 0.0, nullptr});
      }
      for (const ObservedPattern& p : observation.patterns) {
        if (matches_key("pattern." + p.name)) matched.push_back({"pattern." + p.name, 0.0, &p});
      }
      if (matched.empty()) {
        if (key.rfind("pattern.", 0) == 0) {
          std::string known;
          for (const ObservedPattern& p : observation.patterns) known += (known.empty() ? "" : ", ") + p.name;
          value.fail(fmt::format("the observed data ({}) have no pattern '{}' (they have: {})",
                                 observation.file, key.substr(8), known.empty() ? "none" : known));
        }
        std::string known;
        for (const auto& o : schema.observables) known += (known.empty() ? "" : ", ") + o.name;
        value.fail(
            fmt::format("no observable named '{}' (the model's observables: {}; a pattern of the observed "
                        "data is pattern.<name>)",
                        key, known));
      }
      for (Weighted& m : matched) {
        if (m.pattern == nullptr && observation.find(m.name) == nullptr) {
          value.fail(fmt::format("the observed data give no value for '{}'", m.name));
        }
        // A wildcard's weight is shared among the terms it matches; a pattern's own weight (in the
        // observed data) multiplies it.
        m.weight = w / static_cast<double>(matched.size()) * (m.pattern != nullptr ? m.pattern->weight : 1.0);
        weights.push_back(m);
      }
    }
    if (weights.empty()) distance->fail("the distance has no terms");
  }
  for (const Weighted& term : weights) {
    if (term.weight == 0.0) continue;
    DistanceTerm t;
    t.observable = term.name;
    t.weight = term.weight;
    if (term.pattern != nullptr) {
      std::size_t index = 0;
      while (schema.patterns[index].name != term.pattern->name) ++index;
      t.index = schema.observables.size() + index;
      t.pattern = *term.pattern;
    } else {
      while (schema.observables[t.index].name != term.name) ++t.index;
      const std::int64_t* observed = observation.find(term.name);
      if (observed == nullptr) {
        throw InputError(path, 0, "distance",
                         fmt::format("the observed data give no value for '{}'", term.name));
      }
      t.observed = static_cast<double>(*observed);
    }
    out.terms.push_back(std::move(t));
  }
  if (out.terms.empty()) root.at("distance").fail("every weight of the distance is 0");
  out.priors = read_priors(root.at("priors"), out.scenario.params().table());
  for (const Prior& prior : out.priors) {
    refuse_overridden(*out.scenario.model, *out.scenario.setup, prior.index, prior.file, prior.line,
                      prior.key);
  }

  read_models(root, out);

  // Every prior's whole support must satisfy the model's constraints at its ends (in every model).
  const std::size_t variants = std::max<std::size_t>(out.models.size(), 1);
  for (const Prior& prior : out.priors) {
    for (std::size_t m = 0; m < variants; ++m)
      for (double value : {prior.min, prior.max}) {
        ParamValues values = out.scenario.params();
        for (std::size_t k = 0; k < out.switches.size() && !out.models.empty(); ++k)
          values.set(out.switches[k], out.switch_values[m][k], {path, 0});
        values.set(prior.index, prior.integer ? std::round(value) : value, {path, 0});
        try {
          out.scenario.model->check(*out.scenario.setup, values);
        } catch (const InputError& e) {
          throw InputError(path, 0, "priors." + prior.parameter,
                           fmt::format("at the end {} of its prior's support: {}", value, e.detail()));
        }
      }
  }
  return out;
}

std::string CalibrationFile::resolved_text() const {
  std::string out = fmt::format(
      "# resolved calibration\ntitle = \"{}\"\n[abc]\nparticles = {}\nreplicates = {}\nseed = "
      "{}\ngenerations = {}\n"
      "min_tolerance = {}\nquantile = {}\nmin_acceptance = {}\nmax_attempts = {}\nkernel_scale = {}\n"
      "predictive_replicates = {}\nbatch = {}\nadaptive_distance = {}\nmodel_stay = {}\n[distance]\n",
      title, settings.particles, settings.replicates, settings.seed, settings.max_generations,
      settings.min_tolerance, settings.quantile, settings.min_acceptance, settings.max_attempts,
      settings.kernel_scale, settings.predictive_replicates, settings.batch, settings.adaptive,
      settings.model_stay);
  for (const DistanceTerm& t : terms) {
    if (t.pattern) {
      out += fmt::format("\"{}\" = {}  # observed {} ({}): {}\n", t.observable, t.weight,
                         t.pattern->expectation(), t.pattern->kind_name(), t.pattern->source);
    } else {
      out += fmt::format("\"{}\" = {}  # observed {}\n", t.observable, t.weight, t.observed);
    }
  }
  for (std::size_t m = 0; m < models.size(); ++m) {
    out += fmt::format("[[variant]]\nname = \"{}\"\n", models[m].name);
    for (const auto& [index, value] : models[m].settings)
      out += fmt::format("# sets {} = {}\n", scenario.params().table()[index].name, value);
  }
  out += "[priors]\n";
  for (const Prior& p : priors) out += fmt::format("\"{}\" = \"{}\"\n", p.parameter, p.describe());
  out += "\n# resolved base scenario\n" + scenario.resolved_inputs();
  return out;
}

}  // namespace sim::calibration
