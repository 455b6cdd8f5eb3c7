#include "models/lwp/simulation.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <thread>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include "models/lwp/invariants.hpp"
#include "models/lwp/mechanisms.hpp"
#include "models/lwp/schedule.hpp"
#include "models/lwp/table.hpp"
#include "sim/error.hpp"

namespace lwp {

namespace {

#if defined(__SANITIZE_THREAD__)
#define LWP_THREAD_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define LWP_THREAD_SANITIZER 1
#endif
#endif

/// Calls body(begin, end) for consecutive chunks of [0, count) of `grain` items, in parallel.
/// On TBB; under ThreadSanitizer on two std::threads instead, each taking every other chunk:
/// the hand-off of TBB's tasks happens inside Debian's uninstrumented libtbb, which TSan reports
/// as races on the task objects (docs/reliability.md), so the TSan build checks what matters to
/// lwsim -- the chunks' reads and writes of the model's state -- on threads it can see.
template <typename Body>
void for_chunks(std::uint32_t count, std::uint32_t grain, const Body& body) {
#if defined(LWP_THREAD_SANITIZER)
  const std::uint32_t chunks = (count + grain - 1) / grain;
  const auto run = [&](std::uint32_t first) {
    for (std::uint32_t c = first; c < chunks; c += 2) body(c * grain, std::min(count, (c + 1) * grain));
  };
  std::thread other(run, 1U);
  run(0U);
  other.join();
#else
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, count, grain),
                    [&](const tbb::blocked_range<std::uint32_t>& r) { body(r.begin(), r.end()); });
#endif
}

}  // namespace

std::unique_ptr<sim::Workspace> LwpSimulation::make_workspace() const {
  auto ws = std::make_unique<LwpWorkspace>();
  ws->state.practices.resize(setup_->practice_count());
  ws->state.localities.resize(setup_->localities.size());
  ws->members.reserve(setup_->practice_count());
  ws->order.reserve(setup_->practice_count());
  reset_survey(ws->state, *setup_);
  return ws;
}

void LwpSimulation::run_replicate(sim::StreamKey key, const sim::ReplicateOutput& out,
                                  sim::Workspace& workspace) const {
  simulate(key, static_cast<LwpWorkspace&>(workspace), &out);
}

void LwpSimulation::simulate(sim::StreamKey key, LwpWorkspace& ws, const sim::ReplicateOutput* out) const {
  const Draws draws{key, &ws.philox};
  initialise_replicate(ws.state, *setup_, params_, draws, programme_);
  const InvariantChecker checker{*setup_, params_, ws.baselines};
  const InvariantChecker* check = ws.check_invariants ? &checker : nullptr;
  if (check != nullptr) {
    ws.baselines.clear();
    for (const Practice& practice : ws.state.practices) ws.baselines.push_back({practice.staff.count});
    check->all(ws.state, 0, "initialise_replicate");
  }
  for (int week = 0; week < setup_->weeks(); ++week) {
    run_week(ws, draws, week, check);
    // The virtual evaluation observes the state at the end of a surveyed phase's last week.
    for (std::size_t s = 0; s < setup_->surveys.size(); ++s) {
      if (setup_->surveys[s].week == week) conduct_survey(ws.state, *setup_, params_, draws, s);
    }
    if (out != nullptr) record_week(ws, *out, week);
  }
  if (out != nullptr) record_replicate(ws, *out);
}

void InvariantChecker::practice(const Practice& practice, std::uint32_t index, int week,
                                const char* mechanism, bool hours_current) const {
  const std::optional<std::string> violation =
      practice_violation(practice, params, baselines[index], hours_current);
  if (!violation) return;
  throw sim::InvariantError(fmt::format("practice {} ({}), week {}, after {}: {}", index,
                                        setup.practices[index].name, week, mechanism, *violation));
}

void InvariantChecker::locality(const Locality& locality, std::uint32_t index, int week,
                                const char* mechanism) const {
  const std::optional<std::string> violation = locality_violation(locality);
  if (!violation) return;
  throw sim::InvariantError(fmt::format("locality {} ({}), week {}, after {}: {}", index,
                                        setup.localities[index], week, mechanism, *violation));
}

void InvariantChecker::all(const ReplicateState& state, int week, const char* mechanism) const {
  for (std::uint32_t i = 0; i < state.practices.size(); ++i)
    practice(state.practices[i], i, week, mechanism, false);
  for (std::uint32_t l = 0; l < state.localities.size(); ++l)
    locality(state.localities[l], l, week, mechanism);
}

