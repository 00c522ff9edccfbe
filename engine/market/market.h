// The DPS care market as a pure, deterministic state machine.
//
//   execute(command) → validate against state → events (applied as they are emitted), or a
//   rejection with a stable code and nothing changed.
//   apply(event) is the only mutator: replaying the events into an empty Market rebuilds it,
//   and digest() proves it.
//
// No clock (time comes from Tick), no randomness, no I/O, no threads. Owned and called by one
// thread (the sequencer). Not thread-safe.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "engine/market/deadline_queue.h"
#include "engine/market/calendar.h"
#include "engine/market/codes.h"
#include "engine/market/commands.h"
#include "engine/market/config.h"
#include "engine/market/eligibility.h"
#include "engine/market/events.h"
#include "engine/market/market_digests.h"
#include "engine/market/report_facts.h"
#include "engine/market/package.h"
#include "engine/market/placement.h"
#include "engine/market/placement_views.h"
#include "engine/market/provider.h"
#include "engine/market/quality.h"
#include "engine/market/ranking.h"
#include "engine/market/request_table.h"
#include "engine/market/snapshot_status.h"
#include "engine/market/views.h"
#include "engine/market/what_if.h"

namespace carebroker::engine {

class Decoder;
class Digest;

/// A command's reply. `replayed` = the same request id and payload were seen before and this
/// is the original reply again (no new events).
struct Reply {
  Status status;
  PackageId package = 0;
  bool replayed = false;
  /// What the command numbered when it is not a package: a CQC import's number (ImportCqcRatings),
  /// an FSA import's (ImportFsaRatings).
  std::uint64_t number = 0;
  bool ok() const { return status.ok(); }
};

class Market {
 public:
  Market();

  /// Runs one command. Events it causes are appended to `out` (and already applied).
  /// REQUIRES: `out` is the caller's; nothing is appended on rejection.
  /// With a key (REST's Idempotency-Key; see CommandKey): a caller's key already used with the
  /// same payload gets the original reply, `replayed`, and nothing happens; with another payload
  /// it is refused (request_id_reused). A keyed command that succeeds also emits a
  /// CommandKeyRecorded. An invalid key is refused (invalid_idempotency_key).
  Reply execute(const Command& command, std::vector<Event>& out, const CommandKey& key = {});

  /// How long a keyed command's record is kept when the command is not about a package
  /// (configuration, providers, locations, memberships), by the market clock: as long as a
  /// closed package stays in memory by default. A package's commands keep theirs, like provider
  /// request ids, for the package's life in memory.
  static constexpr int kKeyedCommandRetentionDays = 90;

  /// Applies one event. The only way market state changes; used by execute and by replay.
  void apply(const Event& event);
  /// Applies events in order, exactly as apply() one by one (journal replay); while applying
  /// one it reads ahead in the request table for a provider request a few events on, so the
  /// table's cache misses overlap the work instead of stalling it.
  void apply(std::span<const Event> events);

  /// A digest of all market state this market keeps: configuration, providers, locations,
  /// memberships, quality inputs, packages, offers, awards, people, idempotency records and the
  /// clock. For a market that keeps no provider request ids (keep_request_ids(false)) it is
  /// digests().without_request_ids of a market that does, at the same state.
  std::uint64_t digest() const;
  /// Both digests in one pass: what digest() is for a market that keeps provider request ids
  /// (`whole`), and for one that does not. A writer hands both to its replicas, each compares
  /// the one that matches what it keeps.
  MarketDigests digests() const;

  /// Whether this market keeps the provider request-id table (on by default). Only a market
  /// that answers provider commands — the writer, or a standby that may become it — needs it:
  /// the table is how a retried request gets its first answer. A replica that only serves
  /// reads and notifications turns it off and so holds nothing per offer for idempotency.
  /// Set it before the market holds any state (a replica's start). A market that keeps no
  /// request ids cannot save a snapshot (save_snapshot's REQUIRES).
  void keep_request_ids(bool keep) { keeps_request_ids_ = keep; }
  bool keeps_request_ids() const { return keeps_request_ids_; }

