// Acknowledgements coalesced per connection: the replies to one connection's commands that a
// durable batch settled are delivered to it together, so the connection is written once per
// batch (one Replies frame, or a plain Ack/Error when the batch settled one command of it)
// rather than once per command.
//
// The sequencer runs a batch's completions one after another and then its release hook: each
// completion add()s its reply under its connection, the hook flush()es — every connection with
// replies gets them in one call of its Deliver, in the order they were settled.
//
// One hop per batch: with a carrier (the server's I/O context), a flush hands every connection's
// replies to the I/O threads in ONE posted handler, which runs each Deliver there — rather than
// one cross-thread post, and perhaps one wake-up, per connection. Without one (tests), each
// Deliver runs on the flushing thread.
//
// Thread-safety: add and flush may be called from any thread (the sequencer thread, which
// releases durable batches and refuses work while the store is down); one mutex. Deliver runs without the mutex
// held and must only hand the replies on (dispatch to the session's strand).
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "gateway/protocol/wire_codec.h"

namespace carebroker::gateway::protocol {

/// One command's answer: an Ack (ok) or an Error with its code.
struct CommandReply {
  std::string request_id;
  bool ok = false;
  engine::PackageId package = 0;
  bool replayed = false;
  std::string code;
  std::string detail;
};

/// The frame for a connection's replies: a plain Ack or Error for one, a Replies for several.
Outbound make_replies(const std::vector<CommandReply>& replies);

class ReplyBatcher {
 public:
  using Deliver = std::function<void(std::vector<CommandReply>)>;

  /// Holds `reply` for the connection `connection` (an identity never reused, e.g. a counter)
  /// until the next flush; `deliver` is how to reach it.
  void add(std::uint64_t connection, const Deliver& deliver, CommandReply reply);
  /// Delivers what each connection has waiting, once per connection.
  void flush();
  /// How a flush reaches the I/O threads (e.g. post to the io_context). REQUIRES: set before the
  /// first flush, and the carrier outlives every flush.
  using Carrier = std::function<void(std::function<void()>)>;
  void set_carrier(Carrier carrier) { carrier_ = std::move(carrier); }

 private:
  struct Pending {
    Deliver deliver;
    std::vector<CommandReply> replies;
  };
  using Ready = std::unordered_map<std::uint64_t, Pending>;
  Carrier carrier_;
  std::mutex mutex_;
  Ready pending_;  // guarded by mutex_
};

}  // namespace carebroker::gateway::protocol
