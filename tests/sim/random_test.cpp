// Claims about the distributions of sim/random.hpp. Every stochastic claim uses a fixed stream
// and a tolerance derived from the sample size:
//  * a mean is within 5 standard errors, SE = sqrt(variance / n) with the exact variance;
//  * a sample variance is within 5 standard errors, SE = sqrt((mu4 - sigma^4) / n) with the
//    exact fourth central moment mu4 of the distribution;
//  * a frequency is within 5 binomial standard errors sqrt(p (1 - p) / n);
//  * a goodness of fit is a chi-square against the exact pmf, with every bin expecting at least 5
//    (tails pooled), compared with the upper 1e-6 quantile of chi-square(bins - 1) from the
//    Wilson-Hilferty approximation (z = 4.753).
// Under a correct generator each check fails with probability below about 1e-6; the seeds are
// fixed, so the outcome is reproducible either way.

#include "sim/random.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <vector>

#include <catch2/catch.hpp>

#include "sim/rng.hpp"

namespace {

namespace rnd = sim::random;

sim::Stream stream(std::uint32_t purpose) {
  return sim::Stream({20240601U, 7U}, {11U, 0U, purpose});
}

struct Moments {
  double mean = 0.0;
  double variance = 0.0;  // unbiased sample variance
  std::size_t n = 0;
};

Moments moments(const std::vector<double>& x) {
  Moments m;
  m.n = x.size();
  double sum = 0.0;
  for (double v : x) sum += v;
  m.mean = sum / static_cast<double>(m.n);
  double ss = 0.0;
  for (double v : x) ss += (v - m.mean) * (v - m.mean);
  m.variance = ss / static_cast<double>(m.n - 1);
  return m;
}

// |sample mean - mean| within 5 standard errors of the mean.
void check_mean(const Moments& m, double mean, double variance) {
  const double se = std::sqrt(variance / static_cast<double>(m.n));
  INFO("sample mean " << m.mean << ", expected " << mean << ", 5 SE = " << 5.0 * se);
  CHECK(std::fabs(m.mean - mean) <= 5.0 * se);
}

// |sample variance - variance| within 5 standard errors of the sample variance, whose variance
// is (mu4 - sigma^4) / n to first order.
void check_variance(const Moments& m, double variance, double mu4) {
  const double se = std::sqrt((mu4 - variance * variance) / static_cast<double>(m.n));
  INFO("sample variance " << m.variance << ", expected " << variance << ", 5 SE = " << 5.0 * se);
  CHECK(std::fabs(m.variance - variance) <= 5.0 * se);
}

// |observed frequency - p| within 5 binomial standard errors.
void check_frequency(std::size_t hits, std::size_t n, double p) {
  const double f = static_cast<double>(hits) / static_cast<double>(n);
  const double se = std::sqrt(p * (1.0 - p) / static_cast<double>(n));
  INFO("frequency " << f << ", expected " << p << ", 5 SE = " << 5.0 * se);
  CHECK(std::fabs(f - p) <= 5.0 * se);
}

// Upper 1e-6 quantile of chi-square with df degrees of freedom (Wilson-Hilferty).
double chi_square_critical(std::size_t df) {
  const double k = static_cast<double>(df);
  const double z = 4.753;  // upper 1e-6 point of the standard normal
  const double a = 2.0 / (9.0 * k);
  return k * std::pow(1.0 - a + z * std::sqrt(a), 3.0);
}

struct ChiSquare {
  double statistic = 0.0;
  std::size_t df = 0;
  double critical = 0.0;
};

// Chi-square of integer draws against an exact pmf on {0, 1, ..., support_max} with its mode at
// `mode`: single values where the expected count is at least 5 (an interval around the mode, as
// the pmfs are unimodal), the two tails pooled (and folded into their neighbour when the tail
// itself expects fewer than 5).
ChiSquare chi_square(const std::map<std::int64_t, std::size_t>& counts, std::size_t n,
                     const std::function<double(std::int64_t)>& pmf, std::int64_t mode,
                     std::int64_t support_max) {
  const double total = static_cast<double>(n);
  std::int64_t lo = mode;
  while (lo > 0 && total * pmf(lo - 1) >= 5.0) --lo;
  std::int64_t hi = mode;
  while (hi < support_max && total * pmf(hi + 1) >= 5.0) ++hi;
  double inside = 0.0;
  for (std::int64_t k = lo; k <= hi; ++k) inside += pmf(k);
  double below = 0.0;
  for (std::int64_t k = 0; k < lo; ++k) below += pmf(k);
  const double above = std::max(0.0, 1.0 - inside - below);

  const auto count = [&](std::int64_t k) {
    const auto it = counts.find(k);
    return it == counts.end() ? 0.0 : static_cast<double>(it->second);
  };
  double observed_below = 0.0;
  double observed_above = 0.0;
  for (const auto& [k, c] : counts) {
    if (k < lo) observed_below += static_cast<double>(c);
    if (k > hi) observed_above += static_cast<double>(c);
  }
  // Tails: their own bin when they expect at least 5, otherwise folded into the end bins.
  const bool own_below = total * below >= 5.0;
  const bool own_above = total * above >= 5.0;
  const auto inner = static_cast<std::size_t>(hi - lo + 1);
  const std::size_t first = own_below ? 1 : 0;
  const std::size_t bins = inner + first + (own_above ? 1 : 0);
  std::vector<double> expected(bins, 0.0);
  std::vector<double> observed(bins, 0.0);
  for (std::int64_t k = lo; k <= hi; ++k) {
    const std::size_t i = first + static_cast<std::size_t>(k - lo);
    expected[i] = total * pmf(k);
    observed[i] = count(k);
  }
  expected[0] += total * below;
  observed[0] += observed_below;
  expected[bins - 1] += total * above;
  observed[bins - 1] += observed_above;
  ChiSquare out;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const double d = observed[i] - expected[i];
    out.statistic += d * d / expected[i];
  }
  out.df = expected.size() - 1;
  out.critical = chi_square_critical(out.df);
  return out;
}

