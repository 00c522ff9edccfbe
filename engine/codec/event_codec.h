// The journal's byte format: a batch of market events (engine/market/events.h) encoded as a FlatBuffers
// JournalBatch (schemas/journal.fbs, file identifier "CBJ1"), and decoded back to the exact same
// C++ values: decode_batch(encode_batch(seq, events)).events == events.
// Called by the sequencer (encode each durable batch once, before the store appends it), by the
// store and recovery (decode batches to replay them into an empty Market) and by a hot standby.
// The store wraps each batch in its own checksum; this layer verifies structure, not integrity.
// Pure functions: thread-safe, they share nothing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/market/events.h"

namespace carebroker::codec {

/// The FlatBuffers file identifier of a journal batch (bytes 4..7 of every batch).
inline constexpr std::string_view kJournalBatchIdentifier = "CBJ1";

/// Encodes `events`, whose global sequence numbers are first_seq, first_seq + 1, …, as one
/// finished FlatBuffers JournalBatch with its file identifier. last_seq is
/// first_seq + events.size() - 1; an empty batch has last_seq = first_seq - 1 (modulo 2^64, so
/// journals start at sequence 1). The result is always a multiple of 8 bytes long (see
/// decode_batch). REQUIRES: every enum in the events holds one of its named values; the batch
/// stays under the FlatBuffers limit of 2 GiB.
[[nodiscard]] std::string encode_batch(std::uint64_t first_seq,
                                       const std::vector<engine::Event>& events);

/// A decoded batch. On error `error` says what is wrong, `events` is empty and the sequence
/// numbers are those the batch claims (0 when it could not be read at all).
struct DecodedBatch {
  std::uint64_t first_seq = 0, last_seq = 0;
  std::vector<engine::Event> events;
  std::string error;

  bool ok() const { return error.empty(); }
};

/// Decodes a batch made by encode_batch. Checks, before reading any field: the size (at least
/// the FlatBuffers minimum, under its 2 GiB limit, a multiple of 8, so that a batch that lost
/// only its trailing alignment padding is still noticed), the file identifier and the
/// FlatBuffers Verifier; then that the event count matches the sequence range, and every event
/// type and enum value is one this build knows. Errors are values — never an exception or an
/// assertion — e.g. "journal batch fails verification",
/// "batch says last_seq 9 but holds 3 events from first_seq 5",
/// "unknown event type 200 at index 4". Fields missing from the buffer (written before they
/// were appended to the schema) decode to their C++ defaults — except a TierEnded of schema v1,
/// whose reason was words only: a frozen table maps the words v1 wrote to the TierEndReason
/// (other words are an error). `bytes` need not be aligned.
[[nodiscard]] DecodedBatch decode_batch(std::string_view bytes);

/// decode_batch for batch after batch (replay): the events of each batch go into the same
/// vector and a misaligned batch is copied into the same aligned buffer, so a journal of a
/// million events does not allocate (and free) two buffers per batch. Not thread-safe.
class BatchDecoder {
 public:
  /// As decode_batch(bytes); the result is valid until the next call.
  const DecodedBatch& decode(std::string_view bytes);

 private:
  DecodedBatch batch_;
  std::vector<std::uint64_t> aligned_;
};

}  // namespace carebroker::codec
