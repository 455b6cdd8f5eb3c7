// 5. Reflexive monitoring (docs/model.md §7.6). Chng 2021: reflexive monitoring was
// underdeveloped in both fully and partially integrated practices, so appraisals are rare, and
// they come from the practice's state: someone engaged, information about community
// organisations kept up, referrals flowing. When the practice does appraise the LWP, successful
// links for the patients ready to move on in recent weeks move engagement and protected time up
// or down.

#include <algorithm>

#include "models/lwp/mechanisms.hpp"
#include "sim/random.hpp"

namespace lwp {

void reflexive_monitoring(Practice& practice, const Parameters& params, const WeekContext& ctx) {
  const auto slot = static_cast<std::size_t>(ctx.week % kHistoryWeeks);
  practice.ready_history[slot] = practice.ready_this_week;
  practice.link_history[slot] = practice.links_this_week;

  // An appraisal needs someone engaged to do it and something to appraise: the information about
  // community organisations kept up and referrals flowing. Both are rarer in PIPs, and the rate is
  // low in both groups (Chng 2021: reflexive monitoring underdeveloped in FIPs and PIPs).
  // monitoring.state_dependence d mixes this with a constant rate (d = 0: model v1's form), a
  // switch for model choice; at d = 1, p = rate x ce exactly.
  const bool informed = practice.activities[static_cast<std::size_t>(Activity::community_information)];
  const bool flowing = practice.referral_flow >= params.score_referral_flow_min;
  const double d = params.monitoring_state_dependence;
  const double from_state = informed && flowing ? core_engagement(practice, params) : 0.0;
  const double p = params.monitoring_appraisal_rate * (d * from_state + (1.0 - d));
  if (!(p > 0.0)) return;
  sim::Stream s = ctx.stream(Purpose::appraisal);
  if (!sim::random::bernoulli(s, p)) return;
  practice.last_appraisal_week = ctx.week;
  ++practice.totals.appraisals;

  const int window = std::min(static_cast<int>(params.monitoring_window_weeks), ctx.week + 1);
  std::uint32_t ready = 0;
  std::uint32_t linked = 0;
  for (int w = ctx.week - window + 1; w <= ctx.week; ++w) {
    const auto i = static_cast<std::size_t>(w % kHistoryWeeks);
    ready += practice.ready_history[i];
    linked += practice.link_history[i];
  }
  // The practice judges the links made for the patients the CLP saw through (not against every
  // referral: a waiting list says how busy the CLP is, not whether linking works). With nobody
  // ready to move on in the window there is nothing to judge: the appraisal changes nothing.
  if (ready == 0) return;
  const bool success = static_cast<double>(linked) >= params.monitoring_target_link_share * ready;
  Staff& staff = practice.staff;
  const double effect = params.monitoring_engagement_effect;
  for (std::size_t i = 0; i < static_cast<std::size_t>(staff.count); ++i) {
    staff.engagement[i] += success ? effect * (1.0 - staff.engagement[i]) : -effect * staff.engagement[i];
  }
  const double step =
      success ? params.monitoring_protected_time_step : -params.monitoring_protected_time_step;
  practice.protected_time = std::clamp(practice.protected_time + step, 0.0, 1.0);
}

}  // namespace lwp
