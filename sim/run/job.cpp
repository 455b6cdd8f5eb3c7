#include "sim/run/job.hpp"

#include <algorithm>

#include "sim/random.hpp"
#include "sim/rng.hpp"
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

ParamValues Job::replicate_params(std::size_t p, std::size_t particle) const {
  ParamValues drawn = point_params(p);
  const auto& row = posterior->particles.at(particle);
  for (std::size_t k = 0; k < posterior->parameters.size(); ++k) {
    drawn.set(posterior->parameters[k], row[k], {posterior->file, 0});
  }
  return drawn;
}

std::size_t Posterior::draw(std::uint64_t replicate) const {
  // Posterior draws have a stream key of their own (replicate word 0xFFFFFFFD), never a
  // replicate's or a calibration's proposals'.
  Stream s({seed, 0xFFFFFFFDU},
           {static_cast<std::uint32_t>(replicate), static_cast<std::uint32_t>(replicate >> 32), 3U});
  const double u = random::uniform(s) * cumulative.back();
  const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), u);
  return std::min<std::size_t>(static_cast<std::size_t>(it - cumulative.begin()), cumulative.size() - 1);
}

void declare_posterior_outputs(OutputSchema& schema, Posterior& posterior) {
  schema.dims.push_back(
      {"posterior_particle", posterior.particles.size(), "particle of the calibration's posterior", {}});
  schema.dims.push_back(
      {"calibrated", posterior.names.size(), "parameter calibrated (parameter-table name)", posterior.names});
  const SchemaGroup group(
      schema, "/posterior",
      "the calibration's posterior that each replicate drew its parameters from (--posterior)");
  posterior.particle_field = group.field<std::int32_t>(
      "particle", {}, "the posterior particle this replicate drew (index)", "index");
  std::vector<double> values;
  for (const auto& row : posterior.particles) values.insert(values.end(), row.begin(), row.end());
  group.constant("particles", {"posterior_particle", "calibrated"},
                 "the posterior particles (parameter values) of " + posterior.file, "see the parameter table",
                 values);
  group.constant("weights", {"posterior_particle"}, "the posterior weights", "1", posterior.weights);
  posterior.draws =
      group.accumulator("draws", {"posterior_particle"}, "mean number of replicates that drew each particle",
                        "replicates", counts());
  posterior.sums.clear();
  for (std::size_t o = 0; o < schema.observables.size(); ++o) {
    const ObservableSpec& observable = schema.observables[o];
    if (!observable.summarised) continue;
    posterior.sums.push_back(
        {o,
         group.accumulator(
             observable.name + "_sum", {"posterior_particle"},
             "sum of " + observable.name + " over the replicates that drew each particle, per replicate",
             observable.description, counts()),
         group.accumulator(observable.name + "_sum_of_squares", {"posterior_particle"},
                           "sum of the squares of " + observable.name +
                               " over the replicates that drew each particle, per replicate",
                           observable.description + " squared", counts())});
  }
  schema.check();
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
