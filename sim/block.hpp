#pragma once
// The unit of work is (design point, block of replicates). A block's results travel from the
// worker that computed them to the single writer as one flat buffer, laid out by BlockLayout, so
// they can be pooled without allocation and sent between MPI ranks as bytes.

#include <cassert>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "sim/schema.hpp"

namespace sim {

/// Byte offsets of every field, accumulator and observable histogram inside a block buffer.
/// Fields are stored field-major: all replicates of field 0, then field 1, ..., so that each
/// field's values for the block are one contiguous hyperslab of the output dataset.
class BlockLayout {
 public:
  static constexpr std::uint32_t kMaxReplicates = 256;
  BlockLayout(const OutputSchema& schema, std::uint32_t max_replicates);

  [[nodiscard]] std::uint32_t max_replicates() const noexcept { return max_replicates_; }
  [[nodiscard]] std::size_t bytes() const noexcept { return bytes_; }
  [[nodiscard]] std::size_t field_offset(std::size_t f) const { return field_offset_[f]; }
  [[nodiscard]] std::size_t field_elements(std::size_t f) const { return field_elements_[f]; }
  [[nodiscard]] std::size_t field_element_size(std::size_t f) const { return field_size_[f]; }
  [[nodiscard]] std::size_t accumulator_offset(std::size_t a) const { return acc_offset_[a]; }
  [[nodiscard]] std::size_t accumulator_elements(std::size_t a) const { return acc_elements_[a]; }
  [[nodiscard]] double accumulator_scale(std::size_t a) const { return acc_scale_[a]; }
  [[nodiscard]] std::size_t histogram_offset(std::size_t o) const { return hist_offset_[o]; }
  [[nodiscard]] std::size_t histogram_bins(std::size_t o) const { return hist_bins_[o]; }
  [[nodiscard]] std::size_t observable_field(std::size_t o) const { return obs_field_[o]; }
  [[nodiscard]] std::size_t observable_element(std::size_t o) const { return obs_element_[o]; }
  [[nodiscard]] std::size_t field_count() const noexcept { return field_offset_.size(); }
  [[nodiscard]] std::size_t accumulator_count() const noexcept { return acc_offset_.size(); }
  [[nodiscard]] std::size_t observable_count() const noexcept { return hist_offset_.size(); }
  [[nodiscard]] DType field_type(std::size_t f) const { return field_type_[f]; }

 private:
  std::uint32_t max_replicates_;
  std::size_t bytes_ = 0;
  std::vector<std::size_t> field_offset_, field_elements_, field_size_;
  std::vector<DType> field_type_;
  std::vector<std::size_t> acc_offset_, acc_elements_;
  std::vector<double> acc_scale_;
  std::vector<std::size_t> hist_offset_, hist_bins_, obs_field_, obs_element_;
};

/// One block's results: which point and replicates, and the buffer.
struct BlockResult {
  std::uint32_t point = 0;
  std::uint32_t replicate_begin = 0;
  std::uint32_t replicate_count = 0;
  bool invalid = false;               // a model added NaN or an out-of-range value to an exact sum
  std::vector<std::int64_t> storage;  // 8-byte aligned bytes of BlockLayout::bytes()

  [[nodiscard]] std::byte* data() noexcept { return reinterpret_cast<std::byte*>(storage.data()); }
  [[nodiscard]] const std::byte* data() const noexcept {
    return reinterpret_cast<const std::byte*>(storage.data());
  }
  void reset(const BlockLayout& layout, std::uint32_t point_index, std::uint32_t begin, std::uint32_t count);
};

/// An exact running sum: values are rounded to multiples of 1/scale and added as integers, so
/// the total does not depend on the order of addition. A block holds at most 256 replicates, so
/// its 64-bit sums cannot overflow while each added |value| × scale stays below 2^54; a value
/// outside that bound, or NaN, marks the block invalid instead (the writer then stops the run
/// with an error). Sums across blocks are kept in 128 bits by the writer.
struct Accumulator {
  std::int64_t* sums = nullptr;
  double scale = 1.0;
  bool* invalid = nullptr;

  static constexpr double kLimit = 0x1.0p54;

  void add(std::size_t i, double value) const noexcept {
    const double scaled = value * scale;
    if (!(std::fabs(scaled) < kLimit)) {
      if (invalid != nullptr) *invalid = true;
      return;
    }
    sums[i] += std::llrint(scaled);
  }
  void add_count(std::size_t i, std::int64_t n) const noexcept { sums[i] += n; }
};

/// What a model writes for one replicate: its slot in each field, and the block's accumulators.
class ReplicateOutput {
 public:
  ReplicateOutput(const BlockLayout& layout, BlockResult& block, std::uint32_t slot)
      : layout_(&layout), block_(&block), slot_(slot) {}

  /// This replicate's elements of a field, of the type it was declared with.
  template <class T>
  [[nodiscard]] T* field(FieldId<T> f) const noexcept {
    assert(f.index() < layout_->field_count() && layout_->field_type(f.index()) == dtype_of<T>);
    return reinterpret_cast<T*>(block_->data() + layout_->field_offset(f.index()) +
                                slot_ * layout_->field_elements(f.index()) * sizeof(T));
  }
  [[nodiscard]] Accumulator accumulator(AccumulatorId a) const noexcept {
    assert(a.index() < layout_->accumulator_count());
    return {reinterpret_cast<std::int64_t*>(block_->data() + layout_->accumulator_offset(a.index())),
            layout_->accumulator_scale(a.index()), &block_->invalid};
  }
  [[nodiscard]] std::uint32_t replicate() const noexcept { return block_->replicate_begin + slot_; }

 private:
  const BlockLayout* layout_;
  BlockResult* block_;
  std::uint32_t slot_;
};

/// Reads the integer value of element `element` of a field for one replicate slot of a block.
std::int64_t read_integer_field(const BlockLayout& layout, const BlockResult& block, std::size_t f,
                                std::uint32_t slot, std::size_t element = 0);

}  // namespace sim
