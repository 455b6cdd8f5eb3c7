#include "sim/sensitivity/sensitivity_file.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "sim/error.hpp"

namespace sim::sensitivity {

using config::Value;

bool is_sensitivity_document(const config::Value& root) {
  return root.is_table() && root.find("sensitivity") != nullptr;
}

std::size_t SensitivityFile::points() const {
  return method == "sobol" ? samples * (axes.size() + 2) : samples * (axes.size() + 1);
}

namespace {
std::uint64_t positive(const Value& v, std::uint64_t max) {
  const std::int64_t n = v.as_integer();
  if (n < 1 || static_cast<std::uint64_t>(n) > max) v.fail(fmt::format("must be between 1 and {}", max));
  return static_cast<std::uint64_t>(n);
}
}  // namespace

SensitivityFile load_sensitivity(const std::string& path, const ModelRegistry& registry) {
  const Document doc = read_document(path, registry);
  const Value& root = doc.root;
  SensitivityFile s;
  static_cast<StudyHeader&>(s) = read_study_header(doc, {"sensitivity", "outputs", "parameters"}, registry);
  s.seed = s.scenario.seed;
  s.replicates = s.scenario.replicates;

  const Value& settings = root.at("sensitivity");
  settings.expect_keys(
      {"method", "samples", "levels", "replicates", "seed", "design_seed", "bootstrap", "confidence"});
  const Value& method = settings.at("method");
  s.method = method.as_string();
  if (s.method != "sobol" && s.method != "morris") method.fail("method must be \"sobol\" or \"morris\"");
  if (const auto* v = settings.find("samples")) s.samples = positive(*v, 10'000'000);
  if (s.method == "sobol" && s.samples < 2)
    settings.at("samples").fail("Sobol indices need at least 2 samples");
  if (const auto* v = settings.find("levels")) {
    s.levels = positive(*v, 1000);
    if (s.levels < 2 || s.levels % 2 != 0) v->fail("Morris needs an even number of levels, at least 2");
  }
  if (const auto* v = settings.find("replicates")) s.replicates = positive(*v, kMaxReplicates);
  if (const auto* v = settings.find("seed"))
    s.seed = checked_seed(v->as_integer(), v->file(), v->line(), v->path());
  s.design_seed = s.seed;
  if (const auto* v = settings.find("design_seed")) {
    s.design_seed = checked_seed(v->as_integer(), v->file(), v->line(), v->path());
  }
  if (const auto* v = settings.find("bootstrap")) s.bootstrap = positive(*v, 1'000'000);
  if (const auto* v = settings.find("confidence")) {
    s.confidence = v->as_real();
    if (!(s.confidence > 0.0 && s.confidence < 1.0)) v->fail("confidence must be between 0 and 1");
  }
  s.scenario.replicates = s.replicates;
  s.scenario.seed = s.seed;

  const OutputSchema schema = s.scenario.model->schema(*s.scenario.setup);
  const Value& outputs = root.at("outputs");
  for (const auto& [name, value] : outputs.entries()) {
    const std::string& p = value.as_string();
    const bool known = std::any_of(schema.accumulators.begin(), schema.accumulators.end(),
                                   [&](const AccumulatorSpec& a) { return a.path == p; });
    if (!known)
      value.fail(fmt::format("no per-point summary named '{}' (see docs/output.md, /summary/...)", p));
    s.outputs.push_back({name, p});
  }
  if (s.outputs.empty()) outputs.fail("name at least one output");

  const Value& parameters = root.at("parameters");
  const ParamTable& table = s.scenario.params().table();
  const auto read = [&](const std::string& name, const Value& v, const auto& self) -> void {
    const auto index = table.find(name);
    if (!index) {
      if (v.is_table() && v.find("min") == nullptr && v.find("max") == nullptr) {
        for (const auto& [k, child] : v.entries()) self(name + "." + k, child, self);
        return;
      }
      v.fail(fmt::format("unknown parameter '{}'; {}", name, table.suggest(name)));
    }
    refuse_overridden(*s.scenario.model, *s.scenario.setup, *index, v);
    const ParamSpec& spec = table[*index];
    if (spec.kind == ParamKind::boolean) v.fail("a boolean parameter has no range to analyse");
    if (!v.is_table()) v.fail("expected a range, e.g. { min = 0.1, max = 0.9 }");
    v.expect_keys({"min", "max", "scale"});
    design::Axis axis;
    axis.name = name;
    axis.integer = spec.kind == ParamKind::integer;
    axis.min = v.at("min").as_real();
    axis.max = v.at("max").as_real();
    if (!(axis.min < axis.max))
      v.at("max").fail(fmt::format("max ({}) must be greater than min ({})", axis.max, axis.min));
    for (const char* key : {"min", "max"}) {
      if (auto problem = spec.problem_with(v.at(key).as_real()); problem && !axis.integer)
        v.at(key).fail(*problem);
      if (v.at(key).as_real() < spec.min || v.at(key).as_real() > spec.max) {
        v.at(key).fail(
            fmt::format("outside the allowed range [{}, {}]", spec.format(spec.min), spec.format(spec.max)));
      }
    }
    if (const auto* scale = v.find("scale")) {
      if (scale->as_string() == "log") {
        axis.scale = design::Scale::log;
        if (axis.min <= 0.0) scale->fail("a log scale needs min > 0");
      } else if (scale->as_string() != "linear") {
        scale->fail("scale must be \"linear\" or \"log\"");
      }
    }
    for (std::size_t existing : s.parameters) {
      if (existing == *index) v.fail(fmt::format("parameter '{}' appears twice", name));
    }
    s.axes.push_back(axis);
    s.parameters.push_back(*index);
  };
  for (const auto& [key, value] : parameters.entries()) read(key, value, read);
  if (s.axes.empty()) parameters.fail("name at least one parameter");
  if (s.method == "sobol" && 2 * s.axes.size() > design::kMaxSobolDimension) {
    parameters.fail("too many parameters for Boost's Sobol tables (at most 1833)");
  }
  if (s.points() > 10'000'000) {
    settings.fail(fmt::format("the design would have {} points; at most 10,000,000", s.points()));
  }
  return s;
}

std::string SensitivityFile::resolved_text() const {
  std::string out = fmt::format(
      "# resolved sensitivity analysis\ntitle = \"{}\"\n[sensitivity]\nmethod = \"{}\"\nsamples = {}\nlevels "
      "= {}\n"
      "replicates = {}\nseed = {}\ndesign_seed = {}\nbootstrap = {}\nconfidence = {}\n[outputs]\n",
      title, method, samples, levels, replicates, seed, design_seed, bootstrap, confidence);
  for (const Output& o : outputs) out += fmt::format("\"{}\" = \"{}\"\n", o.name, o.path);
  out += "[parameters]\n";
  for (const auto& a : axes) {
    out += fmt::format("\"{}\" = {{ min = {}, max = {}, scale = \"{}\" }}\n", a.name, a.min, a.max,
                       a.scale == design::Scale::log ? "log" : "linear");
  }
  out += "\n# resolved base scenario\n" + scenario.resolved_inputs();
  return out;
}

}  // namespace sim::sensitivity
