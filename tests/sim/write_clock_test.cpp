// Claims about the write clock of result files (sim/output/result_file.hpp), which `lwsim bench`
// uses for the share of a sweep spent writing HDF5: an attached clock counts every write and
// flush of the file and only those, a detached one no more, and timing changes nothing written.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "sim/output/layout.hpp"
#include "sim/output/result_file.hpp"
#include "tests/sim/builders.hpp"
#include "tests/support/test_support.hpp"

namespace {

using sim::output::ResultFile;
using sim::output::Storage;
using sim::output::WriteClock;

sim::output::FileLayout one_point_layout() {
  sim::OutputSchema schema;
  schema.dims = {sim_test::dimension("practice", 2, {"Magenta", "Ochre"}, "practices of the scenario")};
  schema.fields = {
      sim_test::field("/results/fip", sim::DType::u8, {"practice"}, "1 = fully integrated", "1")};
  schema.check();
  return sim::output::make_layout(schema, sim::output::DesignInfo{}, 4, nullptr);
}

}  // namespace

TEST_CASE("a write clock counts each write and flush of its file, and nothing once detached") {
  const auto layout = one_point_layout();
  ResultFile file = ResultFile::create(lwsim_test::temporary_path("clock.h5"), layout,
                                       {{"model", std::string("lwp")}}, Storage::streaming);
  WriteClock clock;
  const std::vector<std::uint8_t> first{1, 0, 0, 1};
  const std::vector<std::uint8_t> second{0, 1, 1, 1};
  file.write_block("/results/fip", sim::DType::u8, 0, 0, 2, first.data());  // not timed yet
  file.time_writes(&clock);
  file.write_block("/results/fip", sim::DType::u8, 0, 2, 2, second.data());
  const std::uint8_t one = 1;
  file.write_point(sim::output::kStatusPath, sim::DType::u8, 0, &one);
  file.flush_to_disk();
  CHECK(clock.calls == 3);
  CHECK(clock.spent > std::chrono::steady_clock::duration::zero());

  const WriteClock before = clock;
  std::vector<std::uint8_t> back(8);
  file.read_points("/results/fip", sim::DType::u8, 0, 1, back.data());  // reads are not writes
  file.time_writes(nullptr);
  file.write_block("/results/fip", sim::DType::u8, 0, 0, 2, first.data());
  file.flush_to_disk();
  CHECK(clock.calls == before.calls);
  CHECK(clock.spent == before.spent);
  CHECK(back == std::vector<std::uint8_t>{1, 0, 0, 1, 0, 1, 1, 1});
}
