#pragma once
// The state of one replicate: practices (with their staff, CLP, caseload and competing
// innovations) and localities (with their community organisations). Fixed-capacity arrays,
// allocated once per thread and reused, so the weekly step never allocates. Staff are stored as a
// structure of arrays: the weekly passes read one or two attributes of every staff member.

#include <array>
#include <cstdint>
#include <vector>

#include "models/lwp/setup.hpp"
#include "sim/random.hpp"

namespace lwp {

enum class Role : std::uint8_t { lead_gp, gp, practice_manager, nurse, admin };
inline constexpr int kRoleCount = 5;

inline constexpr int kMaxTies = 12;
inline constexpr int kMaxOrganisations = 64;
inline constexpr int kMaxInnovations = 16;
inline constexpr int kContactBins = 21;   // contacts 0..20 (patient.max_contacts ≤ 20)
inline constexpr int kHistoryWeeks = 64;  // ring buffer for reflexive monitoring (window ≤ 52)
inline constexpr int kMaxPendingLinks = 256;
inline constexpr int kNever = 1 << 30;           // an event that never happens
inline constexpr int kEstablished = -(1 << 29);  // joined_week of staff in post before week 0

// Slots of the core leadership among the staff (the CLP is held apart).
inline constexpr int kLeadGpSlot = 0;
inline constexpr int kPracticeManagerSlot = 1;

struct Staff {
  int count = 0;
  std::array<double, kMaxStaff> understanding{};
  std::array<double, kMaxStaff> engagement{};
  std::array<double, kMaxStaff> referral_weight{};
  std::array<Role, kMaxStaff> role{};
  std::array<std::uint32_t, kMaxStaff> occupant{};  // how many people have held the slot before
  /// What is left of the occupant's unit-exponential hazard budget: each week the role's hazard
  /// rate (lowered by team quality and integration) is spent from it, and the occupant leaves
  /// when it runs out. Drawn when the occupant starts, so under common random numbers a higher
  /// hazard makes the same person leave earlier.
  std::array<double, kMaxStaff> leave_clock{};
  std::array<int, kMaxStaff> joined_week{};  // when the occupant started (socialisation of newcomers)
  /// 1 if the staff member talked with the CLP this week, at a formal session or informally: how
  /// they hear about the patients the CLP's links helped (link_feedback).
  std::array<std::uint8_t, kMaxStaff> talked_with_clp{};
  std::array<std::uint8_t, kMaxStaff> degree{};
  std::array<std::array<std::uint8_t, kMaxTies>, kMaxStaff> ties{};  // team network (slot indices)
};

struct Clp {
  bool in_post = false;
  bool hired = false;          // a CLP has been in post (false until a later wave's first CLP starts)
  std::uint32_t entity = 0;    // stream entity of the CLP's events: the first practice of its group
  std::uint32_t occupant = 0;  // the k-th CLP of this post (0 = the one in post at week 0)
  int start_week = 0;
  int leave_week = kNever;
  int vacancy_end_week = kNever;
  double understanding = 0.0;
  double skill = 0.0;
  int organisations = 0;
  std::array<double, kMaxOrganisations> ties{};           // tie strength to each organisation
  std::array<double, kMaxOrganisations> departed_ties{};  // the predecessor's, for handover
  std::array<std::uint32_t, kContactBins> caseload{};     // active patients by contacts so far
};

/// The development activities every practice tries from the start of its programme and keeps up
/// or drops week by week (Chng 2021: by the end only FIPs kept them up).
enum class Activity : std::uint8_t { wellbeing, community_information, shared_learning };
inline constexpr std::size_t kActivityCount = 3;

struct Innovation {
  int end_week = 0;
  double load = 0.0;
};

/// A patient asking a community organisation for a place this week.
struct LinkRequest {
  std::uint8_t organisation = 0;
  std::uint8_t contacts = 0;
};

/// Totals over the horizon that become per-replicate results.
struct PracticeTotals {
  std::uint32_t referrals = 0;
  std::uint32_t linked = 0;
  std::array<std::uint32_t, kContactBins> closed_by_contacts{};  // patients by CLP contacts at closure
  std::uint32_t clp_departures = 0;
  std::uint32_t clp_changes = 0;    // a new CLP through regrouping (posts cut)
  std::uint32_t link_requests = 0;  // patients asking an organisation for a place
  std::uint32_t refused = 0;        // ... and refused for want of capacity
  std::uint32_t vacancy_weeks = 0;
  std::uint32_t clp_weeks_in_post = 0;
  std::uint32_t leadership_changes = 0;
  std::uint32_t staff_changes = 0;
  std::uint32_t innovations = 0;
  std::uint32_t appraisals = 0;
  std::uint32_t dropped = 0;    // patients who left the waiting list unlinked
  double caseload_weeks = 0.0;  // active patients summed over the weeks with a CLP in post
  /// [phase][activity]: the activity was kept up at the end of the phase's last week.
  std::array<std::array<std::uint8_t, kActivityCount>, 16> activities_kept{};
  double engagement_gain_formal = 0.0;
  double engagement_gain_informal = 0.0;
  std::array<double, 3> clp_hours{};  // patient support, practice development, community networking
  double clp_hours_available = 0.0;
  double cost = 0.0;               // CLP, manager and development fund, GBP
  double vacancy_clp_weeks = 0.0;  // vacant weeks of the practice's CLP post x its share of the post
  std::array<std::array<double, 4>, 16> phase_scores{};  // [phase][C, CP, CA, RM] sums
  std::array<int, 16> phase_weeks{};
};

struct Practice {
  // Context (drawn per replicate).
  double gp_buy_in = 0.0;
  double gp_buy_in_mean = 0.0;  // of the practice's locality: a new lead GP's buy-in is drawn from it
  double team_quality = 0.0;
  double innovation_rate = 0.0;  // per week
  bool training = false;
  int list_size = 0;
  std::uint32_t locality = 0;
  int programme_start = 0;    // week the programme starts here (rollout wave)
  double clp_presence = 1.0;  // 1 / number of practices sharing the CLP

