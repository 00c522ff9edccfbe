// How a batch is framed inside the journal: key = the first sequence number, big-endian (so
// keys sort in journal order); value, integers little-endian, in one of two versions:
//   version 1 (before the audit chain): CRC32C(rest) · first_seq · last_seq · payload
//   version 2 (chained):                CRC32C(rest) · first_seq | 2 << 56 · last_seq · link · payload
// where link is the batch's 32-byte audit-chain hash (audit_chain.h). The version is the top
// byte of the 8-byte first-sequence field: sequence numbers stay below 2^56 (at a million events
// a second, for two thousand years), so every version-1 frame has 0 there. The CRC is ours, on
// top of the storage engine's own checks, so a flipped bit anywhere in a batch is caught at
// replay with the batch's sequence number; the link catches a change made with the CRC
// recomputed. Snapshots are framed in version 1 (they are a cache, not the record).
// Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/store/audit_chain.h"
#include "engine/store/store_status.h"

namespace carebroker::store {

std::string sequence_key(std::uint64_t seq);
/// The sequence number in a key; false when the key is not 8 bytes.
bool parse_sequence_key(std::string_view key, std::uint64_t& seq);

/// The largest sequence number a frame can hold (the top byte of first_seq is the version).
inline constexpr std::uint64_t kMaxFrameSeq = (std::uint64_t{1} << 56) - 1;

/// A version-1 frame (snapshots; batches written before the audit chain, and tests of them).
std::string frame_batch(std::uint64_t first_seq, std::uint64_t last_seq, std::string_view payload);
/// A version-2 frame: the batch with its audit-chain link, chain_link(previous, ...) — which is
/// returned in `link`.
std::string frame_chained_batch(std::uint64_t first_seq, std::uint64_t last_seq, std::string_view payload,
                                const ChainHash& previous, ChainHash& link);

struct UnframedBatch {
  std::uint64_t first_seq = 0;
  std::uint64_t last_seq = 0;
  std::string_view payload;
  int version = 1;
  ChainHash link = kChainGenesis;  ///< version 2: the stored link (not checked here)
};
/// Checks the CRC and the header; the payload views into `value`.
StoreStatus unframe_batch(std::string_view value, UnframedBatch& out);

/// CRC32C (Castagnoli): the SSE4.2 instruction where the CPU has it, else a table.
std::uint32_t crc32c(std::string_view data);
/// The table-driven CRC32C, to test the fast one against.
std::uint32_t crc32c_reference(std::string_view data);

}  // namespace carebroker::store
