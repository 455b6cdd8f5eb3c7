#include "sim/random.hpp"

#include <array>
#include <limits>

namespace sim::random {

double gamma(Stream& s, double shape) noexcept {
  if (shape < 1.0) {
    const double u = uniform_positive(s);
    return gamma(s, shape + 1.0) * std::pow(u, 1.0 / shape);
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double x = 0.0;
    double v = 0.0;
    do {
      x = normal(s);
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = uniform_positive(s);
    if (u < 1.0 - 0.0331 * (x * x) * (x * x)) return d * v;
    if (std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v;
  }
}

double beta(Stream& s, double a, double b) noexcept {
  const double x = gamma(s, a);
  const double y = gamma(s, b);
  const double sum = x + y;
  if (sum <= 0.0) return a / (a + b);  // both underflowed: tiny shapes
  return x / sum;
}

namespace {

// log(k!) for small k, and Stirling's series beyond.
double log_factorial(double k) noexcept {
  return std::lgamma(k + 1.0);
}

// Stirling correction fc(k) = log(k!) - [(k + 1/2) log(k + 1) - (k + 1) + log(2π)/2], used by BTRD.
double stirling_correction(std::int64_t k) noexcept {
  static constexpr std::array<double, 10> table = {
      0.08106146679532726,  0.04134069595540929, 0.02767792568499834, 0.02079067210376509,
      0.01664469118982119,  0.01387612882307075, 0.01189670994589177, 0.01041126526197209,
      0.009255462182712733, 0.008330563433362871};
  if (k < 10) return table[static_cast<std::size_t>(k)];
  const double kp1 = static_cast<double>(k + 1);
  const double kp1_sq = kp1 * kp1;
  return (1.0 / 12.0 - (1.0 / 360.0 - 1.0 / 1260.0 / kp1_sq) / kp1_sq) / kp1;
}

std::uint32_t poisson_inversion(Stream& s, double mean) noexcept {
  const double u = uniform(s);
  double p = std::exp(-mean);
  double cdf = p;
  std::uint32_t k = 0;
  while (u > cdf && k < 1000U) {
    ++k;
    p *= mean / k;
    cdf += p;
    if (p <= 0.0) break;
  }
  return k;
}

// PTRS: W. Hörmann, "The transformed rejection method for generating Poisson random
// variables", Insurance: Mathematics and Economics 12 (1993) 39–45.
std::uint32_t poisson_ptrs(Stream& s, double mean) noexcept {
  const double slam = std::sqrt(mean);
  const double loglam = std::log(mean);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2.0);
  for (;;) {
    const double u = uniform(s) - 0.5;
    const double v = uniform(s);
    const double us = 0.5 - std::fabs(u);
    const double k = std::floor((2.0 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return static_cast<std::uint32_t>(k);
    if (k < 0.0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(invalpha) - std::log(a / (us * us) + b) <=
        -mean + k * loglam - log_factorial(k)) {
      return static_cast<std::uint32_t>(k);
    }
  }
}

// `q_power_n` is std::pow(1 - p, n), computed by the caller (or remembered: BinomialMemo).
std::uint32_t binomial_inversion(Stream& s, std::uint32_t n, double p, double q_power_n) noexcept {
  // Sequential search from 0 with one uniform; p ≤ 1/2 and n·p < 10 keep this short.
  const double q = 1.0 - p;
  const double ratio = p / q;
  double pk = q_power_n;
  double cdf = pk;
  const double u = uniform(s);
  std::uint32_t k = 0;
  while (u > cdf && k < n) {
    pk *= ratio * static_cast<double>(n - k) / static_cast<double>(k + 1);
    ++k;
    cdf += pk;
  }
  return k;
}

// BTRD: W. Hörmann, "The generation of binomial random variates", J. Statist. Comput. Simul.
// 46 (1993) 101–110. Requires p ≤ 1/2 and n·p ≥ 10.
std::uint32_t binomial_btrd(Stream& s, std::uint32_t n_in, double p) noexcept {
  const auto n = static_cast<double>(n_in);
  const double q = 1.0 - p;
  const double r = p / q;
  const double nr = (n + 1.0) * r;
  const double npq = n * p * q;
  const double sqrt_npq = std::sqrt(npq);
  const double b = 1.15 + 2.53 * sqrt_npq;
  const double a = -0.0873 + 0.0248 * b + 0.01 * p;
  const double c = n * p + 0.5;
  const double alpha = (2.83 + 5.1 / b) * sqrt_npq;
  const double v_r = 0.92 - 4.2 / b;
  const double u_rv_r = 0.86 * v_r;
  const auto m = static_cast<std::int64_t>(std::floor((n + 1.0) * p));
  for (;;) {
    double v = uniform(s);
    double u = 0.0;
    if (v <= u_rv_r) {
      u = v / v_r - 0.43;
      return static_cast<std::uint32_t>(std::floor((2.0 * a / (0.5 - std::fabs(u)) + b) * u + c));
    }
    if (v >= v_r) {
      u = uniform(s) - 0.5;
    } else {
      u = v / v_r - 0.93;
      u = (u < 0.0 ? -0.5 : 0.5) - u;
      v = uniform(s) * v_r;
    }
    const double us = 0.5 - std::fabs(u);
    const double kf = std::floor((2.0 * a / us + b) * u + c);
    if (kf < 0.0 || kf > n) continue;
    const auto k = static_cast<std::int64_t>(kf);
    v = v * alpha / (a / (us * us) + b);
    const std::int64_t km = k > m ? k - m : m - k;
    if (km <= 15) {
      double f = 1.0;
      if (m < k) {
        for (std::int64_t i = m + 1; i <= k; ++i) f *= nr / static_cast<double>(i) - r;
      } else if (m > k) {
        for (std::int64_t i = k + 1; i <= m; ++i) v *= nr / static_cast<double>(i) - r;
      }
      if (v <= f) return static_cast<std::uint32_t>(k);
      continue;
    }
    v = std::log(v);
    const auto kmd = static_cast<double>(km);
    const double rho = (kmd / npq) * (((kmd / 3.0 + 0.625) * kmd + 1.0 / 6.0) / npq + 0.5);
    const double t = -kmd * kmd / (2.0 * npq);
    if (v < t - rho) return static_cast<std::uint32_t>(k);
    if (v > t + rho) continue;
    const double nm = n - static_cast<double>(m) + 1.0;
    const double h = (static_cast<double>(m) + 0.5) * std::log((static_cast<double>(m) + 1.0) / (r * nm)) +
                     stirling_correction(m) + stirling_correction(n_in - m);
    const double nk = n - static_cast<double>(k) + 1.0;
    if (v <= h + (n + 1.0) * std::log(nm / nk) +
                 (static_cast<double>(k) + 0.5) * std::log(nk * r / (static_cast<double>(k) + 1.0)) -
                 stirling_correction(k) - stirling_correction(n_in - k)) {
      return static_cast<std::uint32_t>(k);
    }
  }
}

// Binomial(n, p) by inversion or BTRD; `q_power(n, p)` gives std::pow(1 - p, n) for inversion.
template <class QPower>
std::uint32_t binomial_with(Stream& s, std::uint32_t n, double p, QPower&& q_power) noexcept {
  if (n == 0 || !(p > 0.0)) return 0;
  if (p >= 1.0) return n;
  if (p > 0.5) return n - binomial_with(s, n, 1.0 - p, q_power);
  if (static_cast<double>(n) * p < 10.0) return binomial_inversion(s, n, p, q_power(n, p));
  return binomial_btrd(s, n, p);
}

}  // namespace

std::uint32_t poisson(Stream& s, double mean) noexcept {
  if (!(mean > 0.0)) return 0;
  if (mean < 10.0) return poisson_inversion(s, mean);
  return poisson_ptrs(s, mean);
}

std::uint32_t binomial(Stream& s, std::uint32_t n, double p) noexcept {
  return binomial_with(s, n, p,
                       [](std::uint32_t k, double pk) { return std::pow(1.0 - pk, static_cast<double>(k)); });
}

std::uint32_t BinomialMemo::operator()(Stream& s, std::uint32_t n, double p) noexcept {
  return binomial_with(s, n, p, [this](std::uint32_t k, double pk) { return q_power(k, pk); });
}

double BinomialMemo::q_power(std::uint32_t n, double p) noexcept {
  if (n >= kSize) return std::pow(1.0 - p, static_cast<double>(n));
  if (p != p_) {
    p_ = p;
    known_ = 0;
  }
  const std::uint64_t bit = std::uint64_t{1} << n;
  if ((known_ & bit) == 0) {
    powers_[n] = std::pow(1.0 - p, static_cast<double>(n));
    known_ |= bit;
  }
  return powers_[n];
}

std::uint32_t geometric_weeks(Stream& s, double mean) noexcept {
  if (!(mean > 1.0)) return 1;
  // P(X = k) = (1 - q) q^(k-1), k ≥ 1, mean 1 / (1 - q).
  const double q = 1.0 - 1.0 / mean;
  const double u = uniform_positive(s);
  const double k = std::ceil(std::log(u) / std::log(q));
  if (!(k < 4.0e9)) return 4000000000U;
  return std::max<std::uint32_t>(1U, static_cast<std::uint32_t>(k));
}

}  // namespace sim::random
