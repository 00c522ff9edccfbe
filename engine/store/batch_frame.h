// How a batch is framed inside the journal: key = the first sequence number, big-endian (so
// keys sort in journal order); value = CRC32C(rest) · first_seq · last_seq · payload, integers
// little-endian. The CRC is ours, on top of the storage engine's own checks, so a flipped bit
// anywhere in a batch is caught at replay with the batch's sequence number.
// Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/store/store_status.h"

namespace carebroker::store {

std::string sequence_key(std::uint64_t seq);
/// The sequence number in a key; false when the key is not 8 bytes.
bool parse_sequence_key(std::string_view key, std::uint64_t& seq);

std::string frame_batch(std::uint64_t first_seq, std::uint64_t last_seq, std::string_view payload);

struct UnframedBatch {
  std::uint64_t first_seq = 0;
  std::uint64_t last_seq = 0;
  std::string_view payload;
};
/// Checks the CRC and the header; the payload views into `value`.
StoreStatus unframe_batch(std::string_view value, UnframedBatch& out);

/// CRC32C (Castagnoli): the SSE4.2 instruction where the CPU has it, else a table.
std::uint32_t crc32c(std::string_view data);
/// The table-driven CRC32C, to test the fast one against.
std::uint32_t crc32c_reference(std::string_view data);

}  // namespace carebroker::store
