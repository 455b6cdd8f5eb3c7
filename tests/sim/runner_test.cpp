// Claims about the parallel runner (sim/run/runner.hpp): the task list covers every (point,
// replicate) once, block sizes stay within their bounds, errors come back to the caller, and
// results are bitwise identical whatever the number of threads or the block size.

#include "sim/run/runner.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "sim/block.hpp"
#include "sim/error.hpp"
#include "sim/model.hpp"
#include "sim/output/layout.hpp"
#include "sim/output/writer.hpp"
#include "sim/random.hpp"
#include "sim/run/job.hpp"
#include "tests/sim/builders.hpp"
#include "tests/support/test_support.hpp"

namespace {

using lwsim_test::identical;

// Runs a scenario in-process like lwsim_test::run_point, with an explicit block size.
sim::PointSummary run_with(const sim::Scenario& scenario, std::uint64_t replicates, std::uint32_t seed,
                           unsigned threads, std::uint32_t block, sim::RunStats* stats = nullptr) {
  sim::Job job = sim::job_for(scenario);
  job.replicates = replicates;
  job.seed = seed;
  const sim::BlockLayout blocks(job.schema, block);
  const auto layout = sim::output::make_layout(job.schema, {}, replicates, nullptr);
  sim::PointSummary summary;
  int summaries = 0;
  sim::output::ResultWriter writer(nullptr, layout, job.schema, blocks, replicates, nullptr,
                                   [&](std::uint32_t, const sim::PointSummary& s) {
                                     summary = s;
                                     ++summaries;
                                   });
  const sim::RunStats run = sim::run_job(job, {0}, writer, {threads, block, {}});
  CHECK(summaries == 1);
  if (stats != nullptr) *stats = run;
  return summary;
}

// ---- a toy model, to exercise the runner without the lwp model ---------------------------

struct ToySetup final : sim::ModelSetup {};

class ToyWorkspace final : public sim::Workspace {
 public:
  [[nodiscard]] std::uint64_t philox_calls() const noexcept override { return calls; }
  std::uint64_t calls = 0;
};

struct ToyOutputs {
  sim::OutputSchema schema;
  sim::FieldId<double> value;
  sim::FieldId<std::int32_t> category;
  sim::AccumulatorId mean_value;
};

ToyOutputs toy_outputs() {
  ToyOutputs t;
  const sim::SchemaGroup results(t.schema, "/results");
  t.value = results.field<double>("value", {}, "a field", "1");
  t.category = results.field<std::int32_t>("category", {}, "a field", "1");
  t.mean_value = sim::SchemaGroup(t.schema, "/summary").accumulator("value", {}, "an accumulator", "1");
  (void)t.schema.add_observable("category", t.category, 0, 3, "an observable", "", true);
  return t;
}

// Each replicate draws a value from its own stream; replicate `fail_at` throws (as a broken
// invariant when the run is checked).
class ToySimulation final : public sim::Simulation {
 public:
  ToySimulation(double offset, std::int64_t fail_at) : offset_(offset), fail_at_(fail_at) {}
  [[nodiscard]] std::unique_ptr<sim::Workspace> make_workspace() const override {
    return std::make_unique<ToyWorkspace>();
  }
  void run_replicate(sim::StreamKey key, const sim::ReplicateOutput& out, sim::Workspace& ws) const override {
    if (static_cast<std::int64_t>(key.replicate) == fail_at_) {
      if (ws.check_invariants) throw sim::InvariantError("toy state broken on purpose");
      throw std::runtime_error("replicate failed on purpose");
    }
    auto& toy = dynamic_cast<ToyWorkspace&>(ws);
    sim::Stream s(key, {0, 0, 0}, &toy.calls);
    *out.field(outputs_.value) = offset_ + sim::random::uniform(s);
    *out.field(outputs_.category) = static_cast<std::int32_t>(sim::random::index(s, 4));
    out.accumulator(outputs_.mean_value).add(0, *out.field(outputs_.value));
  }