void check_fit(const ChiSquare& c) {
  INFO("chi-square " << c.statistic << " on " << c.df << " df, critical value (1e-6) " << c.critical);
  CHECK(c.df >= 2);
  CHECK(c.statistic <= c.critical);
}

double poisson_pmf(double mean, std::int64_t k) {
  const auto kd = static_cast<double>(k);
  return std::exp(kd * std::log(mean) - mean - std::lgamma(kd + 1.0));
}

double binomial_pmf(std::uint32_t n, double p, std::int64_t k) {
  if (k < 0 || k > static_cast<std::int64_t>(n)) return 0.0;
  const auto nd = static_cast<double>(n);
  const auto kd = static_cast<double>(k);
  return std::exp(std::lgamma(nd + 1.0) - std::lgamma(kd + 1.0) - std::lgamma(nd - kd + 1.0) +
                  kd * std::log(p) + (nd - kd) * std::log1p(-p));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Uniforms

TEST_CASE("uniform lies in 0 <= u < 1 on a grid of 2^-53 and its lowest bit is random") {
  auto s = stream(1);
  constexpr std::size_t n = 200000;
  std::size_t lowest_bit_set = 0;
  std::size_t upper_half = 0;
  std::vector<double> x;
  x.reserve(n);
  bool all_in_range = true;
  bool all_on_grid = true;
  for (std::size_t i = 0; i < n; ++i) {
    const double u = rnd::uniform(s);
    all_in_range = all_in_range && u >= 0.0 && u < 1.0;
    const double scaled = std::ldexp(u, 53);  // exact: u has at most 53 significant bits
    all_on_grid = all_on_grid && scaled == std::floor(scaled);
    const auto bits = static_cast<std::uint64_t>(scaled);
    lowest_bit_set += bits & 1U;
    upper_half += u >= 0.5 ? 1U : 0U;
    x.push_back(u);
  }
  CHECK(all_in_range);
  CHECK(all_on_grid);
  // The 53rd bit (2^-53) is set half of the time: all 53 bits carry randomness.
  check_frequency(lowest_bit_set, n, 0.5);
  check_frequency(upper_half, n, 0.5);
  const Moments m = moments(x);
  check_mean(m, 0.5, 1.0 / 12.0);
  // Uniform(0,1): mu4 = 1/80.
  check_variance(m, 1.0 / 12.0, 1.0 / 80.0);
}

TEST_CASE("uniform_positive lies in 0 < u <= 1, safe for a logarithm") {
  auto s = stream(2);
  bool ok = true;
  for (int i = 0; i < 100000; ++i) {
    const double u = rnd::uniform_positive(s);
    ok = ok && u > 0.0 && u <= 1.0 && std::isfinite(std::log(u));
  }
  CHECK(ok);
}

TEST_CASE("uniform32 lies strictly inside (0, 1) at the midpoints (k + 1/2) / 2^32") {
  auto s = stream(3);
  constexpr std::size_t n = 200000;
  std::vector<double> x;
  bool inside = true;
  bool midpoints = true;
  for (std::size_t i = 0; i < n; ++i) {
    const double u = rnd::uniform32(s);
    inside = inside && u > 0.0 && u < 1.0;
    const double k = std::ldexp(u, 32) - 0.5;
    midpoints = midpoints && k == std::floor(k) && k >= 0.0 && k <= 4294967295.0;
    x.push_back(u);
  }
  CHECK(inside);
  CHECK(midpoints);
  const Moments m = moments(x);
  check_mean(m, 0.5, 1.0 / 12.0);
}

// ---------------------------------------------------------------------------------------------
// Bernoulli

TEST_CASE("threshold is exact at the ends: p <= 0 never, p >= 1 always") {
  CHECK(rnd::threshold(0.0) == 0U);
  CHECK(rnd::threshold(-0.5) == 0U);
  CHECK(rnd::threshold(std::numeric_limits<double>::quiet_NaN()) == 0U);
  CHECK(rnd::threshold(1.0) == (std::uint64_t{1} << 32));
  CHECK(rnd::threshold(3.0) == (std::uint64_t{1} << 32));
  CHECK(rnd::threshold(std::numeric_limits<double>::infinity()) == (std::uint64_t{1} << 32));
}

TEST_CASE("threshold gives P(word < t) = p to within 2^-32, exactly for multiples of 2^-32") {
  CHECK(rnd::threshold(0.5) == (std::uint64_t{1} << 31));
  CHECK(rnd::threshold(0.25) == (std::uint64_t{1} << 30));
  CHECK(rnd::threshold(0x1.0p-32) == 1U);
  CHECK(rnd::threshold(1.0 - 0x1.0p-32) == (std::uint64_t{1} << 32) - 1U);
  for (double p : {1e-12, 1e-9, 0.001, 0.1, 1.0 / 3.0, 0.7, 0.999999, 1.0 - 1e-12}) {
    const double achieved = std::ldexp(static_cast<double>(rnd::threshold(p)), -32);
    INFO("p = " << p);
    CHECK(std::fabs(achieved - p) <= 0x1.0p-32);
  }
  // Monotone in p.
  std::uint64_t previous = 0;
  for (int i = 0; i <= 1000; ++i) {
    const std::uint64_t t = rnd::threshold(i / 1000.0);
    REQUIRE(t >= previous);
    previous = t;
  }
}

TEST_CASE("bernoulli with p = 0 never succeeds and with p = 1 always succeeds") {
  auto s = stream(5);
  std::size_t zero_hits = 0;
  std::size_t one_hits = 0;
  constexpr std::size_t n = 100000;
  for (std::size_t i = 0; i < n; ++i) {
    zero_hits += rnd::bernoulli(s, 0.0) ? 1U : 0U;
    one_hits += rnd::bernoulli(s, 1.0) ? 1U : 0U;
  }
  CHECK(zero_hits == 0);
  CHECK(one_hits == n);
}

TEST_CASE("bernoulli succeeds with frequency p") {
  for (double p : {0.001, 0.3, 0.5, 0.93}) {
    auto s = stream(6);
    constexpr std::size_t n = 200000;
    std::size_t hits = 0;
    for (std::size_t i = 0; i < n; ++i) hits += rnd::bernoulli(s, p) ? 1U : 0U;
    INFO("p = " << p);
    check_frequency(hits, n, p);
  }
}

TEST_CASE("bernoulli draws are monotone in p under common random numbers") {
  // One word per draw compared with a threshold increasing in p: a success at p stays a
  // success at any larger p when the same stream is used.
  auto low = stream(7);
  auto high = stream(7);
  for (int i = 0; i < 10000; ++i) {
    const bool a = rnd::bernoulli(low, 0.2);
    const bool b = rnd::bernoulli(high, 0.6);
    REQUIRE((!a || b));
  }
}

// ---------------------------------------------------------------------------------------------
// Exponential

TEST_CASE("exponential waiting times have mean 1 / rate and variance 1 / rate^2") {
  for (double rate : {0.05, 1.0, 7.5}) {
    auto s = stream(8);
    std::vector<double> x;
    bool positive = true;
    for (int i = 0; i < 200000; ++i) {
      x.push_back(rnd::exponential(s, rate));
      positive = positive && x.back() >= 0.0 && std::isfinite(x.back());
    }
    INFO("rate " << rate);
    CHECK(positive);
    const Moments m = moments(x);
    const double var = 1.0 / (rate * rate);
    check_mean(m, 1.0 / rate, var);
    // Exponential: mu4 = 9 / rate^4.
    check_variance(m, var, 9.0 * var * var);
  }
}

TEST_CASE("on the same stream a higher rate always gives an earlier event") {
  auto slow = stream(9);
  auto fast = stream(9);
  for (int i = 0; i < 20000; ++i) {
    const double t_slow = rnd::exponential(slow, 0.5);
    const double t_fast = rnd::exponential(fast, 2.0);
    REQUIRE(t_fast <= t_slow);
    // Inverse transform: the times scale exactly with 1 / rate (up to rounding).
    REQUIRE(t_fast == Approx(t_slow / 4.0).epsilon(1e-12).margin(1e-300));
  }
}

// ---------------------------------------------------------------------------------------------
// Integer in [0, n)

TEST_CASE("index(n) stays in 0 <= i < n and index(1) is always 0") {
  auto s = stream(10);
  for (std::uint32_t n : {1U, 2U, 3U, 7U, 1000U, 0x80000001U, 0xFFFFFFFFU}) {
    for (int i = 0; i < 5000; ++i) {
      const std::uint32_t k = rnd::index(s, n);
      REQUIRE(k < n);
    }
  }
  for (int i = 0; i < 1000; ++i) REQUIRE(rnd::index(s, 1) == 0U);
}

TEST_CASE("index(n) is uniform: chi-square against 1/n") {
  for (std::uint32_t n : {2U, 7U, 10U, 97U}) {
    auto s = stream(11);
    constexpr std::size_t draws = 200000;
    std::map<std::int64_t, std::size_t> counts;
    for (std::size_t i = 0; i < draws; ++i) ++counts[rnd::index(s, n)];
    // One bin per value, no tails: df = n - 1.
    double stat = 0.0;
    const double expected = static_cast<double>(draws) / static_cast<double>(n);
    for (std::uint32_t k = 0; k < n; ++k) {
      const double d = static_cast<double>(counts[k]) - expected;
      stat += d * d / expected;
    }
    INFO("n = " << n << ": chi-square " << stat << " on " << n - 1 << " df");
    CHECK(stat <= chi_square_critical(n - 1));
  }
}

TEST_CASE("index(n) rejects the biased words when 2^32 is not a multiple of n") {
  // n = 3 * 2^30: 2^32 / n = 4/3, so multiply-and-shift without rejection would give the
  // residues k mod 3 the probabilities 1/4, 1/4, 1/2. With Lemire's rejection each is 1/3.
  const std::uint32_t n = 3U << 30;
  auto s = stream(12);
  constexpr std::size_t draws = 150000;
  std::array<double, 3> counts{};
  for (std::size_t i = 0; i < draws; ++i) counts[rnd::index(s, n) % 3U] += 1.0;
  const double expected = static_cast<double>(draws) / 3.0;
  double stat = 0.0;
  for (double c : counts) stat += (c - expected) * (c - expected) / expected;
  INFO("chi-square " << stat << " on 2 df");
  CHECK(stat <= chi_square_critical(2));
}

// ---------------------------------------------------------------------------------------------
// Normal, gamma, beta, geometric

TEST_CASE("normal draws have mean 0, variance 1 and the normal's mass within one sd") {
  auto s = stream(13);
  constexpr std::size_t n = 200000;
  std::vector<double> x;
  std::size_t within_one = 0;
  for (std::size_t i = 0; i < n; ++i) {
    x.push_back(rnd::normal(s));
    within_one += std::fabs(x.back()) < 1.0 ? 1U : 0U;
  }
  const Moments m = moments(x);
  check_mean(m, 0.0, 1.0);
  // Normal: mu4 = 3.
  check_variance(m, 1.0, 3.0);
  check_frequency(within_one, n, std::erf(1.0 / std::sqrt(2.0)));
}

TEST_CASE("gamma draws have mean and variance equal to the shape, below and above shape 1") {
  for (double shape : {0.2, 0.5, 1.0, 3.0, 40.0}) {
    auto s = stream(14);
    constexpr std::size_t n = 200000;
    std::vector<double> x;
    bool positive = true;
    for (std::size_t i = 0; i < n; ++i) {
      x.push_back(rnd::gamma(s, shape));
      positive = positive && x.back() >= 0.0 && std::isfinite(x.back());
    }
    INFO("shape " << shape);
    CHECK(positive);
    const Moments m = moments(x);
    check_mean(m, shape, shape);
    // Gamma(k, 1): mu4 = 3k^2 + 6k.
    check_variance(m, shape, 3.0 * shape * shape + 6.0 * shape);
  }
}

TEST_CASE("gamma with shape 1 is the unit exponential: P(X > 1) = e^-1") {
  auto s = stream(15);
  constexpr std::size_t n = 200000;
  std::size_t above = 0;
  for (std::size_t i = 0; i < n; ++i) above += rnd::gamma(s, 1.0) > 1.0 ? 1U : 0U;
  check_frequency(above, n, std::exp(-1.0));
}

TEST_CASE("beta draws lie between 0 and 1 with mean a / (a + b)") {
  const std::vector<std::pair<double, double>> shapes = {{2.0, 5.0}, {0.5, 0.5}, {30.0, 3.0}, {0.3, 4.0}};
  for (const auto& [a, b] : shapes) {
    auto s = stream(16);
    constexpr std::size_t n = 200000;
    std::vector<double> x;
    bool inside = true;
    for (std::size_t i = 0; i < n; ++i) {
      x.push_back(rnd::beta(s, a, b));
      inside = inside && x.back() >= 0.0 && x.back() <= 1.0;
    }
    INFO("a = " << a << ", b = " << b);
    CHECK(inside);
    const double mean = a / (a + b);
    const double var = a * b / ((a + b) * (a + b) * (a + b + 1.0));
    check_mean(moments(x), mean, var);
  }
}

TEST_CASE("geometric_weeks is at least 1 with the requested mean and P(1) = 1 / mean") {
  for (double mean : {1.5, 4.0, 12.0, 100.0}) {
    auto s = stream(17);
    constexpr std::size_t n = 200000;
    std::vector<double> x;
    bool at_least_one = true;
    std::size_t ones = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t k = rnd::geometric_weeks(s, mean);
      at_least_one = at_least_one && k >= 1U;
      ones += k == 1U ? 1U : 0U;
      x.push_back(static_cast<double>(k));
    }
    INFO("mean " << mean);
    CHECK(at_least_one);
    // Geometric on {1, 2, ...} with success probability 1/mean: variance mean^2 - mean.
    check_mean(moments(x), mean, mean * mean - mean);
    check_frequency(ones, n, 1.0 / mean);
  }
}

