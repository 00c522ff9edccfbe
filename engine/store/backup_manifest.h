// A backup's manifest: the file kBackupManifest that RocksJournal::backup writes beside the
// store's files in every backup directory, anchoring the audit chain outside the live store:
//
//   {"format": "carebroker-backup/1", "taken_at": "2026-12-01T08:00:00Z",
//    "last_sequence": 1234,
//    "audit_chain": {"sequence": 1234, "head": "<64 hex digits>", "expect_head": "1234:<hex>"}}
//
// "expect_head" is the argument `carebroker-store verify --expect-head` takes, to check later
// that the live store (or this backup) still holds exactly that history. RocksDB ignores the
// file; a restore copies it along. Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/store/audit_chain.h"

namespace carebroker::store {

inline constexpr const char* kBackupManifest = "carebroker-backup.json";

/// The manifest's text; `taken_at` is an ISO 8601 UTC time.
std::string backup_manifest_json(std::uint64_t last_seq, const ChainHead& head, std::string_view taken_at);

/// The chain head a manifest records ("expect_head"); nullopt when the text holds none.
std::optional<ChainHead> manifest_chain_head(std::string_view manifest);

}  // namespace carebroker::store
