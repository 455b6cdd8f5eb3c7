// Claims about exact sums (sim/block.hpp) and the summaries the writer computes from them
// (sim/output/writer.hpp): sums that do not depend on the order of addition, means over
// replicates, conditional means with broadcast denominators, observable distributions and
// P(observed) with its Monte Carlo standard error.

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "sim/block.hpp"
#include "sim/model.hpp"
#include "sim/output/layout.hpp"
#include "sim/output/writer.hpp"
#include "sim/random.hpp"
#include "sim/rng.hpp"
#include "sim/run/runner.hpp"
#include "sim/schema.hpp"
#include "tests/sim/builders.hpp"
#include "tests/support/test_support.hpp"

namespace {

using lwsim_test::identical;

// A toy output: a count per replicate (an observable, 0..4), a flag per practice, a mean per
// practice, a count of "eligible" replicates per practice, and a per-(practice, week) value
// averaged over the eligible replicates only.
struct ToyOutputs {
  sim::OutputSchema schema;
  sim::FieldId<std::int32_t> count;
  sim::FieldId<std::uint8_t> flag;
  sim::AccumulatorId mean, eligible, conditional;
};

ToyOutputs toy_outputs() {
  ToyOutputs t;
  sim::OutputSchema& s = t.schema;
  s.dims = {sim_test::dimension("practice", 3, {"A", "B", "C"}), sim_test::dimension("week", 2)};
  const sim::SchemaGroup results(s, "/results");
  t.count = results.field<std::int32_t>("count", {}, "a field", "1");
  t.flag = results.field<std::uint8_t>("flag", {"practice"}, "a field", "1");
  const sim::SchemaGroup summary(s, "/summary");
  t.mean = summary.accumulator("mean", {"practice"}, "an accumulator", "1");
  t.eligible = summary.accumulator("eligible", {"practice"}, "an accumulator", "1", sim::counts());
  t.conditional = sim::SchemaGroup(s, "/timeseries")
                      .accumulator("conditional", {"practice", "week"}, "an accumulator", "1",
                                   sim::fixed_point(32, t.eligible));
  (void)s.add_observable("count", t.count, 0, 4, "an observable", "", true);
  s.check();
  return t;
}

sim::OutputSchema toy_schema() {
  return toy_outputs().schema;
}

class ToyWorkspace final : public sim::Workspace {
 public:
  [[nodiscard]] std::uint64_t philox_calls() const noexcept override { return 0; }
};

// Replicate r: count = r mod 5; mean contribution 0.25 r + p; practice p is eligible when r is
// odd, except practice C which never is; when eligible it contributes 0.5 (week + 1).
class ToySimulation final : public sim::Simulation {
 public:
  [[nodiscard]] std::unique_ptr<sim::Workspace> make_workspace() const override {
    return std::make_unique<ToyWorkspace>();
  }
  void run_replicate(sim::StreamKey key, const sim::ReplicateOutput& out, sim::Workspace&) const override {
    const std::uint32_t r = key.replicate;
    *out.field(outputs_.count) = static_cast<std::int32_t>(r % 5U);
    for (std::size_t p = 0; p < 3; ++p) {
      out.field(outputs_.flag)[p] = static_cast<std::uint8_t>((r + p) % 2U);
      out.accumulator(outputs_.mean).add(p, 0.25 * r + static_cast<double>(p));
      const bool eligible = p != 2 && r % 2U == 1U;
      out.accumulator(outputs_.eligible).add_count(p, eligible ? 1 : 0);
      for (std::size_t w = 0; w < 2; ++w) {
        out.accumulator(outputs_.conditional)
            .add(p * 2 + w, eligible ? 0.5 * static_cast<double>(w + 1) : 0.0);
      }
    }
  }

