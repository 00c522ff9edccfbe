// A care package, its offers and its place in the mini-competition life cycle.
// The person's identity is not here: the market keeps it apart, sealed (sealed_person.h), and the
// gateway releases it only to the location that accepted the award. Plain state; not thread-safe.
#pragma once

#include <string>
#include <tuple>
#include <vector>

#include "engine/market/boxed.h"
#include "engine/market/compact_int.h"
#include "engine/market/funding.h"
#include "engine/market/package_records.h"
#include "engine/market/reflect.h"
#include "engine/market/sealed_person.h"
#include "engine/market/shared.h"
#include "engine/market/types.h"
#include "engine/market/visit_schedule.h"

namespace carebroker::engine {

struct VisitPattern {
  int visits_per_day = 0;  ///< 0 = no fixed pattern
  int minutes_per_visit = 0;
  int days_per_week = 0;
  bool operator==(const VisitPattern&) const = default;
  std::int64_t minutes_per_week() const {
    return static_cast<std::int64_t>(visits_per_day) * minutes_per_visit * days_per_week;
  }
};

/// The person behind a package in clear: what an officer posts and what is released. Sealed at
/// the gateway (engine/person/person_seal.h) before the market sees it: the market holds a
/// SealedPerson, never this.
struct PersonDetails {
  std::string name;
  std::string address;
  std::string postcode;
  std::string case_reference;
  bool operator==(const PersonDetails&) const = default;
};

/// What a brokerage officer posts.
struct PackageSpec {
  std::string dps;
  std::string lot;
  std::vector<std::string> categories;
  std::string zone;               ///< optional when postcode_district is given
  std::string postcode_district;  ///< e.g. "B13"
  std::int64_t quantity = 0;      ///< minutes per week (hours lots), places, or sessions per week
  VisitPattern visits;
  bool double_handed = false;
  Date start_date = 0;
  std::vector<std::string> needs;
  std::vector<std::string> outcomes;
  std::vector<std::string> must_meet;
  Urgency urgency = Urgency::standard;  ///< standard becomes planned when the start is far off
  Funder funder = Funder::council;
  Pence price_ceiling = 0;  ///< 0 = the lot's rate band only
  UtcMillis window = 0;     ///< 0 = the DPS default for the urgency
  std::string officer;
  /// The calls of the week (engine/market/home_care_order.h); empty = posted with the visits
  /// summary (or no pattern), as before schedules existed.
  std::vector<VisitCall> schedule;
  Date end_date = 0;  ///< the last day of care; 0 = open-ended
  /// Who pays, in shares totalling 100%; empty = 100% `funder` (the form before shares).
  std::vector<FundingShare> funding;
  bool operator==(const PackageSpec&) const = default;
};

enum class PackageStatus : std::uint8_t {
  open,               ///< a tier's window is open for offers
  best_and_final,     ///< the shortlist may improve its offers
  evaluating,         ///< the window has closed; ranking and award in progress
  awaiting_decision,  ///< the top offer is abnormally low; an officer must decide
  award_pending,      ///< offered to a location, waiting for it to accept
  on_hold,
  placed,
  unsourced,
  cancelled,
  direct_payment,
  ended,  ///< its placement ended (placement.h); `placed` is a live state, this one is closed
};
std::string_view to_string(PackageStatus);
bool is_closed(PackageStatus);

enum class AbnormallyLow : std::uint8_t { not_flagged, pending, accepted, rejected };
std::string_view to_string(AbnormallyLow);

/// 40 bytes with no padding (a package's offers are held by each of the three markets): the price
/// in 4 bytes (the market accepts none above kMaxPrice, £100,000, market_offers.cpp) and the two
/// times in 6 (milliseconds: ±4,000 years) as CompactInts (compact_int.h), the usually-empty note
/// in 8. Read and written as full-width Pence and UtcMillis, and walked — digested, snapshotted,
/// journaled — as them, in the order of its journal table (walk_order below). (48 bytes before,
/// with 8-byte price and times: 3 × 8 bytes more per offer in the process, and with malloc's
/// rounding of a package's offer array, ~30 B; issue 8.)
struct Offer {
  Boxed<std::string> notes;  ///< usually empty: then 8 bytes, no allocation
  CompactInt<UtcMillis, 6> placed_at;
  CompactInt<UtcMillis, 6> amended_at;
  LocationIndex location = 0;
  Date start_date = 0;
  int version = 1;
  CompactInt<Pence, 4> price;
  bool must_meet_confirmed = false;
  bool withdrawn = false;
  bool declined = false;  ///< this location declined (or let lapse) the award at this tier
  AbnormallyLow abnormally_low = AbnormallyLow::not_flagged;
  bool operator==(const Offer&) const = default;
};
static_assert(sizeof(Offer) == 40);

/// Offer's digest, snapshot and journal order: its journal.fbs table's.
template <>
struct walk_order<Offer> {
  static constexpr std::tuple fields{&Offer::location,   &Offer::price,          &Offer::start_date,
                                     &Offer::must_meet_confirmed, &Offer::notes, &Offer::placed_at,
                                     &Offer::amended_at, &Offer::version,        &Offer::withdrawn,
                                     &Offer::declined,   &Offer::abnormally_low};
};

struct ShortlistEntry {
  LocationIndex location = 0;
  int rank = 0;
  bool operator==(const ShortlistEntry&) const = default;
};

/// A package in one market. Its members are grouped by size, the 8-byte ones first, so that the
/// struct has no padding holes: every market (the writer and each replica) holds one per live
/// package (288 bytes; 320 in declaration order by meaning). Their digest, snapshot and archive
/// order is walk_order's, not this one.
struct Package {
  PackageId id = 0;
  Shared<PackageSpec> spec;  ///< the PackagePosted event's, shared
  // Resolved from the spec at posting.
  CategoryMask categories = 0;
  /// The route's tiers (indexes into the DPS's tiers) as they were when the package was posted,
  /// so a later reconfiguration of the routes cannot move a package mid-competition. Empty when
  /// the DPS distributes to everyone at once.
  std::vector<int> route_tiers;
  UtcMillis posted_at = 0;
  // Life cycle.
  UtcMillis hold_remaining = 0;
  UtcMillis opened_at = 0;
  UtcMillis closes_at = 0;
  /// sorted; who was broadcast at this step. Copied from TierOpened into each market, not
  /// shared: the offer path searches it for every offer, and a pointer less to follow there was
  /// worth ~8% of an offer's time (BM_PlaceOffer) for its few bytes.
  std::vector<LocationIndex> invited;
  /// sorted; who was broadcast at any step. At the first step, TierOpened's list itself (one
  /// object for the event and every market); later steps merge into a new list.
  Shared<std::vector<LocationIndex>> ever_invited;
  std::vector<Offer> offers;           ///< offers at this step, in order of first placement
  std::vector<ShortlistEntry> shortlist;
  UtcMillis award_expires = 0;
  std::string award_reason;
  UtcMillis closed_at = 0;
  /// Explanations of abnormally low offers and the spot purchase after unsourced (usually none).
  Boxed<PackageRecords> records;
  int dps = -1;
  int lot = -1;
  int zone = -1;
  int route = -1;
  Date latest_start = 0;
  int step = 0;   ///< position in the route's tiers
  int round = 1;  ///< 2 during best-and-final
  LocationIndex award_location = 0;
  int tiers_tried = 0;
  int declines = 0;
  int hand_backs = 0;
  Urgency urgency = Urgency::standard;  ///< effective urgency (standard or planned, or urgent)
  PackageStatus status = PackageStatus::open;
  PackageStatus held_from = PackageStatus::open;
  bool has_award = false;
  bool persons_choice = false;
  bool retired = false;  ///< closed long ago: in the store's archive, no longer in memory
  bool operator==(const Package&) const = default;

