// The RocksDB journal: the only code (with fault_fs) that includes RocksDB. Column families:
// "journal" (big-endian first sequence → framed batch), "snapshots" (sequence → framed
// snapshot; the latest two are kept), "archive" (package id → retired package record) and
// "meta". Every append is one WriteBatch written with sync=true, unless opened unsafe.
//
// Recovery choices (tested): the WAL is read with kTolerateCorruptedTailRecords, so a torn
// final record (a crash mid-write, never acknowledged) is dropped, while corruption in the
// middle of the WAL refuses to open; on top of that, replay verifies our own CRC on every batch
// and that sequence numbers continue, and stops with an error naming the sequence number.
// One writer thread; its reads (replay_range, snapshots, the archive) may run beside it (journal.h).
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "engine/store/journal.h"
#include "engine/store/replay_check.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class FileSystem;
class Env;
}  // namespace rocksdb

namespace carebroker::store {

struct RocksJournalOptions {
  std::string path;
  /// false = unsafe: acknowledged batches can be lost in a crash. For simulations only; the
  /// journal logs a warning when opened this way.
  bool sync = true;
  /// Tests pass a fault-injecting file system (fault_fs.h); nullptr = the real one.
  std::shared_ptr<rocksdb::FileSystem> file_system;
  /// Keep the WAL (not memtables flushed to files) at close — for power-cut tests.
  bool avoid_flush_during_shutdown = false;
  /// false = refuse to open a directory that holds no store (tools that inspect one).
  bool create_if_missing = true;
};

class RocksJournal final : public Journal {
 public:
  static StoreStatus open(const RocksJournalOptions& options, std::unique_ptr<RocksJournal>& out);
  ~RocksJournal() override;

  StoreStatus append(const BatchToAppend& batch) override;
  std::uint64_t last_seq() const override { return last_seq_; }
  StoreStatus replay_range(std::uint64_t after, std::uint64_t up_to, const BatchVisitor& visit) override;
  ChainHead chain_head() const override {
    std::lock_guard lock(chain_mutex_);
    return chain_.head;
  }
  StoreStatus chain_head_at(std::uint64_t seq, ChainHead& out) override;
  StoreStatus put_snapshot(const Snapshot&) override;
  StoreStatus latest_snapshot(std::optional<Snapshot>& out) override;
  StoreStatus archived_package(std::uint64_t package, std::string& out) override;
  StoreStatus resume() override;

  /// A fact about the store itself, in the "meta" column family (e.g. "clock": whether the
  /// market's time in it is real or simulated, gateway/clock_mode.h). not_found when unset.
  StoreStatus get_meta(const std::string& key, std::string& value);
  /// Sets a meta fact, durably (synced whatever the journal's sync option).
  StoreStatus put_meta(const std::string& key, const std::string& value);

  /// An online, consistent copy of the whole store in `dir` (which must not exist), taken with
  /// a RocksDB checkpoint (hard links where possible). Safe while appends continue. The copy is
  /// private: its directory 0700, its files 0600 (as open() makes the store's own). Beside the
  /// store's files the copy holds its manifest, kBackupManifest (backup_manifest.h): the last
  /// sequence number in it and the audit chain's head there, read from the copy itself (and
  /// given in `head` when not null).
  StoreStatus backup(const std::string& dir, ChainHead* head = nullptr);
  /// Restores a backup made by backup() into `data_dir` (which must not exist), after checking
  /// that the backup opens and its journal replays cleanly; the result is 0700/0600.
  static StoreStatus restore(const std::string& backup_dir, const std::string& data_dir);

  /// Bytes RocksDB holds in its write buffers (memtables, all column families), read at an
  /// append at most every 50 ms: the journal's recent writes, held until flushed to disk.
  /// Bounded by the write buffer size (64 MiB per column family), not by the market's size.
  /// Any thread.
  std::uint64_t write_buffer_bytes() const { return write_buffer_bytes_.load(std::memory_order_relaxed); }

  // ---- test hooks: damage the journal to test corruption handling ----
  StoreStatus debug_put_raw(std::uint64_t key_seq, std::string_view value);
  StoreStatus debug_delete(std::uint64_t key_seq);

 private:
  RocksJournal() = default;
  StoreStatus open_db();
  void close_db();
  StoreStatus load_last_seq();
  StoreStatus not_open() const;
  /// The chain as stored in the batch ending at `after` (genesis at 0).
  StoreStatus anchor(std::uint64_t after, ChainState& out);

  RocksJournalOptions options_;
  std::unique_ptr<rocksdb::Env> env_;
  rocksdb::DB* db_ = nullptr;
  rocksdb::ColumnFamilyHandle* default_ = nullptr;
  rocksdb::ColumnFamilyHandle* journal_ = nullptr;
  rocksdb::ColumnFamilyHandle* snapshots_ = nullptr;
  rocksdb::ColumnFamilyHandle* archive_ = nullptr;
  rocksdb::ColumnFamilyHandle* meta_ = nullptr;
  std::uint64_t last_seq_ = 0;
  mutable std::mutex chain_mutex_;  // chain_ is written by the writer, read by any thread
  ChainState chain_;
  bool sync_ = true;
  std::atomic<std::uint64_t> write_buffer_bytes_{0};
  std::chrono::steady_clock::time_point write_buffer_read_at_{};  // appends only
};

}  // namespace carebroker::store
