// 1. Events (DESIGN §3.2): CLP departure, vacancy and replacement; lead GP, practice manager and
// staff turnover; competing innovations. Event times are drawn by inverse transform from streams
// numbered by the event (the k-th CLP, the i-th innovation), so that under common random numbers
// a higher hazard or rate makes the same events happen earlier.

#include <algorithm>
#include <cmath>

#include "models/lwp/mechanisms.hpp"
#include "sim/random.hpp"

namespace lwp {

double clp_skill(const Parameters& params, double tenure_weeks) {
  const double t = std::max(0.0, tenure_weeks);
  return 1.0 - (1.0 - params.clp_skill_initial) * std::exp(-t / params.clp_skill_ramp_weeks);
}

int weeks_until(sim::Stream& stream, double hazard) {
  if (!(hazard > 0.0)) return kNever;
  // Continuous waiting time with rate -log(1 - h) per week, so that P(leave in a given week) = h.
  const double rate = hazard >= 1.0 ? 1e9 : -std::log1p(-hazard);
  const double t = sim::random::exponential(stream, rate);
  if (t >= static_cast<double>(kNever)) return kNever;
  return std::max(1, static_cast<int>(std::ceil(t)));
}

// Continuity of CLP support (Chng 2021): a departing CLP takes their community links with them
// (Skivington 2018), staff lose momentum, and the caseload is closed.
void clp_departure(Practice& practice, const Parameters& params, const WeekContext& ctx, double open_share) {
  Clp& clp = practice.clp;
  clp.in_post = false;
  ++practice.totals.clp_departures;
  close_caseload(practice);
  clp.departed_ties = clp.ties;
  clp.ties.fill(0.0);
  for (std::size_t i = 0; i < static_cast<std::size_t>(practice.staff.count); ++i) {
    practice.staff.engagement[i] *= 1.0 - params.clp_momentum_shock;
  }
  // The labour market: a vacancy opened when many posts are open takes longer to fill.
  sim::Stream vacancy = ctx.draws.stream(clp.entity, clp.occupant, Purpose::clp_vacancy);
  const double mean = params.clp_vacancy_mean_weeks * (1.0 + params.labour_congestion * open_share);
  clp.vacancy_end_week = ctx.week + static_cast<int>(sim::random::geometric_weeks(vacancy, mean));
  clp.leave_week = kNever;
}

// The replacement starts with low skill and keeps only the handover fraction of the
// predecessor's ties.
void clp_replacement(Practice& practice, const Parameters& params, const WeekContext& ctx) {
  Clp& clp = practice.clp;
  clp.in_post = true;
  clp.start_week = ctx.week;
  clp.skill = params.clp_skill_initial;
  clp.understanding = params.clp_understanding_initial;
  if (clp.hired) {
    ++clp.occupant;
    for (std::size_t o = 0; o < static_cast<std::size_t>(clp.organisations); ++o) {
      clp.ties[o] = params.clp_handover_fraction * clp.departed_ties[o];
    }
  } else {
    // The first CLP of a later rollout wave arrives with the ties of a new CLP at week 0.
    clp.hired = true;
    initial_clp_ties(clp, params, ctx.draws);
  }
  clp.departed_ties.fill(0.0);
  clp.vacancy_end_week = kNever;
  sim::Stream leave = ctx.draws.stream(clp.entity, clp.occupant, Purpose::clp_departure);
  clp.leave_week = clp_leave_week(leave, params, ctx.week);
}

void clp_events(Practice& practice, const Parameters& params, const WeekContext& ctx, double open_share) {
  Clp& clp = practice.clp;
  if (ctx.week < practice.programme_start) return;  // not yet in the programme (a later wave)
  if (!clp.hired && ctx.week == practice.programme_start) {
    // The post opens: the first CLP is recruited, as slowly as the labour market allows.
    sim::Stream recruit = ctx.draws.stream(clp.entity, 0, Purpose::clp_recruitment);
    const double mean =
        params.programme_recruitment_mean_weeks * (1.0 + params.labour_congestion * open_share);
    clp.vacancy_end_week = ctx.week + static_cast<int>(sim::random::geometric_weeks(recruit, mean));
  }
  if (clp.in_post && ctx.week >= clp.leave_week) clp_departure(practice, params, ctx, open_share);
  if (!clp.in_post && ctx.week >= clp.vacancy_end_week) clp_replacement(practice, params, ctx);
  if (clp.in_post) {
    clp.skill = clp_skill(params, ctx.week - clp.start_week);
    ++practice.totals.clp_weeks_in_post;
  } else {
    ++practice.totals.vacancy_weeks;
    practice.totals.vacancy_clp_weeks += practice.clp_presence;
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
    double hazard = params.turnover_staff_hazard;
    if (staff.role[i] == Role::lead_gp) {
      // A new lead GP brings their own buy-in to the programme (leadership: Chng 2021).
      ++practice.totals.leadership_changes;
      hazard = params.turnover_lead_gp_hazard;
      practice.gp_buy_in = draw_gp_buy_in(
          params, ctx.draws.stream(ctx.practice, staff.occupant[i], Purpose::context, kBuyInDraw),
          practice.gp_buy_in_mean);
    } else if (staff.role[i] == Role::practice_manager) {
      ++practice.totals.leadership_changes;
      hazard = params.turnover_practice_manager_hazard;
    } else {
      ++practice.totals.staff_changes;
    }
    sim::Stream leave = ctx.draws.stream(ctx.practice, staff.occupant[i], Purpose::staff_departure,
                                         static_cast<std::uint32_t>(i));
    const int tenure = weeks_until(leave, hazard);
    staff.leave_week[i] = tenure == kNever ? kNever : ctx.week + tenure;
  }
}

void schedule_next_innovation(Practice& practice, const Parameters& params, const Draws& draws,
                              std::uint32_t practice_index, double after) {
  if (!(practice.innovation_rate > 0.0)) {
    practice.next_innovation_time = static_cast<double>(kNever);
    return;
  }
  sim::Stream s = draws.stream(practice_index, practice.next_innovation, Purpose::innovation_arrival);
  practice.next_innovation_time = after + sim::random::exponential(s, practice.innovation_rate);
  practice.next_innovation_load = params.innovation_load_mean * (0.5 + sim::random::uniform(s));
  practice.next_innovation_duration =
      static_cast<int>(sim::random::geometric_weeks(s, params.innovation_duration_mean_weeks));
}

// Competing innovations arrive (Poisson), each taking a share of attention for a while; the load
// is their sum, capped at 1. Training practices carry a standing extra load.
void competing_innovations(Practice& practice, const Parameters& params, const WeekContext& ctx) {
  int kept = 0;
  for (int k = 0; k < practice.active_innovations; ++k) {
    if (practice.innovations[static_cast<std::size_t>(k)].end_week > ctx.week) {
      practice.innovations[static_cast<std::size_t>(kept++)] =
          practice.innovations[static_cast<std::size_t>(k)];
    }
  }
  practice.active_innovations = kept;
  while (practice.next_innovation_time < static_cast<double>(ctx.week + 1)) {
    ++practice.totals.innovations;
    if (practice.active_innovations < kMaxInnovations) {
      practice.innovations[static_cast<std::size_t>(practice.active_innovations++)] = {
          ctx.week + practice.next_innovation_duration, practice.next_innovation_load};
    }
    const double arrived = practice.next_innovation_time;
    ++practice.next_innovation;
    schedule_next_innovation(practice, params, ctx.draws, ctx.practice, arrived);
  }
  double load = 0.0;
  for (int k = 0; k < practice.active_innovations; ++k)
    load += practice.innovations[static_cast<std::size_t>(k)].load;
  if (practice.training) load += params.training_gp_load;
  practice.attention_load = std::min(1.0, load);
}

}  // namespace lwp