TEST_CASE("geometric_weeks with a mean of at most one week is always one week") {
  auto s = stream(18);
  for (double mean : {1.0, 0.5, 0.0, -3.0}) {
    for (int i = 0; i < 1000; ++i) REQUIRE(rnd::geometric_weeks(s, mean) == 1U);
  }
}

// ---------------------------------------------------------------------------------------------
// Poisson

namespace {
void check_poisson(double mean, std::uint32_t purpose) {
  auto s = stream(purpose);
  constexpr std::size_t n = 200000;
  std::vector<double> x;
  std::map<std::int64_t, std::size_t> counts;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t k = rnd::poisson(s, mean);
    x.push_back(static_cast<double>(k));
    ++counts[k];
  }
  INFO("Poisson mean " << mean);
  const Moments m = moments(x);
  check_mean(m, mean, mean);
  // Poisson: mu4 = mean (1 + 3 mean).
  check_variance(m, mean, mean * (1.0 + 3.0 * mean));
  const auto pmf = [mean](std::int64_t k) { return poisson_pmf(mean, k); };
  const auto mode = static_cast<std::int64_t>(std::floor(mean));
  check_fit(chi_square(counts, n, pmf, mode, std::numeric_limits<std::int32_t>::max()));
}
}  // namespace

TEST_CASE("poisson by inversion (mean < 10) has the Poisson mean, variance and pmf") {
  check_poisson(0.3, 20);
  check_poisson(3.7, 21);
  check_poisson(9.99, 22);
}

