// Competing innovations (docs/model.md §7.1.4): other programmes,
// reorganisations and new services arrive at a practice (Poisson), each taking a share of
// leadership and staff attention for a while; the attention load is their sum, capped at 1.
// Training practices carry a standing extra load. Other innovations competed for the attention
// that integration needed (Chng 2021). Innovation i's arrival, load and duration come from its own
// stream, so that under common random numbers a higher rate brings the same innovations earlier.

#include <algorithm>

#include "models/lwp/mechanisms.hpp"
#include "sim/random.hpp"

namespace lwp {

void schedule_next_innovation(Practice& practice, const Parameters& params, const Draws& draws,
                              std::uint32_t practice_index, double after) {
  if (!(practice.innovation_rate > 0.0)) {
    practice.next_innovation_time = static_cast<double>(kNever);
    return;
  }
  sim::Stream s = draws.stream(practice_index, practice.next_innovation, Purpose::innovation_arrival);
  practice.next_innovation_time = after + sim::random::exponential(s, practice.innovation_rate);
  const double spread = params.innovation_load_spread;
  practice.next_innovation_load =
      params.innovation_load_mean * (1.0 - spread + 2.0 * spread * sim::random::uniform(s));
  practice.next_innovation_duration =
      static_cast<int>(sim::random::geometric_weeks(s, params.innovation_duration_mean_weeks));
}

void add_innovation(Practice& practice, double load, int end_week) noexcept {
  ++practice.totals.innovations;
  if (practice.active_innovations < kMaxInnovations)
    practice.innovations[static_cast<std::size_t>(practice.active_innovations++)] = {end_week, load};
}

void competing_innovations(Practice& practice, const Parameters& params, const WeekContext& ctx) {
  int kept = 0;
  for (int k = 0; k < practice.active_innovations; ++k) {
    if (practice.innovations[static_cast<std::size_t>(k)].end_week > ctx.week) {
      practice.innovations[static_cast<std::size_t>(kept++)] =
          practice.innovations[static_cast<std::size_t>(k)];
    }
  }
  practice.active_innovations = kept;
  while (practice.next_innovation_time < static_cast<double>(ctx.week + 1)) {
    add_innovation(practice, practice.next_innovation_load, ctx.week + practice.next_innovation_duration);
    const double arrived = practice.next_innovation_time;
    ++practice.next_innovation;
    schedule_next_innovation(practice, params, ctx.draws, ctx.practice, arrived);
  }
  double load = 0.0;
  for (int k = 0; k < practice.active_innovations; ++k)
    load += practice.innovations[static_cast<std::size_t>(k)].load;
  if (practice.training) load += params.training_gp_load;
  practice.attention_load = std::min(1.0, load);
}

}  // namespace lwp
