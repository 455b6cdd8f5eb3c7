// The CLP post and its occupant (docs/model.md §7.1.2 and §7.9): the first
// CLP in post at week 0 or recruited when a later wave's post opens, the weekly departure hazard
// (raised by the load on programme support and before a funding renewal), the leaving week,
// departure, vacancy, replacement, the handover of community ties and the skill ramp. Continuity
// of CLP support (Chng 2021); the CLP's links to organisations are personal (Skivington 2018).
// Event times are drawn by inverse transform from streams numbered by the k-th CLP, so that under
// common random numbers a higher hazard makes the same CLP leave earlier.

#include <algorithm>
#include <cmath>

#include "models/lwp/mechanisms.hpp"
#include "sim/random.hpp"

namespace lwp {

bool funding_uncertain(const Parameters& params, int week) noexcept {
  const auto cycle = static_cast<int>(params.funding_cycle_weeks);
  if (cycle <= 0) return false;
  const auto first = static_cast<int>(params.funding_first_renewal_week);
  // Weeks until the next renewal (0 in a renewal week itself).
  const int until = week <= first ? first - week : (cycle - (week - first) % cycle) % cycle;
  return until > 0 && until <= static_cast<int>(params.funding_uncertainty_weeks);
}

double support_factor(const Parameters& params) noexcept {
  const double load = params.support_clps_per_manager / params.support_reference_clps_per_manager;
  return 1.0 + params.support_departure_effect * std::max(0.0, load - 1.0);
}

double clp_hazard(const Parameters& params, int week) noexcept {
  double hazard = params.clp_departure_hazard * support_factor(params);
  if (funding_uncertain(params, week)) hazard *= params.funding_departure_multiplier;
  return std::min(1.0, hazard);
}

int clp_leave_week(sim::Stream& stream, const Parameters& params, int from) {
  if (params.funding_cycle_weeks <= 0) {
    // A constant hazard: one inverse-transform draw (as in weeks_until).
    const int tenure =
        weeks_until(stream, std::min(1.0, params.clp_departure_hazard * support_factor(params)));
    return tenure == kNever ? kNever : from + tenure;
  }
  // A hazard that varies with the funding cycle: leave in the first week whose cumulative hazard
  // reaches a unit exponential draw.
  const double target = sim::random::exponential(stream, 1.0);
  double cumulative = 0.0;
  constexpr int kLongest = 2 * 1040;
  for (int week = from + 1; week <= from + kLongest; ++week) {
    const double h = clp_hazard(params, week);
    if (h >= 1.0) return week;
    cumulative += -std::log1p(-h);
    if (cumulative >= target) return week;
  }
  return kNever;
}

double clp_skill(const Parameters& params, double tenure_weeks) {
  const double t = std::max(0.0, tenure_weeks);
  return 1.0 - (1.0 - params.clp_skill_initial) * std::exp(-t / params.clp_skill_ramp_weeks);
}

void initial_clp_ties(Clp& clp, const Parameters& params, const Draws& draws) {
  sim::Stream ties = draws.stream(clp.entity, kInitTime, Purpose::clp_ties);
  for (std::size_t o = 0; o < static_cast<std::size_t>(clp.organisations); ++o) {
    clp.ties[o] = std::clamp(params.clp_initial_tie_strength * (0.5 + sim::random::uniform(ties)), 0.0, 1.0);
  }
}

void initialise_clp(Practice& practice, const Parameters& params, const Draws& draws,
                    const Locality& locality) {
  Clp& clp = practice.clp;
  const std::uint32_t entity = clp.entity;
  clp = Clp{};
  clp.entity = entity;
  clp.organisations = locality.organisations;
  if (practice.programme_start > 0) {
    // A later rollout wave: no CLP until the post opens and is filled (clp_events).
    clp.vacancy_end_week = kNever;
    return;
  }
  clp.in_post = true;
  clp.hired = true;
  clp.occupant = 0;
  clp.start_week = -static_cast<int>(std::lround(params.clp_tenure_at_start_weeks));
  clp.skill = clp_skill(params, params.clp_tenure_at_start_weeks);
  clp.understanding = params.clp_understanding_initial;
  sim::Stream leave = draws.stream(entity, 0, Purpose::clp_departure);
  // Memoryless: the remaining time in post at week 0 has the same law as a whole tenure.
  clp.leave_week = clp_leave_week(leave, params, 0);
  initial_clp_ties(clp, params, draws);
}

// Continuity of CLP support (Chng 2021): a departing CLP takes their community links with them
// (Skivington 2018), staff lose momentum, and the caseload is closed.
// Continuity of CLP support (Chng 2021): staff lose momentum when their CLP changes; a good team
// absorbs part of the loss (team dynamics, Chng 2021).
void lose_momentum(Practice& practice, const Parameters& params) noexcept {
  const double shock = params.clp_momentum_shock * (1.0 - params.team_shock_buffer * practice.team_quality);
  for (std::size_t i = 0; i < static_cast<std::size_t>(practice.staff.count); ++i) {
    practice.staff.engagement[i] *= 1.0 - shock;
  }
}

void clp_departure(Practice& practice, const Parameters& params, const WeekContext& ctx, double open_share) {
  Clp& clp = practice.clp;
  clp.in_post = false;
  ++practice.totals.clp_departures;
  close_caseload(practice);
  clp.departed_ties = clp.ties;
  clp.ties.fill(0.0);
  lose_momentum(practice, params);
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

}  // namespace lwp