TEST_CASE("poisson by PTRS (mean >= 10) has the Poisson mean, variance and pmf") {
  check_poisson(10.0, 23);
  check_poisson(25.0, 24);
  check_poisson(412.5, 25);
}

TEST_CASE("poisson with a mean of zero or less is zero") {
  auto s = stream(26);
  for (int i = 0; i < 100; ++i) {
    REQUIRE(rnd::poisson(s, 0.0) == 0U);
    REQUIRE(rnd::poisson(s, -1.0) == 0U);
    REQUIRE(rnd::poisson(s, std::numeric_limits<double>::quiet_NaN()) == 0U);
  }
}

// ---------------------------------------------------------------------------------------------
// Binomial

namespace {
void check_binomial(std::uint32_t trials, double p, std::uint32_t purpose) {
  auto s = stream(purpose);
  constexpr std::size_t n = 200000;
  std::vector<double> x;
  std::map<std::int64_t, std::size_t> counts;
  bool in_support = true;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t k = rnd::binomial(s, trials, p);
    in_support = in_support && k <= trials;
    x.push_back(static_cast<double>(k));
    ++counts[k];
  }
  INFO("Binomial(" << trials << ", " << p << ")");
  CHECK(in_support);
  const double nd = trials;
  const double var = nd * p * (1.0 - p);
  const Moments m = moments(x);
  check_mean(m, nd * p, var);
  // Binomial: mu4 = npq (1 + 3 (n - 2) pq).
  check_variance(m, var, var * (1.0 + 3.0 * (nd - 2.0) * p * (1.0 - p)));
  const auto pmf = [trials, p](std::int64_t k) { return binomial_pmf(trials, p, k); };
  const auto mode = static_cast<std::int64_t>(std::floor((nd + 1.0) * p));
  check_fit(chi_square(counts, n, pmf, mode, trials));
}
}  // namespace

