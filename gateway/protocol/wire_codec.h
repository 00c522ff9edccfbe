// The provider WebSocket protocol's codec (schemas/wire.fbs, docs/websocket-protocol.md).
//
// Inbound: decode_client_frame turns one WebSocket frame — FlatBuffers (binary) or FlatBuffers'
// JSON of the same schema (text) — into a ClientRequest: a Hello, a market command with the
// provider taken from the authenticated principal (never from the frame), a Ping, or a
// ProtocolError with a stable code. Both encodings meet the same checks: the size cap first,
// then the FlatBuffers Verifier (JSON is parsed into a FlatBuffer and verified like any binary
// frame), then the field rules (request id, date, whole pence). A JSON text is first read
// strictly and checked against the schema (strict_json.h): money only as JSON integers, every
// scalar of its own JSON kind, no unknown or repeated keys.
//
// Outbound: an OutboundMessage is one server message encoded once — a FlatBuffer, and lazily its
// JSON text — and shared by every recipient (STYLE.md habit 6); a broadcast is encoded once for
// all its recipients, each receiving it addressed to its own location (message_ref.h). The
// per-recipient stream number is not in the shared body; the frame on the wire is
// prefix(seq) + body + suffix:
//   binary  [8-byte little-endian seq][ServerFrame FlatBuffer, identifier "CBW1"]
//   JSON    {"seq":N,"frame":<ServerFrame as FlatBuffers JSON>}
// so a server writes the parts with one scatter-gather write and never re-encodes.
//
// Threading: decode_client_frame and the builders may run on any thread (each thread keeps its
// own schema parser). An OutboundMessage is immutable once shared, except for its lazily built
// JSON text, which is built on first use and published once (compare-and-swap): share it freely
// between threads.
#pragma once

#include <cstddef>
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/smart_ptr/intrusive_ptr.hpp>
#include <boost/smart_ptr/intrusive_ref_counter.hpp>
#include <flatbuffers/detached_buffer.h>

#include "engine/market/commands.h"
#include "engine/market/views.h"
#include "engine/person/person_access.h"
#include "gateway/gateway_codes.h"

namespace carebroker::gateway::protocol {

/// The largest client frame accepted; anything longer is refused before it is parsed.
inline constexpr std::size_t kMaxClientFrame = 16 * 1024;
/// The FlatBuffers file identifier of both directions' frames.
inline constexpr std::string_view kWireIdentifier = "CBW1";
/// Bytes of the binary frame prefix (the little-endian stream number).
inline constexpr std::size_t kBinaryPrefixBytes = 8;

// Gateway error codes (beside the engine's) are one list: gateway/gateway_codes.h.

struct HelloRequest {
  std::string token;
  std::uint64_t resume_after = 0;
  std::string stream_epoch;
};

struct PingRequest {
  std::uint64_t nonce = 0;
};

/// A frame the gateway refuses before it reaches the market. `code` is a gateway code (above) or
/// an engine code name (request_id_missing, invalid_date, price_not_positive,
/// price_outside_rate_band); `request_id` is the frame's, when it could be read.
struct ProtocolError {
  std::string code;
  std::string detail;
  std::string request_id;
};

/// What one client frame asks for. The Command is always one of PlaceOffer, AmendOffer,
/// WithdrawOffer, AcceptAward, DeclineAward or HandBackPackage, with `provider` filled in.
using ClientRequest = std::variant<HelloRequest, engine::Command, PingRequest, ProtocolError>;

/// Decodes one client frame. `binary`: a WebSocket binary frame (FlatBuffers) rather than a text
/// frame (JSON). `provider`: the authenticated principal's provider id, put into every command
/// (empty before the Hello: the caller refuses commands until then).
ClientRequest decode_client_frame(std::string_view frame, bool binary, const std::string& provider);

/// The text of schemas/wire.fbs this build was compiled from (vendors may be served it).
std::string_view wire_schema_text();

/// The request id a command carries ("" for other commands).
std::string_view request_id_of(const engine::Command&);

/// One server message, encoded once and shared by all its recipients: a whole message, or the
/// shared base of a broadcast that each recipient receives addressed to its own location
/// (message_ref.h MessageRef, which also frames both for the wire). Counted intrusively (one
/// allocation, and an 8-byte pointer to share: a stream history holds one per recipient).
class OutboundMessage : public boost::intrusive_ref_counter<OutboundMessage, boost::thread_safe_counter> {
 public:
  /// `buffer`: a finished FlatBuffer whose root is a wire ServerFrame (identifier "CBW1"), as the
  /// make_* builders produce.
  explicit OutboundMessage(flatbuffers::DetachedBuffer buffer);
  OutboundMessage(const OutboundMessage&) = delete;
  OutboundMessage& operator=(const OutboundMessage&) = delete;
  ~OutboundMessage();

