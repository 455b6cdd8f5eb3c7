#pragma once
// A job across MPI ranks: rank 0 hands out task numbers on request, one at a time, so that uneven
// points never leave a rank idle while work remains, and receives every finished block for its
// single writer. The blocks are the same bytes whichever rank computed them, so the output is
// byte-identical to a single process's.

#include <vector>

#include "sim/mpi/session.hpp"
#include "sim/run/runner.hpp"

namespace sim::mpi {

/// Rank 0's service to the other ranks (RunOptions::remote).
class RankServer final : public RemoteWorkers {
 public:
  explicit RankServer(const Session& session) : session_(&session) {}
  void serve(const WriterSide& side) override;

 private:
  const Session* session_;
};

/// What a rank other than 0 does: computes the tasks rank 0 hands it until there are none left.
void serve_as_worker(const Session& session, const Job& job, const std::vector<Task>& tasks,
                     const BlockLayout& layout, unsigned threads);

}  // namespace sim::mpi
