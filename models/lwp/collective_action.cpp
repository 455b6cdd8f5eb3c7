// 4. Collective action (docs/model.md §7.4). Chng 2021: in fully integrated practices the CLP's
// work was balanced across patient support, practice development and community networking; in
// partially integrated practices practice development was constrained and the CLP focused on
// one-to-one patient support. Skivington 2018: case management is time-consuming, and benefits flow
// from the CLP's own relationships with community organisations.

#include <algorithm>
#include <numeric>

#include "models/lwp/mechanisms.hpp"
#include "sim/random.hpp"

namespace lwp {

namespace {
constexpr std::size_t kPatientSupport = 0;
constexpr std::size_t kPracticeDevelopment = 1;
constexpr std::size_t kNetworking = 2;

std::uint32_t active_patients(const Clp& clp) {
  return std::accumulate(clp.caseload.begin(), clp.caseload.end(), std::uint32_t{0});
}
}  // namespace

// Staff refer at a rate that grows with their engagement and understanding and with list size.
void referrals(Practice& practice, const Parameters& params, const WeekContext& ctx) {
  practice.referrals_this_week = 0;
  if (!practice.clp.in_post) return;
  const Staff& staff = practice.staff;
  double weighted = 0.0;
  double weights = 0.0;
  for (std::size_t i = 0; i < static_cast<std::size_t>(staff.count); ++i) {
    weighted += staff.referral_weight[i] * staff.engagement[i] * staff.understanding[i];
    weights += staff.referral_weight[i];
  }
  const double intensity = weights > 0.0 ? weighted / weights : 0.0;
  const double mean = params.referral_rate_per_1000 * practice.list_size / 1000.0 * intensity;
  sim::Stream s = ctx.stream(Purpose::referral);
  const std::uint32_t n = sim::random::poisson(s, mean);
  practice.clp.caseload[0] += n;
  practice.referrals_this_week = n;
  practice.totals.referrals += n;
}

// The caseload's demand for one-to-one support comes first. Practice development gets at most
// its share of the room the leadership make for it (shared understanding x core engagement, up to
// the target shares of development and networking). Networking gets what remains, scaled by
// skill. Hours the practice does not make room for go to one-to-one
// support: a practice that does not make room pushes the CLP into patient support (PIP pattern).
void allocate_clp_hours(Practice& practice, const Parameters& params) {
  practice.hours = {0.0, 0.0, 0.0};
  if (!practice.clp.in_post) return;
  // A CLP shared by several practices gives each its share of the week.
  const double total = params.clp_hours_per_week * practice.clp_presence;
  const double demand = active_patients(practice.clp) * params.patient_support_hours;
  const double core_engagement =
      0.5 * (practice.staff.engagement[kLeadGpSlot] + practice.staff.engagement[kPracticeManagerSlot]);
  // Room beyond the target shares of development and networking is not taken: a practice that
  // makes ample room gets a balanced CLP, not one pulled away from patients.
  const double room = total * std::min(practice.shared_understanding * core_engagement,
                                       params.clp_target_share_practice_development +
                                           params.clp_target_share_community_networking);
  double support = std::clamp(demand, total - room, total);
  const double development_weight = params.clp_target_share_practice_development /
                                    std::max(1e-12, params.clp_target_share_practice_development +
                                                        params.clp_target_share_community_networking);
  const double development = std::min(total - support, room * development_weight);
  const double remaining = total - support - development;
  const double networking = remaining * practice.clp.skill;
  support += remaining - networking;
  practice.hours = {support, development, networking};
  practice.totals.clp_hours[kPatientSupport] += support;
  practice.totals.clp_hours[kPracticeDevelopment] += development;
  practice.totals.clp_hours[kNetworking] += networking;
  practice.totals.clp_hours_available += total;
}

void patient_contacts(Practice& practice, const Parameters& params, const WeekContext& ctx) {
  practice.pending_links = 0;
  practice.requests_by_organisation.fill(0);
  Clp& clp = practice.clp;
  if (!clp.in_post) return;
  const std::uint32_t active = active_patients(clp);
  if (active == 0) return;
  const double demand = active * params.patient_support_hours;
  const double served_share = demand > 0.0 ? std::min(1.0, practice.hours[kPatientSupport] / demand) : 0.0;
  const int max_contacts = static_cast<int>(params.patient_max_contacts);

  double tie_total = 0.0;
  for (int o = 0; o < clp.organisations; ++o) tie_total += clp.ties[static_cast<std::size_t>(o)];

  sim::Stream s = ctx.stream(Purpose::caseload);
  sim::Stream link = ctx.stream(Purpose::linking);
  // From the most contacts down, so a patient moves at most one bin a week.
  for (int k = max_contacts - 1; k >= 0; --k) {
    std::uint32_t& bin = clp.caseload[static_cast<std::size_t>(k)];
    if (bin == 0) continue;
    // (binomial returns n for p ≥ 1 without a draw: the common case of a CLP with hours enough.)
    const std::uint32_t served = served_share >= 1.0 ? bin : sim::random::binomial(s, bin, served_share);
    bin -= served;
    const int contacts = k + 1;
    const std::uint32_t closing = practice.closing_binomial(s, served, params.patient_close_probability);
    const std::uint32_t continuing = served - closing;
    if (contacts >= max_contacts) {
      practice.totals.closed_by_contacts[static_cast<std::size_t>(contacts)] += continuing;
    } else {
      clp.caseload[static_cast<std::size_t>(contacts)] += continuing;
    }
    // A patient ready to close asks an organisation chosen in proportion to tie strength; the
    // link holds with probability equal to that tie's strength.
    for (std::uint32_t c = 0; c < closing; ++c) {
      if (tie_total <= 0.0 || practice.pending_links >= kMaxPendingLinks) {
        ++practice.totals.closed_by_contacts[static_cast<std::size_t>(contacts)];
        continue;
      }
      double pick = sim::random::uniform(link) * tie_total;
      int o = 0;
      while (o + 1 < clp.organisations && pick >= clp.ties[static_cast<std::size_t>(o)]) {
        pick -= clp.ties[static_cast<std::size_t>(o)];
        ++o;
      }
      if (!sim::random::bernoulli(link, clp.ties[static_cast<std::size_t>(o)])) {
        ++practice.totals.closed_by_contacts[static_cast<std::size_t>(contacts)];
        continue;
      }
      practice.link_requests[static_cast<std::size_t>(practice.pending_links++)] = {
          static_cast<std::uint8_t>(o), static_cast<std::uint8_t>(contacts)};
      ++practice.requests_by_organisation[static_cast<std::size_t>(o)];
    }
  }
}

// Practice development (wellbeing activities, shared learning, information systems about
// community organisations) feeds engagement and understanding back to every staff member.
void practice_development(Practice& practice, const Parameters& params) {
  if (!practice.clp.in_post) return;
  const double share = practice.hours[kPracticeDevelopment] / params.clp_hours_per_week;
  if (share <= 0.0) return;
  const double de = params.development_engagement_effect * share;
  const double du = params.development_understanding_effect * share;
  Staff& staff = practice.staff;
  for (std::size_t i = 0; i < static_cast<std::size_t>(staff.count); ++i) {
    staff.engagement[i] += de * (1.0 - staff.engagement[i]);
    staff.understanding[i] += du * (1.0 - staff.understanding[i]);
  }
}

// Networking strengthens ties to every organisation; ties decay unless maintained.
void community_networking(Practice& practice, const Parameters& params) {
  Clp& clp = practice.clp;
  if (!clp.in_post) return;
  // Ties are the CLP's own: a shared CLP's networking for each practice counts at the share of
  // the week that practice has.
  const double gain = params.clp_networking_gain * practice.hours[kNetworking] /
                      (params.clp_hours_per_week * practice.clp_presence);
  for (std::size_t o = 0; o < static_cast<std::size_t>(clp.organisations); ++o) {
    clp.ties[o] =
        std::clamp(clp.ties[o] + gain * (1.0 - clp.ties[o]) - params.clp_tie_decay * clp.ties[o], 0.0, 1.0);
  }
}

void close_caseload(Practice& practice) {
  for (std::size_t k = 0; k < practice.clp.caseload.size(); ++k) {
    practice.totals.closed_by_contacts[k] += practice.clp.caseload[k];
    practice.clp.caseload[k] = 0;
  }
}

}  // namespace lwp
