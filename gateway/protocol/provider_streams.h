// Each provider's numbered stream of notifications, kept for resume and fanned out to the
// provider's connected sessions.
//
// Numbering: publish() gives each provider's messages the numbers 1, 2, 3, … (per provider, so a
// provider cannot infer market volume from them; the journal's global sequence stays internal).
// The numbers are valid within one stream epoch: a random string chosen when this object is
// made (each server start). The last N messages of each provider are kept (default 2048; a
// broadcast costs each recipient's history 16 bytes, stream_history.h):
// a client that reconnects with the same epoch and a resume_after within that history gets what
// it missed; anyone else gets a snapshot (projector.h snapshot_for) instead.
//
// Sessions attach atomically, so no message falls between a replay (or a snapshot) and the live
// feed: resume() hands back the missed messages and registers the callback under one lock;
// after_snapshot() does the same for a snapshot taken on a replica at batch B (its applied sequence):
// it finds the stream position the snapshot stands for (the last message of a batch ≤ B) and
// hands back the later messages already published. (The replica that takes snapshots is fed by
// the publisher's, so every batch ≤ B is published by then.)
//
// Threading: thread-safe. publish() runs on the publisher replica's thread (app.cpp);
// subscribe/resume/replay/unsubscribe on I/O threads. One mutex guards everything.
// Callbacks run on the publishing thread WITH that mutex held, in stream order: they must only
// hand the message on (post it to the session's strand) — never block, never call back into
// ProviderStreams. A message seq ≤ one already delivered never arrives.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "gateway/protocol/message_ref.h"
#include "gateway/protocol/stream_history.h"

namespace carebroker::gateway::protocol {

class ProviderStreams {
 public:
  using Message = MessageRef;
  struct Entry {
    std::uint64_t seq = 0;
    Message message;
  };
  /// Called for each message published to the provider after the subscription started.
  using Callback = std::function<void(std::uint64_t seq, const Message& message)>;

  /// What a session attached with: its subscription, the stream position it starts from (a
  /// resume's resume_after, or the seq a snapshot stands for), and the messages after that
  /// position already published, to send first.
  struct Attachment {
    std::uint64_t subscription = 0;
    std::uint64_t position = 0;
    std::vector<Entry> backlog;
  };

  static constexpr std::size_t kDefaultHistory = 2048;

  /// `history`: messages kept per provider for resume. `epoch`: empty = a random one.
  explicit ProviderStreams(std::size_t history = kDefaultHistory, std::string epoch = {});
  ProviderStreams(const ProviderStreams&) = delete;
  ProviderStreams& operator=(const ProviderStreams&) = delete;

  /// This run's stream epoch (fixed for the object's life).
  const std::string& stream_epoch() const { return epoch_; }

  /// Appends a message to the provider's stream, delivers it to the provider's subscribers and
  /// returns its number (1 for the provider's first). An empty message is ignored (returns 0).
  std::uint64_t publish(const std::string& provider, Message message);

  /// The provider's newest number (0 when nothing was ever published to it).
  std::uint64_t last_seq(const std::string& provider) const;

  /// Appends the messages numbered after `seq` to `out`; false (out untouched) when they are no
  /// longer all kept, or `seq` is beyond the newest number: send a snapshot instead.
  bool replay_after(const std::string& provider, std::uint64_t seq, std::vector<Entry>& out) const;

  /// Delivers the provider's future messages to `callback`; returns the subscription id.
  std::uint64_t subscribe(const std::string& provider, Callback callback);
  /// Stops a subscription (unknown ids are ignored). After it returns the callback is not called.
  void unsubscribe(std::uint64_t subscription);

  /// Resume: when `epoch` is this run's and the messages after `resume_after` are all kept, the
  /// backlog holds them and the callback receives everything later. nullopt otherwise (nothing
  /// subscribed): send a snapshot.
  std::optional<Attachment> resume(const std::string& provider, std::string_view epoch, std::uint64_t resume_after,
                                   Callback callback);

  /// After a snapshot consistent with projected batch `batch` (projector.h ProviderSnapshot):
  /// `position` is the seq the snapshot stands for (send the Snapshot with it), the backlog holds
  /// the later messages already published, the callback receives the rest. nullopt (nothing
  /// subscribed) when the later messages are no longer all kept: take a new snapshot.
  std::optional<Attachment> after_snapshot(const std::string& provider, std::uint64_t batch, Callback callback);

  std::size_t subscriber_count() const;

 private:
  struct Stream {
    explicit Stream(std::size_t history_limit) : history(history_limit) {}
    std::uint64_t last_seq = 0;
    std::uint64_t dropped_batch = 0;  // the batch of the newest message dropped from history
    StreamHistory history;
    std::vector<std::pair<std::uint64_t, Callback>> subscribers;
  };

  /// The provider's stream, made on first use. REQUIRES: mutex_ held.
  Stream& stream_of(const std::string& provider);
  /// REQUIRES: mutex_ held.
  std::uint64_t add_subscriber(const std::string& provider, Stream& stream, Callback callback);
  /// REQUIRES: mutex_ held.
  static bool collect_after(const Stream& stream, std::uint64_t seq, std::vector<Entry>& out);
  /// Appends the history's entries from the i-th oldest on. REQUIRES: mutex_ held.
  static void append_history(const Stream& stream, std::size_t from, std::vector<Entry>& out);

  const std::size_t history_;
  const std::string epoch_;

  mutable std::mutex mutex_;
  std::unordered_map<std::string, Stream> streams_;                  // guarded by mutex_
  std::unordered_map<std::uint64_t, std::string> subscription_owner_;  // guarded by mutex_
  std::uint64_t next_subscription_ = 1;                                // guarded by mutex_
};

/// A fresh random stream epoch: 16 hex digits.
std::string random_stream_epoch();

}  // namespace carebroker::gateway::protocol
