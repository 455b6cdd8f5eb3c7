#pragma once
// The link-worker programme model, registered with the engine as "lwp".

#include <memory>

#include "sim/registry.hpp"

namespace lwp {

/// Registers the model and its built-in scenario files (the Deep End scenario, the observed data).
void register_model(sim::ModelRegistry& registry);

}  // namespace lwp