  // ---- look-ups ----
  UtcMillis now() const { return now_; }
  /// The London date of now().
  Date today() const { return today_; }
  /// The earliest pending deadline (window close, award expiry, retention), 0 when none: the
  /// sequencer ticks the clock when it is due.
  UtcMillis next_deadline() const;
  const WorkingCalendar& calendar() const { return calendar_; }
  const std::vector<Category>& categories() const { return categories_; }
  const std::vector<std::string>& category_codes() const { return category_codes_; }
  int find_dps(std::string_view code) const;
  const DpsConfig& dps(int index) const { return dps_[index]; }
  std::size_t dps_count() const { return dps_.size(); }
  std::optional<LocationIndex> find_location(std::string_view id) const;
  const Location& location(LocationIndex i) const { return locations_[i]; }
  std::size_t location_count() const { return locations_.size(); }
  const Provider* find_provider(std::string_view id) const;
  const std::vector<Provider>& providers() const { return providers_; }
  const Provider& provider_of(const Location& l) const { return providers_[l.provider_index]; }
  const Package* find_package(PackageId) const;
  std::size_t package_count() const { return packages_.size(); }
  /// A package's person as held: sealed (the gateway opens it), erased, or the legacy clear form
  /// of an old journal; a retired package's keeps its form and key id only (sealed_person.h).
  /// nullptr for a package that does not exist.
  const SealedPerson* person(PackageId) const;
  /// A retired package's final record, decoded from a PackageRetired archive.
  struct ArchivedPackage {
    Package package;
    SealedPerson person;
    Placement placement;  ///< package 0: never placed (or a record from before live placements)
  };
  static std::optional<ArchivedPackage> read_archive(std::string_view archive);
  bool is_retired(PackageId id) const { return id >= 1 && id <= packages_.size() && packages_[id - 1].retired; }
  /// What market reports need of each retired package, in the order they retired (kept in
  /// the market's state — snapshotted and digested — so reports include archived packages).
  const std::vector<PackageFacts>& retired_facts() const { return retired_facts_; }

  /// Before replaying about `events` events: sizes the hash tables once instead of growing them
  /// step by step. An optimisation only; state is unchanged.
  void reserve_for_replay(std::uint64_t events);

  // ---- snapshots ----
  /// The market's state (not its derived indexes), for a snapshot.
  /// REQUIRES: keeps_request_ids() (a snapshot must be able to restore the writer).
  std::string save_snapshot() const;
  /// Loads a snapshot into this (fresh) market and rebuilds the derived indexes. Fails — and
  /// leaves the market empty — when the snapshot is unreadable, truncated or from another
  /// build's layout (a SnapshotCode, not a market rejection code).
  SnapshotStatus load_snapshot(std::string_view snapshot);

  // ---- judgements ----
  QualityScore quality_of(LocationIndex, int dps) const;
  RiskRating risk_of(LocationIndex, int dps) const;
  /// A location's self-assessment cycle under a DPS (market_assessments.cpp).
  SelfAssessmentDue self_assessment_due(LocationIndex, int dps) const;
  /// A location's KPI return cycle under a DPS today, and its KPI input to the quality score
  /// (market_kpis.cpp).
  KpiReturnDue kpi_return_due(LocationIndex, int dps) const;
  KpiStanding kpi_standing(LocationIndex, int dps) const;
  /// The return that counts for a quarter under a DPS (the latest submitted for it), with its
  /// number (1-based, per location); nullptr when there is none.
  const KpiReturn* counting_kpi_return(LocationIndex, int dps, Quarter, int* number = nullptr) const;
  /// Locations eligible for a broadcast, from the index (sorted).
  std::vector<LocationIndex> eligible(const EligibilityQuery&) const;
  /// The same, had the DPS been configured as `as_configured` (what-if replays: another risk
  /// policy). REQUIRES: as_configured has the DPS's zones, tiers and lots.
  std::vector<LocationIndex> eligible(const EligibilityQuery&, const DpsConfig& as_configured) const;
  /// Every location not broadcast for a package at its current step, with the rule that kept it out.
  std::vector<Exclusion> exclusions(PackageId) const;
  /// What a package asks of a location at a step of its route.
  EligibilityQuery query_for(const Package&, int step) const;
  /// The package's offers at its current step, ranked (and explained unless `explain` is false).
  Ranking ranking(PackageId, bool explain = true) const;

