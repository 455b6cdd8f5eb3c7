#pragma once
// The weekly mechanisms (docs/model.md §3 and §7), as free functions over a practice's state so
// that each can be tested on its own; each is defined in the file of what it changes (clp.cpp,
// coherence.cpp, participation.cpp, collective_action.cpp, ...), several to a file. The order in which
// they run is the table of the week's steps, kWeek in schedule.hpp.

#include <span>
#include <vector>

#include "models/lwp/parameters.hpp"
#include "models/lwp/setup.hpp"
#include "models/lwp/state.hpp"
#include "models/lwp/streams.hpp"

namespace lwp {

// ---- programme.cpp: how the programme is organised (scale-up, docs/model.md §7.9)
/// Which practices share a CLP before and after a cut of posts, for one design point.
struct Programme {
  std::vector<std::uint32_t> lead_before, lead_after;   // first practice of each practice's CLP group
  std::vector<double> presence_before, presence_after;  // 1 / size of the practice's group
  std::vector<int> funded_from;                         // week the programme starts, per practice
  std::uint32_t posts_before = 0;                       // CLP posts (groups)
  std::uint32_t posts_after = 0;
  int cut_week = kNever;
};
Programme make_programme(const Setup& setup, const Parameters& params);
/// Share of the scenario's open posts (programme started) that have no CLP: the labour market.
double open_share(const ReplicateState& state, const Programme& programme, int week) noexcept;
/// At the cut week: practices regrouped; a practice whose CLP group changes gets the CLP of its
/// new group (a change of CLP, with the momentum shock); later CLP events use new streams.
void cut_posts(ReplicateState& state, const Programme& programme, const Parameters& params);
/// Adds the week's programme costs of a practice to its totals.
void accrue_costs(Practice& practice, const Parameters& params, int week) noexcept;

// ---- init.cpp: the state at week 0 of a replicate
void initialise_replicate(ReplicateState& state, const Setup& setup, const Parameters& params,
                          const Draws& draws, const Programme& programme);
/// Roster sizes derived from list size: GPs (lead GP included), nurses, admin (+1 manager).
struct Roster {
  int gps = 1;
  int nurses = 1;
  int admin = 1;
  [[nodiscard]] int total() const noexcept { return gps + 1 + nurses + admin; }
};
Roster roster_for(int list_size, const Parameters& params);
/// GP buy-in of a (new) lead GP, from the practices' Beta distribution (with the given mean).
double draw_gp_buy_in(const Parameters& params, sim::Stream stream);
double draw_gp_buy_in(const Parameters& params, sim::Stream stream, double mean);

// ---- waiting_time.cpp: waiting times from a weekly hazard (CLP and staff turnover)
/// Weeks until an event with a weekly hazard, drawn by inverse transform (at least 1).
int weeks_until(sim::Stream& stream, double hazard);

// ---- clp.cpp: 1a. the CLP post and its occupant
/// True in the funding.uncertainty_weeks weeks before a funding renewal.
bool funding_uncertain(const Parameters& params, int week) noexcept;
/// Factor on the CLP departure hazard from the load on programme support (1 at the reference).
double support_factor(const Parameters& params) noexcept;
/// The weekly CLP departure hazard in `week` (support load and funding uncertainty included).
double clp_hazard(const Parameters& params, int week) noexcept;
/// The week a CLP in post from `from` leaves (kNever: not within any horizon).
int clp_leave_week(sim::Stream& stream, const Parameters& params, int from);
/// Skill of a CLP after `tenure_weeks` in post.
double clp_skill(const Parameters& params, double tenure_weeks);
/// Tie strengths of a new CLP at week 0 (or the first CLP of a later wave) to the organisations.
void initial_clp_ties(Clp& clp, const Parameters& params, const Draws& draws);
/// The CLP at week 0: in post since clp.tenure_at_start_weeks with its leaving week drawn, or,
/// in a later rollout wave, none until the post opens (clp.entity set by the caller).
void initialise_clp(Practice& practice, const Parameters& params, const Draws& draws,
                    const Locality& locality);
/// Every staff member loses the momentum shock of a change of CLP, less what the team absorbs.
void lose_momentum(Practice& practice, const Parameters& params) noexcept;
/// `open_share`: share of the scenario's CLP posts open at the start of the week (labour market).
void clp_departure(Practice& practice, const Parameters& params, const WeekContext& ctx,
                   double open_share = 0.0);
void clp_replacement(Practice& practice, const Parameters& params, const WeekContext& ctx);
/// The week's CLP events: a later wave's post opens, the CLP leaves when due, a vacancy ends
/// with a replacement; skill, weeks in post and vacancy weeks are updated.
void clp_events(Practice& practice, const Parameters& params, const WeekContext& ctx,
                double open_share = 0.0);

// ---- staff_turnover.cpp: 1b. lead GP, practice manager and staff turnover
/// The weekly hazard of leaving for a member of staff in `role`.
double turnover_hazard(Role role, const Parameters& params) noexcept;
/// Each role's weekly hazard rate in the practice, lowered by its team quality (set once the
/// team quality of the replicate is known).
void set_turnover_rates(Practice& practice, const Parameters& params) noexcept;
/// The hazard budget of occupant `occupant` of staff slot `slot`: a unit exponential from the
/// occupant's own stream.
double draw_leave_clock(const Draws& draws, std::uint32_t practice, std::uint32_t occupant, std::size_t slot);
/// A lead GP's engagement or understanding on taking up the role: weighted between their GP buy-in
/// and the role's starting state.
double lead_gp_state(const Parameters& params, double buy_in, double starting_state) noexcept;
/// Slot `slot` is taken by a newcomer this week (the lead GP's replacement brings a new buy-in).
void start_newcomer(Practice& practice, const Parameters& params, const WeekContext& ctx, std::size_t slot);
/// Spends each occupant's hazard budget for the week; whoever runs out leaves and is replaced.
void staff_turnover(Practice& practice, const Parameters& params, const WeekContext& ctx);

// ---- dated_events.cpp: 1d. what the scenario knows happened in a practice
/// The practice's dated events of this week ([[practice.event]]): a change of CLP, of lead GP or
/// of practice manager, or a competing innovation.
void dated_events(Practice& practice, const Parameters& params, const PracticeSpec& spec,
                  const WeekContext& ctx);

// ---- innovations.cpp: 1c. competing innovations
void competing_innovations(Practice& practice, const Parameters& params, const WeekContext& ctx);
/// An innovation that takes `load` of attention until `end_week` (if there is room for it).
void add_innovation(Practice& practice, double load, int end_week) noexcept;
/// Draws the arrival time (after `after`, in weeks), load and duration of innovation number
/// practice.next_innovation from its own stream.
void schedule_next_innovation(Practice& practice, const Parameters& params, const Draws& draws,
                              std::uint32_t practice_index, double after);

// ---- coherence.cpp: 2. leadership -> coherence
/// The core's engagement: the lead GP's and the practice manager's, weighted.
double core_engagement(const Practice& practice, const Parameters& params) noexcept;
/// Commitment to development work: shared understanding x core engagement x free attention.
double commitment(const Practice& practice, const Parameters& params) noexcept;
void leadership_meeting(Practice& practice, const Parameters& params, const WeekContext& ctx);
/// S: high mean and low spread of understanding among the core (lead GP, manager, CLP in post).
double shared_understanding(const Practice& practice, const Parameters& params);

// ---- participation.cpp: 3. team relationships -> cognitive participation
/// Returns the share of staff who attended a formal session this week (0 when none was held).
double formal_session(Practice& practice, const Parameters& params, const WeekContext& ctx);
void informal_contacts(Practice& practice, const Parameters& params, const WeekContext& ctx,
                       std::span<double> scratch);
/// Newcomers move towards the practice's mean engagement and understanding, the faster the better
/// the team.
void socialise_newcomers(Practice& practice, const Parameters& params, int week);
void engagement_drift(Practice& practice, const Parameters& params);

// ---- collective_action.cpp: 4. collective action
/// The development activities are kept up or dropped (and, with commitment, taken up again).
void development_activities(Practice& practice, const Parameters& params, const WeekContext& ctx);
[[nodiscard]] int activities_kept(const Practice& practice) noexcept;
void referrals(Practice& practice, const Parameters& params, const WeekContext& ctx);
void allocate_clp_hours(Practice& practice, const Parameters& params);
/// The CLP's contacts with the caseload; patients ready to close ask organisations for a place.
void patient_contacts(Practice& practice, const Parameters& params, const WeekContext& ctx);
void practice_development(Practice& practice, const Parameters& params);
void community_networking(Practice& practice, const Parameters& params);
/// Closes all active patients unlinked (when the CLP leaves).
void close_caseload(Practice& practice);

// ---- community.cpp: community organisations shared within a locality
/// Patients leave organisations, then each organisation's free places are shared among the
/// practices asking for them, in a fixed order that does not depend on scheduling.
/// `order` is scratch space (reused, so the weekly step does not allocate).
void resolve_locality(Locality& locality, std::span<Practice* const> members, const Parameters& params,
                      const Draws& draws, std::uint32_t locality_index, int week,
                      std::vector<std::uint64_t>& order);
/// Accepted requests become links; refused ones go back to the caseload.
void apply_links(Practice& practice, const Parameters& params);
/// Staff see the patients the CLP's links helped: engagement and understanding rise with the
/// links made; the share of patients linked is remembered for collective action.
void link_feedback(Practice& practice, const Parameters& params);

// ---- monitoring.cpp: 5. reflexive monitoring
void reflexive_monitoring(Practice& practice, const Parameters& params, const WeekContext& ctx);

// ---- scores.cpp: 6. scores and classification
/// Role balance: 1 minus the total-variation distance between the CLP's shares of hours
/// (patient support, practice development, networking, other) and the target shares.
/// `presence`: the practice's share of a shared CLP's week (1 for a CLP of its own).
/// `networking_credit`: the share of networking hours that counts (links.full_credit_yield).
double role_balance(const std::array<double, 3>& hours, const Parameters& params, double presence = 1.0,
                    double networking_credit = 1.0);
/// The share of the CLP's networking hours that counts in collective action: all of them when at
/// least links.full_credit_yield of the patients ready to move on are linked, else in proportion.
double networking_credit(const Practice& practice, const Parameters& params) noexcept;
void score_week(Practice& practice, const Parameters& params, const Setup& setup, int week,
                double formal_attendance);
/// FIP when normalised in at least classification.final_share of the final window's weeks.
bool classify_integration(const Practice& practice, const Parameters& params, const Setup& setup);

// ---- survey.cpp: the simulated staff survey (virtual evaluation, docs/model.md §7.8)
/// People who can be sent a questionnaire: the staff, and the CLP when in post.
int survey_capacity(const Practice& practice) noexcept;
/// Writes a practice's possible recipients in priority order into `slots` (staff slots, or
/// kClpSurveySlot): lead GP, practice manager, CLP (if in post), the first nurse, the first
/// admin, then the other staff in slot order. Returns survey_capacity(practice);
/// `slots` needs kMaxStaff + 1 places.
int survey_recipients(const Practice& practice, std::span<std::int16_t> slots);
/// One answer on the 5-point scale: 1 + the number of cut points 0.2, 0.4, 0.6, 0.8 strictly
/// below latent + noise (so always 1..5).
std::uint8_t survey_answer(double latent, double noise) noexcept;
/// Empties every survey of the replicate (sized once: no allocation after the first replicate).
void reset_survey(ReplicateState& state, const Setup& setup);
/// Survey number `index` of setup.surveys, at the end of its phase's last week: questionnaires
/// sent, exactly min(replied, sent) replies drawn, respondents' answers from the current state.
void conduct_survey(ReplicateState& state, const Setup& setup, const Parameters& params, const Draws& draws,
                    std::size_t index);

}  // namespace lwp
