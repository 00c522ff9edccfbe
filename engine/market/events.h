// Events: the market's state changes, the only thing journaled. Market::apply(event) is the
// only code that mutates market state, so replaying the events into an empty market rebuilds
// it exactly. Locations are referred to by their LocationIndex (registration order, never
// reused: locations are never deleted). Plain values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/market/calendar.h"
#include "engine/market/config.h"
#include "engine/market/cqc_ratings.h"
#include "engine/market/fsa_ratings.h"
#include "engine/market/package.h"
#include "engine/market/placement.h"
#include "engine/market/provider.h"
#include "engine/market/quality.h"
#include "engine/market/types.h"

namespace carebroker::engine {

/// Which provider request produced an event, for idempotent replies.
struct RequestRef {
  std::string provider;
  std::string request_id;
  std::uint64_t payload_hash = 0;
  bool operator==(const RequestRef&) const = default;
};

struct ClockAdvanced { UtcMillis now = 0; bool operator==(const ClockAdvanced&) const = default; };
struct CategoryDefined { Category category; bool operator==(const CategoryDefined&) const = default; };
struct DpsConfigured { DpsConfig config; bool operator==(const DpsConfigured&) const = default; };
struct CalendarSet { WorkingCalendar calendar; bool operator==(const CalendarSet&) const = default; };
struct ProviderRegistered {
  std::string provider, name;
  bool operator==(const ProviderRegistered&) const = default;
};
struct LocationRegistered {
  std::string location, provider, name, postcode, local_authority;
  bool operator==(const LocationRegistered&) const = default;
};
struct ProviderStatusChanged {
  std::string provider;
  bool in_administration = false;
  bool contract_terminated = false;
  std::string reason;
  /// The DPS whose contract `contract_terminated` is about; -1 = every DPS the provider is a
  /// member of when applied (journals from before per-DPS contracts all read -1).
  int dps = -1;
  std::string by;  ///< the acting user (appended, issue 13; "" in older journals)
  bool operator==(const ProviderStatusChanged&) const = default;
};
/// Any change of a location's membership of a DPS, carrying the whole new record — with who
/// made the change (`membership.by`, issue 13).
struct MembershipChanged {
  LocationIndex location = 0;
  Membership membership;
  bool operator==(const MembershipChanged&) const = default;
};
/// A location's quality and risk inputs are now `inputs`. Applying it records an entry of the
/// early-warning history (early_warning.h) with what changed; `by`, `reason`, `evidence` and
/// `at` were appended (issue 12 item 3): an event journaled before them reads "", "", "", 0 and
/// its entry is dated when it is applied (the market clock, i.e. the event's time).
struct QualityInputsChanged {
  LocationIndex location = 0;
  QualityInputs inputs;
  std::string by, reason, evidence;
  UtcMillis at = 0;
  bool operator==(const QualityInputsChanged&) const = default;
};

struct PackagePosted {
  PackageId package = 0;
  Shared<PackageSpec> spec;      ///< held by the package in each market that applies this
  Shared<SealedPerson> person;  ///< held by each market that applies this (sealed; legacy_clear in old journals)
  int dps = -1, lot = -1, zone = -1, route = -1;
  CategoryMask categories = 0;
  Urgency urgency = Urgency::standard;
  Date latest_start = 0;
  UtcMillis at = 0;
  bool operator==(const PackagePosted&) const = default;
};
/// A step of the route opens: the package is broadcast to `invited` (sorted).
struct TierOpened {
  PackageId package = 0;
  int step = 0;
  UtcMillis at = 0;
  UtcMillis closes_at = 0;
  Shared<std::vector<LocationIndex>> invited;  ///< at a first step, every market's ever_invited
  bool operator==(const TierOpened&) const = default;
};
/// Why a step of a package's route ended without a placement. Journaled (schemas/journal.fbs
/// TierEndReason, value for value): values are only ever appended. They start at 1 because the
/// schema's value 0, `unrecorded`, stands for a record written before the reason was journaled
/// (schema v1, words only); decoding replaces it (engine/codec/event_codec.cpp), so no event
/// holds it.
enum class TierEndReason : std::uint8_t {
  no_eligible_location = 1,     ///< nobody could be invited at this step: it cascades at once
  no_acceptable_offer,          ///< the window closed with no acceptable offer
  every_acceptable_offer_declined,  ///< every acceptable offer declined the award or let it lapse
  unexpected_deadline,          ///< a deadline fired in a state that has none (unreachable)
};
/// The reason's stable name: "no_eligible_location", "no_acceptable_offer", …
std::string_view to_string(TierEndReason);
/// Every reason, in order (tests and reports list them).
inline constexpr TierEndReason kTierEndReasons[] = {
    TierEndReason::no_eligible_location, TierEndReason::no_acceptable_offer,
    TierEndReason::every_acceptable_offer_declined, TierEndReason::unexpected_deadline};

/// A step ended without a placement; the package cascades (or becomes unsourced).
struct TierEnded {
  PackageId package = 0;
  int step = 0;
  UtcMillis at = 0;
  /// Words for people, beyond `reason` (often empty). A record of schema v1 holds the reason in
  /// words here ("no acceptable offer"), from which `reason` was decoded. Never branched on.
  std::string detail;
  TierEndReason reason = TierEndReason::no_acceptable_offer;
  bool operator==(const TierEnded&) const = default;
};
struct PackageUnsourced { PackageId package = 0; UtcMillis at = 0; bool operator==(const PackageUnsourced&) const = default; };
// The officer's package decisions: `by` is the acting user (appended, issue 13; "" in older
// journals). Each also joins the package's decisions (PackageRecords::decisions).
struct PackageHeld {
  PackageId package = 0;
  UtcMillis at = 0;
  std::string reason;
  std::string by;
  bool operator==(const PackageHeld&) const = default;
};
struct PackageReleased {
  PackageId package = 0;
  UtcMillis at = 0;
  UtcMillis closes_at = 0;
  std::string by;
  bool operator==(const PackageReleased&) const = default;
};
struct PackageCancelled {
  PackageId package = 0;
  UtcMillis at = 0;
  std::string reason;
  std::string by;
  bool operator==(const PackageCancelled&) const = default;
};
struct PackageClosedForDirectPayment {
  PackageId package = 0;
  UtcMillis at = 0;
  std::string by;
  bool operator==(const PackageClosedForDirectPayment&) const = default;
};
/// Place (amendment = false) or amend (amendment = true) an offer.
struct OfferPlaced {
  PackageId package = 0;
  LocationIndex location = 0;
  RequestRef request;
  Pence price = 0;
  Date start_date = 0;
  bool must_meet_confirmed = false;
  std::string notes;
  UtcMillis at = 0;
  bool amendment = false;
  bool abnormally_low = false;
  bool operator==(const OfferPlaced&) const = default;
};
struct OfferWithdrawn {
  PackageId package = 0;
  LocationIndex location = 0;
  RequestRef request;
  UtcMillis at = 0;
  bool operator==(const OfferWithdrawn&) const = default;
};
struct WindowClosed { PackageId package = 0; UtcMillis at = 0; bool operator==(const WindowClosed&) const = default; };
/// Best-and-final: each shortlisted location learns its own rank and may improve its offer.
struct ShortlistFormed {
  PackageId package = 0;
  UtcMillis at = 0;
  UtcMillis closes_at = 0;
  std::vector<ShortlistEntry> shortlist;
  bool operator==(const ShortlistFormed&) const = default;
};
/// The top offer is abnormally low: the award waits for an officer's decision.
struct AwardHeld {
  PackageId package = 0;
  LocationIndex location = 0;
  UtcMillis at = 0;
  bool operator==(const AwardHeld&) const = default;
};
struct AbnormallyLowDecided {
  PackageId package = 0;
  LocationIndex location = 0;
  bool accepted = false;
  std::string officer, reason;
  UtcMillis at = 0;
  bool operator==(const AbnormallyLowDecided&) const = default;
};
struct AwardOffered {
  PackageId package = 0;
  LocationIndex location = 0;
  UtcMillis at = 0;
  UtcMillis expires_at = 0;
  bool persons_choice = false;
  std::string reason;
  std::string by;  ///< the officer of a person's-choice award (appended, issue 13); "" when the engine awarded
  bool operator==(const AwardOffered&) const = default;
};
struct AwardAccepted {
  PackageId package = 0;
  LocationIndex location = 0;
  RequestRef request;
  UtcMillis at = 0;
  bool operator==(const AwardAccepted&) const = default;
};
/// Declined by the location, or lapsed (timed_out) when it did not answer in time.
struct AwardDeclined {
  PackageId package = 0;
  LocationIndex location = 0;
  RequestRef request;
  UtcMillis at = 0;
  bool timed_out = false;
  std::string reason;
  bool operator==(const AwardDeclined&) const = default;
};
/// A placed package handed back by its provider at once; the same package is re-procured from
/// the first tier. Written only before live placements (HandBackPackage now emits
/// PlacementHandedBack, with notice); kept, with its apply, so those journals replay as they did.
struct PackageHandedBack {
  PackageId package = 0;
  LocationIndex location = 0;
  RequestRef request;
  UtcMillis at = 0;
  std::string reason;
  bool operator==(const PackageHandedBack&) const = default;
};

/// A closed package leaves memory after the retention period; `archive` holds its final record
/// (the Package and the SealedPerson as a versioned ArchivedPackage table — see
/// engine/codec/archive_codec.h; older journals hold the serialize.h form, still read) so the
/// store can keep it readable.
struct PackageRetired {
  PackageId package = 0;
  UtcMillis at = 0;
  std::string archive;
  bool operator==(const PackageRetired&) const = default;
};

/// A keyed command (engine/market/commands.h CommandKey) succeeded: what a retry with the same caller,
/// key and payload is answered. Emitted after the command's own events. Kept while `package` is
/// in memory when `expires_at` is 0 (a package-scoped command), else until the market clock
/// reaches `expires_at`.
struct CommandKeyRecorded {
  std::string caller, key;
  std::uint64_t payload_hash = 0;
  PackageId package = 0;  ///< the reply's package (0 = none)
  UtcMillis expires_at = 0;
  std::uint64_t number = 0;  ///< the reply's number (a CQC import; 0 = none). Appended (issue 12)
  bool operator==(const CommandKeyRecorded&) const = default;
};

/// A location explained its abnormally low offer (asked for on its stream when the offer was
/// flagged); the officer reads the latest before deciding. engine/market/package_records.h.
struct OfferExplained {
  PackageId package = 0;
  LocationIndex location = 0;
  RequestRef request;
  std::string explanation;
  UtcMillis at = 0;
  bool operator==(const OfferExplained&) const = default;
};
/// An officer recorded the spot purchase that followed an unsourced package.
struct SpotPurchaseRecorded {
  PackageId package = 0;
  SpotPurchase purchase;
  bool operator==(const SpotPurchaseRecorded&) const = default;
};
/// A contract action issued (contract_actions.h): it becomes action number
/// provider.contract_actions.size() + 1; the action it escalates (if any) becomes escalated. A
/// termination comes with a ProviderStatusChanged that ends the contract under the DPS.
struct ContractActionIssued {
  std::string provider;
  int dps = -1;
  ContractActionKind kind = ContractActionKind::improvement_plan;
  Date start_date = 0;
  Date review_date = 0;
  std::string owner, notes;
  int escalates = 0;
  UtcMillis at = 0;
  std::string by;  ///< the acting user (appended, issue 13; "" in older journals)
  bool operator==(const ContractActionIssued&) const = default;
};
/// A contract action changed; the change joins its history. Withdrawing a termination comes with
/// a ProviderStatusChanged that restores the contract under the DPS.
struct ContractActionUpdated {
  std::string provider;
  int action = 0;
  ContractActionUpdate update;
  bool operator==(const ContractActionUpdated&) const = default;
};

// ---- live placements (engine/market/placement.h; market_placements.cpp) ----

/// A provider handed back a live placement with notice: care continues until the replacement
/// package's placement starts or the notice ends (`notice_ends`, a London date), whichever is
/// first. `replacement` is the new package, posted just before, that re-procures it. (The old
/// immediate hand-back, PackageHandedBack, is kept for the journals that hold it.)
struct PlacementHandedBack {
  PackageId package = 0;
  LocationIndex location = 0;
  RequestRef request;
  UtcMillis at = 0;
  std::string reason;
  Date notice_ends = 0;
  PackageId replacement = 0;
  bool operator==(const PlacementHandedBack&) const = default;
};
/// A live placement will end at the start of `ends_on` (a London date) for `reason`: a planned
/// end, a council's end on a later date, or the start of the placement that replaces it.
struct PlacementEndScheduled {
  PackageId package = 0;
  Date ends_on = 0;
  PlacementEndReason reason = PlacementEndReason::planned_end;
  std::string officer;  ///< who scheduled it; empty when the engine did (a replacement)
  UtcMillis at = 0;
  bool operator==(const PlacementEndScheduled&) const = default;
};
/// A placement ended. Its package is then closed (PackageStatus::ended) and retires after the
/// DPS's retention period.
struct PlacementEnded {
  PackageId package = 0;
  PlacementEndReason reason = PlacementEndReason::planned_end;
  Date ended_on = 0;
  std::string officer;  ///< who ended it; empty when its date or notice ran out
  UtcMillis at = 0;
  bool operator==(const PlacementEnded&) const = default;
};
/// The council asks to change a live placement's hours or visit pattern from `effective`; the
/// provider may accept (VariationAccepted) or the officer may send it to market.
struct VariationProposed {
  PackageId package = 0;
  std::int64_t quantity = 0;
  VisitPattern visits;
  Date effective = 0;
  std::string reason, officer;
  UtcMillis at = 0;
  std::vector<VisitCall> schedule;  ///< the new calls of the week; empty = the visits summary above
  bool operator==(const VariationProposed&) const = default;
};
/// The placement's provider accepted the pending variation: the placement now runs at its hours.
struct VariationAccepted {
  PackageId package = 0;
  LocationIndex location = 0;
  RequestRef request;
  UtcMillis at = 0;
  bool operator==(const VariationAccepted&) const = default;
};
/// The officer sent the pending variation to market as `replacement`, a new package posted just
/// before; the placement continues until the replacement's placement starts.
struct VariationSentToMarket {
  PackageId package = 0;
  PackageId replacement = 0;
  std::string officer;
  UtcMillis at = 0;
  bool operator==(const VariationSentToMarket&) const = default;
};
/// A live placement re-procured because its provider's contract under the DPS was terminated
/// (contract action `action`): `replacement` is the new package, posted just before. The old
/// placement ends when the replacement's placement starts (or at the transition's end, by a
/// PlacementEndScheduled that follows, whichever is first).
struct PlacementReprocured {
  PackageId package = 0;
  PackageId replacement = 0;
  int action = 0;
  UtcMillis at = 0;
  bool operator==(const PlacementReprocured&) const = default;
};

// ---- during a mini-competition (market_amendments.cpp) ----

/// An officer amended an open package: its spec is now `spec` (shared, as PackagePosted's), the
/// latest start an offer may give `latest_start`, and its window closes at `closes_at` (kept, or
/// extended so that half a window is left to confirm offers). The amendment joins the package's
/// records; offers made before it are marked (Offer times against its time).
struct PackageAmended {
  PackageId package = 0;
  Shared<PackageSpec> spec;
  Date latest_start = 0;
  UtcMillis closes_at = 0;
  std::string notes, officer;
  UtcMillis at = 0;
  bool operator==(const PackageAmended&) const = default;
};
/// An invited location asked a clarification question; it becomes question number
/// records.questions.size() + 1. Who asked is for the officer only.
struct QuestionAsked {
  PackageId package = 0;
  LocationIndex location = 0;
  RequestRef request;
  std::string question;
  UtcMillis at = 0;
  bool operator==(const QuestionAsked&) const = default;
};
/// The officer answered a question, to every invited location.
struct QuestionAnswered {
  PackageId package = 0;
  int question = 0;
  std::string answer, officer;
  UtcMillis at = 0;
  bool operator==(const QuestionAnswered&) const = default;
};
/// A CQC file imported (issue 12): every row of it with its outcome, in file order. Applying it
/// records the rows that change a location's history (cqc_ratings.h changes_history) and makes
/// each location's newest rating its current CQC rating. `import` numbers imports 1, 2, ….
struct CqcRatingsImported {
  std::uint32_t import = 0;
  std::string source;
  std::string officer;
  UtcMillis at = 0;
  std::vector<CqcImportRow> rows;
  bool operator==(const CqcRatingsImported&) const = default;
};

/// A location's early-warning rating under a DPS changed (issue 12 item 3): emitted by the
/// engine after any command that changes it (inputs, provider facts, contract actions, CQC
/// imports, memberships, risk policy) and at the Tick when a dated entry leaves the look-back
/// window (market_early_warning.cpp). Joins the location's rag_changes.
struct RagChanged {
  LocationIndex location = 0;
  RagChange change;
  bool operator==(const RagChanged&) const = default;
};

// ---- assessment cycles (issue 12 item 1; market_assessments.cpp) ----

/// A location's provider submitted a self-assessment: it becomes the location's self-assessment
/// number self_assessments.size() + 1.
struct SelfAssessmentSubmitted {
  LocationIndex location = 0;
  SelfAssessment assessment;
  bool operator==(const SelfAssessmentSubmitted&) const = default;
};
/// Self-assessment `number` validated: its changes, domain scores and points. A
/// QualityInputsChanged follows when the location's self-assessment input changes.
struct SelfAssessmentValidated {
  LocationIndex location = 0;
  int number = 0;
  std::vector<DomainChange> changes;
  std::vector<DomainScore> domains;
  int points = -1;
  std::string by;
  UtcMillis at = 0;
  bool operator==(const SelfAssessmentValidated&) const = default;
};
/// The council's PAMMS assessment of a location recorded; a QualityInputsChanged follows when
/// the location's PAMMS input changes.
struct PammsAssessed {
  LocationIndex location = 0;
  PammsAssessment assessment;
  bool operator==(const PammsAssessed&) const = default;
};

// ---- KPIs (issue 12 item 4; market_kpis.cpp) ----

/// A location's provider submitted a quarterly KPI return: it becomes the location's KPI return
/// number kpi_returns.size() + 1 (amending the earlier one for its DPS and quarter, if any), and
/// the location's quality score version advances.
struct KpiReturnSubmitted {
  LocationIndex location = 0;
  KpiReturn kpi_return;
  bool operator==(const KpiReturnSubmitted&) const = default;
};

// ---- FSA hygiene ratings (issue 12 item 2; market_fsa.cpp) ----

/// An FSA file imported: every row of it with its outcome, in file order. Applying it makes each
/// row that holds a rating (fsa_ratings.h holds_rating) its location's FSA rating and FSA input,
/// a change of the input being an early-warning entry. `import` numbers FSA imports 1, 2, ….
struct FsaRatingsImported {
  std::uint32_t import = 0;
  std::string source;
  std::string officer;
  UtcMillis at = 0;
  std::vector<FsaImportRow> rows;
  bool operator==(const FsaRatingsImported&) const = default;
};

/// A person's details were erased (UK GDPR) by `by` for `reason`: the package's person (and that
/// of any package holding the same key, e.g. a replacement) is held as erased from now on, and
/// the gateway destroys the key, so every sealed copy — journal, snapshots, archive, backups —
/// is unreadable. The journal keeps the ciphertext, so its audit chain stays valid.
struct PersonErased {
  PackageId package = 0;
  std::string by, reason;
  UtcMillis at = 0;
  bool operator==(const PersonErased&) const = default;
};

using Event =
    std::variant<ClockAdvanced, CategoryDefined, DpsConfigured, CalendarSet, ProviderRegistered,
                 LocationRegistered, ProviderStatusChanged, MembershipChanged, QualityInputsChanged,
                 PackagePosted, TierOpened, TierEnded, PackageUnsourced, PackageHeld, PackageReleased,
                 PackageCancelled, PackageClosedForDirectPayment, OfferPlaced, OfferWithdrawn,
                 WindowClosed, ShortlistFormed, AwardHeld, AbnormallyLowDecided, AwardOffered,
                 AwardAccepted, AwardDeclined, PackageHandedBack, PackageRetired, CommandKeyRecorded,
                 OfferExplained, SpotPurchaseRecorded, ContractActionIssued, ContractActionUpdated,
                 PlacementHandedBack, PlacementEndScheduled, PlacementEnded, VariationProposed,
                 VariationAccepted, VariationSentToMarket, PlacementReprocured, PackageAmended,
                 QuestionAsked, QuestionAnswered, CqcRatingsImported, RagChanged,
                 SelfAssessmentSubmitted, SelfAssessmentValidated, PammsAssessed, KpiReturnSubmitted,
                 FsaRatingsImported, PersonErased>;

/// The stable name of an event's type, e.g. "offer_placed".
std::string_view event_name(const Event&);

}  // namespace carebroker::engine
