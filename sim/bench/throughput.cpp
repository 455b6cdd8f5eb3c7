#include "sim/bench/throughput.hpp"

#include <algorithm>
#include <stdexcept>

#include "sim/output/layout.hpp"
#include "sim/output/writer.hpp"
#include "sim/run/runner.hpp"

namespace sim::bench {

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

StepCount step_count(const OutputSchema& schema) {
  StepCount count;
  count.entity = schema.entity_dimension.empty() ? "replicate" : schema.entity_dimension;
  if (!schema.entity_dimension.empty()) count.entities = schema.dim(schema.entity_dimension).size;
  count.weeks = schema.time_steps();
  return count;
}

Pass run_pass(const Job& base, const Observation* observed, std::uint64_t replicates, unsigned threads) {
  Job job = base;
  job.replicates = replicates;
  const output::FileLayout layout =
      output::make_layout(job.schema, output::DesignInfo{}, replicates, observed);
  const std::uint32_t block = choose_block_size(job.schema, replicates, 1, threads);
  const BlockLayout blocks(job.schema, block);
  output::ResultWriter writer(nullptr, layout, job.schema, blocks, replicates, observed, {});
  RunOptions options;
  options.threads = threads;
  options.block = block;
  const RunStats stats = run_job(job, {0}, writer, options);
  if (stats.interrupted || stats.replicates_run != replicates) {
    throw std::runtime_error("lwsim bench: a measurement run was interrupted");
  }
  return {replicates, stats.seconds, stats.philox_calls};
}

Throughput measure_throughput(const Job& job, const Observation* observed, const StepCount& steps,
                              std::uint64_t replicates, unsigned threads, int repetitions) {
  Throughput t;
  t.replicates = replicates;
  for (int r = 0; r < repetitions; ++r) {
    const Pass pass = run_pass(job, observed, replicates, threads);
    t.rates.push_back(static_cast<double>(pass.replicates * steps.per_replicate()) /
                      std::max(pass.seconds, 1e-9));
  }
  t.rate = median(t.rates);
  return t;
}

}  // namespace sim::bench
