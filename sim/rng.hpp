#pragma once
// Counter-based random streams (docs/model.md §4.9). Philox4x32-10 (Random123) maps a 128-bit
// counter and a 64-bit key to 128 random bits with no state to carry between calls. lwsim keys it
// with (seed, replicate) and puts (entity, time, purpose, block) in the counter, so every draw is a
// pure function of who draws, when and why. Nothing depends on which thread, rank or shard runs a
// replicate, or in what order, so results are bitwise identical for any of them. The design point
// is not part of the key: replicate r uses the same streams at every point (common random numbers).

#include <cstdint>

#include <Random123/philox.h>

namespace sim {

/// The key of all streams of one replicate.
struct StreamKey {
  std::uint32_t seed = 0;
  std::uint32_t replicate = 0;
};

/// Names one stream inside a replicate: which entity draws (a practice, a staff slot, a
/// locality...), at which time or event number, and for what purpose (a mechanism). Models
/// choose the numbering; each distinct triple is an independent stream.
struct StreamId {
  std::uint32_t entity = 0;
  std::uint32_t time = 0;
  std::uint32_t purpose = 0;
};

/// A sequence of random 32-bit words for one (key, stream id). Cheap to create: nothing is
/// computed until the first draw, and each Philox call yields four words.
class Stream {
 public:
  using Philox = r123::Philox4x32;  // 10 rounds

  /// `philox_calls`, when given, is incremented at every Philox call (for `lwsim bench`).
  Stream(StreamKey key, StreamId id, std::uint64_t* philox_calls = nullptr) noexcept
      : key_{{key.seed, key.replicate}},
        counter_{{id.entity, id.time, id.purpose, 0U}},
        calls_(philox_calls) {}

  /// The next 32 random bits.
  std::uint32_t next_u32() noexcept {
    if (used_ == 4) refill();
    return block_.v[used_++];
  }

  /// Number of Philox4x32-10 calls made so far by this stream.
  [[nodiscard]] std::uint32_t philox_calls() const noexcept { return counter_.v[3]; }

 private:
  void refill() noexcept {
    block_ = Philox()(counter_, key_);
    ++counter_.v[3];
    used_ = 0;
    if (calls_ != nullptr) ++*calls_;
  }

  Philox::key_type key_;
  Philox::ctr_type counter_;
  Philox::ctr_type block_{};
  std::uint64_t* calls_;
  unsigned used_ = 4;
};

}  // namespace sim
