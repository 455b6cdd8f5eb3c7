#include "sim/output/writer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

namespace sim::output {

namespace {
std::size_t sums_base(const BlockLayout& layout) {
  if (layout.accumulator_count() > 0) return layout.accumulator_offset(0);
  if (layout.observable_count() > 0) return layout.histogram_offset(0);
  return layout.bytes();
}
}  // namespace

PointSummary summarise(const OutputSchema& schema, const BlockLayout& layout, const PointSums& sums,
                       const Observation* observed, const std::vector<std::string>& only) {
  const auto wanted = [&](const std::string& path) {
    return only.empty() || std::find(only.begin(), only.end(), path) != only.end();
  };
  PointSummary out;
  out.replicates = sums.replicates;
  const auto replicates = static_cast<double>(sums.replicates);
  const std::size_t base = sums_base(layout);
  const auto raw = [&](std::size_t byte_offset) {
    return sums.sums.data() + (byte_offset - base) / sizeof(std::int64_t);
  };
  for (std::size_t a = 0; a < schema.accumulators.size(); ++a) {
    const AccumulatorSpec& spec = schema.accumulators[a];
    if (!wanted(spec.path)) continue;
    const std::size_t n = layout.accumulator_elements(a);
    const ExactSum* values = raw(layout.accumulator_offset(a));
    const double scale = layout.accumulator_scale(a);
    std::vector<double> result(n);
    if (spec.denominator.empty()) {
      for (std::size_t i = 0; i < n; ++i) result[i] = static_cast<double>(values[i]) / scale / replicates;
    } else {
      const std::size_t d = schema.accumulator_index(spec.denominator);
      const std::size_t m = layout.accumulator_elements(d);
      const ExactSum* denominators = raw(layout.accumulator_offset(d));
      const double d_scale = layout.accumulator_scale(d);
      const std::size_t inner = n / m;
      for (std::size_t i = 0; i < n; ++i) {
        const double denominator = static_cast<double>(denominators[i / inner]) / d_scale;
        result[i] = denominator != 0.0 ? static_cast<double>(values[i]) / scale / denominator
                                       : std::numeric_limits<double>::quiet_NaN();
      }
    }
    out.arrays.emplace(spec.path, std::move(result));
  }
  for (std::size_t o = 0; o < schema.observables.size(); ++o) {
    const ObservableSpec& spec = schema.observables[o];
    if (!wanted(distribution_path(spec)) && !(observed != nullptr && spec.summarised)) continue;
    const std::size_t bins = layout.histogram_bins(o);
    const ExactSum* hist = raw(layout.histogram_offset(o));
    std::vector<double> distribution(bins);
    for (std::size_t v = 0; v < bins; ++v) distribution[v] = static_cast<double>(hist[v]) / replicates;
    if (observed != nullptr && spec.summarised && out.arrays.count(kObservedProbabilityPath) == 0) {
      if (const std::int64_t* value = observed->find(spec.name)) {
        const double p = (*value >= 0 && static_cast<std::size_t>(*value) < bins)
                             ? distribution[static_cast<std::size_t>(*value)]
                             : 0.0;
        out.arrays.emplace(kObservedProbabilityPath, std::vector<double>{p});
        out.arrays.emplace(kObservedErrorPath, std::vector<double>{std::sqrt(p * (1.0 - p) / replicates)});
      }
    }
    out.arrays.emplace(distribution_path(spec), std::move(distribution));
  }
  return out;
}

void write_summary(ResultFile& file, const FileLayout& file_layout, std::uint32_t point,
                   const PointSummary& summary) {
  for (const DatasetPlan& plan : file_layout.datasets) {
    if (plan.role != Role::summary) continue;
    const auto it = summary.arrays.find(plan.path);
    if (it == summary.arrays.end()) continue;
    file.write_point(plan.path, DType::f64, point, it->second.data());
  }
}

ResultWriter::ResultWriter(ResultFile* file, const FileLayout& file_layout, const OutputSchema& schema,
                           const BlockLayout& blocks, std::uint64_t replicates, const Observation* observed,
                           PointCallback on_point, double checkpoint_seconds)
    : file_(file),
      file_layout_(&file_layout),
      schema_(&schema),
      layout_(&blocks),
      replicates_(replicates),
      observed_(observed),
      on_point_(std::move(on_point)),
      checkpoint_interval_(checkpoint_seconds),
      last_checkpoint_(std::chrono::steady_clock::now()) {}

void ResultWriter::consume(const BlockResult& block) {
  const BlockLayout& layout = *layout_;
  for (std::size_t f = 0; f < schema_->fields.size() && file_ != nullptr; ++f) {
    file_->write_block(schema_->fields[f].path, schema_->fields[f].type, block.point, block.replicate_begin,
                       block.replicate_count, block.data() + layout.field_offset(f));
  }
  const std::size_t base = sums_base(layout);
  const auto* sums = reinterpret_cast<const std::int64_t*>(block.data() + base);
  const std::size_t n = (layout.bytes() - base) / sizeof(std::int64_t);
  if (block.invalid) {
    throw std::runtime_error(
        fmt::format("design point {}, replicates {} to {}: the model added a non-finite or out-of-range "
                    "value to an exact sum",
                    block.point, block.replicate_begin, block.replicate_begin + block.replicate_count - 1));
  }
  PointSums& point = open_points_[block.point];
  if (point.sums.empty()) point.sums.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) point.sums[i] += sums[i];
  point.replicates += block.replicate_count;
  if (point.replicates == replicates_) {
    const PointSummary summary = summarise(*schema_, layout, point, observed_, only_);
    if (file_ != nullptr) write_summary(*file_, *file_layout_, block.point, summary);
    if (on_point_) on_point_(block.point, summary);
    open_points_.erase(block.point);
    pending_status_.push_back(block.point);
    ++points_completed_;
  }
  if (std::chrono::steady_clock::now() - last_checkpoint_ >= checkpoint_interval_) checkpoint();
}

void ResultWriter::checkpoint() {
  // A file deleted under a running job (its directory removed) would swallow every result from
  // now on: stop instead of computing for nothing.
  if (file_ != nullptr) file_->check_not_deleted();
  if (file_ != nullptr && !pending_status_.empty()) {
    // Data first, to the disk; only then the marks that say it is complete.
    file_->flush_to_disk();
    const std::uint8_t one = 1;
    for (std::uint32_t p : pending_status_) file_->write_point(kStatusPath, DType::u8, p, &one);
    pending_status_.clear();
    file_->flush_to_disk();
  }
  last_checkpoint_ = std::chrono::steady_clock::now();
}

void ResultWriter::finish() {
  checkpoint();
}

}  // namespace sim::output
