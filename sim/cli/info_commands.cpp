// `lwsim validate FILE` (any kind of lwsim input) and `lwsim params [--markdown]`.

#include <algorithm>
#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "sim/calibration/calibration_file.hpp"
#include "sim/cli/command.hpp"
#include "sim/cli/commands.hpp"
#include "sim/error.hpp"
#include "sim/run/estimate.hpp"
#include "sim/scenario.hpp"
#include "sim/sensitivity/sensitivity_file.hpp"
#include "sim/sweep.hpp"

namespace sim::cli {

namespace {

void describe_sweep(const Sweep& sweep, std::ostream& out) {
  fmt::print(out, "# {}: a valid {} sweep of {} points x {} replicates (seed {}) over base scenario {}\n",
             sweep.file, sweep.kind, sweep.points.size(), sweep.replicates, sweep.seed, sweep.scenario.file);
  if (!sweep.question.empty()) fmt::print(out, "# question: {}\n", sweep.question);
  const JobEstimate estimate = estimate_job(sweep.scenario.model->schema(*sweep.scenario.setup),
                                            static_cast<double>(sweep.points.size()), sweep.axes.size(),
                                            static_cast<double>(sweep.replicates), 1);
  fmt::print(out, "# it needs {} (output_bytes = {:.0f})\n", estimate.describe(), estimate.output_bytes);
  for (std::size_t k = 0; k < sweep.axes.size(); ++k) {
    double lo = sweep.points.front()[k];
    double hi = lo;
    for (const auto& point : sweep.points) {
      lo = std::min(lo, point[k]);
      hi = std::max(hi, point[k]);
    }
    fmt::print(out, "# {}: {} values from {:g} to {:g}\n", sweep.axes[k].name,
               sweep.kind == "grid" ? sweep.axes[k].levels.size() : sweep.points.size(), lo, hi);
  }
  const std::size_t shown = std::min<std::size_t>(sweep.points.size(), 10);
  fmt::print(out, "# first {} points:\n", shown);
  for (std::size_t p = 0; p < shown; ++p) {
    std::string line = fmt::format("#   {:>4}:", p);
    for (std::size_t k = 0; k < sweep.axes.size(); ++k)
      line += fmt::format(" {}={:g}", sweep.axes[k].name, sweep.points[p][k]);
    fmt::print(out, "{}\n", line);
  }
  fmt::print(out, "# the resolved base scenario follows\n");
  out << sweep.scenario.resolved_toml();
}

}  // namespace

int validate_command(const std::string& file, const ModelRegistry& registry, std::ostream& out) {
  const Document doc = read_document(file, registry);
  if (is_sweep_document(doc.root)) {
    describe_sweep(load_sweep(file, registry), out);
    return kExitSuccess;
  }
  if (calibration::is_calibration_document(doc.root)) {
    const calibration::CalibrationFile c = calibration::load_calibration(file, registry);
    fmt::print(out,
               "# {}: a valid calibration file (ABC-SMC) of {} parameter{} with {} particles over base "
               "scenario {}\n",
               file, c.priors.size(), c.priors.size() == 1 ? "" : "s", c.settings.particles, c.scenario.file);
    if (!c.question.empty()) fmt::print(out, "# question: {}\n", c.question);
    fmt::print(out, "# the resolved calibration follows\n");
    out << c.resolved_text();
    return kExitSuccess;
  }
  if (sensitivity::is_sensitivity_document(doc.root)) {
    const sensitivity::SensitivityFile a = sensitivity::load_sensitivity(file, registry);
    fmt::print(out,
               "# {}: a valid sensitivity file ({}) of {} parameter{}: {} points x {} replicates over base "
               "scenario {}\n",
               file, a.method, a.axes.size(), a.axes.size() == 1 ? "" : "s", a.points(), a.replicates,
               a.scenario.file);
    if (!a.question.empty()) fmt::print(out, "# question: {}\n", a.question);
    fmt::print(out, "# the resolved analysis follows\n");
    out << a.resolved_text();
    return kExitSuccess;
  }
  // Observed data cite their source (a required key no scenario has): checked against the
  // built-in default scenario, whose practices they must name.
  if (doc.root.is_table() && doc.root.find("source") != nullptr && doc.root.find("run") == nullptr) {
    const Scenario scenario = load_scenario(registry.default_scenario(), registry);
    const Observation observation = read_observed(*scenario.model, doc.root, *scenario.setup);
    fmt::print(out,
               "# {}: valid observed data for the built-in scenario {} (source: {})\n"
               "# (for another scenario, name the file in its [run] observed and validate the scenario)\n",
               file, registry.default_scenario(), observation.source);
    out << doc.text;
    return kExitSuccess;
  }
  const Scenario scenario = load_scenario(file, registry);
  fmt::print(out, "# {}: a valid scenario file for model {}; resolved values follow.\n", file,
             scenario.model->name());
  const JobEstimate estimate = estimate_job(scenario.model->schema(*scenario.setup), 1.0, 0,
                                            static_cast<double>(scenario.replicates), 1);
  fmt::print(out, "# run with -o, it needs {} (output_bytes = {:.0f})\n", estimate.describe(),
             estimate.output_bytes);
  out << scenario.resolved_toml();
  return kExitSuccess;
}

int params_command(bool markdown, const ModelRegistry& registry, std::ostream& out) {
  for (const Model* model : registry.models()) {
    out << (markdown ? model->parameters().markdown(model->name()) : model->parameters().text());
  }
  return kExitSuccess;
}

Command validate_entry() {
  auto file = std::make_shared<std::string>();
  return {
      "validate",
      "Check any lwsim input (scenario, sweep, calibration, sensitivity or observed data), say which "
      "kind it is and print its resolved values",
      {Option("file", "scenario, sweep, calibration, sensitivity or observed-data file (TOML)", file.get())
           .required()},
      Ranks::first,
      OnStop::run_to_end,
      [file](const Invocation& i) { return validate_command(*file, i.registry, i.out); }};
}

Command params_entry() {
  auto markdown = std::make_shared<bool>(false);
  return {"params",
          "Print the parameter table",
          {{"--markdown", "as Markdown (the content of docs/parameters.md)", markdown.get()}},
          Ranks::first,
          OnStop::command_decides,
          [markdown](const Invocation& i) { return params_command(*markdown, i.registry, i.out); }};
}

}  // namespace sim::cli
