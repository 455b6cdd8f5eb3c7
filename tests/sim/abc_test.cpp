// Claims about ABC-SMC calibration (sim/calibration): on a problem with a known posterior it
// recovers the posterior; its results do not depend on the number of threads; it resumes after any
// generation; priors and calibration files are validated; a calibration that cannot reach its
// tolerance stops with an error after saving what it has.

#include "sim/calibration/abc.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>

#include <catch2/catch.hpp>
#include <hdf5.h>

#include "sim/calibration/calibration_file.hpp"
#include "sim/calibration/posterior.hpp"
#include "sim/cli/commands.hpp"
#include "sim/error.hpp"
#include "sim/mpi/session.hpp"
#include "sim/output/result_file.hpp"
#include "sim/random.hpp"
#include "tests/support/test_support.hpp"
#include "tests/support/toy_models.hpp"

namespace {
namespace fs = std::filesystem;

std::string dir() {
  return lwsim_test::temporary_path("abc");
}

std::string write(const std::string& name, const std::string& text) {
  return lwsim_test::write_file("abc", name, text);
}

// A binomial experiment: n = 20 trials, k = 6 observed successes.
void write_binomial_base() {
  write("binomial.toml",
        "model = \"binomial\"\n[run]\nseed = 3\nobserved = \"k.toml\"\n[binomial]\ntrials = 20\n");
  write("k.toml", "source = \"a test\"\nk = 6\n");
}

std::string calibration(const std::string& name, const std::string& abc, const std::string& priors) {
  write_binomial_base();
  return write(name, "base = \"binomial.toml\"\n[abc]\n" + abc + "\n[priors]\n" + priors + "\n");
}

using lwsim_test::session;

int calibrate(const std::string& file, const std::string& out, bool resume = false, unsigned threads = 2) {
  sim::cli::CalibrateArgs args;
  args.file = file;
  args.output = out;
  args.resume = resume;
  args.threads = threads;
  args.quiet = true;
  std::ostringstream text;
  return sim::cli::calibrate_command(args, lwsim_test::toy_registry(), text, session());
}

std::vector<double> read(const std::string& file, const std::string& path) {
  const auto f = sim::output::ResultFile::open(file, false);
  return f.read_doubles(path);
}

// The regularised incomplete beta function by Simpson's rule on the density (a, b >= 1).
double beta_cdf(double x, double a, double b) {
  const int steps = 20000;
  const double log_norm = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b);
  const auto pdf = [&](double t) {
    if (t <= 0.0 || t >= 1.0) return 0.0;
    return std::exp(log_norm + (a - 1) * std::log(t) + (b - 1) * std::log1p(-t));
  };
  const double h = x / steps;
  double s = pdf(0) + pdf(x);
  for (int i = 1; i < steps; ++i) s += pdf(i * h) * (i % 2 == 1 ? 4.0 : 2.0);
  return s * h / 3.0;
}

}  // namespace

TEST_CASE("ABC-SMC recovers the Beta posterior of a binomial proportion") {
  // Uniform prior on p, k = 6 of n = 20, exact matching at the last tolerance: the posterior is
  // Beta(7, 15) (mean 7/22, variance 7*15 / (22^2 * 23)).
  const std::string file =
      calibration("beta.toml",
                  "particles = 2000\nreplicates = 1\nseed = 11\ngenerations = 8\nmin_tolerance = 0\n"
                  "quantile = 0.5\npredictive_replicates = 20",
                  "\"binomial.p\" = { distribution = \"uniform\", min = 0.0, max = 1.0 }");
  const std::string out = (fs::path(dir()) / "beta.h5").string();
  REQUIRE(calibrate(file, out) == 0);
  const auto particles = read(out, "/posterior/particles");
  const auto weights = read(out, "/posterior/weights");
  const auto tolerance = read(out, "/abc/tolerance");
  REQUIRE(tolerance.back() == 0.0);
  double mean = 0.0, sum_sq = 0.0;
  for (std::size_t i = 0; i < particles.size(); ++i) {
    mean += weights[i] * particles[i];
    sum_sq += weights[i] * weights[i];
  }
  double var = 0.0;
  for (std::size_t i = 0; i < particles.size(); ++i)
    var += weights[i] * (particles[i] - mean) * (particles[i] - mean);
  const double ess = 1.0 / sum_sq;
  const double true_mean = 7.0 / 22.0;
  const double true_var = 7.0 * 15.0 / (22.0 * 22.0 * 23.0);
  INFO("mean " << mean << " variance " << var << " ESS " << ess);
  // The weighted mean has standard error sd / sqrt(ESS); five of them.
  CHECK(std::fabs(mean - true_mean) < 5.0 * std::sqrt(true_var / ess));
  // The variance estimate: relative standard error about sqrt(2 / ESS) for a near-normal shape.
  CHECK(std::fabs(var / true_var - 1.0) < 5.0 * std::sqrt(2.0 / ess));
  // Weighted empirical CDF against the Beta CDF: a Kolmogorov–Smirnov distance below 1.63 /
  // sqrt(ESS) (the 1% critical value).
  std::vector<std::size_t> order(particles.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return particles[a] < particles[b]; });
  double cdf = 0.0, ks = 0.0;
  for (std::size_t i : order) {
    const double exact = beta_cdf(particles[i], 7.0, 15.0);
    ks = std::max(ks, std::fabs(cdf - exact));
    cdf += weights[i];
    ks = std::max(ks, std::fabs(cdf - exact));
  }
  INFO("KS distance " << ks);
  CHECK(ks < 1.63 / std::sqrt(ess));
}