  /// A location's bytes as addressed broadcasts carry them (opaque; wire_codec.cpp).
  struct EncodedLocation;
  /// The encodings of `location`, made once per location id for the life of the process (locations
  /// are never deleted, so they stay as few as the location register). Thread-safe.
  static const EncodedLocation* intern_location(std::string_view location);

  /// The whole body: the FlatBuffer bytes (binary) or its JSON text (built on first use). A shared
  /// broadcast base's body holds a placeholder where the location goes: it is never sent as it is.
  std::string_view body(bool binary) const;
  /// Whether this is a shared broadcast base (make_shared_broadcast), to address per location.
  bool is_shared_broadcast() const { return slot_ != 0; }
  /// A shared broadcast's body addressed to `location`, in three pieces: the shared bytes before
  /// the location, the location's own bytes, the shared bytes after it. REQUIRES:
  /// is_shared_broadcast().
  std::array<std::string_view, 3> addressed_parts(bool binary, const EncodedLocation& location) const;

  /// The ServerMessage member's name, e.g. "PackageBroadcast" (metrics, logs, tests).
  std::string_view type_name() const;
  /// The projection (sequencer batch) this notification came from, 1, 2, …; 0 for a reply.
  /// ProviderStreams uses it to line a snapshot up with the stream (see provider_streams.h).
  std::uint64_t batch() const { return batch_; }
  /// REQUIRES: the message is not yet shared (the projector stamps it right after building).
  void set_batch(std::uint64_t batch) { batch_ = batch; }

 private:
  friend boost::intrusive_ptr<OutboundMessage> make_shared_broadcast(const engine::BroadcastView& view);
  /// The JSON text, built on first use (most recipients read FlatBuffers, so most messages
  /// never build it), and for a shared broadcast base where its location placeholder lies in it.
  struct JsonText {
    std::string text;
    std::size_t slot = 0, slot_size = 0;
  };
  const JsonText& json() const;

