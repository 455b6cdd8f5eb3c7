// lwsim: the engine's command line with the link-worker programme model registered.

#include "models/lwp/model.hpp"
#include "sim/cli/commands.hpp"

int main(int argc, char** argv) {
  sim::ModelRegistry registry;
  lwp::register_model(registry);
  return sim::cli::main(argc, argv, registry);
}
