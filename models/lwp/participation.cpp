// 3. Team relationships -> cognitive participation (docs/model.md §7.3). Chng 2021: staff in fully
// integrated practices engaged with each other on the LWP in formal settings (meetings, shared
// learning) and informal ones (over coffee); in partially integrated practices less formally and
// more informally. Formal sessions need shared understanding and protected time; informal
// contacts run along team ties set by team relationship quality and spread engagement but little
// understanding.

#include <algorithm>

#include "models/lwp/mechanisms.hpp"
#include "sim/random.hpp"

namespace lwp {

double formal_session(Practice& practice, const Parameters& params, const WeekContext& ctx) {
  const double threshold = params.formal_understanding_threshold;
  const double readiness =
      std::clamp((practice.shared_understanding - threshold) / (1.0 - threshold), 0.0, 1.0);
  const double p =
      params.formal_session_rate * readiness * practice.protected_time * (1.0 - practice.attention_load);
  sim::Stream s = ctx.stream(Purpose::formal_session);
  if (!sim::random::bernoulli(s, p)) return 0.0;

  Staff& staff = practice.staff;
  const Clp& clp = practice.clp;
  const double members = clp.in_post ? 3.0 : 2.0;
  const double leaders_e = (staff.engagement[kLeadGpSlot] + staff.engagement[kPracticeManagerSlot] +
                            (clp.in_post ? params.clp_engagement : 0.0)) /
                           members;
  const double leaders_u = (staff.understanding[kLeadGpSlot] + staff.understanding[kPracticeManagerSlot] +
                            (clp.in_post ? clp.understanding : 0.0)) /
                           members;
  const std::uint64_t attend = sim::random::threshold(params.formal_attendance);
  int attended = 0;
  for (std::size_t i = 0; i < static_cast<std::size_t>(staff.count); ++i) {
    if (s.next_u32() >= attend) continue;
    ++attended;
    const double gain = params.formal_engagement_pull * (leaders_e - staff.engagement[i]);
    staff.engagement[i] += gain;
    practice.totals.engagement_gain_formal += std::max(0.0, gain);
    staff.understanding[i] += params.formal_understanding_pull * (leaders_u - staff.understanding[i]);
  }
  return static_cast<double>(attended) / static_cast<double>(staff.count);
}

void informal_contacts(Practice& practice, const Parameters& params, const WeekContext& ctx,
                       std::span<double> scratch) {
  Staff& staff = practice.staff;
  const auto n = static_cast<std::size_t>(staff.count);
  // Everyone talks to colleagues as they were before this week's informal contacts, so the
  // result does not depend on the order in which staff are visited.
  std::span<double> engagement = scratch.subspan(0, n);
  std::span<double> understanding = scratch.subspan(n, n);
  std::copy_n(staff.engagement.begin(), n, engagement.begin());
  std::copy_n(staff.understanding.begin(), n, understanding.begin());
  const std::uint64_t talk = sim::random::threshold(params.informal_contact_rate * practice.team_quality);
  if (talk == 0) return;
  sim::Stream s = ctx.stream(Purpose::informal_contact);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t word = s.next_u32();
    if (word >= talk || staff.degree[i] == 0) continue;
    // Given word < talk, word / talk is uniform: it also picks which tie.
    const auto k = static_cast<std::size_t>((std::uint64_t{word} * staff.degree[i]) / talk);
    const std::size_t j = staff.ties[i][k];
    if (engagement[j] > engagement[i]) {
      const double gain = params.informal_engagement_pull * (engagement[j] - engagement[i]);
      staff.engagement[i] += gain;
      practice.totals.engagement_gain_informal += gain;
    }
    staff.understanding[i] += params.informal_understanding_pull * (understanding[j] - understanding[i]);
  }
}

// Without reinforcement, engagement decays towards a baseline and understanding fades.
void engagement_drift(Practice& practice, const Parameters& params) {
  Staff& staff = practice.staff;
  for (std::size_t i = 0; i < static_cast<std::size_t>(staff.count); ++i) {
    staff.engagement[i] +=
        params.staff_engagement_decay * (params.staff_engagement_baseline - staff.engagement[i]);
    staff.understanding[i] -= params.staff_understanding_decay * staff.understanding[i];
    staff.engagement[i] = std::clamp(staff.engagement[i], 0.0, 1.0);
    staff.understanding[i] = std::clamp(staff.understanding[i], 0.0, 1.0);
  }
}

}  // namespace lwp
