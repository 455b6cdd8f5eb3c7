// The simulated staff survey (models/lwp/survey.cpp; docs/model.md §7.8): Chng 2021 surveyed staff
// at P2 (44 questionnaires sent, 38 replied) and P4 (30 sent, 19 replied) with NoMAD-style
// construct items on a 5-point scale. The survey observes the model; it must never change it.

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "models/lwp/mechanisms.hpp"
#include "sim/error.hpp"
#include "tests/models/lwp/practice_fixture.hpp"
#include "tests/support/test_support.hpp"

using lwp_test::at;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The Deep End scenario file's text, and the observed data it names.
const std::string& deep_end_text() {
  static const std::string text =
      read_file(std::string(LWSIM_SOURCE_DIR) + "/scenarios/deep_end_glasgow.toml");
  return text;
}
const std::string& deep_end_observed() {
  static const std::string text =
      read_file(std::string(LWSIM_SOURCE_DIR) + "/scenarios/observed/deep_end_2016.toml");
  return text;
}

/// The Deep End scenario with its [evaluation.survey] table replaced by `survey` (TOML lines,
/// possibly empty: no survey).
sim::Scenario deep_end_with_survey(const std::string& survey) {
  std::string text = deep_end_text();
  const std::size_t begin = text.find("[evaluation.survey]\n");
  REQUIRE(begin != std::string::npos);
  const std::size_t end = text.find("\n\n", begin);
  REQUIRE(end != std::string::npos);
  text.replace(begin, end - begin, survey.empty() ? "" : "[evaluation.survey]\n" + survey);
  return sim::scenario_from_text(text, "deep_end_variant.toml", lwsim_test::registry(), &deep_end_observed());
}

const lwp::Setup& setup_of(const sim::Scenario& scenario) {
  return static_cast<const lwp::Setup&>(*scenario.setup);
}

/// A one-practice setup surveying `sent` staff with `replied` replies at week 0.
lwp::Setup survey_setup(std::uint32_t sent, std::uint32_t replied, std::size_t practices = 1) {
  lwp::Setup setup;
  for (std::size_t i = 0; i < practices; ++i) setup.practices.push_back({});
  setup.phases = {{"P1", 0, 0}};
  setup.surveys = {{0, 0, sent, replied}};
  return setup;
}

/// Runs survey 0 of `setup` on hand-built practices, for replicate `replicate`.
lwp::ReplicateState survey_of(const std::vector<lwp::Practice>& practices, const lwp::Setup& setup,
                              const lwp::Parameters& params, std::uint32_t replicate = 0) {
  lwp::ReplicateState state;
  state.practices = practices;
  lwp::reset_survey(state, setup);
  lwp::conduct_survey(state, setup, params, lwp::Draws{{7, replicate}, nullptr}, 0);
  return state;
}

std::vector<const lwp::SurveyRecipient*> row_of(const lwp::ReplicateState& state, const lwp::Setup& setup,
                                                std::size_t survey) {
  std::vector<const lwp::SurveyRecipient*> row;
  const std::size_t n = setup.survey_respondents();
  for (std::size_t r = 0; r < n; ++r) row.push_back(&state.survey[survey * n + r]);
  return row;
}

/// Expected priority order of a practice's recipients, written out from the roles.
std::vector<int> priority_order(const lwp::Practice& practice) {
  std::vector<int> order = {lwp::kLeadGpSlot, lwp::kPracticeManagerSlot};
  if (practice.clp.in_post) order.push_back(lwp::kClpSurveySlot);
  int nurse = -1;
  int admin = -1;
  for (int i = 2; i < practice.staff.count; ++i) {
    if (nurse < 0 && practice.staff.role[at(i)] == lwp::Role::nurse) nurse = i;
    if (admin < 0 && practice.staff.role[at(i)] == lwp::Role::admin) admin = i;
  }
  if (nurse >= 0) order.push_back(nurse);
  if (admin >= 0) order.push_back(admin);
  for (int i = 2; i < practice.staff.count; ++i) {
    if (i != nurse && i != admin) order.push_back(i);
  }
  return order;
}

}  // namespace

