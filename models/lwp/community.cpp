// Community organisations belong to a locality and are shared by its practices. Their finite
// capacity is how practices interact: in a scale-up, many CLPs referring into the same
// organisations saturate them (docs/model.md §7.5). Requests are resolved per locality after every
// practice has made its requests for the week, in a fixed order, so the result does not depend on
// how practices are scheduled.

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <vector>

#include "models/lwp/mechanisms.hpp"
#include "sim/random.hpp"

namespace lwp {

void resolve_locality(Locality& locality, std::span<Practice* const> members, const Parameters& params,
                      const Draws& draws, std::uint32_t locality_index, int week,
                      std::vector<std::uint64_t>& order) {
  const std::uint32_t places = locality.capacity;
  const double leave = 1.0 / params.community_engagement_weeks;
  const auto organisations = static_cast<std::size_t>(locality.organisations);
  // Every request is granted unless its organisation is full (below): grant them all first, and
  // total them, in one pass over each practice's contiguous requests.
  std::array<std::uint32_t, kMaxOrganisations> requests{};
  for (Practice* p : members) {
    std::copy_n(p->requests_by_organisation.begin(), organisations, p->accepted_by_organisation.begin());
    for (std::size_t o = 0; o < organisations; ++o) requests[o] += p->requests_by_organisation[o];
  }
  sim::Stream s = draws.stream(locality_entity(locality_index), static_cast<std::uint32_t>(week),
                               Purpose::organisation_turnover);
  for (std::size_t o = 0; o < organisations; ++o) {
    locality.clients[o] -= locality.leaving_binomial(s, locality.clients[o], leave);
    const std::uint32_t requested = requests[o];
    const std::uint32_t free = locality.clients[o] < places ? places - locality.clients[o] : 0;
    const std::uint32_t accepted = std::min(requested, free);
    locality.clients[o] += accepted;
    if (accepted < requested) ++locality.saturated_weeks;
    if (accepted == requested) continue;
    // Places shared in proportion to requests (Hamilton's largest-remainder method): each
    // practice gets the whole part of its quota, and the places left over go one each to the
    // largest remainders, ties broken by a rotation with the week so no practice is always first.
    const std::size_t n = members.size();
    std::uint32_t given = 0;
    order.clear();
    for (std::size_t i = 0; i < n; ++i) {
      Practice* p = members[i];
      const std::uint64_t quota = std::uint64_t{accepted} * p->requests_by_organisation[o];
      p->accepted_by_organisation[o] = static_cast<std::uint16_t>(quota / requested);
      given += static_cast<std::uint32_t>(quota / requested);
      // Sort key: larger remainder first, then the practice's place in this week's rotation.
      const std::uint64_t rotation = (i + n - static_cast<std::size_t>(week) % n) % n;
      order.push_back(((quota % requested) << 32) | (0xFFFFFFFFULL - rotation));
    }
    const std::uint32_t leftover = accepted - given;
    std::partial_sort(order.begin(), order.begin() + leftover, order.end(), std::greater<>());
    for (std::uint32_t k = 0; k < leftover; ++k) {
      const std::uint64_t rotation = 0xFFFFFFFFULL - (order[k] & 0xFFFFFFFFULL);
      ++members[(rotation + static_cast<std::size_t>(week)) % n]->accepted_by_organisation[o];
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
    ++practice.totals.link_requests;
    if (remaining[request.organisation] > 0) {
      --remaining[request.organisation];
      ++practice.links_this_week;
      ++practice.totals.linked;
      ++practice.totals.closed_by_contacts[contacts];
    } else if (static_cast<int>(contacts) < max_contacts) {
      // Refused for want of capacity: the patient stays on the caseload and waits.
      ++practice.totals.refused;
      ++practice.clp.caseload[contacts];
    } else {
      ++practice.totals.refused;
      ++practice.totals.closed_by_contacts[contacts];
    }
  }
  practice.pending_links = 0;
  practice.requests_by_organisation.fill(0);
  practice.accepted_by_organisation.fill(0);
}

// The links the CLP makes are how staff see patients helped (Skivington 2018: benefits flowed
// from the CLP's own relationships with community organisations): the share of patients ready to
// move on who were linked is remembered for collective action, and staff who talk with the CLP in
// a week (at a formal session or informally) hear of the patients helped, so their engagement and
// understanding rise with the links made lately. Hearing back needs the CLP to be part of the
// practice's collective work: a practice that holds no sessions and whose team does not talk with
// the CLP does not hear (assumption; Chng 2021: FIP staff engaged with each other on the LWP in
// formal and informal settings). When a CLP leaves with their ties, both fall.
void link_feedback(Practice& practice, const Parameters& params) {
  const double memory = params.links_memory_weeks;
  practice.link_flow += (static_cast<double>(practice.links_this_week) - practice.link_flow) / memory;
  if (practice.ready_this_week > 0) {
    const double linked = static_cast<double>(practice.links_this_week) / practice.ready_this_week;
    practice.link_yield += (linked - practice.link_yield) / memory;
  }
  const double seen = practice.link_flow / (practice.link_flow + params.links_visibility_scale);
  const double de = params.links_engagement_effect * seen;
  const double du = params.links_understanding_effect * seen;
  if (!(de > 0.0 || du > 0.0)) return;
  Staff& staff = practice.staff;
  for (std::size_t i = 0; i < static_cast<std::size_t>(staff.count); ++i) {
    if (staff.talked_with_clp[i] == 0) continue;
    staff.engagement[i] += de * (1.0 - staff.engagement[i]);
    staff.understanding[i] += du * (1.0 - staff.understanding[i]);
  }
}

}  // namespace lwp
