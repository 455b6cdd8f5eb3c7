#pragma once
// Evaluating batches of design points whose values are decided as the computation goes (ABC
// generations, sensitivity designs): rank 0 decides, every rank computes. On one process it is a
// plain parallel run.

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/model.hpp"
#include "sim/mpi/session.hpp"
#include "sim/run/job.hpp"

namespace sim::cli {

/// Thrown by BatchEvaluator::evaluate when a stop was requested (SIGINT, SIGTERM) mid-batch: the
/// batch's results are incomplete and must not be used.
class BatchInterrupted : public std::runtime_error {
 public:
  BatchInterrupted() : std::runtime_error("interrupted") {}
};

class BatchEvaluator {
 public:
  /// `base` gives the model, setup, schema, base parameters and seed; `swept` the table indices of
  /// the parameters whose values each batch gives.
  BatchEvaluator(const mpi::Session& session, Job base, std::vector<std::size_t> swept, unsigned threads);

  /// On rank 0: simulates `replicates` replicates at each point (stream offsets as in
  /// Job::key_offsets; empty for common random numbers) and returns each point's summaries,
  /// keeping only the arrays named in `keep`.
  std::vector<PointSummary> evaluate(const std::vector<std::vector<double>>& values,
                                     const std::vector<std::uint32_t>& key_offsets, std::uint64_t replicates,
                                     const std::vector<std::string>& keep);
  /// On rank 0: tells the other ranks that no batch follows.
  void finish();
  /// On rank 0: runs `body` (the command's work, which returns its exit code), then finishes and
  /// gives every rank the code. An exception finishes too, gives the other ranks 2 (bad input) or
  /// 1, and is rethrown.
  int conclude(const std::function<int()>& body);
  /// On the other ranks: computes every batch rank 0 evaluates, until it finishes.
  void serve();

 private:
  Job job_for_batch(const std::vector<std::vector<double>>& values, std::vector<std::uint32_t> key_offsets,
                    std::uint64_t replicates) const;

  const mpi::Session* session_;
  Job base_;
  std::vector<std::size_t> swept_;
  unsigned threads_;
  bool finished_ = false;
};

}  // namespace sim::cli
