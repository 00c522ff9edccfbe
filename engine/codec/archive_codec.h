// The archive record of a retired package (PackageRetired::archive, kept in the store's archive
// for good): a versioned FlatBuffers table, ArchivedPackage in schemas/journal.fbs, as the root of
// its own buffer with file identifier "CBA1". Records written before that table existed are the
// engine's serialize.h blob of (Package, PersonDetails in clear); decode_archive reads both, the old form
// with a frozen decoder of its own that no later change to the engine's structs can break.
// Compiled into carebroker_engine (the market writes archives when it retires a package).
// Pure functions: thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/market/package.h"
#include "engine/market/placement.h"

namespace carebroker::codec {

/// The file identifier of an archive record (bytes 4..7). A legacy blob starts with the package
/// id as 8 little-endian bytes, so its bytes 4..7 are zero for any id below 2^32.
inline constexpr std::string_view kArchiveIdentifier = "CBA1";
/// The ArchivedPackage.version this build writes, and the newest it reads.
inline constexpr std::uint32_t kArchiveVersion = 1;

/// A finished "CBA1" buffer holding `package`, `person` and the package's `placement` (a default
/// Placement, package 0, when it was never placed).
[[nodiscard]] std::string encode_archive(const engine::Package& package, const engine::SealedPerson& person,
                                         const engine::Placement& placement = {});

struct DecodedArchive {
  engine::Package package;
  engine::SealedPerson person;  ///< a legacy blob's person reads as the legacy clear form
  engine::Placement placement;  ///< package 0: none (never placed, or a record from before placements)
  bool legacy = false;  ///< read from the old serialize.h blob
  std::string error;    ///< empty = decoded
  bool ok() const { return error.empty(); }
};

/// Reads either form. An ArchivedPackage buffer must pass the FlatBuffers Verifier and carry a
/// version this build knows; anything else is read as a legacy blob, which must decode exactly
/// (no trailing bytes). Errors are values, e.g. "archive record fails verification".
[[nodiscard]] DecodedArchive decode_archive(std::string_view bytes);

}  // namespace carebroker::codec