// A practice's steps of one pass, in the order of the schedule. With a checker, the invariants
// are verified after each step.
template <Pass pass>
void LwpSimulation::step_practice(Practice& practice, std::uint32_t index, const Draws& draws, int week,
                                  double open_share, std::span<double> scratch,
                                  const InvariantChecker* check) const {
  const PracticeWeek w{practice, params_, *setup_, {draws, index, week}, open_share, scratch};
  for_each_row<kWeek>([&](auto row) {
    constexpr WeekStep step = kWeek[row];
    if constexpr (step.pass == pass) {
      step.run(w);
      if (check != nullptr) check->practice(practice, index, week, step.name, step.hours_current);
    }
  });
}

// The weekly schedule (docs/model.md §3). Every practice makes its requests of the community
// organisations before any locality resolves them; the localities are resolved in a fixed order.
// Programme-wide quantities (a cut of posts, the labour market) are settled first, from the state
// at the end of the previous week. In a large replicate each pass runs in parallel over practices
// (or localities): a practice's pass reads and writes only that practice, a locality's only its
// organisations and its practices' requests, so the result does not depend on the schedule.
// A checked run steps serially, so that the violation it reports is the first in schedule order.
void LwpSimulation::run_week(LwpWorkspace& ws, const Draws& draws, int week,
                             const InvariantChecker* check) const {
  auto& practices = ws.state.practices;
  if (week == programme_.cut_week) {
    cut_posts(ws.state, programme_, params_);
    if (check != nullptr) check->all(ws.state, week, "cut_posts");
  }
  const double market = params_.labour_congestion > 0.0 ? open_share(ws.state, programme_, week) : 0.0;
  const auto n = static_cast<std::uint32_t>(practices.size());

  if (n < kParallelPractices || check != nullptr) {
    for (std::uint32_t i = 0; i < n; ++i)
      step_practice<Pass::before_localities>(practices[i], i, draws, week, market, ws.scratch, check);
    for (std::uint32_t l = 0; l < ws.state.localities.size(); ++l) {
      ws.members.clear();
      for (std::uint32_t i : setup_->locality_members[l]) ws.members.push_back(&practices[i]);
      resolve_locality(ws.state.localities[l], ws.members, params_, draws, l, week, ws.order);
      if (check != nullptr) {
        check->locality(ws.state.localities[l], l, week, kResolveLocality.name);
        for (std::uint32_t i : setup_->locality_members[l]) {
          check->practice(practices[i], i, week, kResolveLocality.name, kResolveLocality.hours_current);
        }
      }
    }
    for (std::uint32_t i = 0; i < n; ++i)
      step_practice<Pass::after_localities>(practices[i], i, draws, week, market, ws.scratch, check);
    return;
  }

  // Each chunk counts its own Philox calls and adds them once (the count is for `lwsim bench`).
  std::atomic_ref<std::uint64_t> philox(ws.philox);
  const auto practices_in_parallel = [&](auto pass) {
    constexpr std::uint32_t kGrain = 16;
    for_chunks(n, kGrain, [&](std::uint32_t begin, std::uint32_t end) {
      std::uint64_t calls = 0;
      const Draws local{draws.key, &calls};
      std::array<double, 2 * kMaxStaff> scratch;
      for (std::uint32_t i = begin; i != end; ++i)
        step_practice<decltype(pass)::value>(practices[i], i, local, week, market, scratch, nullptr);
      philox.fetch_add(calls, std::memory_order_relaxed);
    });
  };
  practices_in_parallel(std::integral_constant<Pass, Pass::before_localities>{});
  const auto localities = static_cast<std::uint32_t>(ws.state.localities.size());
  for_chunks(localities, 8, [&](std::uint32_t begin, std::uint32_t end) {
    std::uint64_t calls = 0;
    const Draws local{draws.key, &calls};
    std::vector<Practice*> members;
    std::vector<std::uint64_t> order;
    for (std::uint32_t l = begin; l != end; ++l) {
      members.clear();
      for (std::uint32_t i : setup_->locality_members[l]) members.push_back(&practices[i]);
      resolve_locality(ws.state.localities[l], members, params_, local, l, week, order);
    }
    philox.fetch_add(calls, std::memory_order_relaxed);
  });
  practices_in_parallel(std::integral_constant<Pass, Pass::after_localities>{});
}

}  // namespace lwp
