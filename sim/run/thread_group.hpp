#pragma once
// Threads that are always joined. A std::thread destroyed while it runs ends the process
// (std::terminate), so when the system refuses a new thread (a per-job memory or process limit on
// a node with many cores) the threads already started must be stopped and joined before the error
// goes up: the command then fails with a message and removes its partial output.

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

namespace sim {

/// The system refused to start a thread.
class ThreadStartError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ThreadGroup {
 public:
  ThreadGroup() = default;
  ThreadGroup(const ThreadGroup&) = delete;
  ThreadGroup& operator=(const ThreadGroup&) = delete;
  ~ThreadGroup() { join(); }

  /// Starts `body` on a new thread. When the system refuses, throws ThreadStartError naming
  /// `what` (for example "worker thread 38 of 600") and the system's reason; the threads already
  /// started keep running until join().
  template <class Body>
  void start(Body&& body, const std::string& what) {
    try {
      threads_.emplace_back(std::forward<Body>(body));
    } catch (const std::system_error& e) {
      throw ThreadStartError("cannot start " + what + ": " + reason(e) +
                             " (a limit on memory or processes; ask for fewer threads)");
    }
  }

  /// Makes room for `n` threads, so that starting them allocates nothing more.
  void reserve(std::size_t n) { threads_.reserve(n); }

  /// Waits for every thread started.
  void join() noexcept {
    for (std::thread& t : threads_) {
      if (t.joinable()) t.join();
    }
    threads_.clear();
  }

  [[nodiscard]] std::size_t size() const noexcept { return threads_.size(); }

 private:
  static std::string reason(const std::system_error& e) {
    // libstdc++ says "Resource temporarily unavailable" for EAGAIN, the usual cause.
    const std::string text = e.code().message();
    return text.empty() ? std::strerror(EAGAIN) : text;
  }

  std::vector<std::thread> threads_;
};

}  // namespace sim
