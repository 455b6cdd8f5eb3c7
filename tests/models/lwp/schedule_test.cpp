// Claims about the weekly schedule (schedule.hpp): one table, in the order of docs/model.md §3,
// whose step names are unique, whose three passes come one after another, and whose hours flag says
// when the CLP's hours of the week are allocated.

#include "models/lwp/schedule.hpp"

#include <algorithm>
#include <set>
#include <string>

#include <catch2/catch.hpp>

TEST_CASE("every step of the week has its own name and the passes run in order") {
  std::set<std::string> names;
  for (const lwp::WeekStep& step : lwp::kWeek) CHECK(names.insert(step.name).second);
  CHECK(std::is_sorted(lwp::kWeek.begin(), lwp::kWeek.end(),
                       [](const lwp::WeekStep& a, const lwp::WeekStep& b) { return a.pass < b.pass; }));
  CHECK(lwp::kWeek.front().name == std::string("dated_events"));  // what the scenario knows comes first
  CHECK(lwp::kWeek.back().name == std::string("score_week"));
}

TEST_CASE("only the locality pass has no per-practice function, and it is resolve_locality") {
  for (const lwp::WeekStep& step : lwp::kWeek) {
    INFO(step.name);
    CHECK((step.run == nullptr) == (step.pass == lwp::Pass::localities));
  }
  CHECK(lwp::kResolveLocality.name == std::string("resolve_locality"));
  CHECK(lwp::kResolveLocality.pass == lwp::Pass::localities);
}

TEST_CASE("the CLP's hours are current from allocate_clp_hours to the end of the week") {
  const auto allocate = std::find_if(lwp::kWeek.begin(), lwp::kWeek.end(), [](const lwp::WeekStep& step) {
    return step.name == std::string("allocate_clp_hours");
  });
  REQUIRE(allocate != lwp::kWeek.end());
  for (auto step = lwp::kWeek.begin(); step != lwp::kWeek.end(); ++step) {
    INFO(step->name);
    CHECK(step->hours_current == (step >= allocate));
  }
}
