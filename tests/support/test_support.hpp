#pragma once
// Helpers shared by the tests: the registry with the model, scenarios from text, and in-process
// runs that return a point's summaries or a replicate's final state.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "models/lwp/simulation.hpp"
#include "sim/error.hpp"
#include "sim/model.hpp"
#include "sim/mpi/session.hpp"
#include "sim/registry.hpp"
#include "sim/run/runner.hpp"
#include "sim/scenario.hpp"

namespace lwsim_test {

/// The InputError `f` throws, or a failed test.
template <class F>
sim::InputError input_error(F&& f) {
  try {
    f();
  } catch (const sim::InputError& e) {
    return e;
  }
  FAIL("no InputError was thrown");
  throw std::logic_error("unreachable");
}

/// The registry with the lwp model and its built-in files.
const sim::ModelRegistry& registry();

/// The built-in Deep End scenario.
sim::Scenario deep_end();

/// A scenario from TOML text (the model's sections must be complete).
sim::Scenario scenario_from(const std::string& toml);

/// Sets parameters by name ("clp.departure_hazard", value).
void set(sim::Scenario& scenario, const std::vector<std::pair<std::string, double>>& values);

/// Runs `replicates` replicates in-process and returns the point's summaries. Deterministic in
/// (scenario, seed); independent of `threads`. `check`: verify the state invariants (--check).
sim::PointSummary run_point(const sim::Scenario& scenario, std::uint64_t replicates, std::uint32_t seed,
                            unsigned threads = 2, bool check = false);

/// True when two summaries are identical bit for bit (NaN payloads included).
bool identical(const sim::PointSummary& a, const sim::PointSummary& b);

/// The mean over practices of P(FIP), from run_point.
double mean_p_fip(const sim::PointSummary& summary);

/// Runs one replicate and returns the final state (practices, localities).
lwp::ReplicateState run_replicate_state(const sim::Scenario& scenario, std::uint32_t seed,
                                        std::uint32_t replicate);

/// A path in a fresh temporary directory (removed at exit).
std::string temporary_path(const std::string& name);

/// Writes `text` at `relative` below temporary_path(folder), creating directories; returns the path.
std::string write_file(const std::string& folder, const std::string& relative, const std::string& text);

/// The process's MPI session (one process, as without mpirun), for calling commands in-process.
sim::mpi::Session& session();

/// Runs a shell command line and returns its exit code; stdout and stderr are captured.
struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
CommandResult run_lwsim(const std::vector<std::string>& args);

}  // namespace lwsim_test
