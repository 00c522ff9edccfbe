// Commands: everything that can ask the market to change. Each is validated against the
// market's state and either produces events or is rejected with a Code. Time enters only
// through Tick. Plain values; the gateway builds them from JSON or FlatBuffers.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/market/calendar.h"
#include "engine/market/config.h"
#include "engine/market/cqc_ratings.h"
#include "engine/market/fsa_ratings.h"
#include "engine/market/contract_actions.h"
#include "engine/market/package.h"
#include "engine/market/placement.h"
#include "engine/market/types.h"

namespace carebroker::engine {

// ---- time and configuration (admin) ----
struct Tick { UtcMillis now = 0; };
struct DefineCategory { Category category; };
struct ConfigureDps { DpsConfig config; };  ///< create, or replace an existing DPS's configuration
struct SetCalendar { std::vector<Date> bank_holidays; };

// ---- providers and locations ----
struct RegisterProvider { std::string provider; std::string name; };
struct RegisterLocation {
  std::string location, provider, name, postcode, local_authority;
};
/// Organisation-level facts that reach every location of the provider. A contract is per DPS:
/// `dps` names the DPS whose contract is terminated (or reinstated); empty = every DPS the
/// provider is a member of.
struct SetProviderStatus {
  std::string provider;
  bool in_administration = false;
  bool contract_terminated = false;
  std::string reason;
  std::string dps;
  std::string by;  ///< who: the caller's principal name (issue 13)
};

// ---- DPS membership (admission) ----
// `by` on each: who (the caller's principal name, issue 13), recorded as the membership's `by`.
/// `provider` set: the provider applies itself, for one of its own locations only.
struct ApplyToDps { std::string location, dps, provider, by; };
struct ExtendAssessment { std::string location, dps, by; };
/// Admit (from under assessment) with the enrolment terms.
struct AdmitToDps {
  std::string location, dps;
  std::vector<std::string> lots, categories, zones;
  std::string tier;
  int capacity = 0;
  std::string by;
};
/// A provider declares the capacity (hours a week, 0 = not declared) one of its admitted
/// locations has for new placements under a DPS; the rest of the enrolment stays as it is.
struct DeclareCapacity { std::string provider, location, dps; int capacity = 0; std::string by; };
/// Change an admitted location's enrolment (lots, categories, zones, tier, capacity).
struct UpdateMembership {
  std::string location, dps;
  std::vector<std::string> lots, categories, zones;
  std::string tier;
  int capacity = 0;
  std::string by;
};
struct RefuseApplication { std::string location, dps, reason, by; };
struct SuspendMembership { std::string location, dps, reason, by; };
struct ReinstateMembership { std::string location, dps, by; };
struct ExitDps { std::string location, dps, reason, by; };

/// A patch to a location's quality and risk inputs; unset fields stay as they are.
struct UpdateQualityInputs {
  std::string location;
  std::optional<CqcRating> cqc;
  std::optional<PammsRating> pamms;
  std::optional<int> self_assessment;  ///< 0..100, or -1 to clear
  std::optional<FsaRating> fsa;
  std::optional<bool> embargo;
  std::string embargo_reason;
  std::optional<bool> default_notice;
  std::optional<int> unexpected_deaths_under_investigation;
  std::optional<bool> registered_manager_vacancy;
  int record_safeguarding_decisions = 0;  ///< new decisions, dated `entries_on`
  int record_substantiated_concerns = 0;  ///< new concerns, dated `entries_on`
  /// The early-warning entry (issue 12 item 3): why, and the evidence (a case number or document
  /// id, at most kMaxEvidenceChars). A reason is required when the patch raises a risk input: an
  /// embargo (embargo_reason serves when reason is empty), a default notice, more unexpected
  /// deaths under investigation, or a safeguarding decision or substantiated concern recorded.
  std::string reason, evidence;
  std::string officer;  ///< who: the caller's principal name
  /// The London date of the decisions and concerns recorded: 0 = today; not in the future, not
  /// before the location was registered.
  Date entries_on = 0;
};

// ---- packages (brokerage officers) ----
/// `person`: sealed at the gateway (sealed_person.h); anything else is person_not_sealed.
struct PostPackage { PackageSpec spec; SealedPerson person; };
// `by` on each: who (the caller's principal name, issue 13).
struct HoldPackage { PackageId package = 0; std::string reason, by; };
struct ReleasePackage { PackageId package = 0; std::string by; };
struct CancelPackage { PackageId package = 0; std::string reason, by; };
struct CloseForDirectPayment { PackageId package = 0; std::string by; };
/// An abnormally low offer's explanation was judged: accept keeps it, reject removes it.
struct DecideAbnormallyLow {
  PackageId package = 0;
  std::string location;
  bool accept = false;
  std::string officer, reason;
};
/// Award to the person's own choice of location (direct award for user choice), with a reason.
struct AwardToPersonsChoice {
  PackageId package = 0;
  std::string location, officer, reason;
};

// ---- offers and awards (providers; idempotent by request id per provider) ----
/// `must_meet_confirmed` confirms every must-meet requirement at once (the form before
/// requirements were confirmed one by one); `confirmed_must_meet` names each one confirmed.
struct PlaceOffer {
  std::string provider, location, request_id;
  PackageId package = 0;
  Pence price = 0;
  Date start_date = 0;
  bool must_meet_confirmed = false;
  std::string notes;
  std::vector<std::string> confirmed_must_meet;
};
struct AmendOffer {
  std::string provider, location, request_id;
  PackageId package = 0;
  Pence price = 0;
  Date start_date = 0;
  bool must_meet_confirmed = false;
  std::string notes;
  std::vector<std::string> confirmed_must_meet;
};
struct WithdrawOffer { std::string provider, location, request_id; PackageId package = 0; };
struct AcceptAward { std::string provider, location, request_id; PackageId package = 0; };
struct DeclineAward { std::string provider, location, request_id; PackageId package = 0; std::string reason; };
/// Hand a live placement back, with the DPS's notice: re-procured as a new linked package
/// (market_placements.cpp).
struct HandBackPackage { std::string provider, location, request_id; PackageId package = 0; std::string reason; };

/// A provider explains its abnormally low offer (idempotent by request id, as its other commands).
struct ExplainOffer { std::string provider, location, request_id; PackageId package = 0; std::string explanation; };
/// An officer records the spot purchase that followed an unsourced package: from a registered
/// location (`location`; its provider is recorded, and it is off the framework unless admitted
/// to the package's DPS and lot), or from a provider not registered here (`provider` names it;
/// `location`, its CQC location ID, is optional). `rate` is per unit of the lot.
struct RecordSpotPurchase {
  PackageId package = 0;
  std::string provider, location;
  Pence rate = 0;
  std::string reason, officer;
};

// ---- contract actions (contract_actions.h): the council's, per provider and DPS ----
/// Issue an action under `provider`'s contract for `dps`; `escalates` (0 = none) names an
/// earlier action of the same contract, in force and of an earlier kind, that this one takes over.
struct IssueContractAction {
  std::string provider, dps;
  ContractActionKind kind = ContractActionKind::improvement_plan;
  Date start_date = 0;   ///< 0 = today
  Date review_date = 0;  ///< required but for a termination
  std::string owner, notes;
  int escalates = 0;
  /// A termination's live placements under the DPS: each is re-procured at once as an urgent
  /// package from the first tier, ending when the new placement starts (the default); or, with
  /// `transition_end`, kept until that date while it is re-procured to start by then.
  Date transition_end = 0;
  std::string by;  ///< who: the caller's principal name (issue 13); `owner` is whom it names
};
/// Change an action: its status (contract_status_change), review date, owner; `notes` says what
/// and why, and the change joins its history.
struct UpdateContractAction {
  std::string provider;
  int action = 0;
  ContractActionStatus status = ContractActionStatus::in_force;
  Date review_date = 0;  ///< 0 = unchanged
  std::string owner;     ///< empty = unchanged
  std::string notes;
  std::string by;        ///< who: the caller's principal name (issue 13)
};

// ---- live placements (officers; AcceptVariation is the placement's provider's) ----
/// Plan (or move) the date a placement ends at its start, for the planned_end reason.
struct SetPlannedEnd { PackageId package = 0; Date planned_end = 0; std::string officer; };
/// The council ends a placement for one of its reasons (or `terminated`, for contract actions),
/// today or on a later date. No more personal detail than the reason.
struct EndPlacement {
  PackageId package = 0;
  PlacementEndReason reason = PlacementEndReason::needs_changed;
  Date on = 0;  ///< 0 = today
  std::string officer;
};
/// Change a live placement's hours (and visit pattern) from `effective`, for a reason.
struct ProposeVariation {
  PackageId package = 0;
  std::int64_t quantity = 0;  ///< minutes a week (hours lots), places or sessions; 0 with a schedule = derived
  VisitPattern visits;
  Date effective = 0;
  std::string reason, officer;
  /// The new calls of the week (hours lots), instead of the visits summary; empty = unchanged.
  std::vector<VisitCall> schedule;
};
struct AcceptVariation { std::string provider, location, request_id; PackageId package = 0; };
/// Re-procure the placement at its pending variation's hours, as a new linked package.
struct SendVariationToMarket { PackageId package = 0; std::string officer; };

// During a mini-competition (market_amendments.cpp).
/// An officer amends an open package: its start date, its schedule of calls, or both, with notes
/// saying what changed and why. Every invited location is told; offers made before are marked
/// and their providers asked to confirm (amend, even at the same price) or withdraw them.
struct AmendPackage {
  PackageId package = 0;
  Date start_date = 0;  ///< 0 = unchanged
  /// The new calls of the week (hours lots; replaces the schedule or the visits summary); empty =
  /// unchanged.
  std::vector<VisitCall> schedule;
  std::string notes, officer;
};
/// An invited location asks a clarification question about an open package.
struct AskQuestion { std::string provider, location, request_id; PackageId package = 0; std::string question; };
/// The officer answers question `question` (1-based) of a package, to every invited location
/// without saying who asked.
struct AnswerQuestion { PackageId package = 0; int question = 0; std::string answer, officer; };
/// Import the rows of a CQC file (engine/cqc/cqc_file.h reads them): each row is applied,
/// counted as not registered here, or reported rejected; one CqcRatingsImported records them all.
struct ImportCqcRatings {
  std::string source;  ///< the file's name, as the caller gave it
  std::string officer;
  std::vector<CqcRow> rows;
};

// Assessment cycles (issue 12 item 1; assessment.h, market_assessments.cpp).
/// A provider submits a self-assessment of one of its own locations admitted to `dps`: a score
/// 1..4 for every standard of the DPS's framework, and notes.
struct SubmitSelfAssessment {
  std::string provider, location, dps;
  std::vector<StandardScore> scores;
  std::string notes;
  std::string by;  ///< the provider's principal name
};
/// A domain's score changed on validation (1..4), with why.
struct DomainScoreChange {
  std::string domain;
  int score = 0;
  std::string reason;
  bool operator==(const DomainScoreChange&) const = default;
};
/// A compliance officer validates self-assessment `number` (1-based, per location) under `dps`,
/// changing domain scores with reasons; its result becomes the location's self-assessment input.
struct ValidateSelfAssessment {
  std::string location, dps;
  int number = 0;
  std::vector<DomainScoreChange> changes;
  std::string officer;
};
/// A compliance officer records the council's PAMMS assessment of a location under `dps`: a
/// score 1..4 for every domain; its rating (the DPS's rule) becomes the location's PAMMS input.
struct RecordPammsAssessment {
  std::string location, dps;
  std::vector<StandardScore> domains;  ///< {domain code, score 1..4}
  Date assessed_on = 0;                ///< 0 = today
  std::string evidence, officer;
};

// KPIs (issue 12 item 4; kpi.h, market_kpis.cpp).
/// A provider returns the KPIs of one of its own locations admitted to `dps` for a quarter
/// ("2026-Q3", not in the future): a percentage for every KPI of the DPS's set.
struct SubmitKpiReturn {
  std::string provider, location, dps;
  std::string quarter;
  std::vector<KpiValue> values;
  std::string notes;
  std::string by;  ///< the provider's principal name
};

// FSA hygiene ratings (issue 12 item 2; fsa_ratings.h, market_fsa.cpp).
/// Import the rows of an FSA (FHRS) file (engine/cqc/fsa_file.h reads them): each row sets its
/// location's FSA input when it is the newest rating, or is counted (no rating, older than the
/// rating held, not registered here) or reported rejected; one FsaRatingsImported records them.
struct ImportFsaRatings {
  std::string source;  ///< the file's name, as the caller gave it
  std::string officer;
  std::vector<FsaRow> rows;
};

/// Erase a package's person (UK GDPR; an admin, `by` the token's name, with a reason): the
/// market then holds the person as erased (PersonErased) and the gateway destroys the key. A
/// retired package's person can be erased too; an erased one again is person_already_erased.
struct ErasePerson {
  PackageId package = 0;
  std::string by, reason;
};

using Command =
    std::variant<Tick, DefineCategory, ConfigureDps, SetCalendar, RegisterProvider, RegisterLocation,
                 SetProviderStatus, ApplyToDps, ExtendAssessment, AdmitToDps, UpdateMembership,
                 RefuseApplication, SuspendMembership, ReinstateMembership, ExitDps,
                 UpdateQualityInputs, PostPackage, HoldPackage, ReleasePackage, CancelPackage,
                 CloseForDirectPayment, DecideAbnormallyLow, AwardToPersonsChoice, PlaceOffer,
                 AmendOffer, WithdrawOffer, AcceptAward, DeclineAward, HandBackPackage,
                 ExplainOffer, RecordSpotPurchase, IssueContractAction, UpdateContractAction, SetPlannedEnd,
                 EndPlacement, ProposeVariation, AcceptVariation, SendVariationToMarket, AmendPackage,
                 AskQuestion, AnswerQuestion, ImportCqcRatings, DeclareCapacity, SubmitSelfAssessment,
                 ValidateSelfAssessment, RecordPammsAssessment, SubmitKpiReturn, ImportFsaRatings,
                 ErasePerson>;

/// Who asks, and the key that makes the asking idempotent: REST's Idempotency-Key header. A
/// command run with a key is answered once; the same caller, key and payload again get the
/// original reply (replayed, no new events); the same caller and key with another payload are
/// refused (request_id_reused). Keys are scoped per caller. An empty key = not keyed.
struct CommandKey {
  std::string caller;  ///< the authenticated principal, e.g. "officer:brokerage-officer-1"
  std::string key;     ///< 1..64 printable ASCII characters without spaces (as request ids)
};
/// 1..64 characters, each printable ASCII and not a space (0x21..0x7e).
bool valid_command_key(std::string_view key);

/// The stable name of a command's type, e.g. "place_offer" (for metrics and logs).
std::string_view command_name(const Command&);

}  // namespace carebroker::engine
