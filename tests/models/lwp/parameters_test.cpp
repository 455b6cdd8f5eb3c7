// The parameter table (models/lwp/parameters.def): the single source of truth for every model
// parameter (docs/parameters.md).

#include "models/lwp/parameters.hpp"

#include <cctype>
#include <cmath>
#include <iterator>
#include <set>
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "sim/error.hpp"
#include "tests/support/test_support.hpp"

namespace {

/// Words that look like citation keys: letters followed by a four-digit year ("chng2021").
std::set<std::string> citation_like_words(std::string_view text) {
  std::set<std::string> words;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!std::isalpha(static_cast<unsigned char>(text[i]))) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && std::isalnum(static_cast<unsigned char>(text[j]))) ++j;
    const std::string word(text.substr(i, j - i));
    std::size_t digits = 0;
    while (digits < word.size() && std::isdigit(static_cast<unsigned char>(word[word.size() - 1 - digits])))
      ++digits;
    if (digits == 4 && word.size() > 4) words.insert(word);
    i = j;
  }
  return words;
}

}  // namespace

TEST_CASE("every parameter has a unit, a meaning and a source that is an assumption or a citation") {
  const sim::ParamTable& table = lwp::parameter_table();
  std::set<std::string> keys;
  for (const sim::Citation& c : table.citations()) {
    CHECK_FALSE(c.text.empty());
    keys.insert(std::string(c.key));
  }
  REQUIRE(table.size() > 0);
  for (const sim::ParamSpec& spec : table.specs()) {
    INFO(spec.name);
    CHECK_FALSE(spec.unit.empty());
    CHECK_FALSE(spec.meaning.empty());
    REQUIRE_FALSE(spec.source.empty());
    const std::string source(spec.source);
    const bool assumption = source.rfind("assumption", 0) == 0;
    bool starts_with_citation = false;
    for (const std::string& key : keys)
      starts_with_citation = starts_with_citation || source.rfind(key, 0) == 0;
    CHECK((assumption || starts_with_citation));
    // Every citation a source names is in the table's list of citations.
    for (const std::string& word : citation_like_words(source)) {
      INFO("cites " << word);
      CHECK(keys.count(word) == 1);
    }
    CHECK(spec.min <= spec.default_value);
    CHECK(spec.default_value <= spec.max);
  }
}

// The two tests below expand parameters.def into one small table row per parameter and check the
// rows in a loop: a block of CHECKs per parameter made one function of thousands of Catch2
// expansions, which GCC took nearly 10 minutes to compile at -O3 (the critical path of CI's
// Release build).

TEST_CASE("the parameters of the default values are the defaults of the struct, field by field") {
  const sim::ParamValues defaults(lwp::parameter_table());
  const lwp::Parameters from = lwp::Parameters::from(defaults);
  const lwp::Parameters plain{};
  struct Field {
    const char* name;
    double from;
    double plain;
  };
  const Field fields[] = {
#define LWP_PARAM(field, name, kind, def, lo, hi, unit, meaning, source) \
  {name, static_cast<double>(from.field), static_cast<double>(plain.field)},
#include "models/lwp/parameters.def"
#undef LWP_PARAM
  };
  CHECK(std::size(fields) == lwp::parameter_table().size());
  for (const Field& f : fields) {
    INFO(f.name);
    CHECK(f.from == f.plain);
    CHECK(f.from == defaults.get(f.name));
  }
  // The Deep End scenario sets no parameter: it runs at the table's defaults.
  const lwp::Parameters deep_end = lwp::Parameters::from(lwsim_test::deep_end().params());
  CHECK(deep_end.clp_departure_hazard == plain.clp_departure_hazard);
  CHECK(deep_end.context_gp_buy_in_mean == plain.context_gp_buy_in_mean);
  CHECK(deep_end.classification_window_weeks == plain.classification_window_weeks);
}

TEST_CASE("each parameter's generated index names its row of the table, and every row has one") {
  const sim::ParamTable& table = lwp::parameter_table();
  struct Row {
    const char* dotted;
    std::size_t index;
  };
  const Row rows[] = {
#define LWP_PARAM(field, dotted, kind, def, lo, hi, unit, meaning, source) \
  {dotted, lwp::param_index(lwp::ParamId::field)},
#include "models/lwp/parameters.def"
#undef LWP_PARAM
  };
  CHECK(std::size(rows) == table.size());
  for (std::size_t r = 0; r < std::size(rows); ++r) {
    INFO(rows[r].dotted);
    const std::size_t i = rows[r].index;
    REQUIRE(i < table.size());
    CHECK(table[i].name == rows[r].dotted);
    CHECK(table.find(rows[r].dotted) == i);
    CHECK(i == r);
  }
  // A field of the struct is read from its own index.
  sim::ParamValues values(table);
  values.set(lwp::param_index(lwp::ParamId::clp_handover_fraction), 0.125, {"<test>", 1});
  CHECK(lwp::Parameters::from(values).clp_handover_fraction == 0.125);
}

TEST_CASE("a value set in a scenario reaches its field of the model's parameters") {
  sim::Scenario scenario = lwsim_test::deep_end();
  lwsim_test::set(
      scenario,
      {{"clp.departure_hazard", 0.02}, {"community.capacity", 7.0}, {"monitoring.window_weeks", 20}});
  const lwp::Parameters p = lwp::Parameters::from(scenario.params());
  CHECK(p.clp_departure_hazard == 0.02);
  CHECK(p.community_capacity == 7.0);
  CHECK(p.monitoring_window_weeks == 20.0);
  CHECK(p.clp_handover_fraction == lwp::Parameters{}.clp_handover_fraction);
}

TEST_CASE("the CLP's target shares sum to 1 and the model rejects shares that do not") {
  const lwp::Parameters p{};
  CHECK(p.clp_target_share_patient_support + p.clp_target_share_practice_development +
            p.clp_target_share_community_networking ==
        Approx(1.0).margin(1e-12));

  sim::Scenario scenario = lwsim_test::deep_end();
  bool thrown = false;
  try {
    lwsim_test::set(scenario, {{"clp.target_share_patient_support", 0.6}});
  } catch (const sim::InputError& e) {
    thrown = true;
    INFO(e.what());
    // The error names the share the user changed, where it was set.
    CHECK(e.key().find("clp.target_share_patient_support") != std::string::npos);
    CHECK(e.file() == "<test>");
  }
  CHECK(thrown);

  // Shares that do sum to 1 are accepted.
  sim::Scenario balanced = lwsim_test::deep_end();
  CHECK_NOTHROW(lwsim_test::set(balanced, {{"clp.target_share_patient_support", 0.4},
                                           {"clp.target_share_practice_development", 0.3},
                                           {"clp.target_share_community_networking", 0.3}}));
}
