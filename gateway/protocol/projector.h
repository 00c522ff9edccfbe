// Who hears what: turns a batch of the market's events into the messages each provider's stream
// receives (the sequencer's Projector hook), and builds a provider's snapshot.
//
//   TierOpened        → PackageBroadcast to each invited location (one message per location)
//   ShortlistFormed   → PackageUpdate best_and_final with its own rank, to each shortlisted location
//   WindowClosed      → PackageUpdate closed_for_bidding to the invited
//   TierEnded         → PackageUpdate closed ("cascaded" / "no acceptable offer") to that tier's invited
//   AwardOffered      → AwardOffered to that location
//   AwardDeclined     → PackageUpdate closed to that location (declined, or lapsed unanswered)
//   AwardAccepted     → PackageUpdate placed_with_you + PersonDetails to the accepting location;
//                       PackageUpdate awarded_elsewhere to every other location ever invited
//   PackageCancelled, PackageUnsourced, PackageClosedForDirectPayment
//                     → PackageUpdate closed to the invited (once per location and batch)
//   PackageHeld / PackageReleased → PackageUpdate closed_for_bidding / open (or best_and_final)
//   PackageHandedBack → PackageUpdate closed to the location that handed it back
//   everything else (offers, membership, quality, configuration, clock) → nothing
// and, for staff (officers, compliance, admins) on the staff stream (kStaffStream): one
// PackageChanged per package that any event of the batch touched (offers included), with its
// status, the batch's event names for it and its live offer count — no prices, no people.
//
// Sealed bids and data minimisation, by construction: a message is addressed to one location
// and carries only that location's own rank or score, never another's offer, price, rank or
// score; the person's details go only to the location that accepted the award; officers' free
// text (cancellation, hold reasons) is never forwarded.
//
// The market is as it stands at the END of the batch; each event says what happened in order, so
// the projector follows the events (a package may open, close and cascade within one batch).
//
// Threading: project() and snapshot_for() run on the sequencer thread (the market's owner):
// project() as the sequencer's Projector, snapshot_for() inside a MarketService read.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/market.h"
#include "gateway/protocol/wire_codec.h"

namespace carebroker::gateway::protocol {

/// The stream key of the staff notices (ProviderStreams): a provider id cannot hold a control
/// character (text_checks.h), so no provider's stream can ever be this one.
inline constexpr std::string_view kStaffStream = "\x1fstaff";

/// One message for one provider's stream (or the staff stream).
struct Notification {
  std::string provider;
  std::shared_ptr<const OutboundMessage> message;
};
using Notifications = std::vector<Notification>;

/// The notifications of one batch, in event order (so in order for each provider); nullptr when
/// the batch tells no provider anything. Every message is stamped with the batch's number
/// (OutboundMessage::batch()), counted from 1 by this process.
std::shared_ptr<const Notifications> project(const std::vector<engine::Event>& events, const engine::Market& market);

/// How many batches project() has numbered so far (sequencer thread).
std::uint64_t projected_batches();

/// A provider's snapshot: every package live for one of its locations (open, best-and-final,
/// closed for bidding, award offered to it) with its standing, in pages, and the projected batch it is
/// consistent with: it reflects every notification of batches ≤ `batch` (and none later).
struct ProviderSnapshot {
  std::vector<std::shared_ptr<const OutboundMessage>> pages;  ///< make_snapshot_pages: at least one
  std::uint64_t batch = 0;
};

/// REQUIRES: on the sequencer thread (inside a MarketService read). An unknown provider gets an
/// empty snapshot.
ProviderSnapshot snapshot_for(const engine::Market& market, const std::string& provider);

/// The location ids of a provider, for the Welcome (sequencer thread).
std::vector<std::string> locations_of(const engine::Market& market, const std::string& provider);

}  // namespace carebroker::gateway::protocol