 private:
  double offset_;
  std::int64_t fail_at_;
  ToyOutputs outputs_ = toy_outputs();
};

const sim::ParamTable& toy_table() {
  static const sim::ParamTable table({sim_test::param("toy.offset", sim::ParamKind::real, 0.0, 0.0, 100.0),
                                      sim_test::param("toy.fail_at", sim::ParamKind::integer, -1, -1, 1e9)},
                                     {});
  return table;
}

class ToyModel final : public sim::Model {
 public:
  [[nodiscard]] std::string_view name() const override { return "toy"; }
  [[nodiscard]] std::string_view description() const override { return "a toy model"; }
  [[nodiscard]] std::string_view results_version() const override { return "toy-1"; }
  [[nodiscard]] const sim::ParamTable& parameters() const override { return toy_table(); }
  [[nodiscard]] std::vector<std::string> scenario_sections() const override { return {}; }
  [[nodiscard]] std::shared_ptr<const sim::ModelSetup> configure(const sim::config::Value&) const override {
    return std::make_shared<ToySetup>();
  }
  [[nodiscard]] sim::OutputSchema schema(const sim::ModelSetup&) const override {
    return toy_outputs().schema;
  }
  [[nodiscard]] std::unique_ptr<const sim::Simulation> prepare(
      const std::shared_ptr<const sim::ModelSetup>&, const sim::ParamValues& values) const override {
    return std::make_unique<ToySimulation>(values[0], static_cast<std::int64_t>(values[1]));
  }
  [[nodiscard]] sim::Observation read_observation(const sim::config::Value&,
                                                  const sim::ModelSetup&) const override {
    return {};
  }
  void describe(const sim::ModelSetup&, const sim::PointSummary&, const sim::Observation*,
                std::ostream&) const override {}
};

sim::Job toy_job(const ToyModel& model, std::uint64_t replicates, std::int64_t fail_at = -1) {
  sim::Job job;
  job.model = &model;
  job.setup = std::make_shared<ToySetup>();
  job.schema = model.schema(*job.setup);
  job.base.emplace(model.parameters());
  job.base->set(1, static_cast<double>(fail_at), {});
  job.replicates = replicates;
  job.seed = 42;
  // Three design points: offsets 0, 10, 20.
  job.swept = {0};
  job.values = {{0.0}, {10.0}, {20.0}};
  job.point_count = 3;
  return job;
}

// Collects every block (by point and first replicate) and every point's summary.
class CollectingSink final : public sim::BlockSink {
 public:
  explicit CollectingSink(const sim::BlockLayout& layout) : layout_(&layout) {}
  void consume(const sim::BlockResult& block) override {
    if (throw_on_consume) throw std::runtime_error("the sink failed on purpose");
    for (std::uint32_t slot = 0; slot < block.replicate_count; ++slot) {
      double v = 0.0;
      std::memcpy(&v, block.data() + layout_->field_offset(0) + slot * sizeof(double), sizeof v);
      const auto key = std::make_pair(block.point, block.replicate_begin + slot);
      ++seen[key];
      values[key] = v;
    }
  }
  void finish() override { ++finished; }
  std::map<std::pair<std::uint32_t, std::uint32_t>, int> seen;
  std::map<std::pair<std::uint32_t, std::uint32_t>, double> values;
  int finished = 0;
  bool throw_on_consume = false;

