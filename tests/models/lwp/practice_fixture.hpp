#pragma once
// Hand-built practices for the mechanism tests: every state set explicitly, so that a test calls
// one mechanism and checks what it did, without the rest of the weekly step.

#include <cstddef>
#include <cstdint>
#include <limits>

#include "models/lwp/mechanisms.hpp"

namespace lwp_test {

inline constexpr std::size_t at(int i) {
  return static_cast<std::size_t>(i);
}

/// Where a mechanism runs: replicate (seed, replicate), practice `practice`, week `week`.
inline lwp::WeekContext week_context(std::uint32_t seed, std::uint32_t replicate, std::uint32_t practice,
                                     int week) {
  return lwp::WeekContext{lwp::Draws{{seed, replicate}, nullptr}, practice, week};
}

/// A practice of `staff_count` staff: the lead GP (slot 0), the practice manager (slot 1), then GPs,
/// nurses and admin in turn. Understanding and engagement vary across staff in [0.1, 0.9]; nobody
/// leaves (an infinite hazard budget) and everybody is established (joined before week 0); every member has
/// two team ties (the next two slots round the roster); team quality 0.6; no competing innovations; the three
/// development activities kept up; a CLP in post for 26 weeks with ties to every organisation of the locality
/// and an empty caseload. The CLP's events use streams of practice 0 (its own post).
inline lwp::Practice make_practice(const lwp::Parameters& params, int staff_count = 10) {
  lwp::Practice p;
  p.list_size = 4000;
  p.gp_buy_in = 0.6;
  p.gp_buy_in_mean = params.context_gp_buy_in_mean;
  p.team_quality = 0.6;
  p.innovation_rate = 0.0;
  p.next_innovation_time = static_cast<double>(lwp::kNever);
  p.protected_time = params.practice_protected_time_initial;
  p.activities.fill(true);  // all three development activities kept up

  lwp::Staff& staff = p.staff;
  staff.count = staff_count;
  const lwp::Role others[] = {lwp::Role::gp, lwp::Role::nurse, lwp::Role::admin};
  for (int i = 0; i < staff_count; ++i) {
    const std::size_t s = at(i);
    staff.role[s] = i == lwp::kLeadGpSlot            ? lwp::Role::lead_gp
                    : i == lwp::kPracticeManagerSlot ? lwp::Role::practice_manager
                                                     : others[at((i - 2) % 3)];
    staff.understanding[s] = 0.1 + 0.8 * static_cast<double>((i * 7) % 11) / 10.0;
    staff.engagement[s] = 0.1 + 0.8 * static_cast<double>((i * 5 + 3) % 11) / 10.0;
    staff.referral_weight[s] = staff.role[s] == lwp::Role::nurse   ? params.referral_weight_nurse
                               : staff.role[s] == lwp::Role::admin ? params.referral_weight_admin
                                                                   : params.referral_weight_gp;
    staff.occupant[s] = 0;
    staff.leave_clock[s] = std::numeric_limits<double>::infinity();
    staff.joined_week[s] = lwp::kEstablished;
    staff.degree[s] = 2;
    staff.ties[s][0] = static_cast<std::uint8_t>((i + 1) % staff_count);
    staff.ties[s][1] = static_cast<std::uint8_t>((i + 2) % staff_count);
  }

  lwp::Clp& clp = p.clp;
  clp.in_post = true;
  clp.hired = true;
  clp.occupant = 0;
  clp.start_week = -26;
  clp.skill = lwp::clp_skill(params, 26.0);
  clp.understanding = params.clp_understanding_initial;
  clp.leave_week = lwp::kNever;
  clp.vacancy_end_week = lwp::kNever;
  clp.organisations = static_cast<int>(params.community_organisations);
  for (int o = 0; o < clp.organisations; ++o) clp.ties[at(o)] = 0.1 + 0.05 * static_cast<double>(o % 12);

  p.shared_understanding = lwp::shared_understanding(p, params);
  return p;
}

/// Mean of the first `n` entries of a staff attribute.
template <typename Array>
double staff_mean(const Array& values, int n) {
  double sum = 0.0;
  for (int i = 0; i < n; ++i) sum += values[at(i)];
  return sum / static_cast<double>(n);
}

}  // namespace lwp_test