  const Offer* offer_of(LocationIndex loc) const {
    for (const auto& o : offers)
      if (o.location == loc) return &o;
    return nullptr;
  }
  Offer* offer_of(LocationIndex loc) {
    for (auto& o : offers)
      if (o.location == loc) return &o;
    return nullptr;
  }
  bool was_invited(LocationIndex loc) const;
};
static_assert(sizeof(Package) == 288, "Package: keep the members grouped by size (no padding holes)");

/// Package's digest, snapshot and archive order: its journal.fbs table's (the order of meaning).
template <>
struct walk_order<Package> {
  static constexpr std::tuple fields{
      &Package::id,          &Package::spec,           &Package::dps,          &Package::lot,
      &Package::zone,        &Package::categories,     &Package::route,        &Package::route_tiers,
      &Package::urgency,     &Package::latest_start,   &Package::posted_at,    &Package::status,
      &Package::held_from,   &Package::hold_remaining, &Package::step,         &Package::round,
      &Package::opened_at,   &Package::closes_at,      &Package::invited,      &Package::ever_invited,
      &Package::offers,      &Package::shortlist,      &Package::award_location, &Package::has_award,
      &Package::award_expires, &Package::persons_choice, &Package::award_reason, &Package::tiers_tried,
      &Package::declines,    &Package::hand_backs,     &Package::closed_at,    &Package::retired,
      &Package::records};
};

/// Whether the offer was placed (or last amended) before the package's latest amendment: its
/// provider is asked to confirm it (market_amendments.cpp).
inline bool made_before_amendment(const Package& p, const Offer& o) {
  const UtcMillis amended = p.records->amended_at();
  return amended != 0 && (o.placed_at > o.amended_at ? o.placed_at : o.amended_at) < amended;
}

}  // namespace carebroker::engine