  // ---- views ----
  /// What a location may see of a package; nullopt if the package was never broadcast to it.
  std::optional<ProviderPackageView> provider_view(PackageId, std::string_view location) const;
  std::optional<OfficerPackageView> officer_view(PackageId) const;
  /// The package's offers ranked under its DPS's policy and under `policy` (what_if.h);
  /// nullopt for a package not in memory. REQUIRES: ranking_policy_problem(policy) is "".
  std::optional<WhatIfRanking> what_if(PackageId, const RankingPolicy& policy) const;
  BroadcastView broadcast_view(const Package&) const;

  // ---- live placements (market_placements.cpp, placement_views.cpp) ----
  /// The placement of a placed package (live, under notice, or ended and not yet retired).
  const Placement* find_placement(PackageId) const;
  const std::map<PackageId, Placement>& placements() const { return placements_; }
  /// The placement a package re-procures (after a hand-back or a variation sent to market);
  /// 0 = none.
  PackageId replaces_placement(PackageId) const;
  /// What a location has placed with it under a DPS, in sixtieths of its capacity's unit a week
  /// (carer minutes, for hours: a double-handed placement counts twice), and whether that
  /// reaches its declared capacity (a capacity of 0 = not declared, never reached).
  std::int64_t placed_load(LocationIndex, int dps) const;
  bool at_capacity(LocationIndex, int dps) const;
  /// "Who is affected": the live placements matching the filter, with weekly hours and value,
  /// and totals per provider.
  AffectedPlacements affected(const PlacementFilter&) const;
  /// Declared capacity against placed hours, per admitted location (of `dps`, or every DPS when -1).
  std::vector<CapacityRow> capacity(int dps) const;

  // ---- market intelligence (issue 12) ----
  /// The CQC imports, numbered 1, 2, … (import N at index N-1), each with every row's outcome.
  const std::vector<CqcRatingsImported>& cqc_imports() const { return cqc_imports_; }
  /// The FSA hygiene-rating imports, numbered 1, 2, … (import N at index N-1), each with every
  /// row's outcome (market_fsa.cpp).
  const std::vector<FsaRatingsImported>& fsa_imports() const { return fsa_imports_; }
  /// When a dated early-warning entry next leaves a look-back window (so a RAG may fall): 0 =
  /// none. A hint, never later than the true time (market_early_warning.cpp).
  UtcMillis rag_recheck_at() const { return rag_recheck_at_; }

 private:
  /// A keyed command's outcome (CommandKeyRecorded): its payload and reply's package; kept with
  /// its package when expires_at is 0, else until the clock reaches expires_at.
  struct CommandKeyRecord {
    std::uint64_t payload_hash = 0;
    PackageId package = 0;
    UtcMillis expires_at = 0;
    std::uint64_t number = 0;  ///< the reply's number (Reply::number)
  };
  class Emitter;

 public:
  /// Provider commands (PlaceOffer … HandBackPackage), each with a cached payload-hash prefix.
  static constexpr std::size_t kProviderCommandKinds = 6;

 private:
  /// The payload hash of a provider command; `loc` is the index of c.location if it exists
  /// (market_offers.cpp).
  template <typename C>
  std::uint64_t payload_hash(const C& c, std::optional<LocationIndex> loc) const;
  /// A location's payload-hash prefixes, one per provider command kind (market_offers.cpp).
  static std::array<std::uint64_t, kProviderCommandKinds> payload_prefixes(const Location&);

