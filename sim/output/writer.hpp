#pragma once
// The single writer: receives finished blocks, writes their per-replicate fields straight into
// the file, adds their exact sums into the point they belong to, and when a point has all its
// replicates writes its summaries and marks it completed. Status marks are written only after
// the data they vouch for has reached the disk (checkpoints at most every `checkpoint_seconds`).

#include <chrono>
#include <cstdint>
#include <functional>
#include <unordered_map>
#include <vector>

#include "sim/block.hpp"
#include "sim/model.hpp"
#include "sim/output/layout.hpp"
#include "sim/output/result_file.hpp"
#include "sim/run/runner.hpp"

namespace sim::output {

/// The raw exact sums of one point (accumulators then observable histograms, in BlockLayout
/// order) and how many replicates they hold.
__extension__ typedef __int128 ExactSum;  // 128 bits: exact over any number of replicates

struct PointSums {
  std::uint64_t replicates = 0;
  std::vector<ExactSum> sums;
};

/// Turns a point's exact sums into its summaries: means and conditional means of accumulators,
/// distributions of observables, and P(observable = observed) with its Monte Carlo error.
/// With `only` non-empty, just the arrays it names are computed.
PointSummary summarise(const OutputSchema& schema, const BlockLayout& layout, const PointSums& sums,
                       const Observation* observed, const std::vector<std::string>& only = {});

/// Writes a point's summaries to the file (the summary datasets of `file_layout`).
void write_summary(ResultFile& file, const FileLayout& file_layout, std::uint32_t point,
                   const PointSummary& summary);

class ResultWriter final : public BlockSink {
 public:
  using PointCallback = std::function<void(std::uint32_t point, const PointSummary& summary)>;

  /// `blocks` must be the layout of the blocks the runner produces (same block length). With no
  /// file, only the summaries are computed (and passed to `on_point`).
  ResultWriter(ResultFile* file, const FileLayout& file_layout, const OutputSchema& schema,
               const BlockLayout& blocks, std::uint64_t replicates, const Observation* observed,
               PointCallback on_point, double checkpoint_seconds = 2.0);

  void consume(const BlockResult& block) override;
  void finish() override;

  [[nodiscard]] std::uint64_t points_completed() const noexcept { return points_completed_; }
  /// Computes only these summaries (for callers that read a few and write no file).
  void restrict_summaries(std::vector<std::string> paths) { only_ = std::move(paths); }

 private:
  void checkpoint();

  ResultFile* file_;
  const FileLayout* file_layout_;
  const OutputSchema* schema_;
  const BlockLayout* layout_;
  std::uint64_t replicates_;
  const Observation* observed_;
  PointCallback on_point_;
  std::chrono::duration<double> checkpoint_interval_;
  std::chrono::steady_clock::time_point last_checkpoint_;
  std::unordered_map<std::uint32_t, PointSums> open_points_;
  std::vector<std::uint32_t> pending_status_;
  std::vector<std::string> only_;
  std::uint64_t points_completed_ = 0;
};

}  // namespace sim::output