TEST_CASE(
    "the Deep End surveys send 44 and 30 questionnaires and get exactly 38 and 19 replies in every "
    "replicate") {
  const sim::Scenario scenario = lwsim_test::deep_end();
  const lwp::Setup& setup = setup_of(scenario);
  REQUIRE(setup.surveys.size() == 2);
  REQUIRE(setup.phases[setup.surveys[0].phase].name == "P2");
  REQUIRE(setup.phases[setup.surveys[1].phase].name == "P4");
  REQUIRE(setup.survey_respondents() == 44);
  const std::uint32_t sent[] = {44, 30};
  const std::uint32_t replied[] = {38, 19};
  const std::uint32_t replicates = 300;
  // How often each questionnaire of the P2 survey is answered: replies are drawn uniformly.
  std::vector<int> answered(44, 0);
  for (std::uint32_t rep = 0; rep < replicates; ++rep) {
    const lwp::ReplicateState state = lwsim_test::run_replicate_state(scenario, 20141101, rep);
    for (std::size_t s = 0; s < 2; ++s) {
      std::uint32_t n_sent = 0;
      std::uint32_t n_replied = 0;
      for (const lwp::SurveyRecipient* r : row_of(state, setup, s)) {
        n_sent += r->practice >= 0 ? 1U : 0U;
        n_replied += r->replied ? 1U : 0U;
        CHECK((r->replied ? r->practice >= 0 : true));
      }
      // The seven practices have 71 staff besides their CLPs: every questionnaire can go out.
      CHECK(n_sent == sent[s]);
      CHECK(n_replied == replied[s]);
    }
    for (std::size_t r = 0; r < 44; ++r) answered[r] += state.survey[r].replied ? 1 : 0;
  }
  // Each questionnaire is answered with probability 38/44; over 300 replicates a binomial share
  // has standard error sqrt(p (1 - p) / 300) = 0.020; 5 standard errors over 44 places leave a
  // false alarm probability below 44 x 6e-7.
  const double p = 38.0 / 44.0;
  const double se = std::sqrt(p * (1.0 - p) / replicates);
  for (std::size_t r = 0; r < 44; ++r) {
    INFO("questionnaire " << r << " answered in " << answered[r] << " of " << replicates << " replicates");
    CHECK(std::fabs(answered[r] / static_cast<double>(replicates) - p) <= 5.0 * se);
  }
}

TEST_CASE(
    "questionnaires are shared evenly over the practices: floor(sent / n), one more for the first sent mod "
    "n") {
  const lwp::Parameters params;
  const std::vector<lwp::Practice> practices(3, lwp_test::make_practice(params, 10));
  const lwp::Setup setup = survey_setup(10, 10, 3);
  const lwp::ReplicateState state = survey_of(practices, setup, params);
  std::vector<int> per_practice(3, 0);
  for (const lwp::SurveyRecipient* r : row_of(state, setup, 0)) {
    REQUIRE(r->practice >= 0);
    ++per_practice[at(r->practice)];
  }
  CHECK(per_practice == std::vector<int>{4, 3, 3});
}

TEST_CASE(
    "a practice with fewer people than its share gets one questionnaire each, and the rest go elsewhere") {
  const lwp::Parameters params;
  // A practice of 4 staff and a CLP (5 people) and one of 20 staff and a CLP; 20 questionnaires.
  std::vector<lwp::Practice> practices = {lwp_test::make_practice(params, 4),
                                          lwp_test::make_practice(params, 20)};
  lwp::Setup setup = survey_setup(20, 20, 2);
  lwp::ReplicateState state = survey_of(practices, setup, params);
  std::vector<int> per_practice(2, 0);
  for (const lwp::SurveyRecipient* r : row_of(state, setup, 0)) ++per_practice[at(r->practice)];
  CHECK(per_practice == std::vector<int>{5, 15});

  // When everyone has had one, fewer are sent, and everyone sent one can reply.
  setup = survey_setup(40, 30, 2);
  state = survey_of(practices, setup, params);
  int sent = 0;
  int replied = 0;
  std::vector<std::pair<std::int32_t, int>> people;
  for (const lwp::SurveyRecipient* r : row_of(state, setup, 0)) {
    if (r->practice < 0) continue;
    ++sent;
    replied += r->replied ? 1 : 0;
    people.emplace_back(r->practice, r->slot);
  }
  CHECK(sent == 26);
  CHECK(replied == 26);
  std::sort(people.begin(), people.end());
  CHECK(std::adjacent_find(people.begin(), people.end()) == people.end());  // nobody twice
}

