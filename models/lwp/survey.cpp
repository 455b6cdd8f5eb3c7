// The simulated staff survey (virtual evaluation, docs/model.md §7.8). Chng 2021 surveyed practice
// staff with a NoMAD-style questionnaire at P2 (44 sent, 38 replied) and P4 (30 sent, 19 replied):
// 20 construct items (coherence 4, cognitive participation 4, collective action 7, reflexive
// monitoring 5) on a 5-point scale. Here the same numbers of questionnaires go out at the end of
// the surveyed phases, and each respondent answers from the model's own state, so that a simulated
// evaluation can be set beside the real one. Who is asked, who replies and how a state becomes an
// answer are assumptions (docs/model.md, 7.8).
//
// The survey only reads the state and draws from its own streams (Purpose::survey): it changes
// nothing else in the replicate.

#include <algorithm>

#include "models/lwp/mechanisms.hpp"
#include "sim/random.hpp"

namespace lwp {
namespace {

/// Where the 5-point scale is cut on the latent scale [0, 1] (assumption: equal fifths).
constexpr std::array<double, 4> kCutPoints = {0.2, 0.4, 0.6, 0.8};

/// The first slot of a role after the core leadership, or -1.
int first_slot_of(const Staff& staff, Role role) {
  for (int i = 0; i < staff.count; ++i) {
    if (i != kLeadGpSlot && i != kPracticeManagerSlot && staff.role[static_cast<std::size_t>(i)] == role)
      return i;
  }
  return -1;
}

}  // namespace

int survey_capacity(const Practice& practice) noexcept {
  return practice.staff.count + (practice.clp.in_post ? 1 : 0);
}

int survey_recipients(const Practice& practice, std::span<std::int16_t> slots) {
  const Staff& staff = practice.staff;
  int n = 0;
  const auto add = [&](int slot) { slots[static_cast<std::size_t>(n++)] = static_cast<std::int16_t>(slot); };
  // Assumption: the evaluation reached the core leadership first (lead GP, practice manager,
  // CLP: Chng 2021's focus groups), then one of each other staff group, then everyone else.
  add(kLeadGpSlot);
  add(kPracticeManagerSlot);
  if (practice.clp.in_post) add(kClpSurveySlot);
  const int nurse = first_slot_of(staff, Role::nurse);
  const int admin = first_slot_of(staff, Role::admin);
  if (nurse >= 0) add(nurse);
  if (admin >= 0) add(admin);
  for (int i = 0; i < staff.count; ++i) {
    if (i != kLeadGpSlot && i != kPracticeManagerSlot && i != nurse && i != admin) add(i);
  }
  return n;
}

std::uint8_t survey_answer(double latent, double noise) noexcept {
  const double x = latent + noise;
  int answer = 1;
  for (double cut : kCutPoints) answer += cut < x ? 1 : 0;
  return static_cast<std::uint8_t>(answer);
}

void reset_survey(ReplicateState& state, const Setup& setup) {
  const std::size_t respondents = setup.surveys.empty() ? 0 : setup.survey_respondents();
  state.survey.assign(setup.surveys.size() * respondents, SurveyRecipient{});
  state.survey_pool.resize(respondents);
}

void conduct_survey(ReplicateState& state, const Setup& setup, const Parameters& params, const Draws& draws,
                    std::size_t index) {
  const Survey& survey = setup.surveys[index];
  const std::size_t respondents = setup.survey_respondents();
  SurveyRecipient* row = state.survey.data() + index * respondents;
  std::fill(row, row + respondents, SurveyRecipient{});
  const auto& practices = state.practices;

  // Questionnaires are shared as evenly as the practices' sizes allow: the largest level L with
  // sum_i min(capacity_i, L) <= sent gives every practice min(capacity_i, L), and the rest go one
  // each to the first practices, in scenario order, that can take one more. Without capped
  // practices that is floor(sent / n) each and one more for the first sent mod n.
  std::uint64_t level = 0;
  std::uint64_t given = 0;
  for (;;) {
    std::uint64_t next = 0;
    for (const Practice& p : practices)
      next += std::min(static_cast<std::uint64_t>(survey_capacity(p)), level + 1);
    if (next > survey.sent || next == given) break;
    ++level;
    given = next;
  }
  std::uint64_t extra = survey.sent - given;

  std::uint32_t sent = 0;
  std::array<std::int16_t, kMaxStaff + 1> order{};
  for (std::size_t i = 0; i < practices.size() && sent < survey.sent; ++i) {
    const Practice& practice = practices[i];
    const auto capacity = static_cast<std::uint64_t>(survey_capacity(practice));
    std::uint64_t quota = std::min(capacity, level);
    if (capacity > level && extra > 0) {
      ++quota;
      --extra;
    }
    if (quota == 0) continue;
    (void)survey_recipients(practice, order);
    for (std::size_t k = 0; k < quota; ++k) {
      SurveyRecipient& r = row[sent++];
      // A recipient's practice index is below `sent` (at most 10000), so it fits the int16 output.
      r.practice = static_cast<std::int32_t>(i);
      r.slot = order[k];
      r.role = r.slot == kClpSurveySlot
                   ? kClpRoleCode
                   : static_cast<std::uint8_t>(practice.staff.role[static_cast<std::size_t>(r.slot)]);
    }
  }

  // Exactly `replied` of those sent reply (all of them if fewer could be sent), chosen uniformly:
  // a partial Fisher-Yates shuffle, like the draw of the training practices.
  const std::uint32_t replies = std::min(survey.replied, sent);
  std::vector<std::uint32_t>& pool = state.survey_pool;
  for (std::uint32_t k = 0; k < sent; ++k) pool[k] = k;
  sim::Stream pick =
      draws.stream(kReplicateEntity, static_cast<std::uint32_t>(survey.phase), Purpose::survey, 0);
  for (std::uint32_t k = 0; k < replies; ++k) {
    const std::uint32_t j = k + sim::random::index(pick, sent - k);
    std::swap(pool[k], pool[j]);
    row[pool[k]].replied = true;
  }

  // Each respondent answers every item from a latent value in [0, 1]: coherence items from their
  // own understanding, cognitive participation items from their own engagement, collective
  // action and reflexive monitoring items from the practice's current CA and RM scores.
  for (std::uint32_t k = 0; k < sent; ++k) {
    SurveyRecipient& r = row[k];
    if (!r.replied) continue;
    const Practice& practice = practices[static_cast<std::size_t>(r.practice)];
    const bool clp = r.slot == kClpSurveySlot;
    const auto slot = static_cast<std::size_t>(clp ? 0 : r.slot);
    const std::array<double, 4> latent = {
        clp ? practice.clp.understanding : practice.staff.understanding[slot],
        clp ? params.clp_engagement : practice.staff.engagement[slot],
        practice.action,
        practice.monitoring,
    };
    // The noise follows the staff slot (or the CLP post), whoever else is asked.
    sim::Stream noise =
        draws.stream(static_cast<std::uint32_t>(r.practice), static_cast<std::uint32_t>(survey.phase),
                     Purpose::survey, 1U + static_cast<std::uint32_t>(r.slot));
    for (int item = 0; item < kSurveyItems; ++item) {
      const double epsilon = params.survey_item_noise * sim::random::normal(noise);
      r.answers[static_cast<std::size_t>(item)] = survey_answer(latent[survey_construct(item)], epsilon);
    }
  }
}

}  // namespace lwp