 private:
  ToyOutputs outputs_ = toy_outputs();
};

struct ToyRun {
  sim::PointSummary summary;
  int summaries = 0;
};

// Runs `replicates` replicates of the toy in blocks of `block`, consuming the blocks in the
// given order (indices into make_tasks), and returns the summary.
ToyRun run_toy(std::uint32_t replicates, std::uint32_t block, const sim::Observation* observed,
               bool reverse = false) {
  const sim::OutputSchema schema = toy_schema();
  const sim::BlockLayout layout(schema, block);
  const auto file_layout = sim::output::make_layout(schema, {}, replicates, observed);
  ToyRun run;
  sim::output::ResultWriter writer(nullptr, file_layout, schema, layout, replicates, observed,
                                   [&](std::uint32_t point, const sim::PointSummary& s) {
                                     CHECK(point == 0);
                                     run.summary = s;
                                     ++run.summaries;
                                   });
  std::vector<sim::Task> tasks = sim::make_tasks({0}, replicates, block);
  if (reverse) std::reverse(tasks.begin(), tasks.end());
  const ToySimulation simulation;
  ToyWorkspace workspace;
  for (std::size_t t = 0; t < tasks.size(); ++t) {
    sim::BlockResult result;
    sim::run_block(simulation, layout, tasks[t], 1, workspace, result);
    writer.consume(result);
    // The summary appears once, when the last block is in, not before.
    CHECK(run.summaries == (t + 1 == tasks.size() ? 1 : 0));
  }
  writer.finish();
  CHECK(writer.points_completed() == 1);
  return run;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Accumulator

TEST_CASE("an exact sum does not depend on the order of addition") {
  // Values spanning twelve orders of magnitude, both signs: in floating point their sum would
  // depend on the order; as fixed-point integers it cannot.
  sim::Stream s({5, 0}, {0, 0, 0});
  std::vector<double> values;
  for (int i = 0; i < 20000; ++i) {
    const double magnitude = std::pow(10.0, static_cast<double>(sim::random::index(s, 13)) - 6.0);
    const double sign = sim::random::bernoulli(s, 0.5) ? 1.0 : -1.0;
    values.push_back(sign * magnitude * sim::random::uniform(s));
  }
  const double scale = std::ldexp(1.0, 32);
  const auto sum_in = [&](const std::vector<std::size_t>& order) {
    std::int64_t sum = 0;
    const sim::Accumulator acc{&sum, scale};
    for (std::size_t i : order) acc.add(0, values[i]);
    return sum;
  };
  std::vector<std::size_t> forward(values.size());
  std::iota(forward.begin(), forward.end(), 0U);
  std::vector<std::size_t> backward(forward.rbegin(), forward.rend());
  std::vector<std::size_t> shuffled = forward;
  for (std::size_t i = shuffled.size() - 1; i > 0; --i) {
    std::swap(shuffled[i], shuffled[sim::random::index(s, static_cast<std::uint32_t>(i + 1))]);
  }
  std::vector<std::size_t> by_size = forward;
  std::sort(by_size.begin(), by_size.end(),
            [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  const std::int64_t reference = sum_in(forward);
  CHECK(sum_in(backward) == reference);
  CHECK(sum_in(shuffled) == reference);
  CHECK(sum_in(by_size) == reference);
}

TEST_CASE("an exact sum is within half a unit of 2^-fraction_bits per value of the true sum") {
  sim::Stream s({6, 0}, {0, 0, 0});
  for (int fraction_bits : {0, 8, 32}) {
    const double scale = std::ldexp(1.0, fraction_bits);
    std::int64_t sum = 0;
    const sim::Accumulator acc{&sum, scale};
    long double exact = 0.0L;
    constexpr int n = 5000;
    for (int i = 0; i < n; ++i) {
      const double v = 100.0 * sim::random::uniform(s) - 50.0;
      acc.add(0, v);
      exact += static_cast<long double>(v);
    }
    const long double bound = n * 0.5L / static_cast<long double>(scale) + 1e-9L;
    INFO("fraction bits " << fraction_bits);
    CHECK(std::fabs(static_cast<long double>(sum) / static_cast<long double>(scale) - exact) <= bound);
  }
}

TEST_CASE("add_count adds whole counts and add rounds to the nearest unit") {
  std::int64_t sums[2] = {0, 0};
  const sim::Accumulator counts{sums, 1.0};
  counts.add_count(0, 3);
  counts.add_count(0, 4);
  counts.add(1, 2.4);
  counts.add(1, 2.6);
  counts.add(1, -1.6);
  CHECK(sums[0] == 7);
  CHECK(sums[1] == 2 + 3 - 2);
}

TEST_CASE("a block layout gives every field, accumulator and histogram its own bytes") {
  const sim::OutputSchema schema = toy_schema();
  const sim::BlockLayout layout(schema, 5);
  CHECK(layout.field_count() == 2);
  CHECK(layout.accumulator_count() == 3);
  CHECK(layout.observable_count() == 1);
  // Regions in order, 8-byte aligned, not overlapping, and large enough.
  struct Region {
    std::size_t offset, bytes;
  };
  std::vector<Region> regions = {{layout.field_offset(0), 5 * 4},       {layout.field_offset(1), 5 * 3},
                                 {layout.accumulator_offset(0), 3 * 8}, {layout.accumulator_offset(1), 3 * 8},
                                 {layout.accumulator_offset(2), 6 * 8}, {layout.histogram_offset(0), 5 * 8}};
  for (std::size_t i = 0; i < regions.size(); ++i) {
    CHECK(regions[i].offset % 8 == 0);
    if (i + 1 < regions.size()) CHECK(regions[i].offset + regions[i].bytes <= regions[i + 1].offset);
  }
  CHECK(regions.back().offset + regions.back().bytes <= layout.bytes());
  CHECK(layout.histogram_bins(0) == 5);
  CHECK(layout.accumulator_scale(0) == std::ldexp(1.0, 32));
  CHECK(layout.accumulator_scale(1) == 1.0);
}

// ---------------------------------------------------------------------------------------------
// Summaries through the writer

TEST_CASE("a mean accumulator is divided by the number of replicates") {
  const ToyRun run = run_toy(13, 4, nullptr);
  REQUIRE(run.summaries == 1);
  CHECK(run.summary.replicates == 13);
  const auto& mean = run.summary.at("/summary/mean");
  REQUIRE(mean.size() == 3);
  // mean over r = 0..12 of 0.25 r + p = 0.25 * 6 + p, exactly representable.
  for (std::size_t p = 0; p < 3; ++p) CHECK(mean[p] == 1.5 + static_cast<double>(p));
}

TEST_CASE("a conditional mean divides by its denominator, broadcast over trailing dimensions") {
  const ToyRun run = run_toy(13, 4, nullptr);
  const auto& eligible = run.summary.at("/summary/eligible");
  // Six odd replicates in 0..12; practice C never eligible. The denominator itself is a mean.
  CHECK(eligible[0] == 6.0 / 13.0);
  CHECK(eligible[1] == 6.0 / 13.0);
  CHECK(eligible[2] == 0.0);
  const auto& conditional = run.summary.at("/timeseries/conditional");
  REQUIRE(conditional.size() == 6);  // [practice, week]
  // Practices A and B: the mean over eligible replicates of 0.5 (week + 1).
  CHECK(conditional[0] == 0.5);
  CHECK(conditional[1] == 1.0);
  CHECK(conditional[2] == 0.5);
  CHECK(conditional[3] == 1.0);
}

TEST_CASE("a conditional mean with a zero denominator is NaN, not zero or infinity") {
  const ToyRun run = run_toy(13, 4, nullptr);
  const auto& conditional = run.summary.at("/timeseries/conditional");
  CHECK(std::isnan(conditional[4]));
  CHECK(std::isnan(conditional[5]));
}

TEST_CASE("an observable's distribution is the share of replicates at each value") {
  const ToyRun run = run_toy(13, 4, nullptr);
  const auto& distribution = run.summary.at("/summary/count_distribution");
  REQUIRE(distribution.size() == 5);
  // r mod 5 over r = 0..12: the values 0, 1, 2 three times, 3 and 4 twice.
  CHECK(distribution[0] == 3.0 / 13.0);
  CHECK(distribution[1] == 3.0 / 13.0);
  CHECK(distribution[2] == 3.0 / 13.0);
  CHECK(distribution[3] == 2.0 / 13.0);
  CHECK(distribution[4] == 2.0 / 13.0);
  CHECK(std::accumulate(distribution.begin(), distribution.end(), 0.0) == Approx(1.0).epsilon(1e-15));
  CHECK(run.summary.arrays.count(sim::output::kObservedProbabilityPath) == 0);
}

TEST_CASE("P(observed) is the observed value's share with standard error sqrt(p (1 - p) / n)") {
  sim::Observation observed;
  observed.values = {{"count", 3}};
  const ToyRun run = run_toy(13, 4, &observed);
  const auto& p = run.summary.at(sim::output::kObservedProbabilityPath);
  const auto& se = run.summary.at(sim::output::kObservedErrorPath);
  REQUIRE(p.size() == 1);
  REQUIRE(se.size() == 1);
  CHECK(p[0] == 2.0 / 13.0);
  CHECK(se[0] == Approx(std::sqrt((2.0 / 13.0) * (11.0 / 13.0) / 13.0)).epsilon(1e-14));
}

TEST_CASE("an observed value that no replicate can take has P(observed) = 0 with zero error") {
  for (std::int64_t value : {-1, 5, 1000}) {
    sim::Observation observed;
    observed.values = {{"count", value}};
    const ToyRun run = run_toy(13, 4, &observed);
    INFO("observed " << value);
    CHECK(run.summary.at(sim::output::kObservedProbabilityPath)[0] == 0.0);
    CHECK(run.summary.at(sim::output::kObservedErrorPath)[0] == 0.0);
  }
}

TEST_CASE("summaries do not depend on block size or on the order blocks arrive in") {
  sim::Observation observed;
  observed.values = {{"count", 2}};
  const ToyRun reference = run_toy(13, 13, &observed);
  for (std::uint32_t block : {1U, 2U, 4U, 5U, 7U, 256U}) {
    INFO("block " << block);
    CHECK(identical(run_toy(13, block, &observed).summary, reference.summary));
    CHECK(identical(run_toy(13, block, &observed, true).summary, reference.summary));
  }
}

TEST_CASE("summarise computes the summary from raw exact sums") {
  // Summaries straight from PointSums: numerator in quarters (fraction_bits 2), denominator in
  // whole counts, over 8 replicates.
  sim::OutputSchema schema;
  schema.dims = {sim_test::dimension("practice", 3), sim_test::dimension("week", 2)};
  schema.accumulators = {sim_test::accumulator("/d", {"practice"}, 0),
                         sim_test::accumulator("/n", {"practice", "week"}, 2, "/d"),
                         sim_test::accumulator("/m", {"week"}, 2)};
  schema.check();
  const sim::BlockLayout layout(schema, 1);
  const auto at = [&](std::size_t a) {
    return (layout.accumulator_offset(a) - layout.accumulator_offset(0)) / 8;
  };
  sim::output::PointSums sums;
  sums.replicates = 8;
  sums.sums.assign((layout.bytes() - layout.accumulator_offset(0)) / 8, 0);
  const std::vector<std::int64_t> d = {4, 0, 2};
  const std::vector<std::int64_t> n = {4, 8, 12, 16, 20, 24};  // 1, 2, 3, 4, 5, 6 in quarters
  const std::vector<std::int64_t> m = {8, -2};                 // 2, -0.5
  std::copy(d.begin(), d.end(), sums.sums.begin() + static_cast<std::ptrdiff_t>(at(0)));
  std::copy(n.begin(), n.end(), sums.sums.begin() + static_cast<std::ptrdiff_t>(at(1)));
  std::copy(m.begin(), m.end(), sums.sums.begin() + static_cast<std::ptrdiff_t>(at(2)));
  const sim::PointSummary summary = sim::output::summarise(schema, layout, sums, nullptr);
  CHECK(summary.replicates == 8);
  CHECK(summary.at("/d") == std::vector<double>{0.5, 0.0, 0.25});
  const auto& conditional = summary.at("/n");
  CHECK(conditional[0] == 0.25);  // 1 / 4
  CHECK(conditional[1] == 0.5);   // 2 / 4
  CHECK(std::isnan(conditional[2]));
  CHECK(std::isnan(conditional[3]));
  CHECK(conditional[4] == 2.5);  // 5 / 2
  CHECK(conditional[5] == 3.0);  // 6 / 2
  CHECK(summary.at("/m") == std::vector<double>{0.25, -0.0625});
}