TEST_CASE("an ABC-SMC calibration's results do not depend on the number of threads") {
  const std::string file = calibration(
      "threads.toml", "particles = 300\nseed = 5\ngenerations = 3\nquantile = 0.5\npredictive_replicates = 5",
      "\"binomial.p\" = { distribution = \"beta\", a = 2, b = 2 }");
  const std::string one = (fs::path(dir()) / "one.h5").string();
  const std::string two = (fs::path(dir()) / "two.h5").string();
  REQUIRE(calibrate(file, one, false, 1) == 0);
  REQUIRE(calibrate(file, two, false, 3) == 0);
  for (const char* path : {"/abc/particles", "/abc/weights", "/abc/distances", "/abc/tolerance",
                           "/posterior_predictive/k_distribution"}) {
    INFO(path);
    const auto a = read(one, path);
    const auto b = read(two, path);
    REQUIRE(a.size() == b.size());
    CHECK(std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
  }
}

TEST_CASE("a calibration that cannot reach its tolerance stops with an error after saving what it has") {
  // k = 6 needs p near 0.3; a prior on [0.9, 1] almost never gives 6 successes of 20.
  const std::string file = calibration(
      "stuck.toml", "particles = 100\nseed = 2\ngenerations = 5\nquantile = 0.5\nmax_attempts = 3000",
      "\"binomial.p\" = { distribution = \"uniform\", min = 0.9, max = 1.0 }");
  const std::string out = (fs::path(dir()) / "stuck.h5").string();
  try {
    (void)calibrate(file, out);
    FAIL("the calibration did not stop");
  } catch (const std::runtime_error& e) {
    INFO(e.what());
    CHECK(std::string(e.what()).find("could not reach tolerance") != std::string::npos);
    CHECK(std::string(e.what()).find("saved in") != std::string::npos);
  }
  const auto f = sim::output::ResultFile::open(out, false);
  CHECK(f.attribute_string("status") == "stopped");
  CHECK(f.attribute_int("generations") >= 1);
  CHECK(f.read_doubles("/abc/tolerance").size() == static_cast<std::size_t>(f.attribute_int("generations")));
}

TEST_CASE("improper priors and bad calibration files are refused with file, line and key") {
  struct Case {
    const char* what;
    std::string abc;
    std::string priors;
    const char* key;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"unknown parameter", "", "\"binomial.q\" = { distribution = \"uniform\", min = 0, max = 1 }",
       "binomial.q", "unknown parameter"},
      {"min >= max", "", "\"binomial.p\" = { distribution = \"uniform\", min = 0.5, max = 0.5 }", "max",
       "improper prior"},
      {"negative scale", "", "\"binomial.p\" = { distribution = \"normal\", mean = 0.5, sd = -1 }", "sd",
       "must be positive"},
      {"beta shape", "", "\"binomial.p\" = { distribution = \"beta\", a = 0, b = 2 }", "a",
       "must be positive"},
      {"unknown distribution", "", "\"binomial.p\" = { distribution = \"cauchy\" }", "distribution",
       "distribution must be"},
      {"support outside the table", "", "\"binomial.p\" = { distribution = \"uniform\", min = 0, max = 2 }",
       "max", "outside the allowed range"},
      {"log-uniform at 0", "", "\"binomial.p\" = { distribution = \"log-uniform\", min = 0, max = 1 }", "min",
       "min > 0"},
      {"unknown setting", "particle = 10",
       "\"binomial.p\" = { distribution = \"uniform\", min = 0, max = 1 }", "abc.particle", "unknown key"},
      // Model choice ([[variant]]).
      {"a variant sets a calibrated parameter",
       "[[variant]]\nname = \"a\"\nset = { \"binomial.p\" = 0.5 }\n[[variant]]\nname = \"b\"\nset = {}",
       "\"binomial.p\" = { distribution = \"uniform\", min = 0, max = 1 }", "binomial.p", "is calibrated"},
      {"one variant", "[[variant]]\nname = \"a\"\nset = { \"binomial.scale\" = 0.5 }",
       "\"binomial.p\" = { distribution = \"uniform\", min = 0, max = 1 }", "variant", "two [[variant]]"},
      {"a variant's value out of range",
       "[[variant]]\nname = \"a\"\nset = { \"binomial.scale\" = 2 }\n[[variant]]\nname = \"b\"\nset = {}",
       "\"binomial.p\" = { distribution = \"uniform\", min = 0, max = 1 }", "binomial.scale", "range"},
      {"two variants of one name",
       "[[variant]]\nname = \"a\"\nset = {}\n[[variant]]\nname = \"a\"\nset = { \"binomial.scale\" = 0.5 }",
       "\"binomial.p\" = { distribution = \"uniform\", min = 0, max = 1 }", "name", "named twice"},
  };
  for (const Case& c : cases) {
    SECTION(c.what) {
      const std::string file = calibration("bad.toml", c.abc, c.priors);
      const sim::InputError e = lwsim_test::input_error(
          [&] { (void)sim::calibration::load_calibration(file, lwsim_test::toy_registry()); });
      INFO(e.what());
      CHECK(e.file() == file);
      CHECK(e.line() > 0);
      CHECK(e.key().find(c.key) != std::string::npos);
      CHECK(std::string(e.what()).find(c.message) != std::string::npos);
    }
  }
}

