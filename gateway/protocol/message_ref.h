// One server message as one recipient receives it, by value: either a whole message shared by
// all its recipients (a reply, an update, a snapshot page), or a broadcast's shared base
// (make_shared_broadcast) addressed to one location. An addressed broadcast holds no bytes of
// its own: the base is shared and the location's encodings are interned for the life of the
// process (wire_codec.h), so making one allocates nothing and a stream's history pays 16 bytes
// per recipient.
//
// The frame on the wire is prefix(seq) + body + suffix (wire_codec.h); parts() gives the body in
// up to three pieces for one scatter-gather write. An addressed broadcast's frame is byte for
// byte the broadcast encoded for that location alone, as it always was.
//
// Threading: a MessageRef is an immutable value; copies may be used on any thread (the messages
// it shares are immutable once shared, see wire_codec.h).
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "gateway/protocol/wire_codec.h"

namespace carebroker::gateway::protocol {

class MessageRef {
 public:
  /// No message (publish and the sessions ignore one).
  MessageRef() = default;
  /// A whole message, as every recipient receives it (implicit: a builder's result is one).
  template <typename Message>
    requires std::convertible_to<Message, SharedMessage>
  MessageRef(Message&& whole)
      : message_(std::forward<Message>(whole)) {}
  /// A shared broadcast (make_shared_broadcast) addressed to `location`.
  /// REQUIRES: base is a shared broadcast base.
  static MessageRef addressed(SharedMessage base, std::string_view location);

  explicit operator bool() const { return message_ != nullptr; }

  /// The body in up to three pieces, to write with one scatter-gather write: for a whole message
  /// the body and two empty pieces; for an addressed broadcast the shared bytes before the
  /// location, the location, and the shared bytes after it.
  std::array<std::string_view, 3> parts(bool binary) const;
  /// The whole body in one string: the FlatBuffer bytes (binary) or the JSON text (tests and
  /// tools; servers write parts()).
  std::string body(bool binary) const;
  /// prefix + body + suffix in one string (tests, and clients that do not scatter-gather).
  std::string frame(std::uint64_t seq, bool binary) const;
  /// The bytes a frame of this message takes on the wire, prefix and suffix included.
  std::size_t frame_size(std::uint64_t seq, bool binary) const;

  /// The per-recipient part before the body: 8 bytes of little-endian `seq` (binary), or
  /// `{"seq":N,"frame":` (JSON). seq 0 = a reply that is not part of the stream.
  static std::string prefix(std::uint64_t seq, bool binary);
  /// The part after the body: nothing (binary) or `}` (JSON).
  static std::string_view suffix(bool binary);

  /// The ServerMessage member's name, e.g. "PackageBroadcast" (metrics, logs, tests).
  std::string_view type_name() const { return message_->type_name(); }
  /// The projection (sequencer batch) this notification came from; 0 for a reply.
  std::uint64_t batch() const { return message_->batch(); }
  /// The shared message: a whole message, or an addressed broadcast's base (tests).
  const SharedMessage& shared() const { return message_; }

 private:
  MessageRef(SharedMessage base, const OutboundMessage::EncodedLocation* location)
      : message_(std::move(base)), location_(location) {}

  SharedMessage message_;
  const OutboundMessage::EncodedLocation* location_ = nullptr;  // an addressed broadcast's (interned)
};

static_assert(sizeof(MessageRef) == 16, "a stream history holds one MessageRef per recipient");

}  // namespace carebroker::gateway::protocol
