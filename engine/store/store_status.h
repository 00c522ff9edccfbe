// The outcome of a store operation: ok, or what went wrong with a message naming where (the
// sequence number, the file). Errors are values; RocksDB statuses are translated here.
#pragma once

#include <cstdint>
#include <string>

namespace carebroker::store {

enum class StoreCode : std::uint8_t {
  ok,
  io_error,        ///< the disk or file system failed
  disk_full,       ///< no space: retry once space is freed
  corruption,      ///< a record fails its checksum or cannot be decoded
  sequence_gap,    ///< the journal skips or repeats sequence numbers
  not_found,
  invalid_argument,
  unsupported,
};

struct [[nodiscard]] StoreStatus {
  StoreCode code = StoreCode::ok;
  std::string message;
  bool ok() const { return code == StoreCode::ok; }
};

inline StoreStatus store_error(StoreCode code, std::string message) { return {code, std::move(message)}; }
const char* to_string(StoreCode);

}  // namespace carebroker::store
