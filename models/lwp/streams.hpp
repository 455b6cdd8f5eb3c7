#pragma once
// The random streams of the model. Every stream is keyed by (seed, replicate) and named by
// (entity, time, purpose) (sim/rng.hpp). Weekly mechanisms use time = week; event processes
// use time = the event's sequence number (the k-th CLP, the i-th innovation), so that under
// common random numbers a higher hazard moves the same events earlier instead of drawing new
// ones. Initial draws use time = kInitTime.

#include <cstdint>

#include "sim/rng.hpp"

namespace lwp {

enum class Purpose : std::uint32_t {
  // Initialisation
  context = 1,
  staff_states,
  team_network,
  clp_ties,
  training_draw,
  // Events (time = event sequence number)
  clp_departure,
  clp_vacancy,
  staff_departure,  // purpose | slot << 16
  innovation_arrival,
  // Weekly mechanisms (time = week)
  core_meeting,
  formal_session,
  informal_contact,
  referral,
  caseload,
  linking,
  organisation_turnover,
  appraisal,
  // Observation (added last, so that every stream above keeps its number): the simulated staff
  // survey; time = the surveyed phase's index; sub 0 = who replies (entity kReplicateEntity),
  // sub 1 + slot = one person's item noise (entity = practice, slot kClpSurveySlot for the CLP).
  survey,
  // Scale-up (appended likewise): the first CLP of a practice whose programme starts later.
  clp_recruitment,
  // Model v2 (appended likewise; time = week): informal contacts with the CLP, and the
  // development activities kept up or dropped.
  informal_clp_contact,
  development_activity,
};

inline constexpr std::uint32_t kInitTime = 0xFFFFFFFFU;
/// Sub-streams of Purpose::context, one per contextual feature.
inline constexpr std::uint32_t kBuyInDraw = 0;
inline constexpr std::uint32_t kTeamQualityDraw = 1;
inline constexpr std::uint32_t kInnovationRateDraw = 2;
inline constexpr std::uint32_t kListSizeDraw = 3;  // synthetic practices
inline constexpr std::uint32_t kTrainingDraw = 4;  // synthetic practices
/// Entity number of replicate-wide draws (the training practices) and of localities.
inline constexpr std::uint32_t kReplicateEntity = 0xFFFFFFFFU;
/// Entity bit of CLP events after a cut of posts (practice indices are below 2^30).
inline constexpr std::uint32_t kPostCutEntity = 0x40000000U;
inline std::uint32_t locality_entity(std::uint32_t locality) {
  return 0x80000000U | locality;
}

/// The replicate's key and the counter of Philox calls: everything needed to open a stream.
struct Draws {
  sim::StreamKey key;
  std::uint64_t* philox_calls = nullptr;

  [[nodiscard]] sim::Stream stream(std::uint32_t entity, std::uint32_t time, Purpose purpose,
                                   std::uint32_t sub = 0) const {
    return sim::Stream(key, {entity, time, static_cast<std::uint32_t>(purpose) | (sub << 16)}, philox_calls);
  }
};

/// Where a practice's weekly mechanisms are: which practice (the stream entity), which week.
struct WeekContext {
  Draws draws;
  std::uint32_t practice = 0;
  int week = 0;

  [[nodiscard]] sim::Stream stream(Purpose purpose) const {
    return draws.stream(practice, static_cast<std::uint32_t>(week), purpose);
  }
};

}  // namespace lwp
