// Initialisation (ODD: initialisation). Attributes not published per practice are drawn per
// replicate: which practices are training practices (exactly training_count of them), GP buy-in,
// team relationship quality and the rate of competing innovations.

#include <algorithm>
#include <cmath>
#include <numeric>

#include "models/lwp/mechanisms.hpp"
#include "sim/random.hpp"

namespace lwp {
namespace {

double clamp01(double x) {
  return std::clamp(x, 0.0, 1.0);
}

/// Beta with the given mean and concentration; the degenerate means 0 and 1 are exact.
double beta_mean(sim::Stream& s, double mean, double concentration) {
  if (mean <= 0.0) return 0.0;
  if (mean >= 1.0) return 1.0;
  return sim::random::beta(s, mean * concentration, (1.0 - mean) * concentration);
}

double spread_around(sim::Stream& s, double mean, double spread) {
  return clamp01(mean + spread * (2.0 * sim::random::uniform(s) - 1.0));
}

double hazard_of(Role role, const Parameters& params) {
  switch (role) {
    case Role::lead_gp: return params.turnover_lead_gp_hazard;
    case Role::practice_manager: return params.turnover_practice_manager_hazard;
    default: return params.turnover_staff_hazard;
  }
}

double referral_weight_of(Role role, const Parameters& params) {
  switch (role) {
    case Role::lead_gp:
    case Role::gp: return params.referral_weight_gp;
    case Role::nurse: return params.referral_weight_nurse;
    case Role::practice_manager:
    case Role::admin: return params.referral_weight_admin;
  }
  return 0.0;
}

void initialise_staff(Practice& practice, const Parameters& params, const Draws& draws, std::uint32_t index) {
  Staff& staff = practice.staff;
  const Roster roster = roster_for(practice.list_size, params);
  staff.count = roster.total();
  int slot = 0;
  staff.role[static_cast<std::size_t>(slot++)] = Role::lead_gp;
  staff.role[static_cast<std::size_t>(slot++)] = Role::practice_manager;
  for (int i = 1; i < roster.gps; ++i) staff.role[static_cast<std::size_t>(slot++)] = Role::gp;
  for (int i = 0; i < roster.nurses; ++i) staff.role[static_cast<std::size_t>(slot++)] = Role::nurse;
  for (int i = 0; i < roster.admin; ++i) staff.role[static_cast<std::size_t>(slot++)] = Role::admin;

  sim::Stream s = draws.stream(index, kInitTime, Purpose::staff_states);
  for (std::size_t i = 0; i < static_cast<std::size_t>(staff.count); ++i) {
    switch (staff.role[i]) {
      case Role::lead_gp:
        // GP buy-in: the lead GP's own engagement with and understanding of the LWP.
        staff.understanding[i] = practice.gp_buy_in;
        staff.engagement[i] = practice.gp_buy_in;
        break;
      case Role::practice_manager:
        staff.understanding[i] =
            spread_around(s, params.leadership_pm_engagement_initial, params.staff_initial_spread);
        staff.engagement[i] =
            spread_around(s, params.leadership_pm_engagement_initial, params.staff_initial_spread);
        break;
      default:
        staff.understanding[i] =
            spread_around(s, params.staff_understanding_initial, params.staff_initial_spread);
        staff.engagement[i] = spread_around(s, params.staff_engagement_initial, params.staff_initial_spread);
    }
    staff.referral_weight[i] = referral_weight_of(staff.role[i], params);
    staff.occupant[i] = 0;
    sim::Stream leave = draws.stream(index, 0, Purpose::staff_departure, static_cast<std::uint32_t>(i));
    staff.leave_week[i] = weeks_until(leave, hazard_of(staff.role[i], params));
  }
}

// Informal contacts run along directed team ties; their number grows with team quality.
void initialise_team(Practice& practice, const Parameters& params, const Draws& draws, std::uint32_t index) {
  Staff& staff = practice.staff;
  sim::Stream s = draws.stream(index, kInitTime, Purpose::team_network);
  const auto n = static_cast<std::uint32_t>(staff.count);
  const double wanted = params.team_ties_per_staff * practice.team_quality;
  for (std::uint32_t i = 0; i < n; ++i) {
    // Stochastic rounding keeps the mean number of ties equal to `wanted`.
    int degree = static_cast<int>(std::floor(wanted));
    if (sim::random::uniform32(s) < wanted - std::floor(wanted)) ++degree;
    degree = std::min({degree, kMaxTies, static_cast<int>(n) - 1});
    staff.degree[i] = static_cast<std::uint8_t>(degree);
    for (int k = 0; k < degree; ++k) {
      for (;;) {
        const std::uint32_t j = sim::random::index(s, n);
        const auto* begin = staff.ties[i].data();
        const bool taken = j == i || std::find(begin, begin + k, j) != begin + k;
        if (!taken) {
          staff.ties[i][static_cast<std::size_t>(k)] = static_cast<std::uint8_t>(j);
          break;
        }
      }
    }
  }
}

void initialise_clp(Practice& practice, const Parameters& params, const Draws& draws, std::uint32_t index) {
  Clp& clp = practice.clp;
  clp = Clp{};
  clp.in_post = true;
  clp.occupant = 0;
  clp.start_week = -static_cast<int>(std::lround(params.clp_tenure_at_start_weeks));
  clp.skill = clp_skill(params, params.clp_tenure_at_start_weeks);
  clp.understanding = params.clp_understanding_initial;
  sim::Stream leave = draws.stream(index, 0, Purpose::clp_departure);
  // Memoryless: the remaining time in post at week 0 has the same law as a whole tenure.
  clp.leave_week = weeks_until(leave, params.clp_departure_hazard);
  clp.organisations = static_cast<int>(params.community_organisations);
  sim::Stream ties = draws.stream(index, kInitTime, Purpose::clp_ties);
  for (std::size_t o = 0; o < static_cast<std::size_t>(clp.organisations); ++o) {
    clp.ties[o] = clamp01(params.clp_initial_tie_strength * (0.5 + sim::random::uniform(ties)));
  }
}

}  // namespace

double draw_gp_buy_in(const Parameters& params, sim::Stream stream) {
  return beta_mean(stream, params.context_gp_buy_in_mean, params.context_gp_buy_in_concentration);
}

Roster roster_for(int list_size, const Parameters& params) {
  const auto count = [&](double per) {
    return std::max(1, static_cast<int>(std::lround(static_cast<double>(list_size) / per)));
  };
  return {count(params.roster_patients_per_gp), count(params.roster_patients_per_nurse),
          count(params.roster_patients_per_admin)};
}

void initialise_replicate(ReplicateState& state, const Setup& setup, const Parameters& params,
                          const Draws& draws) {
  state.practices.resize(setup.practice_count());
  state.localities.resize(setup.localities.size());

  // Exactly training_draw_count of the undetermined practices are training practices (which ones
  // is not published for the Deep End): a partial Fisher–Yates shuffle of the pool.
  std::vector<std::uint32_t>& pool = state.training_pool;
  pool.assign(setup.training_draw_pool.begin(), setup.training_draw_pool.end());
  sim::Stream pick = draws.stream(kReplicateEntity, kInitTime, Purpose::training_draw);
  for (std::uint32_t k = 0; k < setup.training_draw_count; ++k) {
    const std::uint32_t j = k + sim::random::index(pick, static_cast<std::uint32_t>(pool.size()) - k);
    std::swap(pool[k], pool[j]);
  }

  for (std::uint32_t i = 0; i < setup.practice_count(); ++i) {
    const PracticeSpec& spec = setup.practices[i];
    Practice& practice = state.practices[i];
    practice = Practice{};
    practice.list_size = spec.list_size;
    practice.locality = spec.locality;
    practice.training = spec.training.value_or(false);

    // One stream per contextual feature, so that changing one feature's distribution leaves the
    // others' draws as they were (common random numbers across design points).
    practice.gp_buy_in = draw_gp_buy_in(params, draws.stream(i, kInitTime, Purpose::context, kBuyInDraw));
    sim::Stream team = draws.stream(i, kInitTime, Purpose::context, kTeamQualityDraw);
    practice.team_quality =
        beta_mean(team, params.context_team_quality_mean, params.context_team_quality_concentration);
    sim::Stream innovation = draws.stream(i, kInitTime, Purpose::context, kInnovationRateDraw);
    const double shape = params.context_innovation_rate_shape;
    practice.innovation_rate =
        params.context_innovation_rate_mean > 0.0
            ? sim::random::gamma(innovation, shape) * params.context_innovation_rate_mean / shape / 52.0
            : 0.0;

    initialise_staff(practice, params, draws, i);
    initialise_team(practice, params, draws, i);
    initialise_clp(practice, params, draws, i);

    practice.protected_time = params.practice_protected_time_initial;
    practice.next_innovation = 0;
    schedule_next_innovation(practice, params, draws, i, 0.0);
    practice.shared_understanding = shared_understanding(practice, params);
  }
  for (std::uint32_t k = 0; k < setup.training_draw_count; ++k) {
    state.practices[pool[k]].training = true;
  }
  for (Locality& locality : state.localities) {
    locality = Locality{};
    locality.organisations = static_cast<int>(params.community_organisations);
  }
  reset_survey(state, setup);
}

}  // namespace lwp
