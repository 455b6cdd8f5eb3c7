// `lwsim schema [SCENARIO] [--markdown]`: the layout of the file a run of the scenario (or a sweep
// of a sweep file) writes, every dataset (the engine's own included) with its dimensions, type,
// units and description, straight from the model's schema and the engine's layout. The Markdown is the
// dataset tables of docs/output.md, which are generated from it (`cmake --build <dir> --target docs-output`).

#include <algorithm>
#include <cctype>
#include <ostream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "sim/cli/command.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/stored_results.hpp"
#include "sim/error.hpp"
#include "sim/output/layout.hpp"
#include "sim/scenario.hpp"
#include "sim/sweep.hpp"

namespace sim::cli {

namespace {

/// Where a dataset is listed: its top-level group ("/results/events/x" -> "/results").
std::string top_group(const std::string& path) {
  return path.substr(0, path.find('/', 1));
}

/// The datasets of each top-level group: the described groups in the order of their
/// description (the engine's, then the model's as it declared them), then any other.
std::vector<std::pair<std::string, std::vector<const output::DatasetPlan*>>> by_group(
    const output::FileLayout& layout) {
  std::vector<std::pair<std::string, std::vector<const output::DatasetPlan*>>> groups;
  for (const GroupSpec& group : layout.groups) {
    if (group.path.find('/', 1) == std::string::npos) groups.push_back({group.path, {}});
  }
  for (const output::DatasetPlan& plan : layout.datasets) {
    const std::string group = top_group(plan.path);
    auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == group; });
    if (it == groups.end()) it = groups.insert(groups.end(), {group, {}});
    it->second.push_back(&plan);
  }
  std::erase_if(groups, [](const auto& g) { return g.second.empty(); });
  return groups;
}

std::string type_name(const output::DatasetPlan& plan) {
  return plan.is_string ? "string" : dtype_name(plan.type);
}

std::string dimensions(const output::DatasetPlan& plan, bool sizes) {
  std::string out = "[";
  for (std::size_t d = 0; d < plan.dims.size(); ++d) {
    if (d > 0) out += ", ";
    out += sizes ? fmt::format("{}={}", plan.dims[d], plan.shape[d]) : plan.dims[d];
  }
  return out + "]";
}

std::string table_cell(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

void print_markdown(const output::FileLayout& layout, std::ostream& out) {
  bool first = true;
  for (const auto& [group, plans] : by_group(layout)) {
    fmt::print(out, "{}### `{}`\n\n", first ? "" : "\n", group);
    first = false;
    if (std::string about = layout.group_description(group); !about.empty()) {
      about[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(about[0])));
      fmt::print(out, "{}.\n\n", about);
    }
    fmt::print(out, "| path | shape | type | units | meaning |\n|---|---|---|---|---|\n");
    for (const output::DatasetPlan* plan : plans) {
      fmt::print(out, "| `{}` | {} | {} | {} | {} |\n", plan->path, dimensions(*plan, false),
                 type_name(*plan), table_cell(plan->units), table_cell(plan->description));
    }
  }
}

void print_text(const std::string& what, const output::FileLayout& layout, std::ostream& out) {
  fmt::print(out, "# the output of {}: {} datasets\n", what, layout.datasets.size());
  for (const auto& [group, plans] : by_group(layout)) {
    const std::string& about = layout.group_description(group);
    fmt::print(out, "\n{}{}\n", group, about.empty() ? "" : ": " + about);
    for (const output::DatasetPlan* plan : plans) {
      fmt::print(out, "  {}  {} {}{}\n      {}\n", plan->path, type_name(*plan), dimensions(*plan, true),
                 plan->units.empty() ? "" : "  (" + plan->units + ")", plan->description);
    }
  }
}

const Observation* observation_of(const Scenario& scenario) {
  return scenario.observation ? &*scenario.observation : nullptr;
}

}  // namespace

int schema_command(const std::optional<std::string>& file, bool markdown, const ModelRegistry& registry,
                   std::ostream& out) {
  const std::string path = file.value_or(registry.default_scenario());
  std::optional<output::FileLayout> layout;
  std::string what;
  if (file && is_sweep_document(read_document(path, registry).root)) {
    const Sweep sweep = load_sweep(path, registry);
    const Scenario& scenario = sweep.scenario;
    layout = output::make_layout(scenario.model->schema(*scenario.setup), design_of(sweep), sweep.replicates,
                                 observation_of(scenario));
    what = fmt::format("`lwsim sweep {}` (model {}, {} points x {} replicates)", path, scenario.model->name(),
                       sweep.points.size(), sweep.replicates);
  } else {
    // A run has no design; a sweep adds one dataset per swept parameter, shown as <parameter>.
    const Scenario scenario = load_scenario(path, registry);
    output::DesignInfo design;
    design.kind = "sweep";
    design.parameters = {"<parameter>"};
    design.values = {{0.0}};
    layout = output::make_layout(scenario.model->schema(*scenario.setup), design, scenario.replicates,
                                 observation_of(scenario));
    what = fmt::format("`lwsim run {}` (model {}, {} replicates; a sweep of it adds /design/<parameter>)",
                       path, scenario.model->name(), scenario.replicates);
  }
  if (markdown) {
    print_markdown(*layout, out);
  } else {
    print_text(what, *layout, out);
  }
  return kExitSuccess;
}

Command schema_entry() {
  struct Args {
    std::optional<std::string> scenario;
    bool markdown = false;
  };
  auto args = std::make_shared<Args>();
  return {"schema",
          "Print the layout of the output file of a scenario (default: the built-in one) or of a sweep file",
          {{"scenario", "scenario or sweep file (TOML)", &args->scenario},
           {"--markdown", "as Markdown (the dataset tables of docs/output.md)", &args->markdown}},
          Ranks::first,
          OnStop::command_decides,
          [args](const Invocation& i) {
            return schema_command(args->scenario, args->markdown, i.registry, i.out);
          }};
}

}  // namespace sim::cli
