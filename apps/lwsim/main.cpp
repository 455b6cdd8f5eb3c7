// lwsim: the engine's command line with the link-worker programme model registered.

#include <string_view>

#include "models/lwp/model.hpp"
#include "sim/cli/commands.hpp"

namespace lwsim_app {
// scenarios/bench/, embedded by apps/lwsim/CMakeLists.txt: the sweeps `lwsim bench` times.
extern const std::string_view kBenchSweep100;
extern const std::string_view kBenchSweep1000;
}  // namespace lwsim_app

int main(int argc, char** argv) {
  sim::ModelRegistry registry;
  lwp::register_model(registry);
  registry.add_builtin_file("bench/sweep_100_points.toml", lwsim_app::kBenchSweep100);
  registry.add_builtin_file("bench/sweep_1000_points.toml", lwsim_app::kBenchSweep1000);
  return sim::cli::main(argc, argv, registry);
}
