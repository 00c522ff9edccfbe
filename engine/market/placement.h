// A placement: the live care service that a mini-competition ends in. It records who provides
// the care (the location), at what agreed rate, from when and (optionally) until when, and the
// hours and visit pattern now agreed. It ends only by an event with a reason (PlacementEnded);
// until then it can be handed back (with notice), varied or ended at any age — it never retires.
// Keyed by the package it placed. Plain state, held by Market; not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/market/package.h"
#include "engine/market/types.h"

namespace carebroker::engine {

/// Why a placement ended (or will end on its scheduled date). Journaled (schemas/journal.fbs
/// PlacementEndReason, value for value): values are only ever appended.
enum class PlacementEndReason : std::uint8_t {
  planned_end,       ///< the planned end date was reached
  handed_back,       ///< the provider handed it back and the notice period ran out
  needs_changed,     ///< ended by the council: the person's needs changed
  moved,             ///< ended by the council: the person moved away
  hospital,          ///< ended by the council: the person went into hospital
  residential_care,  ///< ended by the council: the person went into residential care
  died,              ///< ended by the council: the person died
  terminated,        ///< the provider's contract was terminated (issue 10 item 4's hook)
  replaced,          ///< the placement of the package that re-procured it started
};
std::string_view to_string(PlacementEndReason);
/// "needs_changed" → the reason; false for a name that is not one.
bool parse(std::string_view, PlacementEndReason&);
/// The reasons an officer may give to end a placement (EndPlacement): the council's, and
/// `terminated` for contract actions. The others are reached by the engine's own paths.
bool ended_by_officer(PlacementEndReason);

enum class PlacementStatus : std::uint8_t {
  live,    ///< care is being delivered
  notice,  ///< handed back: care continues until the replacement starts or the notice ends
  ended,   ///< over; the package retires after the DPS's retention period
};
std::string_view to_string(PlacementStatus);

/// A change of hours or visit pattern the council asked for and the provider has not yet
/// accepted (nor the officer sent to market).
struct PendingVariation {
  std::int64_t quantity = 0;  ///< minutes a week (hours lots), places or sessions
  VisitPattern visits;
  Date effective = 0;
  std::string reason, officer;
  UtcMillis proposed_at = 0;
  std::vector<VisitCall> schedule;  ///< the new calls of the week; empty = the visits summary above
  bool operator==(const PendingVariation&) const = default;
};

struct Placement {
  PackageId package = 0;
  LocationIndex location = 0;
  int dps = -1;
  Unit unit = Unit::hours;    ///< the lot's
  Pence rate = 0;             ///< the accepted offer's price; 0 = placed without an offer (person's choice)
  Date start = 0;             ///< the offer's start date (else the package's)
  UtcMillis placed_at = 0;
  std::int64_t quantity = 0;  ///< as agreed now: minutes a week (hours lots), places or sessions
  VisitPattern visits;
  bool double_handed = false;
  PlacementStatus status = PlacementStatus::live;
  // Dates on which it is due to end (0 = none); the earliest is its scheduled end (scheduled_end).
  Date planned_end = 0;       ///< as the council planned it
  Date notice_ends = 0;       ///< a hand-back's notice runs out
  Date replaced_from = 0;     ///< the replacement package's placement starts
  Date officer_end = 0;       ///< an officer ended it from a later date, for `officer_end_reason`
  PlacementEndReason officer_end_reason = PlacementEndReason::needs_changed;
  std::string hand_back_reason;
  /// The package that re-procures this placement (after a hand-back or a variation sent to
  /// market); 0 = none.
  PackageId replacement = 0;
  // Variations.
  bool has_pending_variation = false;
  PendingVariation pending;
  int variations = 0;     ///< accepted variations
  Date varied_from = 0;   ///< the last accepted variation's effective date
  // The end.
  PlacementEndReason end_reason = PlacementEndReason::planned_end;
  Date ended_on = 0;
  UtcMillis ended_at = 0;
  std::string ended_by;  ///< the officer who ended it (or scheduled the end), when an officer did
  /// The calls of the week as varied; empty = as the package's (never varied by a schedule).
  std::vector<VisitCall> schedule;
  /// The quantity before the last accepted variation, in force until its date (varied_from).
  std::int64_t previous_quantity = 0;
  bool operator==(const Placement&) const = default;

  bool is_live() const { return status != PlacementStatus::ended; }
  /// The quantity in force on `day`: before the last accepted variation's date, the earlier one.
  std::int64_t quantity_on(Date day) const {
    return variations > 0 && day < varied_from && previous_quantity > 0 ? previous_quantity : quantity;
  }
};

/// When a placement is due to end and why: the earliest of its dates (on a tie, the
/// replacement's start, then the officer's end, the notice, the plan); date 0 = not scheduled.
struct ScheduledEnd {
  Date on = 0;
  PlacementEndReason reason = PlacementEndReason::planned_end;
};
ScheduledEnd scheduled_end(const Placement&);

}  // namespace carebroker::engine
