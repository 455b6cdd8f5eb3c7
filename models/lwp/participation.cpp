// 3. Team relationships -> cognitive participation (docs/model.md §7.3). Chng 2021: staff in
// fully integrated practices engaged with each other on the LWP in formal settings (meetings,
// shared learning) and informal ones (over coffee); in partially integrated practices less
// formally and more informally; good team dynamics drove integration. Team relationship quality
// moderates this collective work: it raises attendance at formal sessions and the pull towards
// the leaders there, the density of informal ties and contacts (the CLP's included), and the
// socialisation of newcomers. Understanding flows only from the better- to the less-informed.

#include <algorithm>

#include "models/lwp/mechanisms.hpp"
#include "sim/random.hpp"

namespace lwp {

namespace {

/// A team of quality q keeps 1 - effect x (1 - q) of what a team of quality 1 has.
double moderated(double effect, double team_quality) noexcept {
  return 1.0 - effect * (1.0 - team_quality);
}

/// Understanding flows from the better- to the less-informed only.
void learn_from(double& understanding, double source, double pull) noexcept {
  if (source > understanding) understanding += pull * (source - understanding);
}

}  // namespace

// A formal session needs shared understanding and protected time, and falls with the load of
// competing innovations; a good team comes to it and follows the leaders there.
double formal_session(Practice& practice, const Parameters& params, const WeekContext& ctx) {
  // This week's talks with the CLP start here (informal_contacts adds the informal ones).
  std::fill_n(practice.staff.talked_with_clp.begin(), practice.staff.count, std::uint8_t{0});
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
  const double team = practice.team_quality;
  const std::uint64_t attend =
      sim::random::threshold(params.formal_attendance * moderated(params.team_attendance_effect, team));
  const double pull = moderated(params.team_pull_effect, team);
  int attended = 0;
  for (std::size_t i = 0; i < static_cast<std::size_t>(staff.count); ++i) {
    if (s.next_u32() >= attend) continue;
    ++attended;
    if (clp.in_post) staff.talked_with_clp[i] = 1;
    const double gain = params.formal_engagement_pull * pull * (leaders_e - staff.engagement[i]);
    staff.engagement[i] += gain;
    practice.totals.engagement_gain_formal += std::max(0.0, gain);
    learn_from(staff.understanding[i], leaders_u, params.formal_understanding_pull * pull);
  }
  return static_cast<double>(attended) / static_cast<double>(staff.count);
}

// Informal contacts run along team ties, and with the CLP as a colleague; they pull engagement up
// and pass on a little understanding, from the better- to the less-informed.
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
  if (talk > 0) {
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
      learn_from(staff.understanding[i], understanding[j], params.informal_understanding_pull);
    }
  }
  const Clp& clp = practice.clp;
  if (!clp.in_post) return;
  const std::uint64_t with_clp = sim::random::threshold(params.informal_clp_contact_rate *
                                                        practice.team_quality * practice.clp_presence);
  if (with_clp == 0) return;
  // A talk with the CLP moves a staff member from where the week's talks with colleagues left them
  // (it depends on nobody else's state, so the result still does not depend on the order).
  sim::Stream s = ctx.stream(Purpose::informal_clp_contact);
  for (std::size_t i = 0; i < n; ++i) {
    if (s.next_u32() >= with_clp) continue;
    staff.talked_with_clp[i] = 1;
    if (params.clp_engagement > staff.engagement[i]) {
      const double gain = params.informal_engagement_pull * (params.clp_engagement - staff.engagement[i]);
      staff.engagement[i] += gain;
      practice.totals.engagement_gain_informal += gain;
    }
    learn_from(staff.understanding[i], clp.understanding, params.informal_understanding_pull);
  }
}

// Newcomers take on the team's norms, the faster the better the team (Chng 2021: team dynamics).
void socialise_newcomers(Practice& practice, const Parameters& params, int week) {
  Staff& staff = practice.staff;
  const double rate = params.team_socialisation_rate * practice.team_quality;
  if (!(rate > 0.0)) return;
  const auto n = static_cast<std::size_t>(staff.count);
  const double window = params.team_socialisation_weeks;
  bool any = false;
  for (std::size_t i = 0; i < n && !any; ++i) any = week - staff.joined_week[i] < window;
  if (!any) return;
  double mean_e = 0.0;
  double mean_u = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    mean_e += staff.engagement[i];
    mean_u += staff.understanding[i];
  }
  mean_e /= static_cast<double>(n);
  mean_u /= static_cast<double>(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (!(week - staff.joined_week[i] < window)) continue;
    staff.engagement[i] += rate * (mean_e - staff.engagement[i]);
    staff.understanding[i] += rate * (mean_u - staff.understanding[i]);
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
