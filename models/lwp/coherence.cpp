// 2. Leadership -> coherence (docs/model.md §7.2). Chng 2021: in fully integrated practices the
// core leadership (lead GP, CLP, practice manager) share an understanding of the LWP and how they
// want it to work; in partially integrated practices they do not. GP buy-in and collaborative
// leadership make the core meet; competing innovations take the attention that meetings need.

#include <algorithm>

#include "models/lwp/mechanisms.hpp"
#include "sim/random.hpp"

namespace lwp {

double core_engagement(const Practice& practice, const Parameters& params) noexcept {
  const double w = params.leadership_lead_gp_weight;
  return w * practice.staff.engagement[kLeadGpSlot] +
         (1.0 - w) * practice.staff.engagement[kPracticeManagerSlot];
}

double commitment(const Practice& practice, const Parameters& params) noexcept {
  return practice.shared_understanding * core_engagement(practice, params) * (1.0 - practice.attention_load);
}

void leadership_meeting(Practice& practice, const Parameters& params, const WeekContext& ctx) {
  const double buy_in =
      1.0 - params.leadership_buy_in_weight + params.leadership_buy_in_weight * practice.gp_buy_in;
  const double p = params.leadership_meeting_rate * buy_in * (1.0 - practice.attention_load);
  sim::Stream s = ctx.stream(Purpose::core_meeting);
  if (!sim::random::bernoulli(s, p)) return;

  Staff& staff = practice.staff;
  Clp& clp = practice.clp;
  double& lead_u = staff.understanding[kLeadGpSlot];
  double& manager_u = staff.understanding[kPracticeManagerSlot];
  double& lead_e = staff.engagement[kLeadGpSlot];
  double& manager_e = staff.engagement[kPracticeManagerSlot];
  const double members = clp.in_post ? 3.0 : 2.0;
  const double mean_u = (lead_u + manager_u + (clp.in_post ? clp.understanding : 0.0)) / members;
  const double mean_e = (lead_e + manager_e + (clp.in_post ? params.clp_engagement : 0.0)) / members;
  // Understandings converge when the core meet...
  const double c = params.leadership_convergence;
  lead_u += c * (mean_u - lead_u);
  manager_u += c * (mean_u - manager_u);
  if (clp.in_post) clp.understanding += c * (mean_u - clp.understanding);
  lead_e += c * (mean_e - lead_e);
  manager_e += c * (mean_e - manager_e);
  // ...and the CLP's explanation raises them, the more so the more skilled the CLP.
  if (clp.in_post) {
    // A CLP shared by several practices is present at each for its share of the week.
    const double gain = params.leadership_clp_explanation * clp.skill * practice.clp_presence;
    lead_u += gain * (1.0 - lead_u);
    manager_u += gain * (1.0 - manager_u);
  }
}

double shared_understanding(const Practice& practice, const Parameters& params) {
  const Staff& staff = practice.staff;
  double lo = std::min(staff.understanding[kLeadGpSlot], staff.understanding[kPracticeManagerSlot]);
  double hi = std::max(staff.understanding[kLeadGpSlot], staff.understanding[kPracticeManagerSlot]);
  double sum = staff.understanding[kLeadGpSlot] + staff.understanding[kPracticeManagerSlot];
  double members = 2.0;
  if (practice.clp.in_post) {
    lo = std::min(lo, practice.clp.understanding);
    hi = std::max(hi, practice.clp.understanding);
    sum += practice.clp.understanding;
    members = 3.0;
  }
  return std::clamp(sum / members - params.leadership_spread_penalty * (hi - lo), 0.0, 1.0);
}

}  // namespace lwp
