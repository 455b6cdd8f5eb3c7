// Initialisation (ODD: initialisation): the state at week 0 of a replicate. Attributes not
// published per practice are drawn per replicate: which practices are training practices (exactly
// training_count of them), GP buy-in, team relationship quality and the rate of competing
// innovations. The first CLP's state is set in clp.cpp (initialise_clp).

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
        staff.understanding[i] =
            lead_gp_state(params, practice.gp_buy_in, params.staff_understanding_initial);
        staff.engagement[i] = lead_gp_state(params, practice.gp_buy_in, params.staff_engagement_initial);
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
    staff.joined_week[i] = kEstablished;
    staff.leave_clock[i] = draw_leave_clock(draws, index, 0, i);
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

/// List size of a synthetic practice: log-normal with the locality's mean and standard deviation,
/// clamped to its range.
int draw_list_size(const LocalitySpec& spec, sim::Stream s) {
  if (spec.list_size_sd <= 0.0)
    return std::clamp(static_cast<int>(std::lround(spec.list_size_mean)), spec.list_size_min,
                      spec.list_size_max);
  const double cv2 = spec.list_size_sd * spec.list_size_sd / (spec.list_size_mean * spec.list_size_mean);
  const double sigma2 = std::log1p(cv2);
  const double mu = std::log(spec.list_size_mean) - 0.5 * sigma2;
  const double x = std::exp(mu + std::sqrt(sigma2) * sim::random::normal(s));
  return static_cast<int>(std::clamp(std::lround(x), static_cast<long>(spec.list_size_min),
                                     static_cast<long>(spec.list_size_max)));
}

}  // namespace

double draw_gp_buy_in(const Parameters& params, sim::Stream stream, double mean) {
  return beta_mean(stream, mean, params.context_gp_buy_in_concentration);
}

double draw_gp_buy_in(const Parameters& params, sim::Stream stream) {
  return draw_gp_buy_in(params, stream, params.context_gp_buy_in_mean);
}

Roster roster_for(int list_size, const Parameters& params) {
  const auto count = [&](double per) {
    return std::max(1, static_cast<int>(std::lround(static_cast<double>(list_size) / per)));
  };
  return {count(params.roster_patients_per_gp), count(params.roster_patients_per_nurse),
          count(params.roster_patients_per_admin)};
}

void initialise_replicate(ReplicateState& state, const Setup& setup, const Parameters& params,
                          const Draws& draws, const Programme& programme) {
  state.practices.resize(setup.practice_count());
  state.localities.resize(setup.localities.size());
  for (std::size_t l = 0; l < state.localities.size(); ++l) {
    const LocalitySpec& spec = setup.locality_specs[l];
    Locality& locality = state.localities[l];
    locality = Locality{};
    locality.organisations = spec.organisations.value_or(static_cast<int>(params.community_organisations));
    locality.capacity =
        static_cast<std::uint32_t>(std::floor(spec.capacity.value_or(params.community_capacity)));
  }

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
    const LocalitySpec& locality = setup.locality_specs[spec.locality];
    Practice& practice = state.practices[i];
    practice = Practice{};
    practice.list_size = spec.list_size;
    practice.locality = spec.locality;
    practice.training = spec.training.value_or(false);
    practice.programme_start = programme.funded_from[i];
    practice.clp_presence = programme.presence_before[i];
    practice.clp.entity = programme.lead_before[i];
    if (spec.synthetic) {
      // A synthetic practice: list size and training status drawn from its locality's
      // distributions, each from its own stream.
      practice.list_size =
          draw_list_size(locality, draws.stream(i, kInitTime, Purpose::context, kListSizeDraw));
      sim::Stream training = draws.stream(i, kInitTime, Purpose::context, kTrainingDraw);
      practice.training = sim::random::bernoulli(training, locality.training_share);
    }

    // One stream per contextual feature, so that changing one feature's distribution leaves the
    // others' draws as they were (common random numbers across design points).
    // What the scenario knows of the practice replaces the draw (a new lead GP's buy-in is still
    // drawn, around the locality's mean).
    practice.gp_buy_in_mean = locality.gp_buy_in_mean.value_or(params.context_gp_buy_in_mean);
    practice.gp_buy_in =
        spec.gp_buy_in ? *spec.gp_buy_in
                       : draw_gp_buy_in(params, draws.stream(i, kInitTime, Purpose::context, kBuyInDraw),
                                        practice.gp_buy_in_mean);
    if (spec.team_quality) {
      practice.team_quality = *spec.team_quality;
    } else {
      sim::Stream team = draws.stream(i, kInitTime, Purpose::context, kTeamQualityDraw);
      practice.team_quality =
          beta_mean(team, locality.team_quality_mean.value_or(params.context_team_quality_mean),
                    params.context_team_quality_concentration);
    }
    if (spec.innovation_rate) {
      practice.innovation_rate = *spec.innovation_rate / 52.0;
    } else {
      sim::Stream innovation = draws.stream(i, kInitTime, Purpose::context, kInnovationRateDraw);
      const double shape = params.context_innovation_rate_shape;
      const double innovation_mean =
          locality.innovation_rate_mean.value_or(params.context_innovation_rate_mean);
      practice.innovation_rate = innovation_mean > 0.0
                                     ? sim::random::gamma(innovation, shape) * innovation_mean / shape / 52.0
                                     : 0.0;
    }
    set_turnover_rates(practice, params);

    initialise_staff(practice, params, draws, i);
    initialise_team(practice, params, draws, i);
    initialise_clp(practice, params, draws, state.localities[spec.locality]);

    practice.protected_time = params.practice_protected_time_initial;
    // Every practice tries the three development activities from the start of its programme.
    practice.activities.fill(practice.programme_start == 0);
    // Until links are made, the share of patients linked is expected to follow tie strength.
    practice.link_yield = params.clp_initial_tie_strength;
    practice.next_innovation = 0;
    schedule_next_innovation(practice, params, draws, i, 0.0);
    practice.shared_understanding = shared_understanding(practice, params);
  }
  for (std::uint32_t k = 0; k < setup.training_draw_count; ++k) {
    state.practices[pool[k]].training = true;
  }
  reset_survey(state, setup);
}

}  // namespace lwp
