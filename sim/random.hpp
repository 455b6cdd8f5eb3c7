#pragma once
// Distributions drawn from a sim::Stream. Each documents how many 32-bit words it consumes, since
// draws per practice-week are part of lwsim's performance accounting (docs/performance.md).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>

#include "sim/rng.hpp"

namespace sim::random {

/// Uniform on [0, 1) with 53 random bits (two words). r123's u01 from 64 bits can return 1.0,
/// so the double is built here from the top 53 bits.
inline double uniform(Stream& s) noexcept {
  const std::uint64_t hi = s.next_u32();
  const std::uint64_t lo = s.next_u32();
  const std::uint64_t bits = ((hi << 32) | lo) >> 11;
  return static_cast<double>(bits) * 0x1.0p-53;
}

/// Uniform on (0, 1], safe to take the logarithm of (two words).
inline double uniform_positive(Stream& s) noexcept {
  return 1.0 - uniform(s);
}

/// Uniform on (0, 1) from one word: (k + 0.5) / 2^32. Enough resolution for comparisons and
/// inversions of smooth distributions, at half the cost of uniform().
inline double uniform32(Stream& s) noexcept {
  return (static_cast<double>(s.next_u32()) + 0.5) * 0x1.0p-32;
}

/// Threshold t such that P(word < t) = p, to 2^-32 (p ≤ 0 never, p ≥ 1 always).
inline std::uint64_t threshold(double p) noexcept {
  if (!(p > 0.0)) return 0;
  if (p >= 1.0) return std::uint64_t{1} << 32;
  return static_cast<std::uint64_t>(p * 0x1.0p32);
}

/// True with probability p (one word).
inline bool bernoulli(Stream& s, double p) noexcept {
  return s.next_u32() < threshold(p);
}

/// Exponential waiting time with the given rate (two words). Inverse transform, so that with
/// common random numbers a higher rate always gives an earlier event.
inline double exponential(Stream& s, double rate) noexcept {
  return -std::log(uniform_positive(s)) / rate;
}

/// Uniform integer in [0, n) for n ≥ 1 (Lemire's multiply-and-reject; one word, rarely more).
inline std::uint32_t index(Stream& s, std::uint32_t n) noexcept {
  std::uint64_t m = std::uint64_t{s.next_u32()} * n;
  auto low = static_cast<std::uint32_t>(m);
  if (low < n) {
    const std::uint32_t reject_below = (0U - n) % n;
    while (low < reject_below) {
      m = std::uint64_t{s.next_u32()} * n;
      low = static_cast<std::uint32_t>(m);
    }
  }
  return static_cast<std::uint32_t>(m >> 32);
}

/// Standard normal by the Box–Muller transform (four words; the second variate is discarded so
/// that each call is a pure function of its words).
inline double normal(Stream& s) noexcept {
  const double u1 = uniform_positive(s);
  const double u2 = uniform(s);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

/// Gamma(shape, scale = 1) by Marsaglia and Tsang (2000); shape < 1 by the boost
/// Gamma(shape + 1) · U^(1/shape).
double gamma(Stream& s, double shape) noexcept;

/// Beta(a, b) from two gamma variates.
double beta(Stream& s, double a, double b) noexcept;

/// Poisson(mean): sequential inversion with one uniform for mean < 10, Hörmann's PTRS
/// transformed rejection (1993) above.
std::uint32_t poisson(Stream& s, double mean) noexcept;

/// Binomial(n, p): sequential inversion with one uniform when n·min(p, 1−p) < 10, Hörmann's
/// BTRD (1993) above.
std::uint32_t binomial(Stream& s, std::uint32_t n, double p) noexcept;

/// Binomial draws that remember the (1 − p)^n each inversion starts from, for callers that draw
/// many times with one p and small n (a fixed parameter against a count). The draws are exactly
/// those of binomial(s, n, p): the remembered values are the results of the same std::pow call,
/// so only the repeated pow calls are saved. It remembers n < kSize for the last p (≤ 1/2 after
/// the symmetry) it was given; a new p forgets them. 528 bytes, no allocation.
class BinomialMemo {
 public:
  static constexpr std::uint32_t kSize = 64;

  /// Binomial(n, p), the same value and the same words consumed as binomial(s, n, p).
  std::uint32_t operator()(Stream& s, std::uint32_t n, double p) noexcept;

 private:
  /// std::pow(1 − p, n), from memory when n < kSize and p is the remembered probability.
  double q_power(std::uint32_t n, double p) noexcept;

  double p_ = std::numeric_limits<double>::quiet_NaN();  // never equal to a p: starts empty
  std::uint64_t known_ = 0;                              // bit n: powers_[n] holds the value
  std::array<double, kSize> powers_{};
};

/// Geometric number of whole weeks ≥ 1 with the given mean (≥ 1), by inversion (two words).
std::uint32_t geometric_weeks(Stream& s, double mean) noexcept;

}  // namespace sim::random
