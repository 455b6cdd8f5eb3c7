#include "sim/mpi/distributed.hpp"

#include <chrono>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "sim/util/interrupt.hpp"

#if LWSIM_HAVE_MPI
#include <mpi.h>
#endif

namespace sim::mpi {

#if LWSIM_HAVE_MPI

namespace {

// Message tags. A reply to worker thread w of a rank is sent with tag kReply + w, so that the
// threads of a rank receive their own answers.
constexpr int kRequest = 1;
constexpr int kResult = 2;
constexpr int kDone = 3;
constexpr int kReply = 1000;

// A block travels as a header of four 64-bit words followed by its buffer.
constexpr std::size_t kHeaderWords = 4;

void check(int code, const char* what) {
  if (code != MPI_SUCCESS) throw std::runtime_error(std::string("MPI failure in ") + what);
}

}  // namespace

void RankServer::serve(const WriterSide& side) {
  const int others = session_->size() - 1;
  int done = 0;
  bool stopping_since_set = false;
  auto stopping_since = std::chrono::steady_clock::now();
  std::vector<std::int64_t> message;
  while (done < others) {
    int flag = 0;
    MPI_Status status;
    check(MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status), "MPI_Iprobe");
    if (flag == 0) {
      // A rank that died never says it is done: once stopping, wait a little, then give up on it.
      if (side.stopping()) {
        if (!stopping_since_set) {
          stopping_since_set = true;
          stopping_since = std::chrono::steady_clock::now();
        } else if (std::chrono::steady_clock::now() - stopping_since > std::chrono::milliseconds(250)) {
          return;
        }
      }
      std::this_thread::sleep_for(std::chrono::microseconds(200));
      continue;
    }
    switch (status.MPI_TAG) {
      case kRequest: {
        std::int32_t worker = 0;
        check(
            MPI_Recv(&worker, 1, MPI_INT32_T, status.MPI_SOURCE, kRequest, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
            "receiving a request");
        std::int64_t task = -1;
        if (!side.stopping()) {
          const std::size_t t = side.next_task->fetch_add(1);
          if (t < side.task_count) task = static_cast<std::int64_t>(t);
        }
        check(MPI_Send(&task, 1, MPI_INT64_T, status.MPI_SOURCE, kReply + worker, MPI_COMM_WORLD),
              "replying");
        break;
      }
      case kResult: {
        int bytes = 0;
        check(MPI_Get_count(&status, MPI_BYTE, &bytes), "MPI_Get_count");
        message.resize(static_cast<std::size_t>(bytes) / sizeof(std::int64_t));
        check(MPI_Recv(message.data(), bytes, MPI_BYTE, status.MPI_SOURCE, kResult, MPI_COMM_WORLD,
                       MPI_STATUS_IGNORE),
              "receiving a block");
        BlockResult* block = side.acquire();
        block->point = static_cast<std::uint32_t>(message[0]);
        block->replicate_begin = static_cast<std::uint32_t>(message[1]);
        block->replicate_count = static_cast<std::uint32_t>(message[2]);
        block->invalid = message[3] != 0;
        block->storage.assign(message.begin() + kHeaderWords, message.end());
        if (block->storage.size() * sizeof(std::int64_t) != side.layout->bytes()) {
          throw std::runtime_error("a block from another rank has the wrong size (different lwsim builds?)");
        }
        side.deliver(block);
        break;
      }
      case kDone: {
        std::int32_t unused = 0;
        check(MPI_Recv(&unused, 1, MPI_INT32_T, status.MPI_SOURCE, kDone, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
              "receiving done");
        ++done;
        break;
      }
      default: throw std::runtime_error("unexpected MPI message");
    }
  }
}

namespace {

class RankChannel final : public TaskChannel {
 public:
  std::optional<std::size_t> next(unsigned worker) override {
    if (stop_requested()) return std::nullopt;
    const auto id = static_cast<std::int32_t>(worker);
    check(MPI_Send(&id, 1, MPI_INT32_T, 0, kRequest, MPI_COMM_WORLD), "requesting a task");
    std::int64_t task = -1;
    check(MPI_Recv(&task, 1, MPI_INT64_T, 0, kReply + id, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
          "receiving a task");
    if (task < 0) return std::nullopt;
    return static_cast<std::size_t>(task);
  }

  void deliver(unsigned /*worker*/, const BlockResult& block) override {
    thread_local std::vector<std::int64_t> message;
    message.resize(kHeaderWords + block.storage.size());
    message[0] = block.point;
    message[1] = block.replicate_begin;
    message[2] = block.replicate_count;
    message[3] = block.invalid ? 1 : 0;
    std::memcpy(message.data() + kHeaderWords, block.storage.data(),
                block.storage.size() * sizeof(std::int64_t));
    check(MPI_Send(message.data(), static_cast<int>(message.size() * sizeof(std::int64_t)), MPI_BYTE, 0,
                   kResult, MPI_COMM_WORLD),
          "sending a block");
  }
};

}  // namespace

void serve_as_worker(const Session& /*session*/, const Job& job, const std::vector<Task>& tasks,
                     const BlockLayout& layout, unsigned threads) {
  RankChannel channel;
  try {
    run_workers(job, tasks, layout, threads, channel);
  } catch (...) {
    const std::int32_t unused = 0;
    MPI_Send(&unused, 1, MPI_INT32_T, 0, kDone, MPI_COMM_WORLD);
    throw;
  }
  const std::int32_t unused = 0;
  check(MPI_Send(&unused, 1, MPI_INT32_T, 0, kDone, MPI_COMM_WORLD), "saying done");
}

#else

void RankServer::serve(const WriterSide& /*side*/) {}
void serve_as_worker(const Session& /*session*/, const Job& /*job*/, const std::vector<Task>& /*tasks*/,
                     const BlockLayout& /*layout*/, unsigned /*threads*/) {}

#endif

}  // namespace sim::mpi
