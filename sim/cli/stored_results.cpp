#include "sim/cli/stored_results.hpp"

#include <fmt/format.h>

#include "sim/error.hpp"
#include "sim/util/text.hpp"

namespace sim::cli {

std::size_t StoredResults::completed() const {
  std::size_t n = 0;
  for (std::uint8_t s : status) n += s != 0 ? 1 : 0;
  return n;
}

PointSummary StoredResults::point_summary(const output::ResultFile& file, std::size_t point) const {
  PointSummary summary;
  summary.replicates = scenario.replicates;
  for (const output::DatasetPlan& plan : layout.datasets) {
    if (plan.role != output::Role::summary) continue;
    std::vector<double> row(plan.elements() / plan.shape[0]);
    file.read_points(plan.path, DType::f64, point, 1, row.data());
    summary.arrays.emplace(plan.path, std::move(row));
  }
  return summary;
}

InputError damaged_file(const std::string& path, const h5::OutputError& error) {
  const std::string what = error.what();
  const std::string prefix = path + ": ";
  return InputError(path, 0, "",
                    "damaged or not an lwsim result file: " +
                        (what.rfind(prefix, 0) == 0 ? what.substr(prefix.size()) : what));
}

output::ResultFile open_input_file(const std::string& path, bool writable) {
  try {
    return output::ResultFile::open(path, writable);
  } catch (const h5::OutputError& e) {
    const std::string what = e.what();
    const std::string prefix = path + ": ";
    throw InputError(path, 0, "", what.rfind(prefix, 0) == 0 ? what.substr(prefix.size()) : what);
  }
}

namespace {

/// The posterior stored by a run or sweep made with --posterior: its particles and weights, and
/// its outputs declared in the stored schema.
std::shared_ptr<const Posterior> read_stored_posterior(const output::ResultFile& file,
                                                       StoredResults& stored) {
  const std::string& path = file.path();
  Posterior posterior;
  posterior.file = file.has_attribute("posterior") ? file.attribute_string("posterior") : path;
  posterior.names = file.read_strings("/dims/calibrated");
  const std::vector<hsize_t> shape = file.shape("/posterior/particles");
  const std::size_t d = posterior.names.size();
  if (shape.size() != 2 || shape[1] != d || shape[0] == 0 || shape[0] > 10'000'000)
    throw InputError(path, 0, "", "damaged: /posterior/particles does not match /dims/calibrated");
  const auto n = static_cast<std::size_t>(shape[0]);
  const std::vector<double> values = file.read_doubles("/posterior/particles", n * d);
  posterior.weights = file.read_doubles("/posterior/weights", n);
  double total = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    posterior.particles.emplace_back(values.begin() + static_cast<std::ptrdiff_t>(i * d),
                                     values.begin() + static_cast<std::ptrdiff_t>((i + 1) * d));
    total += posterior.weights[i];
    posterior.cumulative.push_back(total);
  }
  for (const std::string& name : posterior.names) {
    const std::optional<std::size_t> index = stored.scenario.params().table().find(name);
    if (!index) throw InputError(path, 0, "", "damaged: its posterior names an unknown parameter");
    posterior.parameters.push_back(*index);
  }
  posterior.seed = stored.scenario.seed;
  declare_posterior_outputs(stored.schema, posterior);
  return std::make_shared<const Posterior>(std::move(posterior));
}

}  // namespace

StoredResults read_stored_results(const output::ResultFile& file, const ModelRegistry& registry) {
  const std::string& path = file.path();
  try {
    for (const char* required : {"scenario", "observed", "kind", "lwsim_version", "results_version"}) {
      if (!file.has_attribute(required)) {
        throw InputError(path, 0, "", fmt::format("not an lwsim result file (no '{}' attribute)", required));
      }
    }
    const std::string kind = file.attribute_string("kind");
    if (kind != "run" && kind != "sweep") {
      throw InputError(
          path, 0, "",
          kind == "calibration" || kind == "sensitivity"
              ? fmt::format("holds a {}, not a run or sweep: see analysis/report.py for its summary", kind)
              : std::string("damaged: unknown kind of file"));
    }
    const std::string scenario_text = file.attribute_string("scenario");
    const std::string observed_text = file.attribute_string("observed");
    StoredResults stored{scenario_from_text(scenario_text, path + " (stored scenario)", registry,
                                            observed_text.empty() ? nullptr : &observed_text),
                         {},
                         {},
                         {},
                         {},
                         {}};
    stored.schema = stored.scenario.model->schema(*stored.scenario.setup);
    if (file.has_dataset("/posterior/particles")) stored.posterior = read_stored_posterior(file, stored);
    stored.status = file.read_status();
    stored.design.points = stored.status.size();
    if (file.has_attribute("design_kind")) stored.design.kind = file.attribute_string("design_kind");
    if (file.has_attribute("design_parameters")) {
      stored.design.parameters = text::split_lines(file.attribute_string("design_parameters"));
      for (const std::string& name : stored.design.parameters) {
        if (!stored.scenario.params().table().find(name)) {
          throw InputError(path, 0, "", "damaged: its design names an unknown parameter");
        }
        stored.design.values.push_back(file.read_doubles("/design/" + name, stored.design.points));
        if (stored.design.values.back().size() != stored.design.points) {
          throw InputError(path, 0, "", fmt::format("/design/{} does not have one value per point", name));
        }
      }
    }
    if (file.has_attribute("design_labels")) {
      stored.design.labels = text::split_lines(file.attribute_string("design_labels"));
      if (stored.design.labels.size() != stored.design.points)
        throw InputError(path, 0, "", "damaged: its design_labels do not give one label per point");
    }
    if (file.has_attribute("design_reference")) {
      stored.design.reference = file.attribute_int("design_reference");
      if (stored.design.reference < 0 ||
          static_cast<std::size_t>(stored.design.reference) >= stored.design.points)
        throw InputError(path, 0, "", "damaged: its design_reference is not one of its points");
    }
    stored.layout =
        output::make_layout(stored.schema, stored.design, stored.scenario.replicates, stored.observation());
    // The file must hold every dataset of the layout, with the same shape.
    for (const output::DatasetPlan& plan : stored.layout.datasets) {
      if (!file.has_dataset(plan.path))
        throw InputError(path, 0, "", fmt::format("damaged: no dataset {}", plan.path));
      if (file.shape(plan.path) != plan.shape) {
        throw InputError(path, 0, "", fmt::format("damaged: {} does not have the expected shape", plan.path));
      }
    }
    return stored;
  } catch (const h5::OutputError& e) {
    throw damaged_file(path, e);
  } catch (const InputError& e) {
    if (e.file() == path) throw;
    // An error in the stored scenario: the file is not one this lwsim can read.
    throw InputError(path, 0, "",
                     fmt::format("its stored scenario cannot be read by this lwsim: {}", e.what()));
  }
}

}  // namespace sim::cli