TEST_CASE("a calibration of a parameter that a locality sets for itself is refused, naming the locality") {
  // The Deep End's practices are in the locality Glasgow; here it sets its own innovation rate.
  write("glasgow.toml",
        "base = \"<built-in>/deep_end_glasgow.toml\"\n[[locality]]\nname = \"Glasgow\"\n"
        "innovation_rate_mean = 4.0\n");
  const std::string file =
      write("local_calibration.toml",
            "base = \"glasgow.toml\"\n[abc]\nparticles = 10\n[priors]\n"
            "\"context.gp_buy_in_mean\" = { distribution = \"uniform\", min = 0.2, max = 0.9 }\n"
            "\"context.innovation_rate_mean\" = { distribution = \"uniform\", min = 1, max = 8 }\n");
  const sim::InputError e = lwsim_test::input_error(
      [&] { (void)sim::calibration::load_calibration(file, lwsim_test::registry()); });
  INFO(e.what());
  CHECK(e.file() == file);
  CHECK(e.line() == 6);
  CHECK(e.key() == "priors.context.innovation_rate_mean");
  CHECK(e.detail().find("locality 'Glasgow'") != std::string::npos);
  CHECK(e.detail().find("glasgow.toml:4: locality[0].innovation_rate_mean") != std::string::npos);
}

TEST_CASE("an observed count larger than the number of practices is refused") {
  const std::string scenario =
      write("seven.toml", "[run]\nobserved = \"eight.toml\"\n[[practice]]\nname = \"A\"\nlist_size = 3000\n");
  write("eight.toml", "source = \"x\"\nfip = 2\n");
  try {
    (void)sim::load_scenario(scenario, lwsim_test::registry());
    FAIL("accepted");
  } catch (const sim::InputError& e) {
    CHECK(e.key() == "fip");
    CHECK(std::string(e.what()).find("impossible with 1 practices") != std::string::npos);
  }
}

TEST_CASE("weighted quantiles and the effective sample size are those of the weights") {
  CHECK(sim::calibration::weighted_quantile({3, 1, 2}, {1, 1, 1}, 0.5) == 2.0);
  CHECK(sim::calibration::weighted_quantile({3, 1, 2}, {0, 0, 1}, 0.5) == 2.0);
  CHECK(sim::calibration::weighted_quantile({3, 1, 2}, {10, 1, 1}, 0.5) == 3.0);
  sim::calibration::Generation g;
  g.weights = {0.25, 0.25, 0.25, 0.25};
  CHECK(g.effective_sample_size() == Approx(4.0));
  g.weights = {1.0, 0.0};
  CHECK(g.effective_sample_size() == Approx(1.0));
}

