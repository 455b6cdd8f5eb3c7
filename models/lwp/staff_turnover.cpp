// Staff turnover (docs/model.md §7.1.3): the lead GP, the practice manager
// and other staff leave with their role's weekly hazard and are replaced at once by a newcomer
// with baseline states. Leadership drove integration (Chng 2021): a new lead GP brings their own
// buy-in to the programme. Leaving weeks come from streams numbered by the slot's occupant, so
// that under common random numbers a higher hazard makes the same person leave earlier.

#include "models/lwp/mechanisms.hpp"

namespace lwp {

double turnover_hazard(Role role, const Parameters& params) noexcept {
  switch (role) {
    case Role::lead_gp: return params.turnover_lead_gp_hazard;
    case Role::practice_manager: return params.turnover_practice_manager_hazard;
    default: return params.turnover_staff_hazard;
  }
}

void staff_turnover(Practice& practice, const Parameters& params, const WeekContext& ctx) {
  Staff& staff = practice.staff;
  for (std::size_t i = 0; i < static_cast<std::size_t>(staff.count); ++i) {
    if (ctx.week < staff.leave_week[i]) continue;
    // The slot is filled at once by a newcomer with baseline states.
    ++staff.occupant[i];
    staff.understanding[i] = params.staff_newcomer_understanding;
    staff.engagement[i] = params.staff_engagement_baseline;
    if (staff.role[i] == Role::lead_gp) {
      // A new lead GP brings their own buy-in to the programme (leadership: Chng 2021).
      ++practice.totals.leadership_changes;
      practice.gp_buy_in = draw_gp_buy_in(
          params, ctx.draws.stream(ctx.practice, staff.occupant[i], Purpose::context, kBuyInDraw),
          practice.gp_buy_in_mean);
    } else if (staff.role[i] == Role::practice_manager) {
      ++practice.totals.leadership_changes;
    } else {
      ++practice.totals.staff_changes;
    }
    sim::Stream leave = ctx.draws.stream(ctx.practice, staff.occupant[i], Purpose::staff_departure,
                                         static_cast<std::uint32_t>(i));
    const int tenure = weeks_until(leave, turnover_hazard(staff.role[i], params));
    staff.leave_week[i] = tenure == kNever ? kNever : ctx.week + tenure;
  }
}

}  // namespace lwp
