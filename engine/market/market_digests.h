// The two state digests a writer hands its replicas (Market::digests): one for a market that
// keeps the provider request-id table (the writer, a standby) and one for a market that does
// not (a replica that only serves reads and notifications). A determinism check: every replica
// compares the one that matches what it keeps.
#pragma once

#include <cstdint>

namespace carebroker::engine {

struct MarketDigests {
  std::uint64_t whole = 0;                ///< Market::digest() of a market keeping request ids
  std::uint64_t without_request_ids = 0;  ///< Market::digest() of one that does not
  /// The one a market keeping (or not) the request ids must reach.
  std::uint64_t for_market(bool keeps_request_ids) const { return keeps_request_ids ? whole : without_request_ids; }
  bool given() const { return whole != 0; }
  bool operator==(const MarketDigests&) const = default;
};

}  // namespace carebroker::engine
