#pragma once
// Commands that run across MPI ranks follow one pattern: every rank reads the inputs; rank 0
// prepares the output and says whether it could; every rank computes; rank 0 finishes the output
// and tells the others how the command ended. These helpers keep that pattern in one place.

#include <cstdint>
#include <functional>
#include <vector>

#include "sim/mpi/session.hpp"
#include "sim/run/runner.hpp"

namespace sim::cli {

/// Verdict codes rank 0 broadcasts after preparing: go on, or stop with an exit code.
inline constexpr std::int64_t kProceed = -1;

/// On rank 0 runs `prepare`, which returns kProceed or an exit code, and broadcasts the result
/// (an exception is broadcast as its exit code, then rethrown). On other ranks returns rank 0's
/// verdict.
std::int64_t root_prepares(const mpi::Session& session, const std::function<std::int64_t()>& prepare);

/// Runs `todo` points of `job` on every rank: rank 0 with `sink` and `on_progress`, the others
/// as workers for rank 0 (`todo` and `block` are taken from rank 0). Then rank 0 runs `finish`
/// with its statistics and broadcasts the exit code it returns (a failure on rank 0, during the
/// run or after, is broadcast as exit code 1 and rethrown). Returns the exit code on every rank.
int run_on_ranks(const mpi::Session& session, const Job& job, std::vector<std::uint32_t> todo,
                 std::uint32_t block, unsigned threads, BlockSink* sink,
                 std::function<void(std::uint64_t)> on_progress,
                 const std::function<int(const RunStats&)>& finish);

/// On rank 0 runs `finish` (returning the command's exit code) and broadcasts the code (an
/// exception as its exit code, then rethrown); on other ranks returns rank 0's code.
int root_finishes(const mpi::Session& session, const std::function<int()>& finish);

}  // namespace sim::cli
