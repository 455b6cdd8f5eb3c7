#pragma once
// The weekly schedule (docs/model.md section 3) as one table: every step of a week,
// in order, with its name (what `--check` reports a violation after) and the function that runs
// it. A week runs in three passes: every practice up to its requests of the community
// organisations; every locality resolving those requests; every practice again from the links
// granted to the week's scores. LwpSimulation (simulation.cpp) runs the passes; adding a
// mechanism is adding a row.

#include <array>
#include <cstdint>
#include <span>

#include "models/lwp/mechanisms.hpp"

namespace lwp {

/// What a step of one practice's week works on.
struct PracticeWeek {
  Practice& practice;
  const Parameters& params;
  const Setup& setup;
  WeekContext ctx;            // the replicate's draws, the practice's index, the week
  double open_share;          // share of the scenario's CLP posts open at the start of the week
  std::span<double> scratch;  // 2 x kMaxStaff doubles
};

enum class Pass : std::uint8_t {
  before_localities,  // pass A, per practice: events, leadership, team, collective action
  localities,         // pass B, per locality: the organisations' places shared out
  after_localities,   // pass C, per practice: links granted, reflexive monitoring, scores
};

struct WeekStep {
  const char* name;
  Pass pass;
  /// Runs the step for one practice (nullptr for the locality pass, which LwpSimulation runs
  /// per locality: resolve_locality).
  void (*run)(const PracticeWeek& week);
  /// The CLP's hours are this week's from allocate_clp_hours on (the invariant check then
  /// requires them to fit the practice's share of the post).
  bool hours_current;
};

inline constexpr std::array<WeekStep, 22> kWeek = {{
    // 1. Events: what the scenario knows happened, then what the model draws
    {"dated_events", Pass::before_localities,
     [](const PracticeWeek& w) {
       dated_events(w.practice, w.params, w.setup.practices[w.ctx.practice], w.ctx);
     },
     false},
    {"clp_events", Pass::before_localities,
     [](const PracticeWeek& w) { clp_events(w.practice, w.params, w.ctx, w.open_share); }, false},
    {"staff_turnover", Pass::before_localities,
     [](const PracticeWeek& w) { staff_turnover(w.practice, w.params, w.ctx); }, false},
    {"competing_innovations", Pass::before_localities,
     [](const PracticeWeek& w) { competing_innovations(w.practice, w.params, w.ctx); }, false},
    {"accrue_costs", Pass::before_localities,
     [](const PracticeWeek& w) { accrue_costs(w.practice, w.params, w.ctx.week); }, false},
    // 2. Leadership -> coherence
    {"leadership_meeting", Pass::before_localities,
     [](const PracticeWeek& w) { leadership_meeting(w.practice, w.params, w.ctx); }, false},
    {"shared_understanding", Pass::before_localities,
     [](const PracticeWeek& w) {
       w.practice.shared_understanding = shared_understanding(w.practice, w.params);
     },
     false},
    // 3. Team relationships -> cognitive participation
    {"formal_session", Pass::before_localities,
     [](const PracticeWeek& w) {
       w.practice.formal_attendance = formal_session(w.practice, w.params, w.ctx);
     },
     false},
    {"informal_contacts", Pass::before_localities,
     [](const PracticeWeek& w) { informal_contacts(w.practice, w.params, w.ctx, w.scratch); }, false},
    {"socialise_newcomers", Pass::before_localities,
     [](const PracticeWeek& w) { socialise_newcomers(w.practice, w.params, w.ctx.week); }, false},
    {"engagement_drift", Pass::before_localities,
     [](const PracticeWeek& w) { engagement_drift(w.practice, w.params); }, false},
    // 4. Collective action
    {"development_activities", Pass::before_localities,
     [](const PracticeWeek& w) { development_activities(w.practice, w.params, w.ctx); }, false},
    {"referrals", Pass::before_localities,
     [](const PracticeWeek& w) { referrals(w.practice, w.params, w.ctx); }, false},
    {"allocate_clp_hours", Pass::before_localities,
     [](const PracticeWeek& w) { allocate_clp_hours(w.practice, w.params); }, true},
    {"patient_contacts", Pass::before_localities,
     [](const PracticeWeek& w) { patient_contacts(w.practice, w.params, w.ctx); }, true},
    {"practice_development", Pass::before_localities,
     [](const PracticeWeek& w) { practice_development(w.practice, w.params); }, true},
    {"community_networking", Pass::before_localities,
     [](const PracticeWeek& w) { community_networking(w.practice, w.params); }, true},
    // Every practice has made its requests before any locality resolves them.
    {"resolve_locality", Pass::localities, nullptr, true},
    {"apply_links", Pass::after_localities, [](const PracticeWeek& w) { apply_links(w.practice, w.params); },
     true},
    {"link_feedback", Pass::after_localities,
     [](const PracticeWeek& w) { link_feedback(w.practice, w.params); }, true},
    // 5. Reflexive monitoring
    {"reflexive_monitoring", Pass::after_localities,
     [](const PracticeWeek& w) { reflexive_monitoring(w.practice, w.params, w.ctx); }, true},
    // 6. Scores and classification
    {"score_week", Pass::after_localities,
     [](const PracticeWeek& w) {
       score_week(w.practice, w.params, w.setup, w.ctx.week, w.practice.formal_attendance);
     },
     true},
}};

/// The row of the locality pass.
inline constexpr const WeekStep& kResolveLocality = []() -> const WeekStep& {
  for (const WeekStep& step : kWeek) {
    if (step.pass == Pass::localities) return step;
  }
  throw "the schedule has no locality pass";
}();

}  // namespace lwp
