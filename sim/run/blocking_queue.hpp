#pragma once
// A first-in first-out queue whose pop waits for an item: the runner's hand-off of block buffers
// between worker threads and the writer. A mutex and a condition variable are all it needs (a
// block is milliseconds of work), and ThreadSanitizer can check them, which it cannot do for
// Debian's uninstrumented libtbb (docs/reliability.md).

#include <condition_variable>
#include <deque>
#include <mutex>

namespace sim {

template <class T>
class BlockingQueue {
 public:
  void push(T item) {
    {
      const std::lock_guard lock(mutex_);
      items_.push_back(std::move(item));
    }
    ready_.notify_one();
  }

  /// Waits until an item is there and takes the oldest.
  void pop(T& item) {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return !items_.empty(); });
    item = std::move(items_.front());
    items_.pop_front();
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<T> items_;
};

}  // namespace sim
