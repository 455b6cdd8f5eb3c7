#include "models/lwp/setup.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "sim/error.hpp"

namespace lwp {
using sim::config::Value;

std::vector<std::string> scenario_sections() {
  return {"evaluation", "practices", "practice"};
}

namespace {

constexpr int kMaxHorizonWeeks = 1040;  // 20 years
constexpr std::size_t kMaxPractices = 1'000'000;

std::vector<Phase> default_phases() {
  // chng2021 phases, week 0 = 1 Nov 2014 (data/deep_end_observed.toml [evaluation.phases]).
  return {{"P1", 0, 13}, {"P2", 30, 52}, {"P3", 61, 69}, {"P4", 83, 104}};
}

// [evaluation.survey]: P2 = { sent = 44, replied = 38 }, one entry per surveyed phase. The
// surveys are kept in phase order, whatever the order of the entries.
void read_survey(const Value& table, Setup& setup) {
  for (const auto& [name, entry] : table.entries()) {
    const auto phase = std::find_if(setup.phases.begin(), setup.phases.end(),
                                    [&](const Phase& p) { return p.name == name; });
    if (phase == setup.phases.end()) entry.fail(fmt::format("no phase named '{}'", name));
    if (!entry.is_table()) entry.fail("expected { sent = N, replied = M }");
    entry.expect_keys({"sent", "replied"});
    const Value& sent = entry.at("sent");
    const Value& replied = entry.at("replied");
    const std::int64_t n = sent.as_integer();
    const std::int64_t m = replied.as_integer();
    if (n < 0 || n > kMaxSurveySent) {
      sent.fail(fmt::format("questionnaires sent must be between 0 and {}", kMaxSurveySent));
    }
    if (m < 0) replied.fail("replies cannot be negative");
    if (m > n) replied.fail(fmt::format("more replies ({}) than questionnaires sent ({})", m, n));
    setup.surveys.push_back({static_cast<std::size_t>(phase - setup.phases.begin()), phase->last_week,
                             static_cast<std::uint32_t>(n), static_cast<std::uint32_t>(m)});
  }
  std::sort(setup.surveys.begin(), setup.surveys.end(),
            [](const Survey& a, const Survey& b) { return a.phase < b.phase; });
}

void read_evaluation(const Value& evaluation, Setup& setup) {
  evaluation.expect_keys({"horizon_weeks", "phases", "final_phase", "survey"});
  if (const Value* h = evaluation.find("horizon_weeks")) {
    const std::int64_t weeks = h->as_integer();
    if (weeks < 1 || weeks > kMaxHorizonWeeks) {
      h->fail(fmt::format("horizon must be between 1 and {} weeks", kMaxHorizonWeeks));
    }
    setup.horizon_weeks = static_cast<int>(weeks);
  }
  if (const Value* phases = evaluation.find("phases")) {
    setup.phases.clear();
    for (const auto& [name, window] : phases->entries()) {
      const auto& items = window.items();
      if (items.size() != 2) window.fail("expected [first_week, last_week]");
      const std::int64_t first = items[0].as_integer();
      const std::int64_t last = items[1].as_integer();
      if (first < 0 || last < first) window.fail("expected 0 <= first_week <= last_week");
      if (last > setup.horizon_weeks) {
        window.fail(fmt::format("phase ends after the horizon (week {})", setup.horizon_weeks));
      }
      setup.phases.push_back({name, static_cast<int>(first), static_cast<int>(last)});
    }
    if (setup.phases.empty()) phases->fail("at least one phase is needed");
    if (setup.phases.size() > 16) phases->fail("at most 16 phases");
  }
  setup.final_phase = setup.phases.size() - 1;
  if (const Value* f = evaluation.find("final_phase")) {
    const auto it = std::find_if(setup.phases.begin(), setup.phases.end(),
                                 [&](const Phase& p) { return p.name == f->as_string(); });
    if (it == setup.phases.end()) f->fail(fmt::format("no phase named '{}'", f->as_string()));
    setup.final_phase = static_cast<std::size_t>(it - setup.phases.begin());
  }
  if (const Value* survey = evaluation.find("survey")) read_survey(*survey, setup);
}

std::uint32_t locality_index(Setup& setup, const std::string& name) {
  const auto it = std::find(setup.localities.begin(), setup.localities.end(), name);
  if (it != setup.localities.end()) return static_cast<std::uint32_t>(it - setup.localities.begin());
  setup.localities.push_back(name);
  return static_cast<std::uint32_t>(setup.localities.size() - 1);
}

}  // namespace

std::shared_ptr<const Setup> read_setup(const Value& scenario) {
  auto setup = std::make_shared<Setup>();
  setup->phases = default_phases();
  if (const Value* evaluation = scenario.find("evaluation")) read_evaluation(*evaluation, *setup);
  for (const Phase& p : setup->phases) {
    if (p.last_week > setup->horizon_weeks) {
      throw sim::InputError(scenario.file(), 0, "evaluation.phases." + p.name,
                            fmt::format("phase ends after the horizon (week {})", setup->horizon_weeks));
    }
  }

  std::string default_locality = "default";
  std::optional<std::int64_t> training_count;
  const Value* training_count_value = nullptr;
  if (const Value* practices = scenario.find("practices")) {
    practices->expect_keys({"training_count", "locality"});
    if (const Value* l = practices->find("locality")) default_locality = l->as_string();
    if (const Value* t = practices->find("training_count")) {
      training_count = t->as_integer();
      training_count_value = t;
    }
  }

  const Value& list = scenario.at("practice");
  if (!list.is_array() || list.items().empty()) list.fail("expected one or more [[practice]] tables");
  if (list.items().size() > kMaxPractices) list.fail(fmt::format("more than {} practices", kMaxPractices));
  std::set<std::string> names;
  for (const Value& entry : list.items()) {
    if (!entry.is_table()) entry.fail("expected a table");
    entry.expect_keys({"name", "list_size", "training", "locality"});
    PracticeSpec spec;
    spec.file = entry.file();
    spec.key = entry.path();
    const Value& name = entry.at("name");
    spec.name = name.as_string();
    if (spec.name.empty() || spec.name.size() > 200)
      name.fail("a practice name must have 1 to 200 characters");
    for (char ch : spec.name) {
      const auto c = static_cast<unsigned char>(ch);
      if (c < 0x20 || c == 0x7f) name.fail("a practice name cannot contain control characters");
    }
    if (!names.insert(spec.name).second) name.fail(fmt::format("two practices are named '{}'", spec.name));
    const Value& list_size = entry.at("list_size");
    const std::int64_t size = list_size.as_integer();
    if (size < 100 || size > 60000) list_size.fail("list size must be between 100 and 60000 patients");
    spec.list_size = static_cast<int>(size);
    spec.line = list_size.line();
    if (const Value* t = entry.find("training")) spec.training = t->as_bool();
    const Value* locality = entry.find("locality");
    spec.locality = locality_index(*setup, locality != nullptr ? locality->as_string() : default_locality);
    setup->practices.push_back(std::move(spec));
  }

  setup->locality_members.assign(setup->localities.size(), {});
  for (std::uint32_t i = 0; i < setup->practices.size(); ++i) {
    if (!setup->practices[i].training) setup->training_draw_pool.push_back(i);
    setup->locality_members[setup->practices[i].locality].push_back(i);
  }
  if (training_count) {
    if (*training_count < 0 || static_cast<std::size_t>(*training_count) > setup->training_draw_pool.size()) {
      training_count_value->fail(
          fmt::format("must be between 0 and {} (the practices without a fixed training flag)",
                      setup->training_draw_pool.size()));
    }
    setup->training_draw_count = static_cast<std::uint32_t>(*training_count);
  }
  return setup;
}

sim::Observation read_observation(const Value& document, const Setup& setup) {
  document.expect_keys(
      {"title", "source", "description", "horizon_weeks", "practices", "fip", "pip", "outcome"});
  sim::Observation obs;
  obs.source = document.at("source").as_string();
  if (const Value* t = document.find("title")) (void)t->as_string();
  if (const Value* d = document.find("description")) (void)d->as_string();
  const auto n = static_cast<std::int64_t>(setup.practice_count());
  if (const Value* h = document.find("horizon_weeks")) {
    if (h->as_integer() != setup.horizon_weeks) {
      h->fail(fmt::format("the observation is at week {}, the scenario's horizon is week {}", h->as_integer(),
                          setup.horizon_weeks));
    }
  }
  if (const Value* p = document.find("practices")) {
    if (p->as_integer() != n) {
      p->fail(fmt::format("the observation covers {} practices, the scenario has {}", p->as_integer(), n));
    }
  }
  const Value& fip = document.at("fip");
  const std::int64_t fips = fip.as_integer();
  if (fips < 0 || fips > n) {
    fip.fail(fmt::format("observed FIP count {} is impossible with {} practices", fips, n));
  }
  if (const Value* pip = document.find("pip")) {
    if (pip->as_integer() != n - fips) {
      pip->fail(fmt::format("fip + pip must equal the number of practices ({})", n));
    }
  }
  if (const Value* outcome = document.find("outcome")) {
    std::int64_t fip_names = 0;
    for (const auto& [name, value] : outcome->entries()) {
      const auto it = std::find_if(setup.practices.begin(), setup.practices.end(),
                                   [&](const PracticeSpec& p) { return p.name == name; });
      if (it == setup.practices.end())
        value.fail(fmt::format("no practice named '{}' in the scenario", name));
      const std::string& o = value.as_string();
      if (o != "FIP" && o != "PIP") value.fail("expected \"FIP\" or \"PIP\"");
      fip_names += o == "FIP" ? 1 : 0;
      obs.labels.emplace_back(name, o);
    }
    if (fip_names != fips && static_cast<std::int64_t>(outcome->entries().size()) == n) {
      outcome->fail(fmt::format("{} practices are named FIP but fip = {}", fip_names, fips));
    }
  }
  obs.values.emplace_back("fip_count", fips);
  for (const auto& [name, outcome] : obs.labels)
    obs.values.emplace_back("outcome." + name, outcome == "FIP" ? 1 : 0);
  return obs;
}

}  // namespace lwp
