#pragma once
// One design point of the model, ready to run replicates: the weekly schedule (schedule.hpp) run
// over every practice and locality (simulation.cpp), and the recording of results (recording.cpp).

#include <memory>
#include <vector>

#include "models/lwp/invariants.hpp"
#include "models/lwp/mechanisms.hpp"
#include "models/lwp/outputs.hpp"
#include "models/lwp/parameters.hpp"
#include "models/lwp/schedule.hpp"
#include "models/lwp/setup.hpp"
#include "models/lwp/state.hpp"
#include "models/lwp/streams.hpp"
#include "sim/model.hpp"

namespace lwp {

class LwpWorkspace final : public sim::Workspace {
 public:
  ReplicateState state;
  std::vector<PracticeBaseline> baselines;  // for checked runs: what each practice must keep
  std::vector<double> scratch = std::vector<double>(2 * kMaxStaff);
  std::vector<Practice*> members;
  std::vector<std::uint64_t> order;
  std::uint64_t philox = 0;

  [[nodiscard]] std::uint64_t philox_calls() const noexcept override { return philox; }
};

/// Verifies the state invariants (invariants.hpp) of a checked run; throws sim::InvariantError
/// naming the practice or locality, the week and the step after which one does not hold.
struct InvariantChecker {
  const Setup& setup;
  const Parameters& params;
  const std::vector<PracticeBaseline>& baselines;

  void practice(const Practice& practice, std::uint32_t index, int week, const char* mechanism,
                bool hours_current) const;
  void locality(const Locality& locality, std::uint32_t index, int week, const char* mechanism) const;
  /// Every practice and locality (after initialisation and after a cut of posts).
  void all(const ReplicateState& state, int week, const char* mechanism) const;
};

class LwpSimulation final : public sim::Simulation {
 public:
  LwpSimulation(std::shared_ptr<const Setup> setup, const Parameters& params)
      : setup_(std::move(setup)),
        params_(params),
        programme_(make_programme(*setup_, params_)),
        outputs_(declare_outputs(*setup_).outputs) {}

  [[nodiscard]] std::unique_ptr<sim::Workspace> make_workspace() const override;
  void run_replicate(sim::StreamKey key, const sim::ReplicateOutput& out,
                     sim::Workspace& workspace) const override;

  /// Runs a replicate without recording anything (tests inspect the final state).
  void simulate(sim::StreamKey key, LwpWorkspace& workspace, const sim::ReplicateOutput* out) const;

  [[nodiscard]] const Parameters& params() const noexcept { return params_; }
  [[nodiscard]] const Setup& setup() const noexcept { return *setup_; }
  [[nodiscard]] const Programme& programme() const noexcept { return programme_; }

  /// Practices at and above which a replicate's practices are stepped in parallel within a week.
  static constexpr std::size_t kParallelPractices = 64;

 private:
  void run_week(LwpWorkspace& ws, const Draws& draws, int week, const InvariantChecker* check) const;
  /// One practice's steps of a pass of the week (schedule.hpp), each checked after it runs.
  template <Pass pass>
  void step_practice(Practice& practice, std::uint32_t index, const Draws& draws, int week, double open_share,
                     std::span<double> scratch, const InvariantChecker* check) const;
  void record_scale(const LwpWorkspace& ws, const sim::ReplicateOutput& out) const;
  void record_week(const LwpWorkspace& ws, const sim::ReplicateOutput& out, int week) const;
  void record_replicate(const LwpWorkspace& ws, const sim::ReplicateOutput& out) const;
  void record_development_and_caseload(const Practice& practice, std::size_t index, std::size_t outcome,
                                       const sim::ReplicateOutput& out) const;
  void record_survey(const LwpWorkspace& ws, const sim::ReplicateOutput& out) const;

  std::shared_ptr<const Setup> setup_;
  Parameters params_;
  Programme programme_;
  Outputs outputs_;
};

}  // namespace lwp
