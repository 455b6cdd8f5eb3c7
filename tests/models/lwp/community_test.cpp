// Community organisations shared within a locality (models/lwp/community.cpp). Their finite
// capacity is how practices interact: in a scale-up, many CLPs referring into the same
// organisations saturate them (docs/model.md §7.5).

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "models/lwp/mechanisms.hpp"
#include "sim/random.hpp"
#include "tests/models/lwp/practice_fixture.hpp"
#include "tests/support/test_support.hpp"

using lwp_test::at;
using lwp_test::make_practice;

namespace {

struct SharedLocality {
  lwp::Locality locality;
  std::vector<lwp::Practice> practices;
  std::vector<lwp::Practice*> members;
  std::vector<std::uint64_t> order;  // the mechanism's scratch space

  SharedLocality(const lwp::Parameters& params, std::size_t practice_count) : practices(practice_count) {
    locality.organisations = static_cast<int>(params.community_organisations);
    locality.capacity = static_cast<std::uint32_t>(params.community_capacity);
    for (lwp::Practice& p : practices) {
      p = make_practice(params);
      members.push_back(&p);
    }
  }

  void resolve(const lwp::Parameters& params, int week) {
    lwp::resolve_locality(locality, members, params, lwp::Draws{{1, 0}, nullptr}, 0, week, order);
  }
};

std::uint32_t requested(const SharedLocality& l, std::size_t o) {
  std::uint32_t sum = 0;
  for (const lwp::Practice& p : l.practices) sum += p.requests_by_organisation[o];
  return sum;
}

std::uint32_t accepted(const SharedLocality& l, std::size_t o) {
  std::uint32_t sum = 0;
  for (const lwp::Practice& p : l.practices) sum += p.accepted_by_organisation[o];
  return sum;
}

/// Requests of a single organisation (0) by each practice, into an empty locality.
std::vector<std::uint16_t> share_out(double capacity, const std::vector<std::uint16_t>& requests, int week) {
  lwp::Parameters params{};
  params.community_capacity = capacity;
  SharedLocality l(params, requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) l.practices[i].requests_by_organisation[0] = requests[i];
  l.resolve(params, week);
  std::vector<std::uint16_t> out;
  for (const lwp::Practice& p : l.practices) out.push_back(p.accepted_by_organisation[0]);
  return out;
}

/// `n` practices of 4000 patients in one locality over the Deep End's two years.
std::string one_locality(int n) {
  std::string toml =
      "title = \"one shared locality\"\n[evaluation]\nhorizon_weeks = 104\n"
      "[practices]\nlocality = \"Shared\"\n";
  for (int i = 0; i < n; ++i)
    toml += "[[practice]]\nname = \"P" + std::to_string(i) + "\"\nlist_size = 4000\n";
  return toml;
}

}  // namespace

TEST_CASE("an organisation never accepts more patients than it has free places, and refuses only when full") {
  lwp::Parameters params{};
  params.community_capacity = 5.0;
  const auto places = static_cast<std::uint32_t>(params.community_capacity);
  SharedLocality l(params, 4);
  sim::Stream requests({77, 0}, {0, 0, 0});
  int refusals = 0;
  for (int week = 0; week < 300; ++week) {
    for (lwp::Practice& p : l.practices) {
      for (int o = 0; o < l.locality.organisations; ++o) {
        p.requests_by_organisation[at(o)] = static_cast<std::uint16_t>(sim::random::index(requests, 4));
      }
    }
    l.resolve(params, week);
    for (int o = 0; o < l.locality.organisations; ++o) {
      const std::size_t org = at(o);
      const std::uint32_t clients = l.locality.clients[org];
      INFO("week " << week << ", organisation " << o);
      CHECK(clients <= places);
      CHECK(accepted(l, org) <= requested(l, org));
      CHECK(accepted(l, org) <= clients);  // places taken this week are among the clients
      for (const lwp::Practice& p : l.practices)
        CHECK(p.accepted_by_organisation[org] <= p.requests_by_organisation[org]);
      if (accepted(l, org) < requested(l, org)) {
        ++refusals;
        CHECK(clients == places);  // a request is refused only when the organisation is full
      }
    }
  }
  CHECK(refusals > 0);  // the capacity did bind
}

