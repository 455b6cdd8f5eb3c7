// Claims about global sensitivity analysis (sim/sensitivity): Sobol indices of the Ishigami
// function match their analytic values within the bootstrap uncertainty, Morris effects of a
// linear function are its coefficients, the Saltelli design has its documented structure, and the
// whole command runs through the engine.

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <sstream>

#include <catch2/catch.hpp>

#include "sim/cli/commands.hpp"
#include "sim/design/design.hpp"
#include "sim/error.hpp"
#include "sim/mpi/session.hpp"
#include "sim/output/result_file.hpp"
#include "sim/sensitivity/indices.hpp"
#include "sim/sensitivity/sensitivity_file.hpp"
#include "tests/support/test_support.hpp"
#include "tests/support/toy_models.hpp"

namespace {
namespace fs = std::filesystem;

// The Ishigami function's analytic indices for a = 7, b = 0.1 (Ishigami and Homma 1990; Sobol'
// and Levitan 1999), inputs uniform on [-pi, pi].
constexpr double kPi = std::numbers::pi;
const double kA = 7.0, kB = 0.1;
const double kV1 = 0.5 * std::pow(1.0 + kB * std::pow(kPi, 4) / 5.0, 2);
const double kV2 = kA * kA / 8.0;
const double kV13 = kB * kB * std::pow(kPi, 8) * (1.0 / 18.0 - 1.0 / 50.0);
const double kV = kV1 + kV2 + kV13;

double ishigami(const std::vector<double>& x) {
  return std::sin(x[0]) + kA * std::pow(std::sin(x[1]), 2) + kB * std::pow(x[2], 4) * std::sin(x[0]);
}

std::string dir() {
  return lwsim_test::temporary_path("sensitivity");
}

std::string write(const std::string& name, const std::string& text) {
  return lwsim_test::write_file("sensitivity", name, text);
}

using lwsim_test::session;

}  // namespace

TEST_CASE("the Saltelli design is A, B, then A with one column from B for each parameter") {
  const std::size_t n = 16, d = 3;
  const auto points = sim::sensitivity::saltelli_design(n, d);
  REQUIRE(points.size() == n * (d + 2));
  for (std::size_t j = 0; j < n; ++j) {
    for (std::size_t i = 0; i < d; ++i) {
      for (std::size_t k = 0; k < d; ++k) {
        const double expected = k == i ? points[n + j][k] : points[j][k];
        CHECK(points[(2 + i) * n + j][k] == expected);
      }
    }
  }
}

TEST_CASE(
    "Sobol indices of the Ishigami function match the analytic values within the bootstrap uncertainty") {
  const std::size_t n = 8192, d = 3;
  const auto unit = sim::sensitivity::saltelli_design(n, d);
  std::vector<double> y;
  for (const auto& u : unit)
    y.push_back(ishigami({-kPi + 2 * kPi * u[0], -kPi + 2 * kPi * u[1], -kPi + 2 * kPi * u[2]}));
  const auto idx = sim::sensitivity::sobol_indices(y, n, d, 500, 0.999, 7);
  const std::vector<double> first = {kV1 / kV, kV2 / kV, 0.0};
  const std::vector<double> total = {(kV1 + kV13) / kV, kV2 / kV, kV13 / kV};
  for (std::size_t i = 0; i < d; ++i) {
    INFO("x" << i + 1 << ": S = " << idx.first_order[i] << " [" << idx.first_order_ci[i].lower << ", "
             << idx.first_order_ci[i].upper << "] (true " << first[i] << "), ST = " << idx.total_order[i]
             << " [" << idx.total_order_ci[i].lower << ", " << idx.total_order_ci[i].upper << "] (true "
             << total[i] << ")");
    // The 99.9% bootstrap interval covers the analytic value (the bootstrap treats the
    // quasi-random rows as random, so it is conservative), and the interval is informative.
    CHECK(idx.first_order_ci[i].lower <= first[i]);
    CHECK(first[i] <= idx.first_order_ci[i].upper);
    CHECK(idx.total_order_ci[i].lower <= total[i]);
    CHECK(total[i] <= idx.total_order_ci[i].upper);
    CHECK(idx.first_order_ci[i].upper - idx.first_order_ci[i].lower < 0.15);
    CHECK(std::fabs(idx.first_order[i] - first[i]) < 0.05);
    CHECK(std::fabs(idx.total_order[i] - total[i]) < 0.05);
  }
  CHECK(idx.variance == Approx(kV).epsilon(0.05));
}

TEST_CASE("Morris effects of a linear function are its coefficients, with no spread") {
  const std::size_t d = 3;
  std::vector<std::vector<sim::sensitivity::MorrisStep>> steps;
  const auto points = sim::sensitivity::morris_design(40, d, 4, 3, steps);
  REQUIRE(points.size() == 40 * (d + 1));
  std::vector<double> y;
  for (const auto& p : points) {
    for (double v : p) {
      REQUIRE(v >= 0.0);
      REQUIRE(v <= 1.0);
    }
    y.push_back(3.0 * p[0] - 2.0 * p[1] + 0.0 * p[2]);
  }
  const auto e = sim::sensitivity::morris_effects(y, steps, d, 200, 0.95, 1);
  CHECK(e.mu[0] == Approx(3.0));
  CHECK(e.mu[1] == Approx(-2.0));
  CHECK(e.mu_star[1] == Approx(2.0));
  CHECK(e.mu_star[2] == Approx(0.0).margin(1e-12));
  CHECK(e.sigma[0] == Approx(0.0).margin(1e-9));
  // Each trajectory moves every parameter exactly once, by ±Δ = 4 / (2 * 3).
  for (const auto& t : steps) {
    std::vector<int> moved(d, 0);
    for (const auto& s : t) {
      ++moved[s.parameter];
      CHECK(std::fabs(s.delta) == Approx(2.0 / 3.0));
    }
    CHECK(moved == std::vector<int>{1, 1, 1});
  }
}

