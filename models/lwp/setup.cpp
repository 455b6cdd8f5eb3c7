#include "models/lwp/setup.hpp"

#include <algorithm>
#include <array>
#include <set>

#include <fmt/format.h>

#include "models/lwp/parameters.hpp"
#include "models/lwp/state.hpp"
#include "sim/error.hpp"

namespace lwp {
using sim::config::Value;

std::vector<std::string> scenario_sections() {
  return {"evaluation", "practices", "practice", "locality", "outputs"};
}

namespace {

constexpr int kMaxHorizonWeeks = 1040;  // 20 years
constexpr std::size_t kMaxPractices = 1'000'000;
constexpr std::int64_t kMaxLocalities = 100'000;
constexpr std::int64_t kMinListSize = 100;
constexpr std::int64_t kMaxListSize = 60000;
/// Above this many practices, weekly series are written per locality and nationally only.
constexpr std::size_t kPracticeTimeseriesLimit = 1000;

std::vector<Phase> default_phases() {
  // chng2021 phases, week 0 = 1 Nov 2014 (docs/sources.md, *Phases of the evaluation*).
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
  LocalitySpec spec;
  spec.name = name;
  setup.locality_specs.push_back(std::move(spec));
  return static_cast<std::uint32_t>(setup.localities.size() - 1);
}

double real_in(const Value& v, double lo, double hi, std::string_view what) {
  const double x = v.as_real();
  if (!(x >= lo && x <= hi)) v.fail(fmt::format("{} must be between {} and {}", what, lo, hi));
  return x;
}

std::int64_t integer_in(const Value& v, std::int64_t lo, std::int64_t hi, std::string_view what) {
  const std::int64_t x = v.as_integer();
  if (x < lo || x > hi) v.fail(fmt::format("{} must be between {} and {}", what, lo, hi));
  return x;
}

void check_name(const Value& name, std::string_view what) {
  const std::string& text = name.as_string();
  if (text.empty() || text.size() > 200)
    name.fail(fmt::format("a {} name must have 1 to 200 characters", what));
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) name.fail(fmt::format("a {} name cannot contain control characters", what));
  }
}

/// Where a [[locality]] sets its own value of a model parameter.
using OwnValues = std::vector<std::pair<ParamId, const Value*>>;

/// A [[locality]] key that replaces a model parameter for the locality's practices: of the
/// parameter's kind and within its range in the table, and remembered in `own` (a study that
/// varies the parameter is refused: it would change nothing there).
std::optional<double> own_value(const Value& entry, std::string_view key, ParamId id, OwnValues& own) {
  const Value* v = entry.find(key);
  if (v == nullptr) return std::nullopt;
  const sim::ParamSpec& spec = parameter_table()[param_index(id)];
  const double x = spec.number_from(*v);
  if (auto problem = spec.problem_with(x)) v->fail(fmt::format("overrides {}: {}", spec.name, *problem));
  own.emplace_back(id, v);
  return x;
}