  Staff staff;
  Clp clp;

  // Competing innovations.
  std::array<Innovation, kMaxInnovations> innovations{};
  int active_innovations = 0;
  std::uint32_t next_innovation = 0;  // index of the next arrival
  double next_innovation_time = 0.0;  // in weeks
  double next_innovation_load = 0.0;
  int next_innovation_duration = 0;
  double attention_load = 0.0;         // innovations + training, capped at 1
  std::uint32_t next_dated_event = 0;  // index into the practice's dated events (PracticeSpec::events)

  // Staff turnover: each role's weekly hazard rate, -log(1 - hazard), lowered by team quality
  // (drawn per replicate, so fixed for the replicate).
  std::array<double, kRoleCount> turnover_rate{};

  // Development activities kept up (indexed by Activity).
  std::array<bool, kActivityCount> activities{};

  // Practice-level dynamics.
  double protected_time = 0.0;
  double shared_understanding = 0.0;  // S
  double formal_recency = 0.0;        // moving average of formal participation
  double referral_flow = 0.0;         // moving average of weekly referrals
  double link_flow = 0.0;             // moving average of weekly links made
  double link_yield = 0.0;  // moving average of the share of patients ready to move on who were linked
  int last_appraisal_week = -kNever;
  std::array<std::uint32_t, kHistoryWeeks> ready_history{};  // patients ready to move on, by week
  std::array<std::uint32_t, kHistoryWeeks> link_history{};

  // This week.
  double formal_attendance = 0.0;  // share of staff at a formal session (0 if none)
  std::uint32_t referrals_this_week = 0;
  std::uint32_t links_this_week = 0;
  std::uint32_t ready_this_week = 0;  // patients ready to move on: linked, refused or closed unlinked
  std::array<double, 3> hours{};      // patient support, practice development, networking
  int pending_links = 0;
  std::array<LinkRequest, kMaxPendingLinks> link_requests{};
  std::array<std::uint16_t, kMaxOrganisations> requests_by_organisation{};
  std::array<std::uint16_t, kMaxOrganisations> accepted_by_organisation{};

  // Scores and classification.
  double coherence = 0.0;
  double participation = 0.0;
  double action = 0.0;
  double monitoring = 0.0;
  int weeks_above = 0;  // consecutive weeks with C, CP and CA above their thresholds
  bool normalised = false;
  int first_normalised_week = -1;
  int weeks_normalised = 0;
  int final_window_normalised = 0;

  PracticeTotals totals;

  // Not state: remembered (1 - p)^n of the binomial draws of patients closing (patient_contacts),
  // so that the weekly step does not recompute the same pow; draws are unchanged.
  sim::random::BinomialMemo closing_binomial;
};

struct Locality {
  int organisations = 0;
  std::uint32_t capacity = 0;                              // places per organisation
  std::array<std::uint32_t, kMaxOrganisations> clients{};  // linked patients held by each
  std::uint32_t saturated_weeks = 0;  // organisation-weeks in which requests exceeded free places
  // Not state: remembered (1 - p)^n of the binomial draws of clients leaving (resolve_locality).
  sim::random::BinomialMemo leaving_binomial;
};

// ---- The simulated staff survey (docs/model.md §7.8; survey.cpp)

/// NoMAD-style questionnaire: 20 construct items on a 5-point scale, items 0-3 coherence, 4-7
/// cognitive participation, 8-14 collective action, 15-19 reflexive monitoring.
inline constexpr int kSurveyItems = 20;
inline constexpr std::array<int, 4> kSurveyItemsPerConstruct = {4, 4, 7, 5};
/// The construct (0 C, 1 CP, 2 CA, 3 RM) that item `item` asks about.
constexpr std::size_t survey_construct(int item) noexcept {
  std::size_t construct = 0;
  for (int first = kSurveyItemsPerConstruct[0]; item >= first; first += kSurveyItemsPerConstruct[construct])
    ++construct;
  return construct;
}
static_assert(survey_construct(3) == 0 && survey_construct(4) == 1 && survey_construct(14) == 2 &&
              survey_construct(15) == 3 && survey_construct(kSurveyItems - 1) == 3);

/// Role codes of survey recipients: the staff roles (Role's values), then the CLP; none = 255.
inline constexpr std::uint8_t kClpRoleCode = kRoleCount;
inline constexpr std::uint8_t kNoRoleCode = 255;
/// The CLP's "slot" among survey recipients (staff slots are 0 .. kMaxStaff - 1).
inline constexpr int kClpSurveySlot = kMaxStaff;

/// One questionnaire of a survey: who it was sent to and, if they replied, their answers.
struct SurveyRecipient {
  std::int32_t practice = -1;  // -1: no questionnaire in this place
  std::int16_t slot = -1;      // staff slot, or kClpSurveySlot
  std::uint8_t role = kNoRoleCode;
  bool replied = false;
  std::array<std::uint8_t, kSurveyItems> answers{};  // 1..5 when replied, else 0
};

/// Everything one replicate needs, reused across replicates by a thread.
struct ReplicateState {
  std::vector<Practice> practices;
  std::vector<Locality> localities;
  std::vector<std::uint32_t> training_pool;  // scratch for the training draw
  /// [survey][questionnaire]: Setup::surveys.size() x Setup::survey_respondents() recipients.
  std::vector<SurveyRecipient> survey;
  std::vector<std::uint32_t> survey_pool;  // scratch for the draw of who replies
};

}  // namespace lwp