TEST_CASE("a pattern's distance is its distance to what was observed, infinite when undefined") {
  const double inf = std::numeric_limits<double>::infinity();
  sim::ObservedPattern positive;
  positive.kind = sim::PatternKind::sign;
  positive.low = 0.0;
  positive.high = inf;
  CHECK(positive.distance(0.3) == 0.0);
  CHECK(positive.distance(0.0) == 0.0);
  CHECK(positive.distance(-0.25) == 0.25);
  CHECK(positive.distance(std::nan("")) == inf);
  CHECK(positive.expectation() == "> 0");
  sim::ObservedPattern interval;
  interval.kind = sim::PatternKind::interval;
  interval.low = 0.0;
  interval.high = 0.5;
  CHECK(interval.distance(0.2) == 0.0);
  CHECK(interval.distance(0.75) == 0.25);
  CHECK(interval.distance(-0.5) == 0.5);
  CHECK(interval.expectation() == "in [0, 0.5]");
  sim::ObservedPattern proportion;
  proportion.kind = sim::PatternKind::proportion;
  proportion.observed = 0.25;
  proportion.tolerance = 0.05;
  CHECK(proportion.distance(0.27) == 0.0);
  CHECK(proportion.distance(0.5) == Approx(0.2));
  CHECK(proportion.distance(0.0) == Approx(0.2));
  CHECK(proportion.expectation() == "= 0.25 ± 0.05");
}

TEST_CASE("the robust scale is the median absolute deviation, with fallbacks that never divide by 0") {
  using sim::calibration::robust_scale;
  // Median 3, absolute deviations {2, 1, 0, 1, 7}: median 1.
  CHECK(robust_scale({1.0, 2.0, 3.0, 4.0, 10.0}) == 1.0);
  // Even count: median 2.5 of {1, 2, 3, 4}, deviations {1.5, 0.5, 0.5, 1.5}: median 1.
  CHECK(robust_scale({4.0, 1.0, 3.0, 2.0}) == 1.0);
  // Non-finite values are left out.
  CHECK(robust_scale({1.0, std::nan(""), 2.0, 3.0, std::numeric_limits<double>::infinity(), 4.0, 10.0}) ==
        1.0);
  // Most values equal: MAD 0, so the mean absolute deviation from the median (8 / 5).
  CHECK(robust_scale({2.0, 2.0, 2.0, 2.0, 10.0}) == Approx(1.6));
  // All equal, or nothing finite: 1.
  CHECK(robust_scale({3.0, 3.0, 3.0}) == 1.0);
  CHECK(robust_scale({std::nan("")}) == 1.0);
  CHECK(robust_scale({}) == 1.0);
}

