// Checks shared by every Journal's replay: each stored batch's frame (CRC, header), that its
// key matches its first sequence number, and that sequence numbers continue without a gap or
// overlap. Errors name the sequence number where the journal went wrong.
#pragma once

#include <string>

#include "engine/store/batch_frame.h"

namespace carebroker::store {

class ReplayCheck {
 public:
  explicit ReplayCheck(std::uint64_t after) : expected_(after + 1) {}

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
    expected_ = out.last_seq + 1;
    return {};
  }

 private:
  std::uint64_t expected_;
};

}  // namespace carebroker::store