  // Command handlers (market_registry.cpp, market_packages.cpp, market_offers.cpp).
  Reply handle(const Tick&, Emitter&);
  Reply handle(const DefineCategory&, Emitter&);
  Reply handle(const ConfigureDps&, Emitter&);
  Reply handle(const SetCalendar&, Emitter&);
  Reply handle(const RegisterProvider&, Emitter&);
  Reply handle(const RegisterLocation&, Emitter&);
  Reply handle(const SetProviderStatus&, Emitter&);
  Reply handle(const ApplyToDps&, Emitter&);
  Reply handle(const ExtendAssessment&, Emitter&);
  Reply handle(const AdmitToDps&, Emitter&);
  Reply handle(const UpdateMembership&, Emitter&);
  Reply handle(const DeclareCapacity&, Emitter&);
  Reply handle(const RefuseApplication&, Emitter&);
  Reply handle(const SuspendMembership&, Emitter&);
  Reply handle(const ReinstateMembership&, Emitter&);
  Reply handle(const ExitDps&, Emitter&);
  Reply handle(const UpdateQualityInputs&, Emitter&);
  Reply handle(const PostPackage&, Emitter&);
  Reply handle(const HoldPackage&, Emitter&);
  Reply handle(const ReleasePackage&, Emitter&);
  Reply handle(const CancelPackage&, Emitter&);
  Reply handle(const CloseForDirectPayment&, Emitter&);
  Reply handle(const DecideAbnormallyLow&, Emitter&);
  Reply handle(const AwardToPersonsChoice&, Emitter&);
  Reply handle(const PlaceOffer&, Emitter&);
  Reply handle(const AmendOffer&, Emitter&);
  Reply handle(const WithdrawOffer&, Emitter&);
  Reply handle(const AcceptAward&, Emitter&);
  Reply handle(const DeclineAward&, Emitter&);
  Reply handle(const HandBackPackage&, Emitter&);
  Reply handle(const ExplainOffer&, Emitter&);        // market_explanations.cpp
  Reply handle(const RecordSpotPurchase&, Emitter&);  // market_spot_purchases.cpp
  Reply handle(const IssueContractAction&, Emitter&);
  Reply handle(const UpdateContractAction&, Emitter&);
  /// The DPS `code` names (into `dps`), under which `provider` has a contract: one of its
  /// locations is a member of it. unknown_dps or provider_not_member_of_dps otherwise.
  Status contract_dps(const Provider& provider, const std::string& code, int& dps) const;
  /// A termination's live placements of `provider` under `dps`: each re-procured (market_contracts.cpp).
  Reply reprocure_terminated(const Provider& provider, int dps, int action, Date transition_end,
                             const std::string& officer, Emitter&);
  void apply_contract_action(const ContractActionIssued&);
  void apply_contract_action(const ContractActionUpdated&);
  Reply handle(const SetPlannedEnd&, Emitter&);
  Reply handle(const EndPlacement&, Emitter&);
  Reply handle(const ProposeVariation&, Emitter&);
  Reply handle(const AcceptVariation&, Emitter&);
  Reply handle(const SendVariationToMarket&, Emitter&);
  Reply handle(const AmendPackage&, Emitter&);    // market_amendments.cpp
  Reply handle(const AskQuestion&, Emitter&);     // market_amendments.cpp
  Reply handle(const AnswerQuestion&, Emitter&);  // market_amendments.cpp
  void apply_amended(const PackageAmended&);      // market_amendments.cpp
  void apply_question(const QuestionAsked&);
  void apply_answer(const QuestionAnswered&);
  Reply handle(const ImportCqcRatings&, Emitter&);  // market_cqc.cpp
  void apply_cqc_import(const CqcRatingsImported&);  // market_cqc.cpp
  Reply handle(const ImportFsaRatings&, Emitter&);  // market_fsa.cpp
  void apply_fsa_import(const FsaRatingsImported&);  // market_fsa.cpp
  // Assessment cycles (market_assessments.cpp).
  Reply handle(const SubmitSelfAssessment&, Emitter&);
  Reply handle(const ValidateSelfAssessment&, Emitter&);
  Reply handle(const RecordPammsAssessment&, Emitter&);
  void apply_assessment(const SelfAssessmentSubmitted&);
  void apply_assessment(const SelfAssessmentValidated&);
  void apply_assessment(const PammsAssessed&);
  // KPIs (market_kpis.cpp).
  Reply handle(const SubmitKpiReturn&, Emitter&);
  void apply_kpi_return(const KpiReturnSubmitted&);
  // Personal data (market_people.cpp).
  Reply handle(const ErasePerson&, Emitter&);
  void apply_person_erased(const PersonErased&);
  /// Each offer's quality score and version as the window closes (WindowClosed's apply).
  void capture_quality_at_close(Package&, UtcMillis at);

  // The early-warning history (market_early_warning.cpp).
  /// After a command that succeeded: re-rates the locations whose RAG it may have changed and
  /// emits a RagChanged for each DPS membership whose RAG moved. `recheck_due` = a Tick found a
  /// dated entry's expiry due (checked before its ClockAdvanced was applied).
  void rerate_after(const Command&, bool recheck_due, Emitter&);
  void rerate(LocationIndex, Emitter&);
  void apply_quality(const QualityInputsChanged&);
  void apply_rag(const RagChanged&);
  /// rag_recheck_at_ lowered to cover location `l`'s entries (after they or its memberships
  /// changed), or worked out again from every location.
  void note_entry_expiries(LocationIndex l);
  void recompute_rag_recheck();

