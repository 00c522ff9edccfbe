// Helpers shared by the store tests: a temporary directory removed after the test, the name of
// a store code, REQUIRE_STORE_OK to stop a test on a store error with its message, a replay
// that records what it saw, a RocksDB journal opened with the defaults, and whole files read
// and written byte for byte.
#pragma once

#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <iterator>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "engine/store/journal.h"
#include "engine/store/rocksdb_journal.h"
#include "engine/store/store_status.h"

#define REQUIRE_STORE_OK(expr)                                                                     \
  do {                                                                                             \
    const carebroker::store::StoreStatus status_ = (expr);                                         \
    INFO(#expr << " → " << carebroker::store::to_string(status_.code) << ": " << status_.message); \
    REQUIRE(status_.ok());                                                                         \
  } while (false)

namespace carebroker::testing::store_support {

inline std::string code(const store::StoreStatus& s) { return store::to_string(s.code); }

/// A fresh, uniquely named directory under the system's temporary directory, removed (with
/// everything in it) when the test is done.
struct TempDir {
  enum class Made : bool { absent, created };
  std::filesystem::path path;
  /// A fresh path; `created`: the directory is made (and the path canonical), else left absent.
  explicit TempDir(const std::string& tag, Made made = Made::absent) {
    static std::atomic<int> counter{0};
    path = std::filesystem::temp_directory_path() /
           ("carebroker-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
    if (made == Made::created) {
      std::filesystem::create_directories(path);
      path = std::filesystem::canonical(path);
    }
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

/// One batch as a replay saw it.
struct Seen {
  std::uint64_t first = 0, last = 0;
  std::string payload;
  bool operator==(const Seen&) const = default;
};

inline std::ostream& operator<<(std::ostream& os, const Seen& s) {
  return os << "[" << s.first << ".." << s.last << ", " << s.payload.size() << " bytes]";
}

/// Replays the journal after `after` into `out`, batch by batch.
inline store::StoreStatus replay_all(store::Journal& j, std::uint64_t after, std::vector<Seen>& out) {
  out.clear();
  return j.replay(after, [&](std::uint64_t first, std::uint64_t last, std::string_view payload) {
    out.push_back(Seen{first, last, std::string(payload)});
    return store::StoreStatus{};
  });
}

/// A RocksDB journal at `dir` with the default options (synced); stops the test if it won't open.
inline std::unique_ptr<store::RocksJournal> open_store(const std::filesystem::path& dir) {
  store::RocksJournalOptions o;
  o.path = dir.string();
  std::unique_ptr<store::RocksJournal> j;
  REQUIRE_STORE_OK(store::RocksJournal::open(o, j));
  return j;
}

/// A whole file, byte for byte ("" when it cannot be read).
inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// Writes `bytes` as the whole of the file at `p`; stops the test if it cannot.
inline void write_file(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out.good());
}

/// Whether `text` names the number `n` on its own (not as part of a longer number).
inline bool names_number(const std::string& text, std::uint64_t n) {
  const std::string digits = std::to_string(n);
  for (std::size_t at = text.find(digits); at != std::string::npos; at = text.find(digits, at + 1)) {
    const bool before = at > 0 && std::isdigit(static_cast<unsigned char>(text[at - 1]));
    const bool after = at + digits.size() < text.size() && std::isdigit(static_cast<unsigned char>(text[at + digits.size()]));
    if (!before && !after) return true;
  }
  return false;
}

}  // namespace carebroker::testing::store_support
