// 5. Reflexive monitoring (docs/model.md §7.6). Chng 2021: reflexive monitoring was underdeveloped
// in both fully and partially integrated practices, so appraisals are rare. When the practice does
// appraise the LWP, successful links against referrals in recent weeks move engagement and
// protected time up or down.

#include <algorithm>

#include "models/lwp/mechanisms.hpp"
#include "sim/random.hpp"

namespace lwp {

void reflexive_monitoring(Practice& practice, const Parameters& params, const WeekContext& ctx) {
  const auto slot = static_cast<std::size_t>(ctx.week % kHistoryWeeks);
  practice.referral_history[slot] = practice.referrals_this_week;
  practice.link_history[slot] = practice.links_this_week;

  sim::Stream s = ctx.stream(Purpose::appraisal);
  if (!sim::random::bernoulli(s, params.monitoring_appraisal_rate)) return;
  practice.last_appraisal_week = ctx.week;
  ++practice.totals.appraisals;

  const int window = std::min(static_cast<int>(params.monitoring_window_weeks), ctx.week + 1);
  std::uint32_t referred = 0;
  std::uint32_t linked = 0;
  for (int w = ctx.week - window + 1; w <= ctx.week; ++w) {
    const auto i = static_cast<std::size_t>(w % kHistoryWeeks);
    referred += practice.referral_history[i];
    linked += practice.link_history[i];
  }
  // With no referrals in the window there is nothing to judge: the appraisal changes nothing.
  if (referred == 0) return;
  const bool success = static_cast<double>(linked) >= params.monitoring_target_link_share * referred;
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
