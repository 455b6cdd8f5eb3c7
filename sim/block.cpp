#include "sim/block.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace sim {
namespace {
std::size_t round_up8(std::size_t n) {
  return (n + 7) / 8 * 8;
}
}  // namespace

BlockLayout::BlockLayout(const OutputSchema& schema, std::uint32_t max_replicates)
    : max_replicates_(max_replicates) {
  if (max_replicates == 0 || max_replicates > kMaxReplicates) {
    throw std::logic_error("a block holds 1 to 256 replicates");
  }
  std::size_t offset = 0;
  for (const FieldSpec& f : schema.fields) {
    const std::size_t n = schema.elements(f.dims);
    field_offset_.push_back(offset);
    field_elements_.push_back(n);
    field_size_.push_back(dtype_size(f.type));
    field_type_.push_back(f.type);
    offset = round_up8(offset + n * dtype_size(f.type) * max_replicates);
  }
  for (const AccumulatorSpec& a : schema.accumulators) {
    const std::size_t n = schema.elements(a.dims);
    acc_offset_.push_back(offset);
    acc_elements_.push_back(n);
    acc_scale_.push_back(std::ldexp(1.0, a.fraction_bits));
    offset += n * sizeof(std::int64_t);
  }
  for (const ObservableSpec& o : schema.observables) {
    hist_offset_.push_back(offset);
    hist_bins_.push_back(static_cast<std::size_t>(o.max_value) + 1);
    obs_field_.push_back(schema.field_index(o.field));
    obs_element_.push_back(o.element);
    offset += (static_cast<std::size_t>(o.max_value) + 1) * sizeof(std::int64_t);
  }
  bytes_ = offset;
}

void BlockResult::reset(const BlockLayout& layout, std::uint32_t point_index, std::uint32_t begin,
                        std::uint32_t count) {
  point = point_index;
  replicate_begin = begin;
  replicate_count = count;
  invalid = false;
  storage.assign(layout.bytes() / sizeof(std::int64_t), 0);
}

std::int64_t read_integer_field(const BlockLayout& layout, const BlockResult& block, std::size_t f,
                                std::uint32_t slot, std::size_t element) {
  const std::byte* p = block.data() + layout.field_offset(f) +
                       (slot * layout.field_elements(f) + element) * layout.field_element_size(f);
  switch (layout.field_type(f)) {
    case DType::u8: {
      std::uint8_t v;
      std::memcpy(&v, p, 1);
      return v;
    }
    case DType::i16: {
      std::int16_t v;
      std::memcpy(&v, p, 2);
      return v;
    }
    case DType::i32: {
      std::int32_t v;
      std::memcpy(&v, p, 4);
      return v;
    }
    case DType::i64: {
      std::int64_t v;
      std::memcpy(&v, p, 8);
      return v;
    }
    case DType::f32:
    case DType::f64: break;
  }
  return 0;
}

}  // namespace sim
