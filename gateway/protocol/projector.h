// Who hears what: turns a batch of the market's events into the messages each provider's stream
// receives (observing the publisher's replica), and builds a provider's snapshot.
//
//   TierOpened        → PackageBroadcast to each invited location (encoded once, addressed to each)
//   ShortlistFormed   → PackageUpdate best_and_final with its own rank, to each shortlisted location
//   WindowClosed      → PackageUpdate closed_for_bidding to the invited
//   TierEnded         → PackageUpdate closed to that tier's invited: "no acceptable offer" for that
//                       TierEndReason, "cascaded" for every other
//   AwardOffered      → AwardOffered to that location
//   AwardDeclined     → PackageUpdate closed to that location (declined, or lapsed unanswered)
//   AwardAccepted     → PackageUpdate placed_with_you + PersonDetails (opened with the person's
//                       key: status available, or erased / key_missing / tampered without
//                       details) to the accepting location;
//                       PackageUpdate awarded_elsewhere to every other location ever invited
//   PackageCancelled, PackageUnsourced, PackageClosedForDirectPayment
//                     → PackageUpdate closed to the invited (once per location and batch)
//   PackageHeld / PackageReleased → PackageUpdate closed_for_bidding / open (or best_and_final)
//   PackageHandedBack → PackageUpdate closed to the location that handed it back
//   OfferPlaced flagged abnormally low → ExplanationRequested to that location (answer: ExplainOffer)
//   AbnormallyLowDecided → AbnormallyLowDecision to that location (accepted or rejected, no notes)
//   PlacementHandedBack, VariationProposed, VariationSentToMarket
//                     → PackageUpdate placed_with_you with the notice, to the placement's location
//   PlacementEnded    → PackageUpdate closed to the placement's location, with the reason
//   PackageAmended    → the amended PackageBroadcast again to each invited location, and a
//                       PackageUpdate open with the notes (asking those with an offer made
//                       before it to confirm or withdraw it)
//   QuestionAnswered  → ClarificationAnswered to each invited location (never who asked)
//   PersonErased      → PersonDetails status erased to the placed location (delete your copy)
//   everything else (other offers, explanations, questions asked, spot purchases, membership, quality, configuration, clock) → nothing
// and, for staff (officers, compliance, admins) on the staff stream (kStaffStream): one
// PackageChanged per package that any event of the batch touched (offers included), with its
// status, the batch's event names for it and its live offer count — no prices, no people.
//
// Sealed bids and data minimisation, by construction: a message is addressed to one location
// and carries only that location's own rank or score, never another's offer, price, rank or
// score; the person's details go only to the location that accepted the award; officers' free
// text (cancellation, hold reasons) is never forwarded.
//
// Exact by construction: the projector runs on a replica (engine/replica) as its observer and
// sees every event with the market exactly as that event left it — who was invited is the
// package's invited list at that moment (recorded in TierOpened), never a guess.
//
// Threading: a Projector belongs to the replica thread it observes (the publisher);
// snapshot_for() runs inside a read on a replica.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/market/market.h"
#include "engine/person/person_access.h"
#include "engine/replica/replica.h"
#include "gateway/protocol/message_ref.h"

namespace carebroker::gateway::protocol {

/// The stream key of the staff notices (ProviderStreams): a provider id cannot hold a control
/// character (text_checks.h), so no provider's stream can ever be this one.
inline constexpr std::string_view kStaffStream = "\x1fstaff";

/// One message for one provider's stream (or the staff stream).
struct Notification {
  std::string provider;
  MessageRef message;
};
using Notifications = std::vector<Notification>;

/// Turns each durable batch into its notifications, event by event, as the observer of the
/// replica that applies it. At the end of each batch that told anyone anything, `sink` gets the
/// batch's notifications in event order (so in order for each provider); every message is
/// stamped with the batch's number: the journal sequence number of its last event.
class Projector final : public replica::ReplicaObserver {
 public:
  using Sink = std::function<void(std::shared_ptr<const Notifications>)>;
  /// `keys`: the person key store, to open a person's details for release (not owned).
  Projector(Sink sink, const person::PersonKeys& keys);
  ~Projector() override;

  void batch_begins(const replica::DurableBatch&) override;
  void event_applied(const engine::Event&, const engine::Market& after) override;
  void batch_applied(const replica::DurableBatch&, const engine::Market&) override;

 private:
  class Batch;
  Sink sink_;
  const person::PersonKeys& keys_;
  std::unique_ptr<Batch> batch_;
};

/// Applies `batch` to `replica` (at the batch's start) with a Projector watching, and returns the
/// batch's notifications (nullptr when it told no one anything). For tests and tools.
std::shared_ptr<const Notifications> project(replica::Replica& replica, const replica::DurableBatch& batch,
                                             const person::PersonKeys& keys);

/// A provider's snapshot: every package live for one of its locations (open, best-and-final,
/// closed for bidding, award offered to it) with its standing, in pages, and the batch it is
/// consistent with: it reflects every notification of batches ≤ `batch` (and none later).
struct ProviderSnapshot {
  std::vector<MessageRef> pages;  ///< make_snapshot_pages: at least one
  std::uint64_t batch = 0;
};

/// `applied_seq`: the sequence number the market stands at (a replica read's). An unknown
/// provider gets an empty snapshot.
ProviderSnapshot snapshot_for(const engine::Market& market, const std::string& provider, std::uint64_t applied_seq);

/// The location ids of a provider, for the Welcome.
std::vector<std::string> locations_of(const engine::Market& market, const std::string& provider);

}  // namespace carebroker::gateway::protocol