TEST_CASE("free places are shared in proportion to requests, leftovers to the largest remainders") {
  // 6 places for 5 + 3 + 1 requests: quotas 3.33, 2, 0.67 -> 3, 2 and the leftover to 0.67.
  CHECK(share_out(6.0, {5, 3, 1}, 0) == std::vector<std::uint16_t>{3, 2, 1});
  // 10 places for 12 + 6 + 2: exact quotas 6, 3, 1.
  CHECK(share_out(10.0, {12, 6, 2}, 0) == std::vector<std::uint16_t>{6, 3, 1});
  // Enough places for everyone: all accepted.
  CHECK(share_out(20.0, {5, 3, 1}, 0) == std::vector<std::uint16_t>{5, 3, 1});
  // No capacity: all refused.
  CHECK(share_out(0.0, {5, 3, 1}, 0) == std::vector<std::uint16_t>{0, 0, 0});

  // Hamilton's quota property: every practice gets its quota rounded down or up.
  sim::Stream draw({5, 0}, {0, 0, 0});
  for (int trial = 0; trial < 500; ++trial) {
    const auto n = static_cast<std::size_t>(1 + sim::random::index(draw, 6));
    std::vector<std::uint16_t> requests(n);
    std::uint32_t total = 0;
    for (auto& r : requests) {
      r = static_cast<std::uint16_t>(sim::random::index(draw, 12));
      total += r;
    }
    const auto places = sim::random::index(draw, 30);
    const std::vector<std::uint16_t> got = share_out(static_cast<double>(places), requests, trial);
    const std::uint32_t given = std::min(total, places);
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double quota = total > 0 ? static_cast<double>(given) * requests[i] / total : 0.0;
      CHECK(got[i] >= std::floor(quota));
      CHECK(got[i] <= std::ceil(quota));
      sum += got[i];
    }
    CHECK(sum == given);
  }
}

TEST_CASE("when requests tie, no practice is always first to a leftover place") {
  // 10 places for 7 + 7 + 7 requests: 3 each and one leftover, which rotates with the week.
  std::vector<int> leftovers(3, 0);
  for (int week = 0; week < 3; ++week) {
    const std::vector<std::uint16_t> got = share_out(10.0, {7, 7, 7}, week);
    int sum = 0;
    for (std::size_t i = 0; i < 3; ++i) {
      CHECK((got[i] == 3 || got[i] == 4));
      leftovers[i] += got[i] == 4 ? 1 : 0;
      sum += got[i];
    }
    CHECK(sum == 10);
  }
  CHECK(leftovers == std::vector<int>{1, 1, 1});
}

TEST_CASE("apply_links links accepted patients and returns refused ones to the caseload") {
  const lwp::Parameters params{};
  const auto max_contacts = static_cast<std::uint8_t>(params.patient_max_contacts);
  lwp::Practice practice = make_practice(params);
  const auto request = [&](std::uint8_t organisation, std::uint8_t contacts) {
    practice.link_requests[at(practice.pending_links++)] = {organisation, contacts};
    ++practice.requests_by_organisation[organisation];
  };
  for (int k = 0; k < 5; ++k) request(0, 2);             // five asking organisation 0 after 2 contacts
  for (int k = 0; k < 3; ++k) request(1, max_contacts);  // three asking organisation 1 after the last contact
  practice.accepted_by_organisation[0] = 2;
  practice.accepted_by_organisation[1] = 1;
  const lwp::Practice before = practice;

  lwp::apply_links(practice, params);

  CHECK(practice.links_this_week == 3);
  CHECK(practice.totals.linked == before.totals.linked + 3);
  // Refused for want of capacity, patients with contacts to come wait on the caseload...
  CHECK(practice.clp.caseload[2] == before.clp.caseload[2] + 3);
  // ...while those at the last contact are discharged unlinked.
  CHECK(practice.totals.closed_by_contacts[2] == before.totals.closed_by_contacts[2] + 2);
  CHECK(practice.totals.closed_by_contacts[max_contacts] ==
        before.totals.closed_by_contacts[max_contacts] + 1 + 2);
  CHECK(practice.pending_links == 0);
  for (int o = 0; o < practice.clp.organisations; ++o) {
    CHECK(practice.requests_by_organisation[at(o)] == 0);
    CHECK(practice.accepted_by_organisation[at(o)] == 0);
  }
}

