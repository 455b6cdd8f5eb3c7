// What a scenario knows happened in a practice (docs/scenarios.md, [[practice.event]]): a change of
// CLP, of lead GP or of practice manager, or a competing innovation, in a given week of every
// replicate. They happen besides what the model draws; a scenario that knows a practice's whole
// history can set the corresponding hazards and rates to 0. A known CLP change starts a vacancy
// drawn as any other; a known innovation takes its given load and duration, or the means.

#include <cmath>

#include "models/lwp/mechanisms.hpp"

namespace lwp {

void dated_events(Practice& practice, const Parameters& params, const PracticeSpec& spec,
                  const WeekContext& ctx) {
  const std::vector<DatedEvent>& events = spec.events;
  while (practice.next_dated_event < events.size() && events[practice.next_dated_event].week <= ctx.week) {
    const DatedEvent& event = events[practice.next_dated_event++];
    if (event.week < ctx.week) continue;  // before the practice's first simulated week
    switch (event.kind) {
      case EventKind::clp_change:
        if (practice.clp.in_post) clp_departure(practice, params, ctx);
        break;
      case EventKind::lead_gp_change: start_newcomer(practice, params, ctx, kLeadGpSlot); break;
      case EventKind::practice_manager_change:
        start_newcomer(practice, params, ctx, kPracticeManagerSlot);
        break;
      case EventKind::competing_innovation: {
        const int duration = event.duration_weeks.value_or(
            static_cast<int>(std::lround(params.innovation_duration_mean_weeks)));
        add_innovation(practice, event.load.value_or(params.innovation_load_mean), ctx.week + duration);
        break;
      }
    }
  }
}

}  // namespace lwp
