#include "models/lwp/invariants.hpp"

#include <cmath>
#include <numeric>

#include <fmt/format.h>

namespace lwp {
namespace {

const char* role_name(Role role) {
  switch (role) {
    case Role::lead_gp: return "lead GP";
    case Role::gp: return "GP";
    case Role::practice_manager: return "practice manager";
    case Role::nurse: return "nurse";
    case Role::admin: return "admin";
  }
  return "unknown role";
}

bool is_share(double x) {
  return std::isfinite(x) && x >= -kSlack && x <= 1.0 + kSlack;
}

bool is_amount(double x) {
  return std::isfinite(x) && x >= 0.0;
}

std::string share_violation(std::string_view what, double x) {
  return fmt::format("{} is {}, outside [0, 1]", what, x);
}

std::string amount_violation(std::string_view what, double x) {
  return fmt::format("{} is {}, not a finite number of at least 0", what, x);
}

std::optional<std::string> staff_violation(const Staff& staff, const PracticeBaseline& baseline) {
  if (staff.count != baseline.staff) {
    return fmt::format("staff not conserved: {} staff, {} at the start of the replicate", staff.count,
                       baseline.staff);
  }
  if (staff.count < 2 || staff.count > kMaxStaff) {
    return fmt::format("{} staff, outside [2, {}]", staff.count, kMaxStaff);
  }
  if (staff.role[kLeadGpSlot] != Role::lead_gp) {
    return fmt::format("slot {} holds a {}, not the lead GP", kLeadGpSlot,
                       role_name(staff.role[kLeadGpSlot]));
  }
  if (staff.role[kPracticeManagerSlot] != Role::practice_manager) {
    return fmt::format("slot {} holds a {}, not the practice manager", kPracticeManagerSlot,
                       role_name(staff.role[kPracticeManagerSlot]));
  }
  for (int i = 0; i < staff.count; ++i) {
    const auto s = static_cast<std::size_t>(i);
    const Role role = staff.role[s];
    if (i > kPracticeManagerSlot && (role == Role::lead_gp || role == Role::practice_manager)) {
      return fmt::format("staff {} is a second {}", i, role_name(role));
    }
    if (!is_share(staff.understanding[s])) {
      return share_violation(fmt::format("understanding of staff {} ({})", i, role_name(role)),
                             staff.understanding[s]);
    }
    if (!is_share(staff.engagement[s])) {
      return share_violation(fmt::format("engagement of staff {} ({})", i, role_name(role)),
                             staff.engagement[s]);
    }
    // Whoever has spent their hazard budget is replaced in the same step (an infinite budget: never
    // leaves).
    if (!(staff.leave_clock[s] > 0.0)) {
      return fmt::format("hazard budget of staff {} ({}) is {}, not above 0", i, role_name(role),
                         staff.leave_clock[s]);
    }
    if (!is_amount(staff.referral_weight[s])) {
      return amount_violation(fmt::format("referral weight of staff {}", i), staff.referral_weight[s]);
    }
    if (staff.degree[s] > kMaxTies || staff.degree[s] >= staff.count) {
      return fmt::format("staff {} has {} team ties in a team of {} (at most {})", i, staff.degree[s],
                         staff.count, kMaxTies);
    }
    for (std::size_t k = 0; k < staff.degree[s]; ++k) {
      const int j = staff.ties[s][k];
      if (j >= staff.count || j == i) {
        return fmt::format("team tie {} of staff {} points to slot {}, not a colleague", k, i, j);
      }
    }
  }
  return std::nullopt;
}

std::optional<std::string> clp_violation(const Practice& practice, const Parameters& params,
                                         bool hours_current) {
  const Clp& clp = practice.clp;
  if (clp.organisations < 0 || clp.organisations > kMaxOrganisations) {
    return fmt::format("the CLP knows {} organisations, outside [0, {}]", clp.organisations,
                       kMaxOrganisations);
  }
  if (!is_share(clp.skill)) return share_violation("CLP skill", clp.skill);
  if (!is_share(clp.understanding)) return share_violation("CLP understanding", clp.understanding);
  for (std::size_t o = 0; o < clp.ties.size(); ++o) {
    if (!is_share(clp.ties[o]))
      return share_violation(fmt::format("CLP tie strength to organisation {}", o), clp.ties[o]);
    if (!is_share(clp.departed_ties[o])) {
      return share_violation(fmt::format("departed CLP's tie strength to organisation {}", o),
                             clp.departed_ties[o]);
    }
  }
  if (!hours_current) return std::nullopt;
  double hours = 0.0;
  for (std::size_t a = 0; a < practice.hours.size(); ++a) {
    if (!is_amount(practice.hours[a]))
      return amount_violation(fmt::format("CLP hours on activity {}", a), practice.hours[a]);
    hours += practice.hours[a];
  }
  const double available = params.clp_hours_per_week * practice.clp_presence;
  if (hours > available * (1.0 + kSlack)) {
    return fmt::format("the CLP's hours this week sum to {}, more than the {} the practice has of the post",
                       hours, available);
  }
  if (!clp.in_post && hours > 0.0) return fmt::format("{} CLP hours allocated with no CLP in post", hours);
  return std::nullopt;
}

// Every patient ever referred is on the caseload, waiting for a community organisation, or closed.
std::optional<std::string> patient_violation(const Practice& practice) {
  const PracticeTotals& t = practice.totals;
  const std::uint64_t active =
      std::accumulate(practice.clp.caseload.begin(), practice.clp.caseload.end(), std::uint64_t{0});
  const std::uint64_t closed =
      std::accumulate(t.closed_by_contacts.begin(), t.closed_by_contacts.end(), std::uint64_t{0});
  if (practice.pending_links < 0 || practice.pending_links > kMaxPendingLinks) {
    return fmt::format("{} pending link requests, outside [0, {}]", practice.pending_links, kMaxPendingLinks);
  }
  const auto pending = static_cast<std::uint64_t>(practice.pending_links);
  if (t.referrals != active + closed + pending) {
    return fmt::format(
        "patients not conserved: {} referred, but {} on the caseload + {} closed + {} waiting for an "
        "organisation = {}",
        t.referrals, active, closed, pending, active + closed + pending);
  }
  if (t.linked > closed) return fmt::format("{} patients linked, more than the {} closed", t.linked, closed);
  if (t.linked + t.dropped > closed) {
    return fmt::format("{} patients linked and {} dropped out, more than the {} closed", t.linked, t.dropped,
                       closed);
  }
  std::uint64_t requested = 0;
  for (std::size_t o = 0; o < practice.requests_by_organisation.size(); ++o) {
    requested += practice.requests_by_organisation[o];
    if (practice.accepted_by_organisation[o] > practice.requests_by_organisation[o]) {
      return fmt::format("organisation {} accepted {} of this practice's {} requests", o,
                         practice.accepted_by_organisation[o], practice.requests_by_organisation[o]);
    }
  }
  if (requested != pending) {
    return fmt::format("{} requests to organisations for {} pending links", requested, pending);
  }
  return std::nullopt;
}

struct Named {
  const char* name;
  double value;
};

std::optional<std::string> dynamics_violation(const Practice& practice) {
  const Named shares[] = {
      {"GP buy-in", practice.gp_buy_in},
      {"team quality", practice.team_quality},
      {"attention load", practice.attention_load},
      {"protected time", practice.protected_time},
      {"shared understanding S", practice.shared_understanding},
      {"formal attendance", practice.formal_attendance},
      {"formal recency", practice.formal_recency},
      {"coherence C", practice.coherence},
      {"cognitive participation CP", practice.participation},
      {"collective action CA", practice.action},
      {"reflexive monitoring RM", practice.monitoring},
      {"CLP presence", practice.clp_presence},
      {"link yield", practice.link_yield},
  };
  for (const Named& s : shares) {
    if (!is_share(s.value)) return share_violation(s.name, s.value);
  }
  const Named amounts[] = {
      {"innovation rate", practice.innovation_rate},
      {"referral flow", practice.referral_flow},
      {"cost", practice.totals.cost},
      {"vacant CLP-weeks", practice.totals.vacancy_clp_weeks},
      {"CLP hours available", practice.totals.clp_hours_available},
      {"link flow", practice.link_flow},
      {"caseload-weeks", practice.totals.caseload_weeks},
  };
  for (const Named& a : amounts) {
    if (!is_amount(a.value)) return amount_violation(a.name, a.value);
  }
  if (practice.active_innovations < 0 || practice.active_innovations > kMaxInnovations) {
    return fmt::format("{} competing innovations, outside [0, {}]", practice.active_innovations,
                       kMaxInnovations);
  }
  for (int k = 0; k < practice.active_innovations; ++k) {
    const double load = practice.innovations[static_cast<std::size_t>(k)].load;
    if (!is_amount(load)) return amount_violation(fmt::format("load of competing innovation {}", k), load);
  }
  if (practice.weeks_above < 0 || practice.weeks_normalised < 0) {
    return fmt::format("week counters below zero ({} weeks above the thresholds, {} normalised)",
                       practice.weeks_above, practice.weeks_normalised);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> practice_violation(const Practice& practice, const Parameters& params,
                                              const PracticeBaseline& baseline, bool hours_current) {
  if (auto v = staff_violation(practice.staff, baseline)) return v;
  if (auto v = clp_violation(practice, params, hours_current)) return v;
  if (auto v = patient_violation(practice)) return v;
  return dynamics_violation(practice);
}

std::optional<std::string> locality_violation(const Locality& locality) {
  if (locality.organisations < 1 || locality.organisations > kMaxOrganisations) {
    return fmt::format("{} community organisations, outside [1, {}]", locality.organisations,
                       kMaxOrganisations);
  }
  for (std::size_t o = 0; o < locality.clients.size(); ++o) {
    if (static_cast<int>(o) >= locality.organisations && locality.clients[o] != 0) {
      return fmt::format("organisation {} does not exist but holds {} patients", o, locality.clients[o]);
    }
    if (locality.clients[o] > locality.capacity) {
      return fmt::format("organisation {} holds {} patients, more than its capacity of {}", o,
                         locality.clients[o], locality.capacity);
    }
  }
  return std::nullopt;
}

}  // namespace lwp
