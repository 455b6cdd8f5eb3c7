// Fuzz target: sensitivity file text -> what `lwsim sensitivity` reads and checks before it
// simulates (the base scenario, method, outputs, parameters and settings, the resolved text and,
// for designs of modest size, the Saltelli or Morris design mapped onto the ranges). Bad input must
// be an InputError; any other exception, a crash, a hang or a leak is a bug.

#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_support.hpp"
#include "sim/error.hpp"
#include "sim/sensitivity/indices.hpp"
#include "sim/sensitivity/sensitivity_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = lwsim_fuzz::sandbox() + "/scenarios/sensitivity/input.toml";
  lwsim_fuzz::write_file(path, data, size);
  try {
    const sim::sensitivity::SensitivityFile s =
        sim::sensitivity::load_sensitivity(path, lwsim_fuzz::registry());
    (void)s.resolved_text();
    // Large designs are the resource estimate's business (refused up front when they cannot
    // fit); building one here would only slow the fuzzer down.
    if (s.points() * s.axes.size() <= 100'000) {
      std::vector<std::vector<sim::sensitivity::MorrisStep>> steps;
      const auto unit = s.method == "sobol" ? sim::sensitivity::saltelli_design(s.samples, s.axes.size())
                                            : sim::sensitivity::morris_design(s.samples, s.axes.size(),
                                                                              s.levels, s.design_seed, steps);
      (void)sim::design::map_to_ranges(unit, s.axes);
    }
  } catch (const sim::InputError&) {
  }
  return 0;
}
