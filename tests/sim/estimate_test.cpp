// Claims about job estimates (sim/run/estimate.hpp): the output estimate covers the streaming
// file a job really writes without overstating it wildly; CPU time grows with points x
// replicates; what no machine can do is refused with the numbers; the numbers read as a person
// would write them.

#include "sim/run/estimate.hpp"

#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#include "sim/output/layout.hpp"
#include "sim/output/provenance.hpp"
#include "sim/output/result_file.hpp"
#include "sim/run/job.hpp"
#include "tests/support/test_support.hpp"

namespace {

// The size of the streaming file of the Deep End scenario's job at `points` x `replicates`.
double streaming_file_bytes(std::size_t points, std::uint64_t replicates) {
  const sim::Scenario scenario = lwsim_test::deep_end();
  const sim::Job job = sim::job_for(scenario);
  sim::output::DesignInfo design;
  design.points = points;
  design.parameters = {"clp.departure_hazard"};
  design.values = {std::vector<double>(points, 0.004)};
  const auto layout = sim::output::make_layout(job.schema, design, replicates, &*scenario.observation);
  const std::string path = lwsim_test::temporary_path("estimate_" + std::to_string(points) + "_" +
                                                      std::to_string(replicates) + ".h5");
  std::filesystem::remove(path);
  const auto attributes =
      sim::output::provenance_attributes(scenario, {"sweep", "test", 1, 1, scenario.resolved_toml()});
  sim::output::ResultFile::create(path, layout, attributes, sim::output::Storage::streaming).close();
  return static_cast<double>(std::filesystem::file_size(path));
}

double attribute_bytes() {
  const sim::Scenario scenario = lwsim_test::deep_end();
  return static_cast<double>(2 * scenario.resolved_toml().size() + scenario.observation->text.size());
}

}  // namespace

TEST_CASE("the output estimate covers the streaming file a job writes, within a factor of two") {
  const sim::Scenario scenario = lwsim_test::deep_end();
  const sim::OutputSchema schema = sim::job_for(scenario).schema;
  for (const auto& [points, replicates] :
       {std::pair<std::size_t, std::uint64_t>{1, 10}, {4, 50}, {20, 200}}) {
    INFO(points << " points x " << replicates << " replicates");
    const double actual = streaming_file_bytes(points, replicates);
    const sim::JobEstimate e = sim::estimate_job(schema, static_cast<double>(points), 1,
                                                 static_cast<double>(replicates), 2, attribute_bytes());
    CHECK(e.output_bytes >= actual);
    CHECK(e.output_bytes <= 2.0 * actual);
  }
}

TEST_CASE("the CPU-time bound and the output grow in proportion to points x replicates") {
  const sim::OutputSchema schema = sim::job_for(lwsim_test::deep_end()).schema;
  const sim::JobEstimate one = sim::estimate_job(schema, 10, 1, 1000, 1);
  const sim::JobEstimate more = sim::estimate_job(schema, 100, 1, 10000, 1);
  CHECK(more.cpu_seconds == Approx(100.0 * one.cpu_seconds));
  CHECK(more.output_bytes > 90.0 * one.output_bytes);
  CHECK(one.cpu_seconds > 0.0);
}

TEST_CASE("a job beyond the CPU-time limit is refused with its estimate, and a large real one is not") {
  const sim::OutputSchema schema = sim::job_for(lwsim_test::deep_end()).schema;
  // The Deep End scenario at 10^7 points x 10^8 replicates: centuries even from below.
  const sim::JobEstimate absurd = sim::estimate_job(schema, 1e7, 1, 1e8, 64);
  const std::string why = sim::beyond_limits(absurd);
  CHECK_THAT(why, Catch::Contains("CPU-years of CPU time (more than the limit of 100 CPU-years)"));
  CHECK_THAT(why, Catch::Contains("output file"));
  // A large sweep a cluster could run (10,000 points x 10,000 replicates) passes.
  CHECK(sim::beyond_limits(sim::estimate_job(schema, 1e4, 4, 1e4, 64)).empty());
}

TEST_CASE("an output larger than the free space of its file system is refused, naming both") {
  const sim::OutputSchema schema = sim::job_for(lwsim_test::deep_end()).schema;
  const std::string path = lwsim_test::temporary_path("free_space_check.h5");
  CHECK(sim::beyond_disk(sim::estimate_job(schema, 1, 0, 10, 1), path).empty());
  const std::string why = sim::beyond_disk(sim::estimate_job(schema, 1e7, 1, 1e8, 1), path);
  CHECK_THAT(why, Catch::Contains("the output file would need"));
  CHECK_THAT(why, Catch::Contains("free"));
}

TEST_CASE("bytes and CPU time are written as a person would write them") {
  CHECK(sim::format_bytes(512) == "512 bytes");
  CHECK(sim::format_bytes(2.5e6) == "2.5 MB");
  CHECK(sim::format_bytes(366e6) == "366 MB");
  CHECK(sim::format_bytes(3.6e15) == "3.6 PB");
  CHECK(sim::format_cpu_time(4.1) == "4.1 CPU-seconds");
  CHECK(sim::format_cpu_time(0.0025) == "0.0025 CPU-seconds");
  CHECK(sim::format_cpu_time(9000) == "2.5 CPU-hours");
  CHECK(sim::format_cpu_time(380 * 365.25 * 86400) == "380 CPU-years");
}
