// Fuzz target: calibration file text -> what `lwsim calibrate` reads and checks before it
// computes anything (the base scenario, observed data, priors, distance and settings, the
// resolved text stored for resumes, and the ABC-SMC set-up). Bad input must be an InputError; any
// other exception, a crash, a hang or a leak is a bug.

#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_support.hpp"
#include "sim/calibration/abc.hpp"
#include "sim/calibration/calibration_file.hpp"
#include "sim/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = lwsim_fuzz::sandbox() + "/scenarios/calibration/input.toml";
  lwsim_fuzz::write_file(path, data, size);
  try {
    const sim::calibration::CalibrationFile c =
        sim::calibration::load_calibration(path, lwsim_fuzz::registry());
    (void)c.resolved_text();
    const sim::calibration::AbcSmc abc(c.priors, c.terms, c.settings);
    (void)abc.stop_reason(sim::calibration::AbcState{});
  } catch (const sim::InputError&) {
  }
  return 0;
}
