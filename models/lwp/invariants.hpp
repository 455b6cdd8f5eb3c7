#pragma once
// State invariants of a replicate, verified after every mechanism when a run is checked
// (`lwsim run --check`, `lwsim sweep --check`; docs/reliability.md). Each function returns a
// description of the first invariant that does not hold, or nothing. They read the state only:
// a checked run gives bitwise the results of an unchecked one.
//
// Bounds: every share, score and probability-like state lies in [0, 1] (within kSlack) and is
// finite; counts, hours and costs are finite and not negative; indices stay inside their arrays.
// Conservation: a practice keeps its roster (turnover replaces a leaver in the same slot and role:
// one lead GP in slot 0, one practice manager in slot 1), and every patient ever referred is on
// the caseload, waiting for a community organisation's answer, or closed (linked or discharged).

#include <cstdint>
#include <optional>
#include <string>

#include "models/lwp/parameters.hpp"
#include "models/lwp/state.hpp"

namespace lwp {

/// How far a value in [0, 1] may stray by rounding before it counts as a violation.
inline constexpr double kSlack = 1e-12;

/// What a practice must keep from week to week: its number of staff at initialisation.
struct PracticeBaseline {
  int staff = 0;
};

/// `hours_current`: the CLP's hours are this week's (from allocate_clp_hours to the week's end),
/// so they must fit the practice's share of the post and be zero without a CLP.
std::optional<std::string> practice_violation(const Practice& practice, const Parameters& params,
                                              const PracticeBaseline& baseline, bool hours_current);
std::optional<std::string> locality_violation(const Locality& locality);

}  // namespace lwp