  // Entries to and departures from each DPS (admission_history.h; market_admission_history.cpp),
  // noted as the events apply.
  /// Location `l`'s membership of `after.dps` changes from `before` (nullptr: none) to `after`.
  void note_membership_move(LocationIndex l, const Membership* before, const Membership& after);
  /// Provider `p`'s contract was terminated in the DPSs `before` (sorted) and is now in its
  /// terminated_in: a move for each of its locations admitted or suspended where that changed.
  void note_contract_moves(const Provider& p, const std::vector<int>& before);

  // Shared validation.
  Status membership_terms(const DpsConfig&, int dps, const std::vector<std::string>& lots,
                          const std::vector<std::string>& categories,
                          const std::vector<std::string>& zones, const std::string& tier,
                          int capacity, Membership& into) const;
  struct Membership_ref {
    LocationIndex location;
    int dps;
    const Membership* membership;
  };
  Status find_membership(const std::string& location, const std::string& dps, Membership_ref&) const;
  /// find_membership for a provider's own command: the location must be `provider`'s
  /// (location_not_of_provider).
  Status find_own_membership(const std::string& provider, const std::string& location, const std::string& dps,
                             Membership_ref&) const;
  /// find_own_membership, and the location admitted to the DPS (not_admitted): what a provider
  /// needs to submit a self-assessment or a KPI return.
  Status find_own_admitted_membership(const std::string& provider, const std::string& location, const std::string& dps,
                                      Membership_ref&) const;
  /// Resolves (provider, location, package) for a provider's command and checks request-id reuse.
  struct ProviderRequest {
    LocationIndex location = 0;
    Package* package = nullptr;
    RequestRef ref;
  };
  Status provider_request(const std::string& provider, const std::string& location,
                          std::optional<LocationIndex> location_at, const std::string& request_id, PackageId, std::uint64_t payload_hash,
                          ProviderRequest&, Reply& replayed) const;
  Status offer_terms(const Package&, LocationIndex, Pence price, Date start, bool must_meet,
                     const std::vector<std::string>& confirmed_must_meet, const std::string& notes) const;
  Reply place_or_amend(const std::string& provider, const std::string& location,
                       std::optional<LocationIndex> location_at, const std::string& request_id, PackageId, Pence, Date, bool,
                       const std::vector<std::string>& confirmed_must_meet, const std::string& notes, bool amendment,
                       std::uint64_t payload_hash, Emitter&);

  /// Checks a posting and builds its event, emitting nothing (market_packages.cpp).
  Status posting(const PostPackage&, PackagePosted& out) const;
  /// Emits a checked posting and opens the package's first step: its reply.
  Reply post(PackagePosted, Emitter&);
  // Life-cycle steps (market_packages.cpp); each emits events.
  void open_step(const Package&, int step, Emitter&);
  void conclude_window(const Package&, Emitter&);
  void seek_award(const Package&, Emitter&);
  void cascade(const Package&, TierEndReason, Emitter&);
  void on_deadline(PackageId, Emitter&);
  UtcMillis window_close(const Package&) const;
  UtcMillis acceptance_deadline(const Package&) const;
  std::vector<RankingCandidate> ranking_candidates(const Package&) const;

  // Live placements (market_placements.cpp).
  /// A provider's hand-back of its placement, once its request is resolved (HandBackPackage).
  Reply hand_back(const HandBackPackage&, ProviderRequest&, Emitter&);
  /// A live placement of `package`, or the rejection that says why there is none.
  Status live_placement(PackageId, const Placement*&) const;
  /// Posts `spec` (for `person`) as a new package that re-procures a placement: its reply.
  Reply post_replacement(PackageSpec spec, const SealedPerson& person, Emitter&);
  /// Emits what follows an award accepted on a package that re-procures a placement.
  void schedule_replaced_end(const Package& replacement, Emitter&);
  /// The placement's scheduled end is due (on_deadline of a placed package).
  void end_placement_due(PackageId, Emitter&);
  /// Apply helpers for placements: the placement record of an accepted award, and the derived
  /// load and deadline kept with it.
  void open_placement(const Package&, LocationIndex, UtcMillis at);
  void add_load(const Placement&, int sign);
  void schedule_end(Package&, const Placement&);
  void apply_placement_event(const Event&);

