// The tokens file (<data>/tokens, 0600): its records read and written, one JSON object per line
// after a header, so every string is escaped and no name can add a record. The current format:
//   carebroker-tokens 3
//   {"id":"3f9c0a1b2c4d","hash":"<64 hex>","user":"rostering P-1","role":"provider","subject":"P-1",
//    "issued_at":1764581400000,"expires_at":1772357400000,"revoked_at":null,"replaces":null}
// (one line; times are milliseconds since the epoch, UTC; null = never / not revoked / not a
// rotation). Older formats are still read, and the store rewrites them at once:
//   - "carebroker-tokens 2": {"hash","role","subject","name"} per line;
//   - the first format: no header, hash, role, subject and name separated by tabs.
// Their tokens get a new random id, no issue time and no expiry. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "gateway/auth.h"

namespace carebroker::gateway::token_file {

inline constexpr std::string_view kHeaderWord = "carebroker-tokens";
inline constexpr std::string_view kHeader = "carebroker-tokens 3";
inline constexpr std::string_view kHeaderV2 = "carebroker-tokens 2";

enum class Format : std::uint8_t { first, v2, current };

/// The format a file's first line announces; false with `why` for an unknown header.
bool format_of(const std::string& first_line, Format& format, std::string& why);

/// One record in `format`. False with `why` when it is not a well-formed record. For the older
/// formats the id is left empty (the store gives one).
bool read_record(const std::string& line, Format format, std::string& hash, TokenRecord& record, std::string& why);

/// One record in the current format, without the line break.
std::string write_record(const std::string& hash, const TokenRecord& record);

/// `bytes` random bytes as lowercase hex (OpenSSL's RAND_bytes); empty when no randomness is available.
std::string random_hex(std::size_t bytes);
/// A new random token id (12 lowercase hex digits); empty when no randomness is available.
inline std::string new_id() { return random_hex(6); }
bool is_id(std::string_view s);

}  // namespace carebroker::gateway::token_file
