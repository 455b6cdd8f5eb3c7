// Fuzz target: the points (CSV) file of a `kind = "csv"` design -> what `lwsim validate` and
// `lwsim sweep` read and check before they compute anything (the header of parameter names, each
// row's values against their parameters, the limits on points and values, and the resolved text
// stored for resumes). Bad input must be an InputError; any other exception, a crash, a hang or a
// leak is a bug.

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.hpp"
#include "sim/error.hpp"
#include "sim/sweep.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string dir = lwsim_fuzz::sandbox() + "/scenarios/sweeps/";
  static const std::string sweep_path = [&] {
    const std::string path = dir + "fuzzed_points.toml";
    const std::string text =
        "base = \"../deep_end_glasgow.toml\"\n[design]\nkind = \"csv\"\nfile = \"fuzzed.csv\"\nreplicates = "
        "2\n";
    lwsim_fuzz::write_file(path, reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
    return path;
  }();
  lwsim_fuzz::write_file(dir + "fuzzed.csv", data, size);
  try {
    const sim::Sweep sweep = sim::load_sweep(sweep_path, lwsim_fuzz::registry());
    (void)sweep.values_by_axis();
    (void)sweep.resolved_text();
  } catch (const sim::InputError&) {
  }
  return 0;
}