TEST_CASE(
    "an adaptive distance divides each term by its statistic's spread over the last generation's "
    "simulations") {
  // Two statistics of one parameter x ~ U(0, 1) on scales 1,000 apart: s0 = 1000 x, s1 = x, both
  // observed at the value x = 0.3 gives. Unscaled, the distance would be the first term alone.
  sim::calibration::Prior prior;
  prior.parameter = "x";
  prior.min = 0.0;
  prior.max = 1.0;
  std::vector<sim::calibration::DistanceTerm> terms(2);
  terms[0].observable = "s0";
  terms[0].index = 0;
  terms[0].observed = 300.0;
  terms[1].observable = "s1";
  terms[1].index = 1;
  terms[1].observed = 0.3;
  sim::calibration::AbcSettings settings;
  settings.particles = 200;
  settings.seed = 9;
  settings.max_generations = 3;
  const sim::calibration::AbcSmc abc({prior}, terms, settings);
  std::vector<std::vector<double>> evaluated;  // every statistic simulated, in order
  const sim::calibration::Evaluator evaluate = [&](const std::vector<std::vector<double>>& values,
                                                   const std::vector<std::uint32_t>&,
                                                   const std::vector<std::size_t>&) {
    std::vector<std::vector<double>> out;
    for (const auto& v : values) out.push_back({1000.0 * v[0], v[0]});
    evaluated.insert(evaluated.end(), out.begin(), out.end());
    return out;
  };
  sim::calibration::AbcState state;
  for (int g = 0; g < 3; ++g) {
    const std::size_t before = evaluated.size();
    abc.run_generation(state, evaluate, nullptr);
    const sim::calibration::Generation& gen = state.generations.back();
    // The spread of each statistic over the proposals the generation simulated, in order.
    const auto simulated = static_cast<std::ptrdiff_t>(gen.simulated);
    for (std::size_t j = 0; j < 2; ++j) {
      std::vector<double> column;
      for (auto it = evaluated.begin() + static_cast<std::ptrdiff_t>(before);
           it != evaluated.begin() + static_cast<std::ptrdiff_t>(before) + simulated; ++it) {
        column.push_back((*it)[j]);
      }
      CHECK(gen.spread[j] == sim::calibration::robust_scale(column));
    }
    CHECK(gen.spread[0] == Approx(1000.0 * gen.spread[1]).epsilon(1e-9));
    if (g == 0) {
      CHECK(gen.scales == std::vector<double>{1.0, 1.0});
    } else {
      CHECK(gen.scales == state.generations[state.generations.size() - 2].spread);
    }
    for (std::size_t i = 0; i < gen.particles.size(); ++i) {
      const double x = gen.particles[i][0];
      const double expected =
          std::fabs(1000.0 * x - 300.0) / gen.scales[0] + std::fabs(x - 0.3) / gen.scales[1];
      CHECK(gen.distances[i] == Approx(expected).epsilon(1e-12));
      if (g > 0) CHECK(gen.distances[i] <= gen.tolerance);
    }
  }
  // Scaled, the two terms weigh alike: the distance of the last population's particles is twice
  // the first term's share.
  const sim::calibration::Generation& last = state.generations.back();
  CHECK(last.distances[0] == Approx(2.0 * std::fabs(1000.0 * last.particles[0][0] - 300.0) / last.scales[0]));
}

namespace {

/// Simulation-based calibration (Talts et al. 2018) of the binomial toy: for each trial a true p
/// is drawn from the uniform prior, k ~ Binomial(20, p) is simulated from it (the toy model's own
/// distribution, drawn here from a stream of the trial) and shifted by `bias` (0 for a correct
/// observation model), the calibration runs to exact matching, and the posterior CDF at the true p
/// is recorded. Returns the chi-square statistic of those values in `bins` equal bins.
double sbc_chi_square(int trials, int bins, int bias, const std::string& tag) {
  std::vector<int> counts(static_cast<std::size_t>(bins), 0);
  for (int t = 0; t < trials; ++t) {
    sim::Stream s({77, static_cast<std::uint32_t>(t)}, {0, 0, 0});
    const double p_true = sim::random::uniform(s);
    int k = 0;
    for (int i = 0; i < 20; ++i) k += sim::random::bernoulli(s, p_true) ? 1 : 0;
    k = std::clamp(k + bias, 0, 20);
    write(tag + "_base.toml", "model = \"binomial\"\n[run]\nseed = 3\nobserved = \"" + tag +
                                  "_k.toml\"\n[binomial]\ntrials = 20\n");
    write(tag + "_k.toml", "source = \"simulated\"\nk = " + std::to_string(k) + "\n");
    const std::string file =
        write(tag + ".toml", "base = \"" + tag +
                                 "_base.toml\"\n[abc]\nparticles = 200\nseed = " + std::to_string(1000 + t) +
                                 "\ngenerations = 10\nmin_tolerance = 0\nquantile = 0.5\n"
                                 "predictive_replicates = 1\n[priors]\n"
                                 "\"binomial.p\" = { distribution = \"uniform\", min = 0.0, "
                                 "max = 1.0 }\n");
    const std::string out = (fs::path(dir()) / (tag + ".h5")).string();
    fs::remove(out);
    REQUIRE(calibrate(file, out, false, 1) == 0);
    REQUIRE(read(out, "/abc/tolerance").back() == 0.0);
    const auto particles = read(out, "/posterior/particles");
    const auto weights = read(out, "/posterior/weights");
    double below = 0.0;
    for (std::size_t i = 0; i < particles.size(); ++i) below += particles[i] < p_true ? weights[i] : 0.0;
    ++counts[static_cast<std::size_t>(std::min(bins - 1, static_cast<int>(below * bins)))];
  }
  const double expected = static_cast<double>(trials) / bins;
  double chi_square = 0.0;
  for (int c : counts) chi_square += (c - expected) * (c - expected) / expected;
  return chi_square;
}

}  // namespace

