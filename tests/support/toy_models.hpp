#pragma once
// Two small models with known answers, for checking the engine's calibration and sensitivity
// analysis: "binomial" (k successes in n trials with probability binomial.p; with a uniform prior
// and an exact match, the ABC posterior is Beta(k + 1, n − k + 1)) and "ishigami" (the Ishigami
// function of ishigami.x1..x3 with a = 7, b = 0.1, whose Sobol indices are known analytically).

#include "sim/registry.hpp"

namespace lwsim_test {

/// A registry with the lwp model and the two toy models.
const sim::ModelRegistry& toy_registry();

}  // namespace lwsim_test