  // 48 bytes with the bytes' vector: a message lives as long as the stream histories that hold
  // it (every broadcast stays until its recipients' histories drop it).
  std::uint64_t batch_ = 0;
  /// A shared broadcast's base: where its location string starts in bytes_ (it is the last
  /// object of the buffer); 0 for any other message.
  std::size_t slot_ = 0;
  /// The FlatBuffer, copied to its exact size (a builder's buffer keeps its whole reservation,
  /// 1 KiB or more).
  std::vector<std::uint8_t> bytes_;
  /// Published once with compare-and-swap; the loser of a race deletes its own copy.
  mutable std::atomic<const JsonText*> json_{nullptr};
};

/// A message as its builder made it (make_* below).
using Outbound = boost::intrusive_ptr<OutboundMessage>;
/// A message as its recipients share it: immutable.
using SharedMessage = boost::intrusive_ptr<const OutboundMessage>;

/// A package as broadcast to one location (one of the provider's locations that was invited).
struct LocatedBroadcast {
  std::string location;
  engine::BroadcastView view;
};

/// A package's standing for one location. own_rank / own_score are given only when the rules
/// allow (best-and-final: own rank; after the award: own rank and score) — never another's.
struct StandingUpdate {
  std::string location;
  engine::PackageId package = 0;
  engine::ProviderStanding standing = engine::ProviderStanding::open;
  std::optional<int> own_rank;
  std::optional<double> own_score;
  engine::UtcMillis closes_at = 0;
  std::string reason;
};

// ---- builders: each returns one encoded message (JSON built lazily) ----
Outbound make_welcome(const std::string& provider, const std::vector<std::string>& locations,
                      const std::string& stream_epoch, bool resumed, std::uint64_t last_seq,
                      std::string_view role = "provider");
Outbound make_ack(const std::string& request_id, engine::PackageId package, bool replayed);
Outbound make_error(std::string_view code, std::string_view detail, std::string_view request_id = {});
/// An error frame for a ProtocolError (the same code, detail and request id).
Outbound make_error(const ProtocolError& error);
/// The anonymised package for one invited location: never the person's name or address.
Outbound make_broadcast(const engine::BroadcastView& view, const std::string& location);
/// The same broadcast encoded once for all its recipients: address it to each location with
/// MessageRef::addressed(base, location) (message_ref.h: no bytes of its own; the body is shared).
Outbound make_shared_broadcast(const engine::BroadcastView& view);
Outbound make_update(const StandingUpdate& update);
Outbound make_award_offered(const std::string& location, engine::PackageId package, engine::UtcMillis expires_at);
/// Only ever for the location that accepted the award (projector.h decides).
/// The location's offer is flagged abnormally low: it is asked to explain (ExplainOffer).
Outbound make_explanation_requested(const std::string& location, engine::PackageId package, engine::Pence price,
                                    engine::Pence fair_cost, int threshold_pct);
/// The officer's decision on the location's abnormally low offer.
Outbound make_abnormally_low_decision(const std::string& location, engine::PackageId package, bool accepted,
                                      std::string_view detail);
/// The person's details as released (status available, or erased / key_missing / tampered with
/// no details).
Outbound make_person_details(const std::string& location, engine::PackageId package,
                             const person::ReleasedPerson& released);
/// A clarification question answered, for one invited location (never who asked).
Outbound make_clarification_answered(const std::string& location, engine::PackageId package,
                                     const engine::AnsweredQuestion& answered);
/// A snapshot page holds at most this many packages, and about this many bytes of them (a
/// package larger than that alone has a page of its own): pages stay far below any connection's
/// outbound limit however many packages a provider is eligible for.
inline constexpr std::size_t kSnapshotPagePackages = 64;
inline constexpr std::size_t kSnapshotPageBytes = 48 * 1024;
/// A snapshot as its pages (at least one, empty when nothing is live), each a Snapshot message. `packages[i]` and `updates[i]`
/// describe the same package and location.
std::vector<Outbound> make_snapshot_pages(const std::vector<LocatedBroadcast>& packages,
                                          const std::vector<StandingUpdate>& updates,
                                          std::size_t per_page = kSnapshotPagePackages);
/// One page (page `page` of `pages`) of a snapshot.
Outbound make_snapshot(const std::vector<LocatedBroadcast>& packages, const std::vector<StandingUpdate>& updates,
                       std::uint32_t page = 1, std::uint32_t pages = 1);
Outbound make_pong(std::uint64_t nonce);
struct CommandReply;
/// A Replies message: several commands' answers in one frame (reply_batcher.h make_replies).
Outbound make_reply_batch(const std::vector<CommandReply>& replies);
/// A staff notice: `package` changed in a batch (staff stream only, never a provider's).
Outbound make_package_changed(engine::PackageId package, std::string_view status, std::string_view what,
                              std::uint32_t offers);

}  // namespace carebroker::gateway::protocol
