// How the programme is organised in a scale-up (docs/model.md §7.9): CLPs shared across
// practices, rollout in waves, a cut of posts at a date, the share of open posts (the CLP labour
// market) and costs. How programme support and funding cycles change the CLP's departure hazard is
// in clp.cpp. With the defaults (one CLP per practice, in post from week 0, the Deep End's support
// ratio, no cut, no labour-market congestion, no funding renewals) every mechanism here is inert
// and the Deep End results are as before.

#include <algorithm>
#include <cmath>

#include "models/lwp/mechanisms.hpp"

namespace lwp {
namespace {

/// Splits each locality's practices (in scenario order) into ceil(n / per_clp) groups of
/// consecutive practices, as equal in size as possible.
void make_groups(const Setup& setup, double per_clp, std::vector<std::uint32_t>& lead,
                 std::vector<double>& presence, std::uint32_t& posts) {
  lead.assign(setup.practice_count(), 0);
  presence.assign(setup.practice_count(), 1.0);
  posts = 0;
  for (const auto& members : setup.locality_members) {
    const std::size_t n = members.size();
    if (n == 0) continue;
    // Guard against rounding: 3 practices at 1.5 per CLP make 2 groups, not 3.
    const auto groups = std::clamp<std::size_t>(
        static_cast<std::size_t>(std::ceil(static_cast<double>(n) / per_clp - 1e-9)), 1, n);
    posts += static_cast<std::uint32_t>(groups);
    for (std::size_t g = 0; g < groups; ++g) {
      const std::size_t first = g * n / groups;
      const std::size_t end = (g + 1) * n / groups;
      for (std::size_t j = first; j < end; ++j) {
        lead[members[j]] = members[first];
        presence[members[j]] = 1.0 / static_cast<double>(end - first);
      }
    }
  }
}

}  // namespace

Programme make_programme(const Setup& setup, const Parameters& params) {
  Programme programme;
  make_groups(setup, params.programme_practices_per_clp, programme.lead_before, programme.presence_before,
              programme.posts_before);
  programme.cut_week = static_cast<int>(params.programme_cut_week);
  if (programme.cut_week <= setup.horizon_weeks) {
    make_groups(setup, params.programme_practices_per_clp_after_cut, programme.lead_after,
                programme.presence_after, programme.posts_after);
  } else {
    programme.cut_week = kNever;
    programme.lead_after = programme.lead_before;
    programme.presence_after = programme.presence_before;
    programme.posts_after = programme.posts_before;
  }
  for (std::size_t i = 0; i < setup.practice_count(); ++i) {
    programme.funded_from.push_back(setup.practices[programme.lead_before[i]].start_week);
  }
  return programme;
}

double open_share(const ReplicateState& state, const Programme& programme, int week) noexcept {
  std::uint32_t posts = 0;
  std::uint32_t open = 0;
  const auto& lead = week >= programme.cut_week ? programme.lead_after : programme.lead_before;
  for (std::uint32_t i = 0; i < state.practices.size(); ++i) {
    if (lead[i] != i) continue;  // one post per group, counted at its first practice
    const Practice& practice = state.practices[i];
    if (week < practice.programme_start) continue;
    ++posts;
    if (!practice.clp.in_post) ++open;
  }
  return posts > 0 ? static_cast<double>(open) / posts : 0.0;
}

void cut_posts(ReplicateState& state, const Programme& programme, const Parameters& params) {
  auto& practices = state.practices;
  for (std::uint32_t i = 0; i < practices.size(); ++i) {
    const std::uint32_t lead = programme.lead_after[i];
    Practice& practice = practices[i];
    practice.clp_presence = programme.presence_after[i];
    // Events of the regrouped posts come from new streams, so that two groups split from one
    // post do not share their future.
    if (lead != i && programme.lead_before[i] != programme.lead_before[lead]) {
      // The CLP of `lead`'s group now serves this practice too: a change of CLP (a post cut).
      // The practice keeps its own caseload; it has no predecessor's ties to inherit.
      Clp clp = practices[lead].clp;
      clp.caseload = practice.clp.caseload;
      clp.departed_ties.fill(0.0);
      practice.clp = clp;
      ++practice.totals.clp_changes;
      lose_momentum(practice, params);
    }
  }
  for (std::uint32_t i = 0; i < practices.size(); ++i) {
    practices[i].clp.entity = kPostCutEntity | programme.lead_after[i];
  }
}

void accrue_costs(Practice& practice, const Parameters& params, int week) noexcept {
  if (week < practice.programme_start) return;
  double cost = params.cost_development_fund_per_year / 52.0;
  if (practice.clp.in_post) {
    cost += practice.clp_presence *
            (params.cost_clp_salary_per_year +
             params.cost_manager_salary_per_year / params.support_clps_per_manager) /
            52.0;
  }
  practice.totals.cost += cost;
}

}  // namespace lwp
