#include "sim/bench/philox_cost.hpp"

#include <chrono>
#include <stdexcept>

#include "sim/rng.hpp"

namespace sim::bench {

// The generator of sim::Stream (Random123's r123::Philox4x32) on a moving counter, as
// Stream::refill calls it, one call at a time: the four words of each call are folded into a
// value the compiler must compute before the next call (an empty asm statement hides it), so that
// it cannot vectorise across calls, which halves the time but is open only to code that draws in
// batches. (Not inlined, so that the loop compiles the same whatever surrounds it.)
[[gnu::noinline]] double philox_ns_per_call(std::uint32_t calls, std::uint32_t seed) {
  const Stream::Philox philox;
  const Stream::Philox::key_type key{{seed, 1U}};
  Stream::Philox::ctr_type counter{{7U, 11U, 13U, 0U}};
  // The same generator as the model's streams: the first call gives a stream's first four words.
  Stream stream(StreamKey{seed, 1U}, StreamId{7U, 11U, 13U});
  const Stream::Philox::ctr_type first = philox(counter, key);
  for (const std::uint32_t word : first.v) {
    if (stream.next_u32() != word)
      throw std::logic_error("lwsim bench: the timed generator is not sim::Stream's");
  }
  std::uint32_t folded = 0;
  const auto start = std::chrono::steady_clock::now();
  for (std::uint32_t c = 0; c < calls; ++c) {
    const Stream::Philox::ctr_type block = philox(counter, key);
    ++counter.v[3];
    folded ^= block.v[0] ^ block.v[1] ^ block.v[2] ^ block.v[3];
    asm volatile("" : "+r"(folded));
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  volatile std::uint32_t keep = folded;
  (void)keep;
  return seconds * 1e9 / calls;
}

}  // namespace sim::bench