TEST_CASE("binomial by inversion (n p < 10) has the binomial mean, variance and pmf") {
  check_binomial(50, 0.1, 30);
  check_binomial(10, 0.45, 31);
  check_binomial(2000, 0.004, 32);
}

TEST_CASE("binomial by BTRD (n p >= 10) has the binomial mean, variance and pmf") {
  check_binomial(40, 0.3, 33);      // close to the mode: |k - m| <= 15, the product test
  check_binomial(20, 0.5, 34);      // the smallest n with n p >= 10
  check_binomial(1000, 0.3, 35);    // sd 14.5: |k - m| > 15 often, the Stirling test
  check_binomial(100000, 0.2, 36);  // sd 126
}

TEST_CASE("binomial with p > 1/2 uses the symmetry and keeps the binomial law") {
  check_binomial(30, 0.85, 37);   // n (1 - p) = 4.5: inversion
  check_binomial(1000, 0.7, 38);  // n (1 - p) = 300: BTRD
  check_binomial(25, 0.6, 39);    // n (1 - p) = 10: BTRD at its boundary
}

TEST_CASE("binomial is exact at the edges: n = 0, p = 0 and p = 1") {
  auto s = stream(40);
  for (int i = 0; i < 100; ++i) {
    REQUIRE(rnd::binomial(s, 0, 0.5) == 0U);
    REQUIRE(rnd::binomial(s, 17, 0.0) == 0U);
    REQUIRE(rnd::binomial(s, 17, -0.2) == 0U);
    REQUIRE(rnd::binomial(s, 17, 1.0) == 17U);
    REQUIRE(rnd::binomial(s, 17, 1.5) == 17U);
  }
}

