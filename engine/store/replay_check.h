// Checks shared by every Journal's replay: each stored batch's frame (CRC, header), that its
// key matches its first sequence number, that sequence numbers continue without a gap or
// overlap, and that each chained batch's audit-chain link is the hash of the link before it and
// its own bytes (audit_chain.h). Errors name the sequence number where the journal went wrong;
// a broken link names the expected (recomputed) and the found (stored) hash.
#pragma once

#include <string>

#include "engine/store/audit_chain.h"
#include "engine/store/batch_frame.h"

namespace carebroker::store {

/// The audit chain as far as a replay has read: its head, and whether a chained (version-2)
/// batch has been seen (before that, the journal is in its pre-history).
struct ChainState {
  ChainHead head;
  bool started = false;
};

/// Where a replay of the batches after `after` picks the chain up: the batch stored under
/// `key_seq` (its frame `value`) is the last one starting at or before `after`. It must not run
/// past `after` (sequence_gap: `after` is inside it). When it ends at `after` its link is the
/// anchor; when it ends before (`after` is past the journal's end, or in a gap) its link is
/// taken, and a batch that follows it would then fail its own checks.
inline StoreStatus chain_anchor(std::uint64_t after, std::uint64_t key_seq, std::string_view value, ChainState& out) {
  UnframedBatch b;
  if (auto s = unframe_batch(value, b); !s.ok())
    return store_error(s.code, "journal batch at sequence " + std::to_string(key_seq) +
                                   " (where the audit chain is picked up): " + s.message);
  if (b.first_seq != key_seq)
    return store_error(StoreCode::corruption, "journal batch stored at sequence " + std::to_string(key_seq) +
                                                  " says it starts at " + std::to_string(b.first_seq));
  if (b.last_seq > after)
    return store_error(StoreCode::sequence_gap, "a replay after sequence " + std::to_string(after) +
                                                    " starts inside the batch " + std::to_string(b.first_seq) + ".." +
                                                    std::to_string(b.last_seq));
  out.started = b.version >= 2;
  out.head = ChainHead{b.last_seq, b.link};
  return {};
}

class ReplayCheck {
 public:
  /// A replay of the batches after `after`, continuing the chain from `anchor`.
  ReplayCheck(std::uint64_t after, ChainState anchor) : expected_(after + 1), chain_(anchor) {}

  StoreStatus next(std::uint64_t key_seq, std::string_view value, UnframedBatch& out) {
    if (auto s = unframe_batch(value, out); !s.ok())
      return store_error(s.code, "journal batch at sequence " + std::to_string(key_seq) + ": " + s.message);
    if (out.first_seq != key_seq)
      return store_error(StoreCode::corruption, "journal batch stored at sequence " + std::to_string(key_seq) +
                                                    " says it starts at " + std::to_string(out.first_seq));
    if (out.first_seq != expected_)
      return store_error(StoreCode::sequence_gap,
                         "journal sequence gap: expected a batch starting at " + std::to_string(expected_) +
                             ", found one starting at " + std::to_string(out.first_seq));
    if (out.version >= 2) {
      const ChainHash expected = chain_link(chain_.head.hash, out.first_seq, out.last_seq, out.payload);
      if (expected != out.link)
        return store_error(StoreCode::corruption,
                           "audit chain broken at the batch starting at sequence " + std::to_string(out.first_seq) +
                               ": expected link " + to_hex(expected) + " (from the link at sequence " +
                               std::to_string(chain_.head.seq) + " and this batch's bytes), found " +
                               to_hex(out.link));
      chain_.started = true;
      chain_.head.hash = out.link;
    } else if (chain_.started) {
      return store_error(StoreCode::corruption, "audit chain broken at the batch starting at sequence " +
                                                    std::to_string(out.first_seq) +
                                                    ": an unchained (version-1) frame after the chain began");
    }
    chain_.head.seq = out.last_seq;
    expected_ = out.last_seq + 1;
    return {};
  }

  /// The chain after the last batch checked.
  const ChainState& chain() const { return chain_; }

 private:
  std::uint64_t expected_;
  ChainState chain_;
};

}  // namespace carebroker::store