TEST_CASE("simulation-based calibration: the posterior ranks of true values are uniform") {
  // 60 trials in 5 bins (12 expected in each): uniform ranks give a chi-square on 4 degrees of
  // freedom, above 18.47 with probability 0.001. A calibration that mis-states its observation
  // model (every observed k three too high) must fail the same test, so that it can fail.
  const double correct = sbc_chi_square(60, 5, 0, "sbc");
  INFO("chi-square of the correct calibration " << correct);
  CHECK(correct < 18.47);
  const double biased = sbc_chi_square(60, 5, 3, "sbc_biased");
  INFO("chi-square of the biased calibration " << biased);
  CHECK(biased > 18.47);
}

TEST_CASE("the variance over posterior draws splits into the parameters' and the stochastic part") {
  // Four replicates: particle 0 gave 1 and 3, particle 1 gave 5 and 7. Total variance 20/3; within
  // the particles (1 + 1 + 1 + 1) / (4 - 2) = 2; the parameters' part the rest, 14/3. The inputs
  // are the stored means per replicate.
  const auto split =
      sim::calibration::split_variance({0.5, 0.5, 0.0}, {1.0, 3.0, 0.0}, {2.5, 18.5, 0.0}, 4.0);
  CHECK(split.particles == 2);
  CHECK(split.total == Approx(20.0 / 3.0));
  CHECK(split.stochastic == Approx(2.0));
  CHECK(split.parameter == Approx(14.0 / 3.0));
  // One particle drawn every time: all of the variance is stochastic.
  const auto one = sim::calibration::split_variance({1.0}, {4.0}, {17.0}, 4.0);  // values 3, 3, 5, 5
  CHECK(one.total == Approx(4.0 / 3.0));
  CHECK(one.parameter == Approx(0.0).margin(1e-12));
}

TEST_CASE("ABC-SMC model choice recovers the posterior probabilities of two binomial models") {
  // Two variants of the binomial toy (binomial.scale, a switch): the success probability is p or
  // p / 2, with p ~ U(0, 1), and k = 6 of 20 observed. The marginal likelihoods are 1/21 and
  // (2/21) P(Beta(7, 15) < 1/2), so with a uniform prior over the models P("lower half" | k) =
  // 2I / (1 + 2I), I = P(Beta(7, 15) < 1/2).
  write_binomial_base();
  const std::string file = write(
      "models.toml",
      "base = \"binomial.toml\"\n[abc]\nparticles = 2000\nseed = 13\ngenerations = 10\nmin_tolerance = 0\n"
      "quantile = 0.5\npredictive_replicates = 2\n"
      "[[variant]]\nname = \"full range\"\nset = { \"binomial.scale\" = 1.0 }\n"
      "[[variant]]\nname = \"lower half\"\nset = { \"binomial.scale\" = 0.5 }\n"
      "[priors]\n\"binomial.p\" = { distribution = \"uniform\", min = 0.0, max = 1.0 }\n");
  const std::string out = (fs::path(dir()) / "models.h5").string();
  fs::remove(out);
  REQUIRE(calibrate(file, out) == 0);
  REQUIRE(read(out, "/abc/tolerance").back() == 0.0);
  const double i = beta_cdf(0.5, 7.0, 15.0);
  const double exact = 2.0 * i / (1.0 + 2.0 * i);
  const auto p = read(out, "/posterior/model_probability");
  const auto se = read(out, "/posterior/model_probability_se");
  REQUIRE(p.size() == 2);
  INFO("P(lower half) " << p[1] << " +- " << se[1] << ", exact " << exact);
  CHECK(p[0] + p[1] == Approx(1.0));
  CHECK(std::fabs(p[1] - exact) < 4.0 * std::sqrt(exact * (1.0 - exact) / 2000.0) + 4.0 * se[1]);
  // The particles of each model: scale x p must give k = 6 exactly, so "lower half" particles
  // have p up to 1 and "full range" ones spread around 0.3.
  const auto models = read(out, "/abc/model");
  const auto particles = read(out, "/posterior/particles");
  const std::size_t last = models.size() - 2000;
  double mean_full = 0.0, mean_half = 0.0, w_full = 0.0, w_half = 0.0;
  const auto weights = read(out, "/posterior/weights");
  for (std::size_t j = 0; j < 2000; ++j) {
    (models[last + j] == 0 ? mean_full : mean_half) += weights[j] * particles[j];
    (models[last + j] == 0 ? w_full : w_half) += weights[j];
  }
  CHECK(mean_full / w_full == Approx(7.0 / 22.0).margin(0.03));
  CHECK(mean_half / w_half > 0.5);
}
