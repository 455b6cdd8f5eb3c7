// Waiting times from a weekly hazard (docs/model.md §7.1.1), shared by the CLP's and the staff's
// leaving weeks: one inverse-transform draw from the event's own stream, so that under common
// random numbers a higher hazard never makes the same event happen later.

#include <algorithm>
#include <cmath>

#include "models/lwp/mechanisms.hpp"
#include "sim/random.hpp"

namespace lwp {

int weeks_until(sim::Stream& stream, double hazard) {
  if (!(hazard > 0.0)) return kNever;
  // Continuous waiting time with rate -log(1 - h) per week, so that P(leave in a given week) = h.
  const double rate = hazard >= 1.0 ? 1e9 : -std::log1p(-hazard);
  const double t = sim::random::exponential(stream, rate);
  if (t >= static_cast<double>(kNever)) return kNever;
  return std::max(1, static_cast<int>(std::ceil(t)));
}

}  // namespace lwp
