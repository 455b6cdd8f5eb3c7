#include "sim/run/runner.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <tbb/global_control.h>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "sim/error.hpp"
#include "sim/run/blocking_queue.hpp"
#include "sim/run/thread_group.hpp"
#include "sim/util/interrupt.hpp"

namespace sim {

unsigned resolve_threads(unsigned requested) {
  if (requested > 0) return requested;
  // Under Slurm, the CPUs given to each task; under mpirun, the cores shared among the ranks on
  // this node; otherwise every core.
  const auto from_env = [](const char* name) -> unsigned {
    const char* value = std::getenv(name);
    if (value == nullptr) return 0;
    const long n = std::strtol(value, nullptr, 10);
    return n > 0 && n <= kMaxThreads ? static_cast<unsigned>(n) : 0U;
  };
  if (const unsigned slurm = from_env("SLURM_CPUS_PER_TASK")) return slurm;
  const unsigned hw = std::max(1U, std::thread::hardware_concurrency());
  const unsigned local_ranks = std::max(1U, from_env("OMPI_COMM_WORLD_LOCAL_SIZE"));
  return std::clamp(hw / local_ranks, 1U, kMaxThreads);
}

std::vector<Task> make_tasks(const std::vector<std::uint32_t>& points, std::uint64_t replicates,
                             std::uint32_t block, const std::vector<std::uint32_t>& key_offsets) {
  std::vector<Task> tasks;
  for (std::uint32_t p : points) {
    const std::uint32_t offset = key_offsets.empty() ? 0U : key_offsets.at(p);
    for (std::uint64_t begin = 0; begin < replicates; begin += block) {
      const auto count = static_cast<std::uint32_t>(std::min<std::uint64_t>(block, replicates - begin));
      tasks.push_back({p, static_cast<std::uint32_t>(begin), count, offset});
    }
  }
  return tasks;
}

std::uint32_t choose_block_size(const OutputSchema& schema, std::uint64_t replicates, std::size_t points,
                                unsigned threads) {
  constexpr std::uint32_t kMaxBlock = 256;
  constexpr std::size_t kMaxBlockBytes = std::size_t{8} << 20;
  // Enough blocks for every thread to have several when there are few points.
  const std::uint64_t wanted_blocks_per_point =
      points >= threads * 4U ? 1 : (threads * 8U + points - 1) / std::max<std::size_t>(points, 1);
  auto block = static_cast<std::uint32_t>(std::clamp<std::uint64_t>(
      (replicates + wanted_blocks_per_point - 1) / wanted_blocks_per_point, 1, kMaxBlock));
  while (block > 1 && BlockLayout(schema, block).bytes() > kMaxBlockBytes) block /= 2;
  return block;
}

namespace {

/// Simulates the replicate of one slot of a block and counts its observables.
void run_slot(const Simulation& simulation, const BlockLayout& layout, const Task& task, std::uint32_t slot,
              std::uint32_t seed, Workspace& workspace, BlockResult& block) {
  const ReplicateOutput out(layout, block, slot);
  try {
    simulation.run_replicate(StreamKey{seed, task.key_offset + task.replicate_begin + slot}, out, workspace);
  } catch (const InvariantError& e) {
    throw InvariantError(fmt::format("--check: point {}, replicate {}: {}", task.point,
                                     task.replicate_begin + slot, e.what()));
  }
  for (std::size_t o = 0; o < layout.observable_count(); ++o) {
    const std::int64_t value =
        read_integer_field(layout, block, layout.observable_field(o), slot, layout.observable_element(o));
    const auto bins = static_cast<std::int64_t>(layout.histogram_bins(o));
    const std::int64_t bin = std::clamp<std::int64_t>(value, 0, bins - 1);
    auto* hist = reinterpret_cast<std::int64_t*>(block.data() + layout.histogram_offset(o));
    ++hist[bin];
  }
}

}  // namespace

void run_block(const Simulation& simulation, const BlockLayout& layout, const Task& task, std::uint32_t seed,
               Workspace& workspace, BlockResult& block) {
  block.reset(layout, task.point, task.replicate_begin, task.replicate_count);
  for (std::uint32_t slot = 0; slot < task.replicate_count; ++slot) {
    run_slot(simulation, layout, task, slot, seed, workspace, block);
  }
}

namespace {

struct ThreadState {
  std::uint32_t point = UINT32_MAX;
  std::size_t particle = SIZE_MAX;  // with a posterior: the particle `simulation` was prepared for
  std::unique_ptr<const Simulation> simulation;
  std::unique_ptr<Workspace> workspace;
};

}  // namespace

namespace {

/// Runs `threads` worker threads, each calling `work(worker, state)` once, and waits for them.
/// Each worker runs one long loop over a shared task counter, so a task scheduler would add
/// nothing; plain threads (and BlockingQueue) also let ThreadSanitizer check every hand-off,
/// which it cannot do inside Debian's uninstrumented libtbb. `work` must not throw: both callers
/// catch everything and pass it on. When a thread cannot start, `stop()` tells the workers already
/// running to finish, they are joined, and ThreadStartError goes up.
template <class Work, class Stop>
void run_threads(unsigned threads, Work&& work, Stop&& stop) {
  // A model may step one large replicate in parallel (TBB, inside a worker): at most `threads`
  // threads in all take part in it.
  tbb::global_control control(tbb::global_control::max_allowed_parallelism, threads);
  std::vector<ThreadState> state(threads);
  ThreadGroup pool;
  pool.reserve(threads);
  try {
    for (unsigned w = 0; w < threads; ++w)
      pool.start([&, w] { work(w, state[w]); }, fmt::format("worker thread {} of {}", w + 1, threads));
  } catch (const ThreadStartError&) {
    stop();
    pool.join();
    throw;
  }
  pool.join();
}

void prepare_point(const Job& job, const Task& task, ThreadState& local) {
  if (local.point != task.point || !local.simulation) {
    local.simulation = job.model->prepare(job.setup, job.point_params(task.point));
    local.point = task.point;
    local.particle = SIZE_MAX;
    if (!local.workspace) local.workspace = local.simulation->make_workspace();
    local.workspace->check_invariants = job.check_invariants;
  }
}

/// Simulates one task's block. With a posterior, every replicate runs with the parameters of the
/// particle it draws (the simulation is prepared again when the particle changes) and records it.
void run_task(const Job& job, const BlockLayout& layout, const Task& task, ThreadState& local,
              BlockResult& block) {
  if (!job.posterior) {
    prepare_point(job, task, local);
    run_block(*local.simulation, layout, task, job.seed, *local.workspace, block);
    return;
  }
  const Posterior& posterior = *job.posterior;
  block.reset(layout, task.point, task.replicate_begin, task.replicate_count);
  for (std::uint32_t slot = 0; slot < task.replicate_count; ++slot) {
    const std::size_t particle = posterior.draw(std::uint64_t{task.replicate_begin} + slot);
    if (local.point != task.point || local.particle != particle || !local.simulation) {
      local.simulation = job.model->prepare(job.setup, job.replicate_params(task.point, particle));
      local.point = task.point;
      local.particle = particle;
      if (!local.workspace) local.workspace = local.simulation->make_workspace();
      local.workspace->check_invariants = job.check_invariants;
    }
    run_slot(*local.simulation, layout, task, slot, job.seed, *local.workspace, block);
    const ReplicateOutput out(layout, block, slot);
    *out.field(posterior.particle_field) = static_cast<std::int32_t>(particle);
    out.accumulator(posterior.draws).add_count(particle, 1);
    for (const Posterior::ObservableSums& sums : posterior.sums) {
      const std::int64_t value = read_integer_field(layout, block, layout.observable_field(sums.observable),
                                                    slot, layout.observable_element(sums.observable));
      out.accumulator(sums.sum).add_count(particle, value);
      out.accumulator(sums.sum_of_squares).add_count(particle, value * value);
    }
  }
}

}  // namespace

void run_workers(const Job& job, const std::vector<Task>& tasks, const BlockLayout& layout, unsigned threads,
                 TaskChannel& channel) {
  std::exception_ptr error;
  std::mutex error_mutex;
  std::atomic<bool> failed{false};
  run_threads(
      threads,
      [&](unsigned worker, ThreadState& local) {
        BlockResult block;
        try {
          while (!failed.load(std::memory_order_relaxed)) {
            const std::optional<std::size_t> t = channel.next(worker);
            if (!t || *t >= tasks.size()) break;
            run_task(job, layout, tasks[*t], local, block);
            channel.deliver(worker, block);
          }
        } catch (...) {
          std::lock_guard lock(error_mutex);
          if (!error) error = std::current_exception();
          failed.store(true);
        }
      },
      [&] { failed.store(true); });
  if (error) std::rethrow_exception(error);
}

RunStats run_job(const Job& job, const std::vector<std::uint32_t>& points, BlockSink& sink,
                 const RunOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  RunStats stats;
  stats.threads = resolve_threads(options.threads);
  const unsigned threads = stats.threads;
  const std::uint32_t block_size =
      options.block > 0 ? options.block
                        : choose_block_size(job.schema, job.replicates, points.size(), threads);
  const BlockLayout layout(job.schema, block_size);
  const std::vector<Task> tasks = make_tasks(points, job.replicates, block_size, job.key_offsets);

  // Buffers circulate between a free pool and the writer's queue; at most `capacity` exist.
  const std::size_t capacity =
      2 * static_cast<std::size_t>(threads) + 2 + (options.remote != nullptr ? 4 : 0);
  std::vector<std::unique_ptr<BlockResult>> buffers;
  BlockingQueue<BlockResult*> free_pool;
  BlockingQueue<BlockResult*> to_writer;
  for (std::size_t i = 0; i < capacity; ++i) {
    buffers.push_back(std::make_unique<BlockResult>());
    free_pool.push(buffers.back().get());
  }

  std::atomic<std::size_t> next_task{0};
  std::atomic<bool> failed{false};
  std::exception_ptr worker_error;
  std::exception_ptr writer_error;
  std::exception_ptr remote_error;
  std::mutex error_mutex;
  std::atomic<std::uint64_t> philox_calls{0};
  std::atomic<std::uint64_t> replicates_done{0};

  ThreadGroup writer;
  writer.start(
      [&] {
        std::uint64_t done = 0;
        for (;;) {
          BlockResult* block = nullptr;
          to_writer.pop(block);
          if (block == nullptr) break;
          if (!failed.load()) {
            try {
              sink.consume(*block);
              done += block->replicate_count;
              replicates_done.store(done);
              if (options.on_progress) options.on_progress(done);
            } catch (...) {
              writer_error = std::current_exception();
              failed.store(true);
            }
          }
          free_pool.push(block);
        }
        try {
          if (!failed.load()) sink.finish();
        } catch (...) {
          if (!writer_error) writer_error = std::current_exception();
          failed.store(true);
        }
      },
      "the writer thread");

  // From here on the writer gets its end-of-work marker before it is joined, whatever happens:
  // a thread that cannot start, or an error, stops the workers and the server first.
  ThreadGroup server;
  const auto compute = [&] {
    if (options.remote != nullptr) {
      WriterSide side;
      side.next_task = &next_task;
      side.task_count = tasks.size();
      side.layout = &layout;
      side.acquire = [&] {
        BlockResult* b = nullptr;
        free_pool.pop(b);
        return b;
      };
      side.deliver = [&](BlockResult* b) { to_writer.push(b); };
      side.stopping = [&] { return failed.load() || stop_requested(); };
      server.start(
          [&, side] {
            try {
              options.remote->serve(side);
            } catch (...) {
              std::lock_guard lock(error_mutex);
              remote_error = std::current_exception();
              failed.store(true);
            }
          },
          "the thread that serves the other ranks");
    }

    run_threads(
        threads,
        [&](unsigned, ThreadState& local) {
          std::uint64_t calls_before = local.workspace ? local.workspace->philox_calls() : 0;
          try {
            for (;;) {
              if (failed.load(std::memory_order_relaxed) || stop_requested()) break;
              const std::size_t t = next_task.fetch_add(1);
              if (t >= tasks.size()) break;
              const Task& task = tasks[t];
              BlockResult* block = nullptr;
              free_pool.pop(block);
              const bool fresh = !local.workspace;
              if (fresh && !job.posterior) {
                prepare_point(job, task, local);
                calls_before = local.workspace->philox_calls();
              }
              run_task(job, layout, task, local, *block);
              to_writer.push(block);
            }
          } catch (...) {
            std::lock_guard lock(error_mutex);
            if (!worker_error) worker_error = std::current_exception();
            failed.store(true);
          }
          if (local.workspace) philox_calls += local.workspace->philox_calls() - calls_before;
        },
        [&] { failed.store(true); });
  };
  std::exception_ptr start_error;
  try {
    compute();
  } catch (...) {
    start_error = std::current_exception();
    failed.store(true);
  }
  server.join();
  to_writer.push(nullptr);
  writer.join();

  if (start_error) std::rethrow_exception(start_error);

  if (worker_error) std::rethrow_exception(worker_error);
  if (writer_error) std::rethrow_exception(writer_error);
  if (remote_error) std::rethrow_exception(remote_error);
  const std::size_t started = std::min(next_task.load(), tasks.size());
  std::uint64_t expected = 0;
  for (std::size_t i = 0; i < started; ++i) expected += tasks[i].replicate_count;
  stats.interrupted =
      stop_requested() && (next_task.load() < tasks.size() || replicates_done.load() < expected);
  stats.philox_calls = philox_calls.load();
  stats.replicates_run = replicates_done.load();
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return stats;
}

}  // namespace sim