 private:
  const sim::BlockLayout* layout_;
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// Tasks and block sizes

TEST_CASE("the tasks cover every (point, replicate) exactly once, in point and replicate order") {
  for (std::uint32_t block : {1U, 3U, 4U, 10U, 11U, 256U}) {
    const std::vector<std::uint32_t> points = {0, 2, 5};
    const std::uint64_t replicates = 10;
    const auto tasks = sim::make_tasks(points, replicates, block);
    INFO("block " << block);
    std::map<std::pair<std::uint32_t, std::uint32_t>, int> covered;
    for (std::size_t t = 0; t < tasks.size(); ++t) {
      const sim::Task& task = tasks[t];
      CHECK(task.replicate_count >= 1);
      CHECK(task.replicate_count <= block);
      for (std::uint32_t r = task.replicate_begin; r < task.replicate_begin + task.replicate_count; ++r) {
        ++covered[{task.point, r}];
      }
      if (t > 0) {
        const sim::Task& previous = tasks[t - 1];
        const bool in_order =
            previous.point == task.point
                ? previous.replicate_begin + previous.replicate_count == task.replicate_begin
                : task.replicate_begin == 0 && std::find(points.begin(), points.end(), previous.point) <
                                                   std::find(points.begin(), points.end(), task.point);
        CHECK(in_order);
      }
    }
    CHECK(covered.size() == points.size() * replicates);
    CHECK(std::all_of(covered.begin(), covered.end(), [](const auto& c) { return c.second == 1; }));
    for (std::uint32_t p : points) {
      for (std::uint32_t r = 0; r < replicates; ++r) CHECK(covered.count({p, r}) == 1);
    }
    // Only a point's last block may be short.
    CHECK(tasks.size() == points.size() * ((replicates + block - 1) / block));
  }
}

TEST_CASE("no replicates means no tasks") {
  CHECK(sim::make_tasks({0, 1}, 0, 8).empty());
  CHECK(sim::make_tasks({}, 100, 8).empty());
}

TEST_CASE("the chosen block size is between 1 and 256 and gives every thread several blocks") {
  const sim::OutputSchema small = ToyModel().schema(ToySetup{});
  for (std::uint64_t replicates : {1ULL, 7ULL, 100ULL, 1000ULL, 10000ULL, 100000000ULL}) {
    for (std::size_t points : {std::size_t{1}, std::size_t{3}, std::size_t{50}, std::size_t{100000}}) {
      for (unsigned threads : {1U, 2U, 8U, 64U}) {
        const std::uint32_t block = sim::choose_block_size(small, replicates, points, threads);
        INFO(replicates << " replicates, " << points << " points, " << threads << " threads: block "
                        << block);
        CHECK(block >= 1);
        CHECK(block <= 256);
        // "Several" blocks per thread: at least 4 per thread unless there are fewer replicates
        // than that in the whole job.
        const std::uint64_t total_blocks = points * ((replicates + block - 1) / block);
        CHECK(total_blocks >= std::min<std::uint64_t>(points * replicates, 4ULL * threads));
      }
    }
  }
}

TEST_CASE("a block's buffer stays within 8 MiB unless one replicate is larger") {
  sim::OutputSchema big;
  big.dims = {sim_test::dimension("cell", 1U << 17)};  // 1 MiB of doubles per replicate
  big.fields = {sim_test::field("/results/big", sim::DType::f64, {"cell"})};
  const std::uint32_t block = sim::choose_block_size(big, 10000, 1, 1);
  CHECK(block >= 1);
  CHECK(sim::BlockLayout(big, block).bytes() <= (std::size_t{8} << 20));
  sim::OutputSchema huge;
  huge.dims = {sim_test::dimension("cell", 1U << 21)};  // 16 MiB per replicate
  huge.fields = {sim_test::field("/results/huge", sim::DType::f64, {"cell"})};
  CHECK(sim::choose_block_size(huge, 10000, 1, 4) == 1);
}

// ---------------------------------------------------------------------------------------------
// run_job with a toy model

TEST_CASE("run_job delivers every replicate of every point exactly once and calls finish once") {
  const ToyModel model;
  const sim::Job job = toy_job(model, 50);
  const sim::BlockLayout layout(job.schema, 7);
  CollectingSink sink(layout);
  std::vector<std::uint64_t> progress;
  const sim::RunStats stats =
      sim::run_job(job, {0, 1, 2}, sink, {3, 7, [&](std::uint64_t done) { progress.push_back(done); }});
  CHECK(sink.finished == 1);
  CHECK(sink.seen.size() == 150);
  CHECK(std::all_of(sink.seen.begin(), sink.seen.end(), [](const auto& s) { return s.second == 1; }));
  CHECK(stats.replicates_run == 150);
  CHECK_FALSE(stats.interrupted);
  CHECK(stats.threads == 3);
  // Every replicate draws, so makes at least one Philox call, and the runner counts them.
  CHECK(stats.philox_calls >= 150);
  // Progress counts up to the total.
  REQUIRE_FALSE(progress.empty());
  CHECK(std::is_sorted(progress.begin(), progress.end()));
  CHECK(progress.back() == 150);
}

TEST_CASE("a design point's parameters reach its replicates, with the same streams at every point") {
  const ToyModel model;
  const sim::Job job = toy_job(model, 20);
  const sim::BlockLayout layout(job.schema, 4);
  CollectingSink sink(layout);
  sim::run_job(job, {0, 1, 2}, sink, {2, 4, {}});
  for (std::uint32_t r = 0; r < 20; ++r) {
    // Common random numbers: the same replicate draws the same uniform at every point.
    const double u = sink.values.at({0, r});
    CHECK(u >= 0.0);
    CHECK(u < 1.0);
    CHECK(sink.values.at({1, r}) == 10.0 + u);
    CHECK(sink.values.at({2, r}) == 20.0 + u);
  }
}

TEST_CASE("an exception in a worker comes back to the caller after all threads stop") {
  const ToyModel model;
  const sim::Job job = toy_job(model, 40, 13);
  const sim::BlockLayout layout(job.schema, 4);
  CollectingSink sink(layout);
  CHECK_THROWS_WITH(sim::run_job(job, {0, 1, 2}, sink, {3, 4, {}}), "replicate failed on purpose");
  // The replicate that failed was never delivered.
  CHECK(sink.seen.count({0, 13}) == 0);
}

TEST_CASE("a checked run's broken invariant comes back with its point and replicate") {
  const ToyModel model;
  sim::Job job = toy_job(model, 40, 13);
  job.check_invariants = true;
  const sim::BlockLayout layout(job.schema, 4);
  CollectingSink sink(layout);
  // One thread takes the tasks in order, so the first broken replicate is point 0's.
  CHECK_THROWS_AS(sim::run_job(job, {0, 1, 2}, sink, {1, 4, {}}), sim::InvariantError);
  CollectingSink again(layout);
  CHECK_THROWS_WITH(sim::run_job(job, {1, 2}, again, {1, 4, {}}),
                    "--check: point 1, replicate 13: toy state broken on purpose");
}

TEST_CASE("an exception in the sink comes back to the caller") {
  const ToyModel model;
  const sim::Job job = toy_job(model, 40);
  const sim::BlockLayout layout(job.schema, 4);
  CollectingSink sink(layout);
  sink.throw_on_consume = true;
  CHECK_THROWS_WITH(sim::run_job(job, {0, 1, 2}, sink, {2, 4, {}}), "the sink failed on purpose");
  CHECK(sink.finished == 0);
}

TEST_CASE("toy results are bitwise identical for any number of threads and block size") {
  const ToyModel model;
  const sim::Job job = toy_job(model, 97);
  std::map<std::pair<std::uint32_t, std::uint32_t>, double> reference;
  for (unsigned threads : {1U, 2U, 3U}) {
    for (std::uint32_t block : {1U, 5U, 97U}) {
      const sim::BlockLayout layout(job.schema, block);
      CollectingSink sink(layout);
      sim::run_job(job, {0, 1, 2}, sink, {threads, block, {}});
      if (reference.empty()) reference = sink.values;
      INFO(threads << " threads, block " << block);
      CHECK(sink.values.size() == 3 * 97);
      bool same = sink.values.size() == reference.size();
      for (const auto& [key, v] : sink.values) {
        same = same && std::bit_cast<std::uint64_t>(v) == std::bit_cast<std::uint64_t>(reference.at(key));
      }
      CHECK(same);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Determinism of the real model

TEST_CASE("Deep End summaries are bitwise identical for 1, 2 and 3 threads") {
  const sim::Scenario scenario = lwsim_test::deep_end();
  const sim::PointSummary one = lwsim_test::run_point(scenario, 300, 20141101, 1);
  REQUIRE(one.replicates == 300);
  REQUIRE_FALSE(one.arrays.empty());
  CHECK(identical(lwsim_test::run_point(scenario, 300, 20141101, 2), one));
  CHECK(identical(lwsim_test::run_point(scenario, 300, 20141101, 3), one));
  // Not vacuous: another seed gives other summaries.
  CHECK_FALSE(identical(lwsim_test::run_point(scenario, 300, 20141102, 2), one));
}

TEST_CASE("Deep End summaries are bitwise identical for block sizes 1, 7 and 64") {
  const sim::Scenario scenario = lwsim_test::deep_end();
  sim::RunStats stats;
  const sim::PointSummary reference = run_with(scenario, 300, 7, 2, 64, &stats);
  CHECK(stats.replicates_run == 300);
  CHECK(identical(run_with(scenario, 300, 7, 2, 7), reference));
  CHECK(identical(run_with(scenario, 300, 7, 3, 1), reference));
  CHECK(identical(lwsim_test::run_point(scenario, 300, 7, 2), reference));
}
