#pragma once
// Runs a job's (point, replicate block) tasks on worker threads. Workers take tasks in order from
// a shared counter and pass each finished block through a queue to one writer thread (a fixed
// pool of block buffers bounds memory and makes the workers wait when the writer is behind), so
// workers never wait on I/O for long and memory stays bounded whatever the number of points and
// replicates (FLAME GPU's one-writer design). Results do not depend on the number of threads:
// every replicate's draws depend only on (seed, replicate) and its own counters, and every
// summary is an exact sum.

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "sim/block.hpp"
#include "sim/run/job.hpp"

namespace sim {

/// Receives finished blocks, one at a time, on the writer thread.
class BlockSink {
 public:
  virtual ~BlockSink() = default;
  virtual void consume(const BlockResult& block) = 0;
  /// Called once after the last block (also after a stop), on the writer thread.
  virtual void finish() = 0;
};

struct Task {
  std::uint32_t point = 0;
  std::uint32_t replicate_begin = 0;
  std::uint32_t replicate_count = 0;
  std::uint32_t key_offset = 0;  // added to the replicate number in the random-stream key
};

/// Splits the given points into blocks of at most `block` replicates, in point order. With
/// `key_offsets` (one per point of the job), replicate r of point p draws from the streams of
/// replicate key_offsets[p] + r: independent draws per point, as ABC needs, instead of the
/// common random numbers of a sweep.
std::vector<Task> make_tasks(const std::vector<std::uint32_t>& points, std::uint64_t replicates,
                             std::uint32_t block, const std::vector<std::uint32_t>& key_offsets = {});

/// A block size that gives every thread several blocks and keeps a block's buffer small.
std::uint32_t choose_block_size(const OutputSchema& schema, std::uint64_t replicates, std::size_t points,
                                unsigned threads);

/// The writer side's access to the run, for other processes that compute blocks (MPI ranks):
/// they take task numbers from the same counter and hand finished blocks to the same writer.
struct WriterSide {
  std::atomic<std::size_t>* next_task = nullptr;
  std::size_t task_count = 0;
  const BlockLayout* layout = nullptr;
  /// A free buffer (blocks while all are in use: back-pressure on remote workers).
  std::function<BlockResult*()> acquire;
  /// Passes a filled buffer to the writer.
  std::function<void(BlockResult*)> deliver;
  /// True once the run is stopping (signal or failure): hand out no more tasks.
  std::function<bool()> stopping;
};

/// Computes blocks elsewhere (other MPI ranks) while this process runs the writer.
class RemoteWorkers {
 public:
  virtual ~RemoteWorkers() = default;
  /// Serves the remote workers until all of them are done, on a thread of its own.
  virtual void serve(const WriterSide& side) = 0;
};

struct RunOptions {
  unsigned threads = 0;     // 0: all hardware threads
  std::uint32_t block = 0;  // replicates per block; 0: choose_block_size
  std::function<void(std::uint64_t replicates_done)> on_progress;  // writer thread
  RemoteWorkers* remote = nullptr;  // other ranks computing blocks of the same job
};

struct RunStats {
  std::uint64_t replicates_run = 0;
  std::uint64_t philox_calls = 0;
  double seconds = 0.0;
  bool interrupted = false;
  unsigned threads = 0;
};

/// Runs `points` of `job`, sending every block to `sink`. Stops early (RunStats::interrupted)
/// when stop_requested(); blocks already computed are still delivered. Exceptions from workers
/// or the sink are rethrown after all threads have stopped.
RunStats run_job(const Job& job, const std::vector<std::uint32_t>& points, BlockSink& sink,
                 const RunOptions& options);

/// Simulates one block into `block` (used by run_job and by MPI worker ranks).
void run_block(const Simulation& simulation, const BlockLayout& layout, const Task& task, std::uint32_t seed,
               Workspace& workspace, BlockResult& block);

/// Where a pool of worker threads gets its tasks and sends its blocks (an MPI worker rank).
class TaskChannel {
 public:
  virtual ~TaskChannel() = default;
  /// The next task number for worker thread `worker`, or nothing when the run is over.
  virtual std::optional<std::size_t> next(unsigned worker) = 0;
  /// Sends a finished block; the buffer may be reused when this returns.
  virtual void deliver(unsigned worker, const BlockResult& block) = 0;
};

/// Runs `threads` worker threads computing `tasks` of `job` as `channel` hands them out.
void run_workers(const Job& job, const std::vector<Task>& tasks, const BlockLayout& layout, unsigned threads,
                 TaskChannel& channel);

/// More worker threads than any node has cores is a typing error, and each costs a stack and block
/// buffers: `--threads` is refused beyond this, and a thread count from the environment is capped.
inline constexpr unsigned kMaxThreads = 4096;

/// `requested` threads, or when it is 0 the CPUs this process may use (Slurm's, MPI's share of the
/// node's, or every core), at most kMaxThreads.
unsigned resolve_threads(unsigned requested);

}  // namespace sim
