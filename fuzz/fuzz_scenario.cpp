// Fuzz target: scenario text -> the path of `lwsim validate` and of `lwsim run` before it
// computes anything (parse, bases, the model's configure and parameter checks, the resolved
// scenario, the job's output layout and resource estimate). Bad input must be an InputError;
// any other exception, a crash, a hang or a leak is a bug.

#include <cstddef>
#include <cstdint>
#include <sstream>

#include "fuzz/fuzz_support.hpp"
#include "sim/cli/commands.hpp"
#include "sim/error.hpp"
#include "sim/output/layout.hpp"
#include "sim/run/estimate.hpp"
#include "sim/run/job.hpp"
#include "sim/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = lwsim_fuzz::sandbox() + "/scenarios/input.toml";
  lwsim_fuzz::write_file(path, data, size);
  std::ostringstream out;
  try {
    (void)sim::cli::validate_command(path, lwsim_fuzz::registry(), out);
    const sim::Scenario scenario = sim::load_scenario(path, lwsim_fuzz::registry());
    const sim::Job job = sim::job_for(scenario);
    const sim::Observation* observed = scenario.observation ? &*scenario.observation : nullptr;
    const auto layout = sim::output::make_layout(job.schema, {}, job.replicates, observed);
    (void)layout.datasets.size();
    const sim::JobEstimate estimate =
        sim::estimate_job(job.schema, 1.0, 0, static_cast<double>(job.replicates), 1);
    (void)sim::beyond_limits(estimate);
  } catch (const sim::InputError&) {
  }
  return 0;
}
