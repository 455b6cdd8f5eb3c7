#include "sim/cli/ranks.hpp"

#include "sim/error.hpp"
#include "sim/mpi/distributed.hpp"

namespace sim::cli {

std::int64_t root_prepares(const mpi::Session& session, const std::function<std::int64_t()>& prepare) {
  if (session.rank() != 0) return session.broadcast(std::int64_t{0});
  std::int64_t verdict = kProceed;
  try {
    verdict = prepare();
  } catch (const InputError&) {
    (void)session.broadcast(std::int64_t{kExitBadInput});
    throw;
  } catch (...) {
    (void)session.broadcast(std::int64_t{kExitFailure});
    throw;
  }
  return session.broadcast(verdict);
}

int run_on_ranks(const mpi::Session& session, const Job& job, std::vector<std::uint32_t> todo,
                 std::uint32_t block, unsigned threads, BlockSink* sink,
                 std::function<void(std::uint64_t)> on_progress,
                 const std::function<int(const RunStats&)>& finish) {
  todo = session.broadcast(std::move(todo));
  block = static_cast<std::uint32_t>(session.broadcast(std::int64_t{block}));
  if (session.rank() != 0) {
    if (!todo.empty()) {
      const BlockLayout layout(job.schema, block);
      mpi::serve_as_worker(session, job, make_tasks(todo, job.replicates, block), layout, threads);
    }
    return static_cast<int>(session.broadcast(std::int64_t{0}));
  }
  int code = kExitFailure;
  try {
    RunStats stats;
    if (!todo.empty()) {
      mpi::RankServer server(session);
      const RunOptions options{threads, block, std::move(on_progress),
                               session.distributed() ? &server : nullptr};
      stats = run_job(job, todo, *sink, options);
    }
    code = finish(stats);
  } catch (const InputError&) {
    (void)session.broadcast(std::int64_t{kExitBadInput});
    throw;
  } catch (...) {
    (void)session.broadcast(std::int64_t{kExitFailure});
    throw;
  }
  return static_cast<int>(session.broadcast(std::int64_t{code}));
}

int root_finishes(const mpi::Session& session, const std::function<int()>& finish) {
  if (session.rank() != 0) return static_cast<int>(session.broadcast(std::int64_t{0}));
  int code = kExitFailure;
  try {
    code = finish();
  } catch (const InputError&) {
    (void)session.broadcast(std::int64_t{kExitBadInput});
    throw;
  } catch (...) {
    (void)session.broadcast(std::int64_t{kExitFailure});
    throw;
  }
  return static_cast<int>(session.broadcast(std::int64_t{code}));
}

}  // namespace sim::cli