TEST_CASE(
    "recipients are the lead GP, the practice manager, the CLP, a nurse, an admin, then the others in slot "
    "order") {
  const lwp::Parameters params;
  lwp::Practice practice = lwp_test::make_practice(params, 10);
  // Slots: 0 lead GP, 1 practice manager, then GP, nurse, admin in turn.
  std::array<std::int16_t, lwp::kMaxStaff + 1> slots{};
  int n = lwp::survey_recipients(practice, slots);
  CHECK(std::vector<int>(slots.begin(), slots.begin() + n) ==
        std::vector<int>{0, 1, lwp::kClpSurveySlot, 3, 4, 2, 5, 6, 7, 8, 9});
  practice.clp.in_post = false;
  n = lwp::survey_recipients(practice, slots);
  CHECK(std::vector<int>(slots.begin(), slots.begin() + n) == std::vector<int>{0, 1, 3, 4, 2, 5, 6, 7, 8, 9});

  // In the Deep End every practice's questionnaires go to the first of that order, and the role
  // codes are those of the people asked.
  const sim::Scenario scenario = lwsim_test::deep_end();
  const lwp::Setup& setup = setup_of(scenario);
  for (std::uint32_t rep = 0; rep < 20; ++rep) {
    const lwp::ReplicateState state = lwsim_test::run_replicate_state(scenario, 3, rep);
    for (std::size_t s = 0; s < setup.surveys.size(); ++s) {
      const auto row = row_of(state, setup, s);
      for (std::size_t i = 0; i < state.practices.size(); ++i) {
        const lwp::Practice& p = state.practices[i];
        std::vector<int> asked;
        for (const lwp::SurveyRecipient* r : row) {
          if (r->practice != static_cast<std::int32_t>(i)) continue;
          asked.push_back(r->slot);
          CHECK(r->role == (r->slot == lwp::kClpSurveySlot
                                ? lwp::kClpRoleCode
                                : static_cast<std::uint8_t>(p.staff.role[at(r->slot)])));
        }
        // Roles never change slot; whether the CLP was in post at the survey is known here only
        // for the survey of the last week, so earlier surveys may follow either order.
        lwp::Practice with_clp = p;
        with_clp.clp.in_post = true;
        lwp::Practice without_clp = p;
        without_clp.clp.in_post = false;
        std::vector<int> first = priority_order(with_clp);
        std::vector<int> second = priority_order(without_clp);
        first.resize(asked.size());
        second.resize(asked.size());
        if (setup.surveys[s].week == setup.horizon_weeks) {
          CHECK(asked == (p.clp.in_post ? first : second));
        } else {
          CHECK((asked == first || asked == second));
        }
      }
    }
  }
}

TEST_CASE("every answer is on the 5-point scale, and only respondents have answers") {
  sim::Scenario scenario = lwsim_test::deep_end();
  for (double noise : {0.0, 0.15, 2.0}) {
    lwsim_test::set(scenario, {{"survey.item_noise", noise}});
    std::vector<int> seen(6, 0);
    for (std::uint32_t rep = 0; rep < 30; ++rep) {
      const lwp::ReplicateState state = lwsim_test::run_replicate_state(scenario, 11, rep);
      for (const lwp::SurveyRecipient& r : state.survey) {
        for (std::uint8_t answer : r.answers) {
          if (r.replied) {
            CHECK(answer >= 1);
            CHECK(answer <= 5);
          } else {
            CHECK(answer == 0);
          }
          ++seen[answer];
        }
      }
    }
    INFO("item noise " << noise);
    // With noise 2 on a latent scale of width 1, every answer occurs.
    if (noise == 2.0) CHECK(std::count(seen.begin() + 1, seen.end(), 0) == 0);
  }
}

