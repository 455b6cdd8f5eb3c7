#include "sim/cli/ranks.hpp"

#include "sim/error.hpp"
#include "sim/mpi/distributed.hpp"

namespace sim::cli {

namespace {

/// Runs `body` on rank 0 and broadcasts the code it returns; an exception is broadcast as its
/// exit code (2 for bad input, 1 otherwise) and rethrown. Other ranks return rank 0's code.
std::int64_t broadcast_outcome(const mpi::Session& session, const std::function<std::int64_t()>& body) {
  if (session.rank() != 0) return session.broadcast(std::int64_t{0});
  std::int64_t code = kExitFailure;
  try {
    code = body();
  } catch (const InputError&) {
    (void)session.broadcast(std::int64_t{kExitBadInput});
    throw;
  } catch (...) {
    (void)session.broadcast(std::int64_t{kExitFailure});
    throw;
  }
  return session.broadcast(code);
}

}  // namespace

std::int64_t root_prepares(const mpi::Session& session, const std::function<std::int64_t()>& prepare) {
  return broadcast_outcome(session, prepare);
}

int root_finishes(const mpi::Session& session, const std::function<int()>& finish) {
  return static_cast<int>(broadcast_outcome(session, [&] { return std::int64_t{finish()}; }));
}

int run_on_ranks(const mpi::Session& session, const Job& job, std::vector<std::uint32_t> todo,
                 std::uint32_t block, unsigned threads, BlockSink* sink,
                 std::function<void(std::uint64_t)> on_progress,
                 const std::function<int(const RunStats&)>& finish) {
  todo = session.broadcast(std::move(todo));
  block = static_cast<std::uint32_t>(session.broadcast(std::int64_t{block}));
  if (session.rank() != 0 && !todo.empty()) {
    const BlockLayout layout(job.schema, block);
    mpi::serve_as_worker(session, job, make_tasks(todo, job.replicates, block, job.key_offsets), layout,
                         threads);
  }
  return static_cast<int>(broadcast_outcome(session, [&]() -> std::int64_t {
    RunStats stats;
    if (!todo.empty()) {
      mpi::RankServer server(session);
      const RunOptions options{threads, block, std::move(on_progress),
                               session.distributed() ? &server : nullptr};
      stats = run_job(job, todo, *sink, options);
    }
    return finish(stats);
  }));
}

}  // namespace sim::cli