TEST_CASE("lwsim sensitivity finds the Ishigami function's indices through the whole engine") {
  write("ishigami.toml", "model = \"ishigami\"\n[run]\nreplicates = 1\nseed = 1\n");
  const std::string file =
      write("sobol.toml",
            "base = \"ishigami.toml\"\n[sensitivity]\nmethod = \"sobol\"\nsamples = 4096\n"
            "replicates = 1\nbootstrap = 300\nconfidence = 0.999\n[outputs]\nY = \"/summary/y\"\n"
            "[parameters]\n\"ishigami.x1\" = { min = -3.141592653589793, max = 3.141592653589793 }\n"
            "\"ishigami.x2\" = { min = -3.141592653589793, max = 3.141592653589793 }\n"
            "\"ishigami.x3\" = { min = -3.141592653589793, max = 3.141592653589793 }\n");
  sim::cli::SensitivityArgs args;
  args.file = file;
  args.output = (fs::path(dir()) / "sobol.h5").string();
  args.quiet = true;
  args.threads = 2;
  std::ostringstream text;
  REQUIRE(sim::cli::sensitivity_command(args, lwsim_test::toy_registry(), text, session()) == 0);
  const auto f = sim::output::ResultFile::open(args.output, false);
  const auto first = f.read_doubles("/sensitivity/first_order");
  const auto total = f.read_doubles("/sensitivity/total_order");
  const auto first_ci = f.read_doubles("/sensitivity/first_order_ci");
  const std::vector<double> exact_first = {kV1 / kV, kV2 / kV, 0.0};
  const std::vector<double> exact_total = {(kV1 + kV13) / kV, kV2 / kV, kV13 / kV};
  for (std::size_t i = 0; i < 3; ++i) {
    INFO(text.str());
    CHECK(std::fabs(first[i] - exact_first[i]) < 0.06);
    CHECK(std::fabs(total[i] - exact_total[i]) < 0.06);
    CHECK(first_ci[2 * i] <= exact_first[i]);
    CHECK(exact_first[i] <= first_ci[2 * i + 1]);
  }
  CHECK(f.read_doubles("/sensitivity/outputs").size() == 4096 * 5);
}

TEST_CASE("bad sensitivity files are refused with file, line and key") {
  write("ishigami.toml", "model = \"ishigami\"\n");
  const auto error_of = [&](const std::string& body) {
    const std::string file = write("bad.toml", "base = \"ishigami.toml\"\n" + body);
    sim::cli::SensitivityArgs args;
    args.file = file;
    args.output = (fs::path(dir()) / "never.h5").string();
    std::ostringstream text;
    try {
      (void)sim::cli::sensitivity_command(args, lwsim_test::toy_registry(), text, session());
    } catch (const sim::InputError& e) {
      CHECK_FALSE(fs::exists(args.output));
      return std::string(e.what());
    }
    FAIL("accepted");
    return std::string();
  };
  const std::string outputs = "[outputs]\nY = \"/summary/y\"\n";
  CHECK(error_of("[sensitivity]\nmethod = \"fast\"\n" + outputs +
                 "[parameters]\n\"ishigami.x1\" = { min = 0, max = 1 }\n")
            .find("bad.toml:3: sensitivity.method") != std::string::npos);
  CHECK(error_of("[sensitivity]\nmethod = \"morris\"\nlevels = 3\n" + outputs +
                 "[parameters]\n\"ishigami.x1\" = { min = 0, max = 1 }\n")
            .find("even number of levels") != std::string::npos);
  CHECK(error_of("[sensitivity]\nmethod = \"sobol\"\n[outputs]\nY = "
                 "\"/summary/z\"\n[parameters]\n\"ishigami.x1\" = { "
                 "min = 0, max = 1 }\n")
            .find("no per-point summary named '/summary/z'") != std::string::npos);
  CHECK(error_of("[sensitivity]\nmethod = \"sobol\"\n" + outputs +
                 "[parameters]\n\"ishigami.x1\" = { min = 1, max = 0 }\n")
            .find("must be greater than min") != std::string::npos);
  CHECK(error_of("[sensitivity]\nmethod = \"sobol\"\n" + outputs +
                 "[parameters]\n\"ishigami.x9\" = { min = 0, max = 1 }\n")
            .find("unknown parameter") != std::string::npos);
}

TEST_CASE(
    "a sensitivity analysis of a parameter that a locality sets for itself is refused, naming the locality") {
  write("local.toml",
        "[[practice]]\nname = \"A\"\nlist_size = 3000\n[[locality]]\nname = \"default\"\ncapacity = 5\n");
  const std::string file =
      write("local_sensitivity.toml",
            "base = \"local.toml\"\n[sensitivity]\nmethod = \"morris\"\n[outputs]\nP = "
            "\"/summary/mean_fip_count\"\n[parameters]\n\"community.capacity\" = { min = 1, max = 50 }\n");
  const sim::InputError e = lwsim_test::input_error(
      [&] { (void)sim::sensitivity::load_sensitivity(file, lwsim_test::registry()); });
  INFO(e.what());
  CHECK(e.file() == file);
  CHECK(e.line() == 7);
  CHECK(e.key() == "parameters.community.capacity");
  CHECK(e.detail().find("locality 'default'") != std::string::npos);
  CHECK(e.detail().find("locality[0].capacity") != std::string::npos);
}