// [[locality]]: name, optional community capacity and start week, optional synthetic population
// (practices = N with list_size = { mean, sd, min, max }, training_share and context means), and
// copies = K for K localities alike (named name-0001 ... name-K).
void read_localities(const Value& list, Setup& setup, int horizon_weeks) {
  if (!list.is_array()) list.fail("expected one or more [[locality]] tables");
  for (const Value& entry : list.items()) {
    if (!entry.is_table()) entry.fail("expected a table");
    entry.expect_keys({"name", "copies", "organisations", "capacity", "start_week", "practices", "list_size",
                       "training_share", "gp_buy_in_mean", "team_quality_mean", "innovation_rate_mean"});
    const Value& name = entry.at("name");
    check_name(name, "locality");
    LocalitySpec spec;
    OwnValues own;
    if (const auto x = own_value(entry, "organisations", ParamId::community_organisations, own))
      spec.organisations = static_cast<int>(*x);
    spec.capacity = own_value(entry, "capacity", ParamId::community_capacity, own);
    if (const Value* v = entry.find("start_week"))
      spec.start_week = static_cast<int>(integer_in(*v, 0, horizon_weeks, "start_week"));
    if (const Value* v = entry.find("practices"))
      spec.synthetic = static_cast<std::uint32_t>(integer_in(*v, 0, 100000, "practices"));
    if (const Value* v = entry.find("list_size")) {
      if (!v->is_table()) v->fail("expected { mean = ..., sd = ..., min = ..., max = ... }");
      v->expect_keys({"mean", "sd", "min", "max"});
      spec.list_size_mean = real_in(v->at("mean"), kMinListSize, kMaxListSize, "mean list size");
      spec.list_size_sd = real_in(v->at("sd"), 0.0, kMaxListSize, "list size standard deviation");
      const Value* lo = v->find("min");
      const Value* hi = v->find("max");
      spec.list_size_min =
          static_cast<int>(lo != nullptr ? integer_in(*lo, kMinListSize, kMaxListSize, "min") : kMinListSize);
      spec.list_size_max =
          static_cast<int>(hi != nullptr ? integer_in(*hi, kMinListSize, kMaxListSize, "max") : kMaxListSize);
      if (spec.list_size_min > spec.list_size_max) (hi != nullptr ? *hi : *v).fail("max is below min");
    } else if (spec.synthetic > 0) {
      (void)entry.at("list_size");  // required for a synthetic population: fails naming the key
    }
    if (const Value* v = entry.find("training_share"))
      spec.training_share = real_in(*v, 0.0, 1.0, "training_share");
    spec.gp_buy_in_mean = own_value(entry, "gp_buy_in_mean", ParamId::context_gp_buy_in_mean, own);
    spec.team_quality_mean = own_value(entry, "team_quality_mean", ParamId::context_team_quality_mean, own);
    spec.innovation_rate_mean =
        own_value(entry, "innovation_rate_mean", ParamId::context_innovation_rate_mean, own);
    std::int64_t copies = 1;
    const Value* copies_value = entry.find("copies");
    if (copies_value != nullptr) copies = integer_in(*copies_value, 1, kMaxLocalities, "copies");
    const auto copy_name = [&](std::int64_t k) {
      return copies_value != nullptr ? fmt::format("{}-{:04}", name.as_string(), k) : name.as_string();
    };
    const std::string scope = copies > 1
                                  ? fmt::format("localities '{}' to '{}'", copy_name(1), copy_name(copies))
                                  : fmt::format("locality '{}'", copy_name(1));
    for (const auto& [id, v] : own) {
      setup.overrides.push_back({param_index(id), scope, v->file(), v->line(), v->path()});
    }
    for (std::int64_t k = 1; k <= copies; ++k) {
      LocalitySpec copy = spec;
      copy.name = copy_name(k);
      if (std::find(setup.localities.begin(), setup.localities.end(), copy.name) != setup.localities.end())
        name.fail(fmt::format("two localities are named '{}'", copy.name));
      if (static_cast<std::int64_t>(setup.localities.size()) >= kMaxLocalities)
        entry.fail(fmt::format("more than {} localities", kMaxLocalities));
      setup.localities.push_back(copy.name);
      setup.locality_specs.push_back(std::move(copy));
    }
  }
}

// What is known of one practice: its GP buy-in, team quality and rate of competing innovations
// replace the draws from the context distributions (a study varying a context mean is refused, as
// for a locality's own means: it would change nothing for this practice).
void read_known_context(const Value& entry, PracticeSpec& spec, Setup& setup) {
  OwnValues own;
  spec.gp_buy_in = own_value(entry, "gp_buy_in", ParamId::context_gp_buy_in_mean, own);
  spec.team_quality = own_value(entry, "team_quality", ParamId::context_team_quality_mean, own);
  spec.innovation_rate = own_value(entry, "innovation_rate", ParamId::context_innovation_rate_mean, own);
  for (const auto& [id, v] : own) {
    setup.overrides.push_back(
        {param_index(id), fmt::format("practice '{}'", spec.name), v->file(), v->line(), v->path()});
  }
}

// [[practice.event]]: week = W, kind = "clp_change" | "lead_gp_change" | "practice_manager_change" |
// "competing_innovation" (with optional load and duration_weeks), in any order.
std::vector<DatedEvent> read_events(const Value& list, int horizon_weeks) {
  if (!list.is_array()) list.fail("expected one or more [[practice.event]] tables");
  static constexpr std::array<std::pair<std::string_view, EventKind>, 4> kKinds = {{
      {"clp_change", EventKind::clp_change},
      {"lead_gp_change", EventKind::lead_gp_change},
      {"practice_manager_change", EventKind::practice_manager_change},
      {"competing_innovation", EventKind::competing_innovation},
  }};
  std::vector<DatedEvent> events;
  for (const Value& entry : list.items()) {
    if (!entry.is_table()) entry.fail("expected a table");
    entry.expect_keys({"week", "kind", "load", "duration_weeks"});
    DatedEvent event;
    event.week = static_cast<int>(integer_in(entry.at("week"), 0, horizon_weeks, "week"));
    const Value& kind = entry.at("kind");
    const auto it = std::find_if(kKinds.begin(), kKinds.end(),
                                 [&](const auto& k) { return k.first == kind.as_string(); });
    if (it == kKinds.end()) {
      kind.fail(
          fmt::format("unknown event kind '{}'; the kinds are clp_change, lead_gp_change, "
                      "practice_manager_change and competing_innovation",
                      kind.as_string()));
    }
    event.kind = it->second;
    for (const char* key : {"load", "duration_weeks"}) {
      if (const Value* v = entry.find(key); v != nullptr && event.kind != EventKind::competing_innovation)
        v->fail("only a competing_innovation has a load and a duration");
    }
    if (const Value* v = entry.find("load")) event.load = real_in(*v, 0.0, 1.0, "load");
    if (const Value* v = entry.find("duration_weeks"))
      event.duration_weeks = static_cast<int>(integer_in(*v, 1, 1040, "duration_weeks"));
    events.push_back(event);
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const DatedEvent& a, const DatedEvent& b) { return a.week < b.week; });
  return events;
}

}  // namespace

