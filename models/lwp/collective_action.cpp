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

// Staff refer at a rate that grows with list size and, beyond a baseline, with their engagement
// and understanding: GPs in deprived areas refer patients with social needs to a CLP in the
// practice as to a service, engaged with the programme or not.
void referrals(Practice& practice, const Parameters& params, const WeekContext& ctx) {
  practice.referrals_this_week = 0;
  if (!practice.clp.in_post) return;
  const Staff& staff = practice.staff;
  const double base = params.referral_baseline_intensity;
  const double w = params.referral_understanding_weight;
  double weighted = 0.0;
  double weights = 0.0;
  for (std::size_t i = 0; i < static_cast<std::size_t>(staff.count); ++i) {
    const double engaged = staff.engagement[i] * (1.0 - w + w * staff.understanding[i]);
    weighted += staff.referral_weight[i] * (base + (1.0 - base) * engaged);
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

// The hours the leadership make room for (shared understanding x core engagement, up to the
// target shares of development and networking) are protected from the caseload; the rest go to
// the caseload's demand for one-to-one support, and what the caseload does not need goes to
// practice development (up to its part of the room, while an activity is kept up) and then to
// community networking. A practice that makes no room leaves its CLP with the caseload: mostly
// one-to-one support (the PIP pattern, Chng 2021), because demand is real (Skivington 2018:
// case management is time-consuming).
void allocate_clp_hours(Practice& practice, const Parameters& params) {
  practice.hours = {0.0, 0.0, 0.0};
  if (!practice.clp.in_post) return;
  // A CLP shared by several practices gives each its share of the week.
  const double total = params.clp_hours_per_week * practice.clp_presence;
  const double demand = active_patients(practice.clp) * params.patient_support_hours;
  const double targets =
      params.clp_target_share_practice_development + params.clp_target_share_community_networking;
  const double room =
      total * std::min(practice.shared_understanding * core_engagement(practice, params), targets);
  const double support = std::min(demand, total - room);
  const double development_room =
      room * params.clp_target_share_practice_development / std::max(1e-12, targets);
  const double development =
      activities_kept(practice) > 0 ? std::min(total - support, development_room) : 0.0;
  const double networking = total - support - development;
  practice.hours = {support, development, networking};
  practice.totals.clp_hours[kPatientSupport] += support;
  practice.totals.clp_hours[kPracticeDevelopment] += development;
  practice.totals.clp_hours[kNetworking] += networking;
  practice.totals.clp_hours_available += total;
  practice.totals.caseload_weeks += active_patients(practice.clp);
}

void patient_contacts(Practice& practice, const Parameters& params, const WeekContext& ctx) {
  practice.pending_links = 0;
  practice.ready_this_week = 0;
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
    // (binomial returns n for p >= 1 without a draw: the common case of a CLP with hours enough.)
    const std::uint32_t served = served_share >= 1.0 ? bin : sim::random::binomial(s, bin, served_share);
    // Patients the CLP had no time for wait; some give up and leave unlinked.
    const std::uint32_t waiting = bin - served;
    const std::uint32_t dropped =
        waiting > 0 ? sim::random::binomial(s, waiting, params.patient_dropout_probability) : 0;
    practice.totals.closed_by_contacts[static_cast<std::size_t>(k)] += dropped;
    practice.totals.dropped += dropped;
    bin = waiting - dropped;
    const int contacts = k + 1;
    const std::uint32_t closing = practice.closing_binomial(s, served, params.patient_close_probability);
    const std::uint32_t continuing = served - closing;
    practice.ready_this_week += closing;
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

int activities_kept(const Practice& practice) noexcept {
  int kept = 0;
  for (bool active : practice.activities) kept += active ? 1 : 0;
  return kept;
}

// Tried, then abandoned (Chng 2021): every practice starts the three development activities with
// its programme; each week an activity the practice gives too little commitment to (shared
// understanding x core engagement x attention left by competing innovations) may be dropped,
// and a dropped one may be taken up again when commitment returns.
void development_activities(Practice& practice, const Parameters& params, const WeekContext& ctx) {
  if (ctx.week < practice.programme_start) return;
  if (ctx.week == practice.programme_start && practice.programme_start > 0) practice.activities.fill(true);
  const double level = commitment(practice, params) / params.activity_commitment_needed;
  const double drop = params.activity_drop_rate * std::max(0.0, 1.0 - level);
  const double restart = level >= 1.0 ? params.activity_restart_rate : 0.0;
  const std::uint64_t drop_below = sim::random::threshold(drop);
  const std::uint64_t restart_below = sim::random::threshold(restart);
  if (drop_below == 0 &&
      (restart_below == 0 || activities_kept(practice) == static_cast<int>(kActivityCount)))
    return;
  sim::Stream s = ctx.stream(Purpose::development_activity);
  for (bool& active : practice.activities) {
    const std::uint32_t word = s.next_u32();
    active = active ? word >= drop_below : word < restart_below;
  }
}

// Development work feeds back to every staff member through the activities kept up: staff
// wellbeing and shared learning raise engagement, shared learning and information about community
// organisations raise understanding (Chng 2021; ALLIANCE 2017: staff in participating practices
// more likely to engage in team wellbeing activities). Each activity kept up gets an equal part of
// the development hours.
void practice_development(Practice& practice, const Parameters& params) {
  if (!practice.clp.in_post) return;
  const int kept = activities_kept(practice);
  if (kept == 0) return;
  const double share_each = practice.hours[kPracticeDevelopment] / params.clp_hours_per_week / kept;
  if (share_each <= 0.0) return;
  const auto active = [&](Activity a) {
    return practice.activities[static_cast<std::size_t>(a)] ? 1.0 : 0.0;
  };
  const double engaging = active(Activity::wellbeing) + active(Activity::shared_learning);
  const double informing = active(Activity::shared_learning) + active(Activity::community_information);
  const double de = params.development_engagement_effect * share_each * engaging;
  const double du = params.development_understanding_effect * share_each * informing;
  Staff& staff = practice.staff;
  for (std::size_t i = 0; i < static_cast<std::size_t>(staff.count); ++i) {
    staff.engagement[i] += de * (1.0 - staff.engagement[i]);
    staff.understanding[i] += du * (1.0 - staff.understanding[i]);
  }
}

// Networking strengthens ties to every organisation, the more so the more skilled the CLP; ties
// decay unless maintained.
void community_networking(Practice& practice, const Parameters& params) {
  Clp& clp = practice.clp;
  if (!clp.in_post) return;
  // Ties are the CLP's own: a shared CLP's networking for each practice counts at the share of
  // the week that practice has.
  const double gain = params.clp_networking_gain * clp.skill * practice.hours[kNetworking] /
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