TEST_CASE("with no item noise an understanding of 0.5 gives exactly 3 on every coherence item") {
  CHECK(lwp::survey_answer(0.5, 0.0) == 3);
  CHECK(lwp::survey_answer(0.0, 0.0) == 1);
  CHECK(lwp::survey_answer(0.2, 0.0) == 1);  // a cut point counts only when strictly below
  CHECK(lwp::survey_answer(0.21, 0.0) == 2);
  CHECK(lwp::survey_answer(1.0, 0.0) == 5);
  CHECK(lwp::survey_answer(0.5, -10.0) == 1);
  CHECK(lwp::survey_answer(0.5, 10.0) == 5);

  lwp::Parameters params;
  params.survey_item_noise = 0.0;
  lwp::Practice practice = lwp_test::make_practice(params, 10);
  for (int i = 0; i < practice.staff.count; ++i) {
    practice.staff.understanding[at(i)] = 0.5;
    practice.staff.engagement[at(i)] = 0.7;
  }
  practice.clp.understanding = 0.5;
  practice.action = 0.1;
  practice.monitoring = 0.9;
  const lwp::Setup setup = survey_setup(11, 11);
  const lwp::ReplicateState state = survey_of({practice}, setup, params);
  for (const lwp::SurveyRecipient* r : row_of(state, setup, 0)) {
    REQUIRE(r->replied);
    INFO("slot " << r->slot);
    for (int item = 0; item < lwp::kSurveyItems; ++item) {
      const std::size_t construct = lwp::survey_construct(item);
      // The CLP's engagement is the parameter clp.engagement (0.9: answer 5), staff's their own.
      const int expected = construct == 0                                     ? 3
                           : construct == 1 && r->slot == lwp::kClpSurveySlot ? 5
                           : construct == 1                                   ? 4
                           : construct == 2                                   ? 1
                                                                              : 5;
      CHECK(r->answers[at(item)] == expected);
    }
  }
}

TEST_CASE("under the same noise, higher understanding never gives a lower coherence answer") {
  lwp::Parameters params;
  params.survey_item_noise = 0.3;
  const lwp::Setup setup = survey_setup(11, 11);
  std::vector<std::vector<int>> previous;
  int raised = 0;
  for (int step = 0; step <= 20; ++step) {
    lwp::Practice practice = lwp_test::make_practice(params, 10);
    const double understanding = step / 20.0;
    for (int i = 0; i < practice.staff.count; ++i) practice.staff.understanding[at(i)] = understanding;
    practice.clp.understanding = understanding;
    const lwp::ReplicateState state = survey_of({practice}, setup, params, 5);
    std::vector<std::vector<int>> answers;
    for (const lwp::SurveyRecipient* r : row_of(state, setup, 0)) {
      REQUIRE(r->replied);
      answers.emplace_back(r->answers.begin(), r->answers.begin() + lwp::kSurveyItemsPerConstruct[0]);
    }
    if (!previous.empty()) {
      for (std::size_t k = 0; k < answers.size(); ++k) {
        for (std::size_t item = 0; item < answers[k].size(); ++item) {
          INFO("respondent " << k << ", item " << item << ", understanding " << understanding);
          CHECK(answers[k][item] >= previous[k][item]);
          raised += answers[k][item] > previous[k][item] ? 1 : 0;
        }
      }
    }
    previous = answers;
  }
  // From 0 to 1 every answer climbs most of the scale: 44 answers, each rising several times.
  CHECK(raised > 44);
}

TEST_CASE("the survey changes no other result: summaries are bitwise identical with and without it") {
  const sim::Scenario without = deep_end_with_survey("");
  REQUIRE(setup_of(without).surveys.empty());
  const sim::PointSummary base = lwsim_test::run_point(without, 200, 17);
  CHECK(base.arrays.count("/survey/mean_score_by_outcome") == 0);
  for (const std::string& survey :
       {std::string("P2 = { sent = 44, replied = 38 }\nP4 = { sent = 30, replied = 19 }\n"),
        std::string("P1 = { sent = 3000, replied = 1 }\nP3 = { sent = 5, replied = 0 }\n")}) {
    INFO(survey);
    const sim::Scenario with = deep_end_with_survey(survey);
    REQUIRE_FALSE(setup_of(with).surveys.empty());
    const sim::PointSummary surveyed = lwsim_test::run_point(with, 200, 17);
    CHECK(surveyed.replicates == base.replicates);
    for (const auto& [path, values] : base.arrays) {
      INFO(path);
      REQUIRE(surveyed.arrays.count(path) == 1);
      const std::vector<double>& other = surveyed.arrays.at(path);
      REQUIRE(other.size() == values.size());
      std::size_t differing = 0;
      for (std::size_t i = 0; i < values.size(); ++i) {
        differing +=
            std::bit_cast<std::uint64_t>(values[i]) != std::bit_cast<std::uint64_t>(other[i]) ? 1U : 0U;
      }
      CHECK(differing == 0);
    }
    std::vector<std::string> added;
    for (const auto& [path, values] : surveyed.arrays) {
      if (base.arrays.count(path) == 0) added.push_back(path);
    }
    CHECK(added == std::vector<std::string>{"/survey/answered_items", "/survey/mean_score_by_outcome"});
  }
}

