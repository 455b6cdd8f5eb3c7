// Community organisations belong to a locality and are shared by its practices. Their finite
// capacity is how practices interact: in a scale-up, many CLPs referring into the same
// organisations saturate them (DESIGN §3.1). Requests are resolved per locality after every
// practice has made its requests for the week, in a fixed order, so the result does not depend on
// how practices are scheduled.

#include <algorithm>
#include <cmath>
#include <vector>

#include "models/lwp/mechanisms.hpp"
#include "sim/random.hpp"

namespace lwp {

void resolve_locality(Locality& locality, std::span<Practice* const> members,
                      const Parameters& params, const Draws& draws, std::uint32_t locality_index,
                      int week) {
  const auto places = static_cast<std::uint32_t>(std::floor(params.community_capacity));
  const double leave = 1.0 / params.community_engagement_weeks;
  sim::Stream s = draws.stream(locality_entity(locality_index), static_cast<std::uint32_t>(week),
                               Purpose::organisation_turnover);
  for (std::size_t o = 0; o < static_cast<std::size_t>(locality.organisations); ++o) {
    locality.clients[o] -= sim::random::binomial(s, locality.clients[o], leave);
    std::uint32_t requested = 0;
    for (const Practice* p : members) requested += p->requests_by_organisation[o];
    const std::uint32_t free = locality.clients[o] < places ? places - locality.clients[o] : 0;
    const std::uint32_t accepted = std::min(requested, free);
    locality.clients[o] += accepted;
    if (accepted == requested) {
      for (Practice* p : members) p->accepted_by_organisation[o] = p->requests_by_organisation[o];
      continue;
    }
    // Places shared in proportion to requests; the leftover places go to the largest remainders,
    // ties broken by a rotation with the week so that no practice is always first.
    std::uint32_t given = 0;
    const std::size_t n = members.size();
    for (Practice* p : members) {
      const std::uint64_t share = std::uint64_t{accepted} * p->requests_by_organisation[o] / requested;
      p->accepted_by_organisation[o] = static_cast<std::uint16_t>(share);
      given += static_cast<std::uint32_t>(share);
    }
    while (given < accepted) {
      std::size_t best = n;
      std::uint64_t best_remainder = 0;
      for (std::size_t r = 0; r < n; ++r) {
        const std::size_t i = (r + static_cast<std::size_t>(week)) % n;
        const Practice* p = members[i];
        if (p->accepted_by_organisation[o] >= p->requests_by_organisation[o]) continue;
        const std::uint64_t remainder = std::uint64_t{accepted} * p->requests_by_organisation[o] % requested;
        if (best == n || remainder > best_remainder) {
          best = i;
          best_remainder = remainder;
        }
      }
      ++members[best]->accepted_by_organisation[o];
      ++given;
    }
  }
}

void apply_links(Practice& practice, const Parameters& params) {
  practice.links_this_week = 0;
  std::array<std::uint16_t, kMaxOrganisations> remaining = practice.accepted_by_organisation;
  const int max_contacts = static_cast<int>(params.patient_max_contacts);
  for (int r = 0; r < practice.pending_links; ++r) {
    const LinkRequest request = practice.link_requests[static_cast<std::size_t>(r)];
    const std::size_t contacts = request.contacts;
    if (remaining[request.organisation] > 0) {
      --remaining[request.organisation];
      ++practice.links_this_week;
      ++practice.totals.linked;
      ++practice.totals.closed_by_contacts[contacts];
    } else if (static_cast<int>(contacts) < max_contacts) {
      // Refused for want of capacity: the patient stays on the caseload and waits.
      ++practice.clp.caseload[contacts];
    } else {
      ++practice.totals.closed_by_contacts[contacts];
    }
  }
  practice.pending_links = 0;
  practice.requests_by_organisation.fill(0);
  practice.accepted_by_organisation.fill(0);
}

}  // namespace lwp