TEST_CASE(
    "when more practices share a locality's capacity, the share of referrals successfully linked falls") {
  // 2 and 20 practices of 4000 patients in one locality whose 12 organisations hold 2 linked
  // patients each. The claim is checked in K = 8 independent batches (seeds) of 100 replicates:
  // the mean of the 8 paired differences must exceed 3 of its standard errors (one-sided t test,
  // t(0.99, 7 df) = 3.0).
  sim::Scenario few = lwsim_test::scenario_from(one_locality(2));
  sim::Scenario many = lwsim_test::scenario_from(one_locality(20));
  lwsim_test::set(few, {{"community.capacity", 2.0}});
  lwsim_test::set(many, {{"community.capacity", 2.0}});
  const int batches = 8;
  std::vector<double> differences;
  double few_sum = 0.0;
  double many_sum = 0.0;
  for (int b = 0; b < batches; ++b) {
    const auto seed = static_cast<std::uint32_t>(100 + b);
    const double few_share = lwsim_test::run_point(few, 100, seed).at("/summary/linked_share")[0];
    const double many_share = lwsim_test::run_point(many, 100, seed).at("/summary/linked_share")[0];
    differences.push_back(few_share - many_share);
    few_sum += few_share;
    many_sum += many_share;
  }
  double mean = 0.0;
  for (double d : differences) mean += d / batches;
  double variance = 0.0;
  for (double d : differences) variance += (d - mean) * (d - mean) / (batches - 1);
  const double se = std::sqrt(variance / batches);
  INFO("linked share with 2 practices " << few_sum / batches << ", with 20 " << many_sum / batches
                                        << "; difference " << mean << " ± " << se);
  CHECK(mean > 3.0 * se);
  CHECK(mean > 0.0);
}

TEST_CASE("the links feedback reaches only the staff who talked with the CLP this week") {
  lwp::Parameters params{};
  params.links_engagement_effect = 0.1;
  params.links_understanding_effect = 0.05;
  lwp::Practice practice = make_practice(params);
  const int n = practice.staff.count;
  REQUIRE(n >= 4);
  for (int i = 0; i < n; ++i) {
    practice.staff.engagement[at(i)] = 0.2;
    practice.staff.understanding[at(i)] = 0.3;
    practice.staff.talked_with_clp[at(i)] = static_cast<std::uint8_t>(i % 2);  // every other one
  }
  practice.link_flow = params.links_visibility_scale;  // staff see half the benefit...
  practice.links_this_week = static_cast<std::uint32_t>(params.links_visibility_scale);  // ...and it stays
  lwp::link_feedback(practice, params);
  const double seen = practice.link_flow / (practice.link_flow + params.links_visibility_scale);
  REQUIRE(seen > 0.0);
  for (int i = 0; i < n; ++i) {
    INFO("staff " << i);
    if (i % 2 == 0) {
      CHECK(practice.staff.engagement[at(i)] == 0.2);
      CHECK(practice.staff.understanding[at(i)] == 0.3);
    } else {
      CHECK(practice.staff.engagement[at(i)] == Approx(0.2 + 0.1 * seen * 0.8).margin(1e-12));
      CHECK(practice.staff.understanding[at(i)] == Approx(0.3 + 0.05 * seen * 0.7).margin(1e-12));
    }
  }
}