std::shared_ptr<const Setup> read_setup(const Value& scenario) {
  auto setup = std::make_shared<Setup>();
  setup->phases = default_phases();
  setup->final_phase = setup->phases.size() - 1;  // P4, also when the scenario has no [evaluation]
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

  if (const Value* localities = scenario.find("locality"))
    read_localities(*localities, *setup, setup->horizon_weeks);
  std::uint64_t synthetic = 0;
  for (const LocalitySpec& l : setup->locality_specs) synthetic += l.synthetic;

  const Value* list = scenario.find("practice");
  if (list == nullptr && synthetic == 0) (void)scenario.at("practice");  // fails: practices are needed
  if (list != nullptr && (!list->is_array() || list->items().empty()))
    list->fail("expected one or more [[practice]] tables");
  const std::size_t explicit_count = list != nullptr ? list->items().size() : 0;
  if (explicit_count + synthetic > kMaxPractices) {
    (list != nullptr ? *list : *scenario.find("locality"))
        .fail(fmt::format("more than {} practices", kMaxPractices));
  }
  std::set<std::string> names;
  static const Value::Array kNone;
  for (const Value& entry : list != nullptr ? list->items() : kNone) {
    if (!entry.is_table()) entry.fail("expected a table");
    entry.expect_keys({"name", "list_size", "training", "locality", "start_week", "gp_buy_in", "team_quality",
                       "innovation_rate", "event"});
    PracticeSpec spec;
    spec.file = entry.file();
    spec.key = entry.path();
    const Value& name = entry.at("name");
    spec.name = name.as_string();
    check_name(name, "practice");
    if (!names.insert(spec.name).second) name.fail(fmt::format("two practices are named '{}'", spec.name));
    const Value& list_size = entry.at("list_size");
    const std::int64_t size = list_size.as_integer();
    if (size < kMinListSize || size > kMaxListSize)
      list_size.fail("list size must be between 100 and 60000 patients");
    spec.list_size = static_cast<int>(size);
    spec.line = list_size.line();
    if (const Value* t = entry.find("training")) spec.training = t->as_bool();
    const Value* locality = entry.find("locality");
    spec.locality = locality_index(*setup, locality != nullptr ? locality->as_string() : default_locality);
    spec.start_week = setup->locality_specs[spec.locality].start_week;
    if (const Value* w = entry.find("start_week"))
      spec.start_week = static_cast<int>(integer_in(*w, 0, setup->horizon_weeks, "start_week"));
    read_known_context(entry, spec, *setup);
    if (const Value* events = entry.find("event")) spec.events = read_events(*events, setup->horizon_weeks);
    setup->practices.push_back(std::move(spec));
  }
  // Synthetic practices, locality by locality, after the named ones.
  const Value* locality_list = scenario.find("locality");
  for (std::uint32_t l = 0; l < setup->locality_specs.size(); ++l) {
    const LocalitySpec& locality = setup->locality_specs[l];
    for (std::uint32_t k = 1; k <= locality.synthetic; ++k) {
      PracticeSpec spec;
      spec.name = fmt::format("{}/{:03}", locality.name, k);
      if (!names.insert(spec.name).second) {
        locality_list->fail(
            fmt::format("the synthetic practice '{}' has the name of a named practice", spec.name));
      }
      spec.synthetic = true;
      spec.list_size = locality.list_size_max;
      spec.locality = l;
      spec.start_week = locality.start_week;
      spec.training = false;  // drawn per replicate with the locality's training_share
      spec.file = locality_list->file();
      spec.line = locality_list->line();
      spec.key = "locality." + locality.name;
      setup->practices.push_back(std::move(spec));
    }
  }
  setup->practice_timeseries = setup->practices.size() <= kPracticeTimeseriesLimit;
  if (const Value* outputs = scenario.find("outputs")) {
    outputs->expect_keys({"practice_timeseries"});
    if (const Value* v = outputs->find("practice_timeseries")) setup->practice_timeseries = v->as_bool();
  }

  setup->locality_members.assign(setup->localities.size(), {});
  for (std::uint32_t i = 0; i < setup->practices.size(); ++i) {
    if (!setup->practices[i].training && !setup->practices[i].synthetic)
      setup->training_draw_pool.push_back(i);
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
      {"title", "source", "description", "horizon_weeks", "practices", "fip", "pip", "outcome", "pattern"});
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
