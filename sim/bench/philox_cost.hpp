#pragma once
// What the random bits alone cost, for `lwsim bench`'s floor ratio (docs/performance.md):
// nanoseconds per Philox4x32-10 call of sim::Stream's generator, measured in this process.

#include <cstdint>

namespace sim::bench {

/// Nanoseconds per call over `calls` calls, one call at a time as the model makes them.
double philox_ns_per_call(std::uint32_t calls, std::uint32_t seed);

}  // namespace sim::bench
