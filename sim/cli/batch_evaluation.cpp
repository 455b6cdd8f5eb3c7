#include "sim/cli/batch_evaluation.hpp"

#include <cstring>

#include "sim/cli/ranks.hpp"
#include "sim/error.hpp"
#include "sim/output/layout.hpp"
#include "sim/output/writer.hpp"
#include "sim/run/runner.hpp"

namespace sim::cli {

namespace {
std::string pack(const std::vector<std::vector<double>>& values) {
  std::string out;
  for (const auto& row : values) {
    out.append(reinterpret_cast<const char*>(row.data()), row.size() * sizeof(double));
  }
  return out;
}
std::vector<std::vector<double>> unpack(const std::string& bytes, std::size_t columns) {
  const std::size_t rows = columns == 0 ? 0 : bytes.size() / sizeof(double) / columns;
  std::vector<std::vector<double>> out(rows, std::vector<double>(columns));
  for (std::size_t r = 0; r < rows; ++r) {
    std::memcpy(out[r].data(), bytes.data() + r * columns * sizeof(double), columns * sizeof(double));
  }
  return out;
}
}  // namespace

BatchEvaluator::BatchEvaluator(const mpi::Session& session, Job base, std::vector<std::size_t> swept,
                               unsigned threads)
    : session_(&session), base_(std::move(base)), swept_(std::move(swept)), threads_(threads) {}

Job BatchEvaluator::job_for_batch(const std::vector<std::vector<double>>& values,
                                  std::vector<std::uint32_t> key_offsets, std::uint64_t replicates) const {
  Job job = base_;
  job.swept = swept_;
  job.values = values;
  job.point_count = values.size();
  job.replicates = replicates;
  job.key_offsets = std::move(key_offsets);
  return job;
}

std::vector<PointSummary> BatchEvaluator::evaluate(const std::vector<std::vector<double>>& values,
                                                   const std::vector<std::uint32_t>& key_offsets,
                                                   std::uint64_t replicates,
                                                   const std::vector<std::string>& keep) {
  (void)session_->broadcast(std::int64_t{1});
  (void)session_->broadcast(static_cast<std::int64_t>(replicates));
  (void)session_->broadcast(pack(values));
  (void)session_->broadcast(key_offsets);
  const Job job = job_for_batch(values, key_offsets, replicates);
  std::vector<std::uint32_t> points(values.size());
  for (std::uint32_t p = 0; p < points.size(); ++p) points[p] = p;
  const std::uint32_t block = choose_block_size(job.schema, replicates, points.size(), threads_);
  const BlockLayout blocks(job.schema, block);
  output::DesignInfo design;
  design.points = values.size();
  const output::FileLayout layout = output::make_layout(job.schema, design, replicates, nullptr);
  std::vector<PointSummary> summaries(values.size());
  output::ResultWriter writer(nullptr, layout, job.schema, blocks, replicates, nullptr,
                              [&](std::uint32_t point, const PointSummary& summary) {
                                PointSummary& kept = summaries[point];
                                kept.replicates = summary.replicates;
                                for (const std::string& path : keep) kept.arrays[path] = summary.at(path);
                              });
  writer.restrict_summaries(keep);
  bool interrupted = false;
  run_on_ranks(*session_, job, points, block, threads_, &writer, {}, [&](const RunStats& stats) {
    interrupted = stats.interrupted;
    return 0;
  });
  if (interrupted) throw BatchInterrupted();
  return summaries;
}

void BatchEvaluator::finish() {
  if (finished_) return;
  finished_ = true;
  (void)session_->broadcast(std::int64_t{0});
}

int BatchEvaluator::conclude(const std::function<int()>& body) {
  std::int64_t code = kExitFailure;
  try {
    code = body();
  } catch (const InputError&) {
    finish();
    (void)session_->broadcast(std::int64_t{kExitBadInput});
    throw;
  } catch (...) {
    finish();
    (void)session_->broadcast(std::int64_t{kExitFailure});
    throw;
  }
  finish();
  return static_cast<int>(session_->broadcast(code));
}

void BatchEvaluator::serve() {
  for (;;) {
    if (session_->broadcast(std::int64_t{0}) == 0) return;
    const auto replicates = static_cast<std::uint64_t>(session_->broadcast(std::int64_t{0}));
    const auto values = unpack(session_->broadcast(std::string()), swept_.size());
    const auto offsets = session_->broadcast(std::vector<std::uint32_t>());
    const Job job = job_for_batch(values, offsets, replicates);
    run_on_ranks(*session_, job, {}, 1, threads_, nullptr, {}, [](const RunStats&) { return 0; });
  }
}

}  // namespace sim::cli