TEST_CASE("the mean survey score by outcome averages the answered items of each construct") {
  const sim::Scenario scenario = lwsim_test::deep_end();
  const sim::PointSummary summary = lwsim_test::run_point(scenario, 100, 23);
  const std::vector<double>& answered = summary.at("/survey/answered_items");
  const std::vector<double>& mean = summary.at("/survey/mean_score_by_outcome");
  REQUIRE(answered.size() == 2 * 2 * 4);
  REQUIRE(mean.size() == answered.size());
  const double replied[] = {38.0, 19.0};
  for (std::size_t s = 0; s < 2; ++s) {
    for (std::size_t c = 0; c < 4; ++c) {
      // Every respondent answers every item: per replicate, replies x items of the construct.
      const double items = answered[(s * 2 + 0) * 4 + c] + answered[(s * 2 + 1) * 4 + c];
      CHECK(items == Approx(replied[s] * lwp::kSurveyItemsPerConstruct[c]).epsilon(1e-12));
      for (std::size_t o = 0; o < 2; ++o) {
        const double m = mean[(s * 2 + o) * 4 + c];
        if (answered[(s * 2 + o) * 4 + c] > 0) {
          CHECK(m >= 1.0);
          CHECK(m <= 5.0);
        } else {
          CHECK(std::isnan(m));
        }
      }
    }
  }
}

TEST_CASE(
    "a survey that names no phase, or more replies than questionnaires, is refused with file, line and key") {
  const auto refused = [](const std::string& survey, const std::string& key, int line) {
    const std::string toml =
        "[evaluation.survey]\n" + survey + "\n[[practice]]\nname = \"A\"\nlist_size = 3000\n";
    INFO(survey);
    try {
      (void)lwsim_test::scenario_from(toml);
      FAIL("accepted");
    } catch (const sim::InputError& e) {
      INFO(e.what());
      CHECK(e.file() == "<test>");
      CHECK(e.line() == line);
      CHECK(e.key() == key);
    }
  };
  refused("P9 = { sent = 4, replied = 2 }", "evaluation.survey.P9", 2);
  refused("P2 = { sent = 4, replied = 5 }", "evaluation.survey.P2.replied", 2);
  refused("P2 = { sent = -1, replied = 0 }", "evaluation.survey.P2.sent", 2);
  refused("P2 = { sent = 4, replied = -1 }", "evaluation.survey.P2.replied", 2);
  refused("P2 = { sent = 10001, replied = 1 }", "evaluation.survey.P2.sent", 2);
  refused("P1 = { sent = 4, replied = 2 }\nP2 = { sent = 4 }", "evaluation.survey.P2.replied", 3);
  refused("P2 = { sent = 4, replied = 2, rate = 0.5 }", "evaluation.survey.P2.rate", 2);
  refused("P2 = 44", "evaluation.survey.P2", 2);
  refused("P2 = { sent = 4.5, replied = 2 }", "evaluation.survey.P2.sent", 2);

  // The limits themselves are accepted.
  const sim::Scenario ok = lwsim_test::scenario_from(
      "[evaluation.survey]\nP2 = { sent = 10000, replied = 10000 }\nP3 = { sent = 0, replied = 0 }\n"
      "[[practice]]\nname = \"A\"\nlist_size = 3000\n");
  CHECK(setup_of(ok).surveys.size() == 2);
  CHECK(setup_of(ok).survey_respondents() == 10000);
}

TEST_CASE("surveys are kept in phase order whatever the order of the entries") {
  const sim::Scenario scenario = lwsim_test::scenario_from(
      "[evaluation.survey]\nP4 = { sent = 30, replied = 19 }\nP2 = { sent = 44, replied = 38 }\n"
      "[[practice]]\nname = \"A\"\nlist_size = 3000\n");
  const lwp::Setup& setup = setup_of(scenario);
  REQUIRE(setup.surveys.size() == 2);
  CHECK(setup.phases[setup.surveys[0].phase].name == "P2");
  CHECK(setup.surveys[0].week == 52);
  CHECK(setup.surveys[0].sent == 44);
  CHECK(setup.phases[setup.surveys[1].phase].name == "P4");
  CHECK(setup.surveys[1].week == 104);
  CHECK(setup.surveys[1].replied == 19);
}
