// Claims about memory allocation in the hot path: once a thread's workspace has been used, a whole
// replicate (initialisation and every weekly step) runs without allocating. Built as its own
// executable because it replaces the global operator new to count allocations (and so is left
// out of sanitizer builds, whose runtimes provide operator new themselves).

#include <atomic>
#include <cstdlib>
#include <new>

#include <catch2/catch.hpp>

#include "tests/support/test_support.hpp"

namespace {
std::atomic<long> g_allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

namespace {

long allocations_in_replicates(const sim::Scenario& scenario, std::uint32_t first, std::uint32_t count) {
  auto simulation = scenario.model->prepare(scenario.setup, scenario.params());
  const auto& lwp_simulation = dynamic_cast<const lwp::LwpSimulation&>(*simulation);
  auto workspace = lwp_simulation.make_workspace();
  auto& ws = dynamic_cast<lwp::LwpWorkspace&>(*workspace);
  lwp_simulation.simulate({1, 0}, ws, nullptr);  // warm up: vectors reach their sizes
  const long before = g_allocations.load();
  for (std::uint32_t r = first; r < first + count; ++r) lwp_simulation.simulate({1, r}, ws, nullptr);
  return g_allocations.load() - before;
}

}  // namespace

TEST_CASE("a warmed-up workspace runs whole replicates of the Deep End without allocating") {
  const sim::Scenario scenario = lwsim_test::deep_end();
  CHECK(allocations_in_replicates(scenario, 1, 50) == 0);
}

TEST_CASE("replicates with turnover, vacancies, innovations and saturated organisations do not allocate") {
  sim::Scenario scenario = lwsim_test::deep_end();
  lwsim_test::set(scenario, {{"clp.departure_hazard", 0.05},
                             {"turnover.staff_hazard", 0.05},
                             {"turnover.lead_gp_hazard", 0.05},
                             {"context.innovation_rate_mean", 20.0},
                             {"community.capacity", 1.0}});
  CHECK(allocations_in_replicates(scenario, 1, 50) == 0);
}

TEST_CASE("the allocation counter sees the allocations of a fresh workspace") {
  // Guards the two claims above: without warm-up, sizing the state allocates.
  const sim::Scenario scenario = lwsim_test::deep_end();
  auto simulation = scenario.model->prepare(scenario.setup, scenario.params());
  const long before = g_allocations.load();
  auto workspace = simulation->make_workspace();
  CHECK(g_allocations.load() - before > 0);
}
