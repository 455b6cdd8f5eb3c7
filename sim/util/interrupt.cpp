#include "sim/util/interrupt.hpp"

#include <atomic>
#include <csignal>
#include <unistd.h>

namespace sim {
namespace {
std::atomic<int> g_stop_signal{0};
std::atomic<bool> g_stop{false};
static_assert(std::atomic<int>::is_always_lock_free && std::atomic<bool>::is_always_lock_free,
              "signal handlers need lock-free atomics");

extern "C" void on_stop_signal(int signal) {
  if (g_stop.exchange(true)) {
    // Second signal: the user insists. Leave at once; the file stays resumable.
    _exit(128 + signal);
  }
  g_stop_signal.store(signal);
}
}  // namespace

void install_interrupt_handlers() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool stop_requested() noexcept {
  return g_stop.load(std::memory_order_relaxed);
}
int stop_signal() noexcept {
  return g_stop_signal.load();
}
void request_stop(int signal) noexcept {
  g_stop_signal.store(signal);
  g_stop.store(true);
}
void clear_stop_request() noexcept {
  g_stop.store(false);
  g_stop_signal.store(0);
}

}  // namespace sim