TEST_CASE("binomial draws stay between 0 and n across regimes and extreme p") {
  auto s = stream(41);
  const std::vector<std::pair<std::uint32_t, double>> cases = {
      {1, 0.5}, {3, 0.999}, {21, 0.49}, {64, 0.5}, {500, 1e-9}, {500, 1.0 - 1e-9}, {4000000000U, 0.5}};
  for (const auto& [trials, p] : cases) {
    for (int i = 0; i < 2000; ++i) REQUIRE(rnd::binomial(s, trials, p) <= trials);
  }
}

TEST_CASE("draws are a pure function of the stream: same key and id, same values") {
  auto a = stream(42);
  auto b = stream(42);
  for (int i = 0; i < 1000; ++i) {
    REQUIRE(rnd::poisson(a, 33.0) == rnd::poisson(b, 33.0));
    REQUIRE(rnd::binomial(a, 500, 0.3) == rnd::binomial(b, 500, 0.3));
    REQUIRE(rnd::gamma(a, 0.7) == rnd::gamma(b, 0.7));
  }
}

TEST_CASE("BinomialMemo draws exactly what binomial draws, and consumes the same words") {
  // Two identical streams: one drawn through binomial, one through a memo whose p keeps changing
  // (forgetting), repeating (remembering), crossing 1/2 (the symmetry), with n beyond the memo's
  // size and in BTRD's regime. Every value must match, and so must the next word afterwards.
  auto plain = stream(43);
  auto memoised = stream(43);
  rnd::BinomialMemo memo;
  const std::vector<double> probabilities = {0.3, 0.3, 1.0 / 12.0, 0.3, 0.7, 0.95, 0.05, 0.5, 0.0, 1.0};
  std::size_t compared = 0;
  for (int round = 0; round < 50; ++round) {
    for (double p : probabilities) {
      for (std::uint32_t n : {0U, 1U, 2U, 7U, 20U, 33U, 63U, 64U, 65U, 199U, 1000U}) {
        for (int repeat = 0; repeat < 3; ++repeat) {
          REQUIRE(memo(memoised, n, p) == rnd::binomial(plain, n, p));
          ++compared;
        }
      }
    }
  }
  REQUIRE(compared == 50 * 10 * 11 * 3);
  REQUIRE(memoised.next_u32() == plain.next_u32());
  REQUIRE(memoised.philox_calls() == plain.philox_calls());
}
