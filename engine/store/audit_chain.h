// The audit chain: every journal batch carries a SHA-256 hash chained to the previous batch's,
// so that changing, removing, moving or inserting any batch breaks every link after it.
//
//   link(n) = SHA-256( link(n-1) · first_seq · last_seq · payload )
//
// where first_seq and last_seq are the batch's 8-byte little-endian sequence numbers and the
// payload its encoded events, exactly as framed (batch_frame.h); link(0), the genesis, is 32
// zero bytes (kChainGenesis). The link is stored in the batch's own frame (frame version 2,
// batch_frame.h). Batches written before the chain existed (frame version 1) are the chain's
// pre-history: they are still read and CRC-checked, but not covered; the first version-2 batch
// links to the genesis, and a version-1 batch after a version-2 one is refused.
//
// What it proves: a store whose chain verifies from the genesis, and passes through a head
// recorded elsewhere earlier (/metrics, a backup's manifest), holds exactly the batches that
// produced that head, up to it. What it does not: the hash is not keyed, so whoever can write
// the store can rewrite every link after an edit; only a head kept outside the store catches
// that. Pure functions; OpenSSL's EVP SHA-256. Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace carebroker::store {

using ChainHash = std::array<std::uint8_t, 32>;

/// The link before the first chained batch: 32 zero bytes.
inline constexpr ChainHash kChainGenesis{};

/// The chain's value after the batch ending at `seq` (0 and the genesis for an empty store, or
/// the genesis at `seq` while the store holds only pre-history batches).
struct ChainHead {
  std::uint64_t seq = 0;
  ChainHash hash = kChainGenesis;
  bool operator==(const ChainHead&) const = default;
};

/// link(n) from link(n-1) and the batch's sequence numbers and payload.
ChainHash chain_link(const ChainHash& previous, std::uint64_t first_seq, std::uint64_t last_seq,
                     std::string_view payload);

/// 64 lower-case hex digits.
std::string to_hex(const ChainHash& hash);
/// The hash in 64 hex digits (either case); nullopt for anything else.
std::optional<ChainHash> parse_chain_hash(std::string_view hex);

/// "SEQ:HEX", the form verify --expect-head takes and /metrics and backup manifests give.
std::string to_string(const ChainHead& head);
/// Parses "SEQ:HEX"; nullopt when it is not that.
std::optional<ChainHead> parse_chain_head(std::string_view text);

}  // namespace carebroker::store