  // Apply helpers (market_apply.cpp).
  void set_deadline(Package&, UtcMillis when);
  void clear_deadline(Package&);
  Package& package_mut(PackageId id) { return packages_[id - 1]; }
  void remember_request(const RequestRef&, PackageId, LocationIndex from);
  /// The provider's index in providers_, if it is registered.
  std::optional<LocationIndex> provider_index(std::string_view id) const;
  /// requests_ as the map of "provider id\nrequest id" → record it stands for (digest, snapshot).
  void digest_requests(Digest&) const;
  void remember_command_key(const CommandKeyRecorded&);
  void expire_command_keys();
  static std::string request_key(std::string_view provider, std::string_view request_id);
  void mark_closed(Package&, PackageStatus, UtcMillis at);
  void apply_explained(const OfferExplained&);            // market_explanations.cpp
  /// An explanation is of the offer as it was: dropped when the offer is placed again or
  /// amended, and when a new step of the route starts over (market_explanations.cpp).
  static void forget_explanations(Package&, std::optional<LocationIndex> of = std::nullopt);
  void apply_spot_purchase(const SpotPurchaseRecorded&);  // market_spot_purchases.cpp
  void retire_closed(Emitter&);
  void rebuild_derived();
  /// Snapshot helpers (market_retention.cpp): provider_by_id_ from providers_ (always true, to
  /// chain with the decoder), and the request table from its map encoding.
  bool index_providers();
  bool load_requests(Decoder&);

  UtcMillis now_ = 0;
  WorkingCalendar calendar_;
  std::vector<Category> categories_;
  std::vector<std::string> category_codes_;
  std::vector<DpsConfig> dps_;
  std::vector<Provider> providers_;
  // Ids to indexes, looked up by string_view without building a std::string per command.
  struct IdHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view id) const { return std::hash<std::string_view>{}(id); }
  };
  using IdIndex = boost::unordered_flat_map<std::string, LocationIndex, IdHash, std::equal_to<>>;
  IdIndex provider_by_id_;
  std::vector<Location> locations_;
  IdIndex location_by_id_;
  std::vector<Package> packages_;  // package id N at index N-1
  std::vector<Shared<SealedPerson>> people_;  // beside packages_, never in a broadcast; PackagePosted's
  // (provider, request id) → record. A package's records leave with it when it retires (the
  // idempotency window is the package's life in memory).
  RequestTable requests_;
  bool keeps_request_ids_ = true;
  // request_key(caller, Idempotency-Key) → a keyed command's record (REST commands).
  std::unordered_map<std::string, CommandKeyRecord> command_keys_;
  // Derived from command_keys_ (views of the map's keys): package-scoped keys by package, and
  // the others by expiry.
  std::unordered_map<PackageId, std::vector<std::string_view>> command_keys_of_;
  std::set<std::pair<UtcMillis, std::string_view>> command_key_expiry_;
  // Derived (rebuilt by apply; not part of the digest beyond what it is derived from).
  // The London date of now_, kept with the clock: working it out (BST rules) cost more than
  // the rest of an offer's terms check.
  Date today_ = london_date(0);
  // Per location: the payload hash's state after a provider command's type, provider and
  // location, which are the same for every such command from it (payload_hash).
  std::vector<std::array<std::uint64_t, kProviderCommandKinds>> payload_prefix_;
  EligibilityIndex index_;
  DeadlineQueue deadlines_;  // per package: at most one pending deadline
  std::vector<std::set<std::pair<UtcMillis, PackageId>>> closed_;  // per DPS, by closing time
  // Live placements (and ended ones until their package retires), by package; and the packages
  // that re-procure a placement → that placement. State: digested and snapshotted.
  std::map<PackageId, Placement> placements_;
  std::map<PackageId, PackageId> replaces_;
  // Derived: (location, DPS) → placed load (placed_load's unit), of placements not ended.
  std::map<std::pair<LocationIndex, int>, std::int64_t> placed_load_;
  // The CQC imports with their reports (state: digested and snapshotted).
  std::vector<CqcRatingsImported> cqc_imports_;
  // The FSA imports with their reports (state: digested and snapshotted).
  std::vector<FsaRatingsImported> fsa_imports_;
  std::vector<PackageFacts> retired_facts_;  // see retired_facts()
  mutable std::vector<LocationIndex> scratch_;
  // Derived: rag_recheck_at().
  UtcMillis rag_recheck_at_ = 0;
};

}  // namespace carebroker::engine
