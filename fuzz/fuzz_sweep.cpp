// Fuzz target: sweep file text -> the path of `lwsim validate` on a sweep and of `lwsim sweep`
// before it computes anything (the base scenario, the design and every point checked, the job,
// the file layout and the resource estimate). Bad input must be an InputError; any other
// exception, a crash, a hang or a leak is a bug.

#include <cstddef>
#include <cstdint>
#include <sstream>

#include "fuzz/fuzz_support.hpp"
#include "sim/cli/commands.hpp"
#include "sim/error.hpp"
#include "sim/output/layout.hpp"
#include "sim/run/estimate.hpp"
#include "sim/sweep.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = lwsim_fuzz::sandbox() + "/scenarios/sweeps/input.toml";
  lwsim_fuzz::write_file(path, data, size);
  std::ostringstream out;
  try {
    (void)sim::cli::validate_command(path, lwsim_fuzz::registry(), out);
    const sim::Sweep sweep = sim::load_sweep(path, lwsim_fuzz::registry());
    const sim::Job job = sim::job_for(sweep);
    sim::output::DesignInfo design;
    design.kind = sweep.kind;
    design.points = sweep.points.size();
    for (const auto& axis : sweep.axes) design.parameters.push_back(axis.name);
    design.values = sweep.values_by_axis();
    const sim::Observation* observed = sweep.scenario.observation ? &*sweep.scenario.observation : nullptr;
    const auto layout = sim::output::make_layout(job.schema, design, job.replicates, observed);
    (void)layout.datasets.size();
    const sim::JobEstimate estimate =
        sim::estimate_job(job.schema, static_cast<double>(design.points), design.parameters.size(),
                          static_cast<double>(job.replicates), 1);
    (void)sim::beyond_limits(estimate);
    (void)sweep.resolved_text();
  } catch (const sim::InputError&) {
  }
  return 0;
}
