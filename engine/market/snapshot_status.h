// What went wrong loading a snapshot: a format problem of the snapshot's bytes, never a market
// rule (engine/market/codes.h's rejection codes are for commands). Recovery ignores such a snapshot and
// replays the journal; a replica reports it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace carebroker::engine {

enum class SnapshotCode : std::uint8_t {
  ok,
  unreadable,    ///< not a market snapshot, or its contents do not decode
  other_layout,  ///< written by a build with another state layout (a cache miss, not damage)
  truncated,     ///< ends early: a length or a field runs past the end
};

constexpr std::string_view to_string(SnapshotCode c) {
  switch (c) {
    case SnapshotCode::ok: return "ok";
    case SnapshotCode::unreadable: return "unreadable";
    case SnapshotCode::other_layout: return "other_layout";
    case SnapshotCode::truncated: return "truncated";
  }
  return "?";
}

struct SnapshotStatus {
  SnapshotCode code = SnapshotCode::ok;
  std::string detail;
  bool ok() const { return code == SnapshotCode::ok; }
};

}  // namespace carebroker::engine
