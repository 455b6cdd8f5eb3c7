#include "sim/output/layout.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>

namespace sim::output {

std::size_t DatasetPlan::elements() const {
  std::size_t n = 1;
  for (hsize_t d : shape) n *= static_cast<std::size_t>(d);
  return n;
}

const DatasetPlan& FileLayout::at(const std::string& path) const {
  return datasets.at(index_of(path));
}

std::size_t FileLayout::index_of(const std::string& path) const {
  for (std::size_t i = 0; i < datasets.size(); ++i) {
    if (datasets[i].path == path) return i;
  }
  throw std::out_of_range("result file layout has no dataset " + path);
}

const std::string& FileLayout::group_description(const std::string& path) const {
  static const std::string none;
  for (const GroupSpec& group : groups) {
    if (group.path == path) return group.description;
  }
  return none;
}

bool FileLayout::contains(const std::string& path) const {
  for (const auto& d : datasets) {
    if (d.path == path) return true;
  }
  return false;
}

std::vector<std::int64_t> index_values(std::size_t n) {
  std::vector<std::int64_t> v(n);
  std::iota(v.begin(), v.end(), 0);
  return v;
}

DatasetPlan scale_plan(const std::string& name, ArrayData values, std::string description,
                       std::string units) {
  const bool labels = std::holds_alternative<std::vector<std::string>>(values);
  const std::size_t size = labels ? std::get<std::vector<std::string>>(values).size()
                                  : std::get<std::vector<std::int64_t>>(values).size();
  return {"/dims/" + name,
          Role::scale,
          DType::i64,
          labels,
          {name},
          {static_cast<hsize_t>(size)},
          std::move(description),
          std::move(units),
          std::move(values),
          0};
}

DatasetPlan constant_plan(std::string path, std::vector<std::string> dims, std::vector<hsize_t> shape,
                          ArrayData data, std::string description, std::string units) {
  const bool text = std::holds_alternative<std::vector<std::string>>(data);
  const bool whole = std::holds_alternative<std::vector<std::int64_t>>(data);
  return {std::move(path),
          Role::constant,
          whole ? DType::i64 : DType::f64,
          text,
          std::move(dims),
          std::move(shape),
          std::move(description),
          std::move(units),
          std::move(data),
          0};
}

FileLayout make_layout(const OutputSchema& schema, const DesignInfo& design, std::uint64_t replicates,
                       const Observation* observed) {
  FileLayout layout;
  layout.groups = {{"/dims", "dimension scales: the labels (or indices) along each named dimension"},
                   {"/design", "sweeps only: the value of each swept parameter at each design point"}};
  layout.groups.insert(layout.groups.end(), schema.groups.begin(), schema.groups.end());
  for (const GroupSpec& engine :
       {GroupSpec{"/summary", "summaries over replicates"},
        GroupSpec{"/status", "which design points are complete (resume and merge read this)"}}) {
    const auto declared = std::find_if(layout.groups.begin(), layout.groups.end(),
                                       [&](const GroupSpec& g) { return g.path == engine.path; });
    if (declared == layout.groups.end()) {
      layout.groups.push_back(engine);
    } else if (declared->description.empty()) {
      declared->description = engine.description;
    }
  }
  const auto P = static_cast<hsize_t>(design.points);
  const auto R = static_cast<hsize_t>(replicates);
  std::vector<std::pair<std::string, hsize_t>> sizes = {{"point", P}, {"replicate", R}};

  // Dimension scales.
  layout.datasets.push_back(scale_plan("point", index_values(design.points), "design point index", "1"));
  layout.datasets.push_back(scale_plan("replicate", index_values(static_cast<std::size_t>(replicates)),
                                       "replicate index (the random-stream key with the seed)", "1"));
  for (const Dimension& d : schema.dims) {
    layout.datasets.push_back(d.labels.empty() ? scale_plan(d.name, index_values(d.size), d.description, "1")
                                               : scale_plan(d.name, d.labels, d.description, ""));
    sizes.emplace_back(d.name, static_cast<hsize_t>(d.size));
  }
  for (const ObservableSpec& o : schema.observables) {
    if (!o.summarised) continue;
    const auto values = static_cast<std::size_t>(o.max_value + 1);
    layout.datasets.push_back(scale_plan(o.name, index_values(values), "possible values of " + o.name, "1"));
    sizes.emplace_back(o.name, static_cast<hsize_t>(values));
  }
  const auto shape_of = [&](const std::vector<std::string>& dims) {
    std::vector<hsize_t> shape;
    for (const std::string& name : dims) {
      bool found = false;
      for (const auto& [n, s] : sizes) {
        if (n == name) {
          shape.push_back(s);
          found = true;
        }
      }
      if (!found) throw std::logic_error("unknown dimension " + name);
    }
    return shape;
  };

  // Design.
  for (std::size_t k = 0; k < design.parameters.size(); ++k) {
    layout.datasets.push_back(constant_plan(
        "/design/" + design.parameters[k], {"point"}, {P}, design.values[k],
        "value of parameter " + design.parameters[k] + " at each point", "see the parameter table"));
  }
  // Scenario constants.
  for (const StaticArray& s : schema.statics) {
    DatasetPlan plan{s.path,           Role::constant, DType::f64, false, s.dims,
                     shape_of(s.dims), s.description,  s.units,    {},    0};
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::vector<std::string>>) {
            plan.is_string = true;
          } else if constexpr (std::is_same_v<T, std::vector<std::int64_t>>) {
            plan.type = DType::i64;
          }
          plan.data = v;
        },
        s.data);
    layout.datasets.push_back(std::move(plan));
  }
  // Per-replicate fields.
  for (std::size_t f = 0; f < schema.fields.size(); ++f) {
    const FieldSpec& spec = schema.fields[f];
    std::vector<std::string> dims = {"point", "replicate"};
    dims.insert(dims.end(), spec.dims.begin(), spec.dims.end());
    layout.datasets.push_back({spec.path,
                               Role::field,
                               spec.type,
                               false,
                               dims,
                               shape_of(dims),
                               spec.description,
                               spec.units,
                               {},
                               f});
  }
  // Per-point summaries.
  for (std::size_t a = 0; a < schema.accumulators.size(); ++a) {
    const AccumulatorSpec& spec = schema.accumulators[a];
    std::vector<std::string> dims = {"point"};
    dims.insert(dims.end(), spec.dims.begin(), spec.dims.end());
    layout.datasets.push_back({spec.path,
                               Role::summary,
                               DType::f64,
                               false,
                               dims,
                               shape_of(dims),
                               spec.description,
                               spec.units,
                               {},
                               a});
  }
  for (std::size_t o = 0; o < schema.observables.size(); ++o) {
    const ObservableSpec& spec = schema.observables[o];
    if (!spec.summarised) continue;
    std::vector<std::string> dims = {"point", spec.name};
    layout.datasets.push_back(
        {distribution_path(spec),
         Role::summary,
         DType::f64,
         false,
         dims,
         shape_of(dims),
         "simulated distribution of " + spec.name + ": P(" + spec.name + " = value) over replicates",
         "probability",
         {},
         o});
  }
  if (observed != nullptr) {
    for (const ObservableSpec& spec : schema.observables) {
      const std::int64_t* value = observed->find(spec.name);
      if (value == nullptr || !spec.summarised) continue;
      layout.datasets.push_back(
          {kObservedProbabilityPath,
           Role::summary,
           DType::f64,
           false,
           {"point"},
           {P},
           fmt::format("P({} = {}), the observed value, over replicates", spec.name, *value),
           "probability",
           {},
           0});
      layout.datasets.push_back({kObservedErrorPath,
                                 Role::summary,
                                 DType::f64,
                                 false,
                                 {"point"},
                                 {P},
                                 "Monte Carlo standard error of p_observed, sqrt(p (1 - p) / replicates)",
                                 "probability",
                                 {},
                                 0});
      break;
    }
  }
  layout.datasets.push_back({kStatusPath,
                             Role::status,
                             DType::u8,
                             false,
                             {"point"},
                             {P},
                             "1 when every replicate of the point is written (resume and merge "
                             "use this)",
                             "1",
                             {},
                             0});
  return layout;
}

}  // namespace sim::output
