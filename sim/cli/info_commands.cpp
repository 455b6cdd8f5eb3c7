// `lwsim validate FILE`, `lwsim params [--markdown]` and `lwsim report OUT.h5`.

#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "sim/cli/commands.hpp"
#include "sim/error.hpp"
#include "sim/output/layout.hpp"
#include "sim/output/result_file.hpp"
#include "sim/scenario.hpp"

namespace sim::cli {

int validate_command(const std::string& file, const ModelRegistry& registry, std::ostream& out) {
  const Scenario scenario = load_scenario(file, registry);
  fmt::print(out, "# {}: a valid scenario for model {}; resolved values follow.\n", file, scenario.model->name());
  out << scenario.resolved_toml();
  return kExitSuccess;
}

int params_command(bool markdown, const ModelRegistry& registry, std::ostream& out) {
  for (const Model* model : registry.models()) {
    out << (markdown ? model->parameters().markdown(model->name()) : model->parameters().text());
  }
  return kExitSuccess;
}

namespace {

/// Re-creates the scenario a result file was written from, and its layout.
struct StoredRun {
  Scenario scenario;
  OutputSchema schema;
  output::FileLayout layout;
};

StoredRun stored_run(const output::ResultFile& file, const ModelRegistry& registry) {
  const std::string scenario_text = file.attribute_string("scenario");
  const std::string observed_text = file.attribute_string("observed");
  StoredRun run{scenario_from_text(scenario_text, file.path() + " (stored scenario)", registry,
                                   observed_text.empty() ? nullptr : &observed_text),
                {}, {}};
  run.schema = run.scenario.model->schema(*run.scenario.setup);
  output::DesignInfo design;
  design.points = static_cast<std::size_t>(file.shape(output::kStatusPath).at(0));
  run.layout = output::make_layout(run.schema, design, run.scenario.replicates,
                                   run.scenario.observation ? &*run.scenario.observation : nullptr);
  return run;
}

}  // namespace

/// Opens a result file given on the command line: a missing, unreadable or non-HDF5 file is bad
/// input (exit 2) naming the file.
output::ResultFile open_input_file(const std::string& path) {
  try {
    return output::ResultFile::open(path, false);
  } catch (const h5::OutputError& e) {
    const std::string what = e.what();
    const std::string prefix = path + ": ";
    throw InputError(path, 0, "", what.rfind(prefix, 0) == 0 ? what.substr(prefix.size()) : what);
  }
}

int report_command(const std::string& path, const ModelRegistry& registry, std::ostream& out) {
  const output::ResultFile file = open_input_file(path);
  const StoredRun run = stored_run(file, registry);
  const std::vector<std::uint8_t> status = file.read_status();
  std::size_t completed = 0;
  for (std::uint8_t s : status) completed += s != 0 ? 1 : 0;
  fmt::print(out, "{}: {} ({}), model {}, lwsim {}, created {}\n", path, file.attribute_string("kind"),
             run.scenario.title, run.scenario.model->name(), file.attribute_string("lwsim_version"),
             file.attribute_string("created_utc"));
  fmt::print(out, "{} of {} points complete, {} replicates per point, seed {}\n", completed, status.size(),
             run.scenario.replicates, run.scenario.seed);
  for (std::size_t point = 0; point < status.size(); ++point) {
    if (status[point] == 0) continue;
    PointSummary summary;
    summary.replicates = run.scenario.replicates;
    for (const output::DatasetPlan& plan : run.layout.datasets) {
      if (plan.role != output::Role::summary) continue;
      std::vector<double> row(plan.elements() / plan.shape[0]);
      file.read_points(plan.path, DType::f64, point, 1, row.data());
      summary.arrays.emplace(plan.path, std::move(row));
    }
    if (status.size() > 1) fmt::print(out, "\n== point {} ==\n", point);
    run.scenario.model->describe(*run.scenario.setup, summary,
                                 run.scenario.observation ? &*run.scenario.observation : nullptr, out);
    if (status.size() > 1) break;  // sweeps: the first point here; `lwsim report` for sweeps lists points
  }
  return kExitSuccess;
}

}  // namespace sim::cli
