#include "sim/run/job.hpp"

#include "sim/scenario.hpp"

namespace sim {

ParamValues Job::point_params(std::size_t p) const {
  ParamValues point = *base;
  if (!swept.empty()) {
    const auto& row = values.at(p);
    for (std::size_t k = 0; k < swept.size(); ++k) point.set(swept[k], row[k], point.origin(swept[k]));
  }
  return point;
}

Job job_for(const Scenario& scenario) {
  Job job;
  job.model = scenario.model;
  job.setup = scenario.setup;
  job.schema = scenario.model->schema(*scenario.setup);
  job.base = scenario.params();
  job.replicates = scenario.replicates;
  job.seed = scenario.seed;
  return job;
}

}  // namespace sim
