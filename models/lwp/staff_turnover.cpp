// Staff turnover (docs/model.md §7.1.3): the lead GP, the practice manager and other staff leave
// with their role's weekly hazard and are replaced at once by a newcomer. Leadership drove
// integration (Chng 2021): a new lead GP brings their own buy-in to the programme. Staff in fully
// integrated practices were less likely to want to give up patient care (ALLIANCE 2017): the
// hazards are lower in a good team and while the practice is normalised.
//
// Each occupant of a slot has a unit-exponential hazard budget, drawn when they start from a
// stream numbered by the occupant; every week spends the week's hazard rate from it, and the
// occupant leaves in the week it runs out. With constant rates this is the inverse-transform
// draw of waiting_time.cpp; under common random numbers a higher hazard makes the same person
// leave earlier.

#include <cmath>
#include <limits>

#include "models/lwp/mechanisms.hpp"
#include "sim/random.hpp"

namespace lwp {

double turnover_hazard(Role role, const Parameters& params) noexcept {
  switch (role) {
    case Role::lead_gp: return params.turnover_lead_gp_hazard;
    case Role::practice_manager: return params.turnover_practice_manager_hazard;
    default: return params.turnover_staff_hazard;
  }
}

void set_turnover_rates(Practice& practice, const Parameters& params) noexcept {
  const double team = 1.0 - params.turnover_team_effect * practice.team_quality;
  for (int r = 0; r < kRoleCount; ++r) {
    const double hazard = turnover_hazard(static_cast<Role>(r), params);
    // A hazard of 1 leaves every week: a rate no budget survives.
    const double rate = hazard >= 1.0 ? std::numeric_limits<double>::infinity() : -std::log1p(-hazard);
    practice.turnover_rate[static_cast<std::size_t>(r)] = rate * team;
  }
}

double draw_leave_clock(const Draws& draws, std::uint32_t practice, std::uint32_t occupant,
                        std::size_t slot) {
  sim::Stream s =
      draws.stream(practice, occupant, Purpose::staff_departure, static_cast<std::uint32_t>(slot));
  return sim::random::exponential(s, 1.0);
}

double lead_gp_state(const Parameters& params, double buy_in, double starting_state) noexcept {
  const double w = params.leadership_lead_gp_states_from_buy_in;
  return w * buy_in + (1.0 - w) * starting_state;
}

void start_newcomer(Practice& practice, const Parameters& params, const WeekContext& ctx, std::size_t slot) {
  Staff& staff = practice.staff;
  ++staff.occupant[slot];
  staff.joined_week[slot] = ctx.week;
  staff.understanding[slot] = params.staff_newcomer_understanding;
  staff.engagement[slot] = params.staff_engagement_baseline;
  if (staff.role[slot] == Role::lead_gp) {
    // A new lead GP brings their own buy-in to the programme (leadership: Chng 2021).
    ++practice.totals.leadership_changes;
    practice.gp_buy_in = draw_gp_buy_in(
        params, ctx.draws.stream(ctx.practice, staff.occupant[slot], Purpose::context, kBuyInDraw),
        practice.gp_buy_in_mean);
    staff.understanding[slot] =
        lead_gp_state(params, practice.gp_buy_in, params.staff_newcomer_understanding);
    staff.engagement[slot] = lead_gp_state(params, practice.gp_buy_in, params.staff_engagement_baseline);
  } else if (staff.role[slot] == Role::practice_manager) {
    ++practice.totals.leadership_changes;
  } else {
    ++practice.totals.staff_changes;
  }
  staff.leave_clock[slot] = draw_leave_clock(ctx.draws, ctx.practice, staff.occupant[slot], slot);
}

void staff_turnover(Practice& practice, const Parameters& params, const WeekContext& ctx) {
  Staff& staff = practice.staff;
  const double integration = practice.normalised ? 1.0 - params.turnover_integration_effect : 1.0;
  for (std::size_t i = 0; i < static_cast<std::size_t>(staff.count); ++i) {
    staff.leave_clock[i] -= practice.turnover_rate[static_cast<std::size_t>(staff.role[i])] * integration;
    if (staff.leave_clock[i] > 0.0) continue;
    start_newcomer(practice, params, ctx, i);
  }
}

}  // namespace lwp
