// The RocksDB journal.
#include "engine/store/rocksdb_journal.h"

#include <chrono>

#include <rocksdb/convenience.h>
#include <rocksdb/db.h>
#include <rocksdb/listener.h>
#include <rocksdb/env.h>
#include <rocksdb/file_system.h>
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/write_batch.h>

#include <fcntl.h>
#include <stdlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "engine/store/backup_manifest.h"
#include "engine/store/batch_frame.h"
#include "engine/store/replay_check.h"

namespace carebroker::store {
namespace {

StoreStatus from_rocks(const rocksdb::Status& s, const std::string& what) {
  if (s.ok()) return {};
  if (s.IsNoSpace() || s.subcode() == rocksdb::Status::kNoSpace)
    return store_error(StoreCode::disk_full, what + ": disk full: " + s.ToString());
  if (s.IsCorruption()) return store_error(StoreCode::corruption, what + ": " + s.ToString());
  if (s.IsNotFound()) return store_error(StoreCode::not_found, what + ": " + s.ToString());
  if (s.IsInvalidArgument()) return store_error(StoreCode::invalid_argument, what + ": " + s.ToString());
  return store_error(StoreCode::io_error, what + ": " + s.ToString());
}

rocksdb::Slice slice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

std::string frame_snapshot(const Snapshot& s) {
  std::string digest(8, '\0');
  for (int i = 0; i < 8; ++i) digest[i] = static_cast<char>(s.digest >> (8 * i));
  return frame_batch(s.seq, s.seq, digest + s.state);
}

/// The store's files are the owner's alone: `dir` and every directory under it 0700, every
/// file 0600. Hard-linked checkpoint files share their inode with the live store's, which is
/// private too. (The server also sets umask 077, so RocksDB creates its files 0600.)
StoreStatus make_private(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    const fs::file_status st = it->symlink_status(ec);
    if (ec) break;
    if (fs::is_directory(st)) fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::replace, ec);
    else if (fs::is_regular_file(st))
      fs::permissions(it->path(), fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace, ec);
    if (ec) break;
  }
  if (ec) return store_error(StoreCode::io_error, "make " + dir + " private (0700/0600): " + ec.message());
  return {};
}

/// The store's directory is 0700 (created so when missing and `create`); its files are 0600
/// by the server's umask 077.
StoreStatus private_directory(const std::string& dir, bool create) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (create) fs::create_directories(dir, ec);
  if (!ec && fs::is_directory(dir, ec)) fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  if (ec) return store_error(StoreCode::io_error, "make " + dir + " a private directory (0700): " + ec.message());
  return {};
}

/// Writes the backup's manifest (backup_manifest.h) from the copy itself: the last sequence in
/// it and the chain's head there, exactly as the checkpoint caught them.
StoreStatus write_manifest(const std::string& dir, ChainHead& head) {
  std::unique_ptr<RocksJournal> copy;
  RocksJournalOptions o;
  o.path = dir;
  o.create_if_missing = false;
  if (auto s = RocksJournal::open(o, copy); !s.ok()) return store_error(s.code, "read the backup back: " + s.message);
  const std::uint64_t last = copy->last_seq();
  head = copy->chain_head();
  copy.reset();
  char taken_at[32];
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  std::strftime(taken_at, sizeof taken_at, "%Y-%m-%dT%H:%M:%SZ", &utc);
  const std::string path = dir + "/" + kBackupManifest;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << backup_manifest_json(last, head, taken_at);
  out.close();
  if (!out) return store_error(StoreCode::io_error, "write " + path);
  return {};
}

}  // namespace

/// Background error recovery is ours to drive (resume()): RocksDB's own automatic recovery
/// races with it and, tried while the disk is still full, turns the error unrecoverable.
class NoAutoRecovery final : public rocksdb::EventListener {
 public:
  void OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason, rocksdb::Status, bool* auto_recovery) override {
    *auto_recovery = false;
  }
};

StoreStatus RocksJournal::open(const RocksJournalOptions& o, std::unique_ptr<RocksJournal>& out) {
  std::unique_ptr<RocksJournal> j(new RocksJournal());
  j->options_ = o;
  j->sync_ = o.sync;
  if (o.file_system) j->env_ = rocksdb::NewCompositeEnv(o.file_system);
  if (auto s = j->open_db(); !s.ok()) return s;
  if (!o.sync)
    std::fprintf(stderr, "carebroker: WARNING: journal %s opened UNSAFE (sync off): a crash can lose "
                         "acknowledged commands. Use only for simulations.\n", o.path.c_str());
  out = std::move(j);
  return {};
}

StoreStatus RocksJournal::open_db() {
  const RocksJournalOptions& o = options_;
  rocksdb::DBOptions db;
  db.create_if_missing = o.create_if_missing;
  db.create_missing_column_families = true;
  db.wal_recovery_mode = rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
  db.paranoid_checks = true;
  db.avoid_flush_during_shutdown = o.avoid_flush_during_shutdown;
  db.max_background_jobs = 2;
  db.keep_log_file_num = 4;
  db.listeners.push_back(std::make_shared<NoAutoRecovery>());
  if (env_) db.env = env_.get();
  rocksdb::ColumnFamilyOptions cf;
  cf.write_buffer_size = 64 << 20;
  // LZ4 where this RocksDB has it: the journal is read back at every start, and LZ4 decompresses
  // several times faster than the default Snappy for about the same size on our batches.
  for (const auto supported : rocksdb::GetSupportedCompressions())
    if (supported == rocksdb::kLZ4Compression) cf.compression = rocksdb::kLZ4Compression;
  std::vector<rocksdb::ColumnFamilyDescriptor> families = {
      {rocksdb::kDefaultColumnFamilyName, cf}, {"journal", cf}, {"snapshots", cf}, {"archive", cf}, {"meta", cf}};
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  if (auto s = private_directory(o.path, o.create_if_missing); !s.ok()) return s;
  if (auto s = from_rocks(rocksdb::DB::Open(db, o.path, families, &handles, &db_), "open " + o.path); !s.ok()) {
    db_ = nullptr;
    return s;
  }
  default_ = handles[0];
  journal_ = handles[1];
  snapshots_ = handles[2];
  archive_ = handles[3];
  meta_ = handles[4];
  return load_last_seq();
}

void RocksJournal::close_db() {
  if (!db_) return;
  for (auto* h : {default_, journal_, snapshots_, archive_, meta_})
    if (h) (void)db_->DestroyColumnFamilyHandle(h);
  default_ = journal_ = snapshots_ = archive_ = meta_ = nullptr;
  (void)db_->Close();
  delete db_;
  db_ = nullptr;
}

StoreStatus RocksJournal::not_open() const {
  return store_error(StoreCode::io_error, "the store " + options_.path + " is closed after a failure: resume() it");
}

RocksJournal::~RocksJournal() { close_db(); }

StoreStatus RocksJournal::load_last_seq() {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), journal_));
  it->SeekToLast();
  if (!it->Valid()) {
    last_seq_ = 0;
    std::lock_guard lock(chain_mutex_);
    chain_ = ChainState{};
    return from_rocks(it->status(), "read the journal's last batch");
  }
  std::uint64_t key_seq = 0;
  if (!parse_sequence_key(std::string_view(it->key().data(), it->key().size()), key_seq))
    return store_error(StoreCode::corruption, "the journal's last key is not a sequence number");
  UnframedBatch b;
  if (auto s = unframe_batch(std::string_view(it->value().data(), it->value().size()), b); !s.ok())
    return store_error(s.code, "journal batch at sequence " + std::to_string(key_seq) + ": " + s.message);
  last_seq_ = b.last_seq;
  // The writer's chain head: the last batch's link (verified when the journal is replayed).
  std::lock_guard lock(chain_mutex_);
  chain_ = ChainState{ChainHead{b.last_seq, b.link}, b.version >= 2};
  return {};
}

StoreStatus RocksJournal::anchor(std::uint64_t after, ChainState& out) {
  out = ChainState{};
  if (after == 0) return {};
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), journal_));
  it->SeekForPrev(sequence_key(after));
  if (!it->Valid()) return from_rocks(it->status(), "read the journal");  // none before: the genesis
  std::uint64_t key_seq = 0;
  if (!parse_sequence_key(std::string_view(it->key().data(), it->key().size()), key_seq))
    return store_error(StoreCode::corruption, "a journal key is not a sequence number");
  return chain_anchor(after, key_seq, std::string_view(it->value().data(), it->value().size()), out);
}

StoreStatus RocksJournal::chain_head_at(std::uint64_t seq, ChainHead& out) {
  if (!db_) return not_open();
  ChainState state;
  const StoreStatus s = anchor(seq, state);
  if (s.code == StoreCode::sequence_gap || (s.ok() && state.head.seq != seq))
    return store_error(StoreCode::not_found, "no journal batch ends at sequence " + std::to_string(seq));
  if (!s.ok()) return s;
  out = state.head;
  return {};
}

StoreStatus RocksJournal::append(const BatchToAppend& batch) {
  if (!db_) return not_open();
  if (batch.first_seq != last_seq_ + 1 || batch.last_seq < batch.first_seq)
    return store_error(StoreCode::invalid_argument,
                       "batch " + std::to_string(batch.first_seq) + " does not follow " + std::to_string(last_seq_));
  if (batch.last_seq > kMaxFrameSeq)
    return store_error(StoreCode::invalid_argument, "sequence " + std::to_string(batch.last_seq) + " is past the frame's limit");
  rocksdb::WriteBatch wb;
  ChainHash link;
  const std::string framed = frame_chained_batch(batch.first_seq, batch.last_seq, batch.payload, chain_head().hash, link);
  wb.Put(journal_, sequence_key(batch.first_seq), framed);
  for (const auto& [id, record] : batch.archive) wb.Put(archive_, sequence_key(id), record);
  rocksdb::WriteOptions w;
  w.sync = sync_;
  if (auto s = from_rocks(db_->Write(w, &wb), "append batch " + std::to_string(batch.first_seq)); !s.ok())
    return s;
  last_seq_ = batch.last_seq;
  {
    std::lock_guard lock(chain_mutex_);
    chain_ = ChainState{ChainHead{batch.last_seq, link}, true};
  }
  // The gauge, at most every 50 ms: the property takes the DB's mutex, and this is the path
  // every acknowledgement waits on.
  if (const auto now = std::chrono::steady_clock::now(); now - write_buffer_read_at_ >= std::chrono::milliseconds(50)) {
    write_buffer_read_at_ = now;
    if (std::uint64_t bytes = 0; db_->GetAggregatedIntProperty("rocksdb.size-all-mem-tables", &bytes))
      write_buffer_bytes_.store(bytes, std::memory_order_relaxed);
  }
  return {};
}

StoreStatus RocksJournal::replay_range(std::uint64_t after, std::uint64_t up_to, const BatchVisitor& visit) {
  if (!db_) return not_open();
  rocksdb::ReadOptions r;
  r.verify_checksums = true;
  r.fill_cache = false;
  r.readahead_size = 4 << 20;
  ChainState anchor_state;
  if (auto s = anchor(after, anchor_state); !s.ok()) return s;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(r, journal_));
  ReplayCheck check(after, anchor_state);
  for (it->Seek(sequence_key(after + 1)); it->Valid(); it->Next()) {
    std::uint64_t key_seq = 0;
    if (!parse_sequence_key(std::string_view(it->key().data(), it->key().size()), key_seq))
      return store_error(StoreCode::corruption, "a journal key is not a sequence number");
    if (key_seq > up_to) break;  // the batch's first event (the key) comes after the range
    UnframedBatch b;
    if (auto s = check.next(key_seq, std::string_view(it->value().data(), it->value().size()), b); !s.ok()) return s;
    if (auto s = visit(b.first_seq, b.last_seq, b.payload); !s.ok()) return s;
  }
  return from_rocks(it->status(), "read the journal");
}

StoreStatus RocksJournal::put_snapshot(const Snapshot& snap) {
  if (!db_) return not_open();
  rocksdb::WriteBatch wb;
  wb.Put(snapshots_, sequence_key(snap.seq), frame_snapshot(snap));
  // Keep the newest two: delete everything older than the previous one.
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), snapshots_));
  it->SeekToLast();
  if (it->Valid()) {
    const std::string previous = it->key().ToString();
    wb.DeleteRange(snapshots_, sequence_key(0), previous);
  }
  // A snapshot is large and only a cache: it skips the WAL (no second copy of tens of MB in the
  // log the journal's appends wait on) and is made durable by flushing its column family.
  rocksdb::WriteOptions w;
  w.disableWAL = true;
  if (auto s = from_rocks(db_->Write(w, &wb), "write snapshot at " + std::to_string(snap.seq)); !s.ok()) return s;
  if (!sync_) return {};
  rocksdb::FlushOptions flush;
  flush.wait = true;
  flush.allow_write_stall = true;
  return from_rocks(db_->Flush(flush, snapshots_), "flush snapshot at " + std::to_string(snap.seq));
}

StoreStatus RocksJournal::latest_snapshot(std::optional<Snapshot>& out) {
  if (!db_) return not_open();
  out.reset();
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), snapshots_));
  it->SeekToLast();
  if (!it->Valid()) return from_rocks(it->status(), "read snapshots");
  UnframedBatch b;
  if (auto s = unframe_batch(std::string_view(it->value().data(), it->value().size()), b); !s.ok())
    return store_error(s.code, "snapshot: " + s.message);
  if (b.payload.size() < 8) return store_error(StoreCode::corruption, "snapshot without a digest");
  Snapshot snap;
  snap.seq = b.first_seq;
  for (int i = 0; i < 8; ++i) snap.digest |= static_cast<std::uint64_t>(static_cast<unsigned char>(b.payload[i])) << (8 * i);
  snap.state.assign(b.payload.substr(8));
  out = std::move(snap);
  return {};
}

StoreStatus RocksJournal::archived_package(std::uint64_t package, std::string& out) {
  if (!db_) return not_open();
  const auto s = db_->Get(rocksdb::ReadOptions(), archive_, sequence_key(package), &out);
  if (s.IsNotFound()) return store_error(StoreCode::not_found, "no archived package " + std::to_string(package));
  return from_rocks(s, "read archived package " + std::to_string(package));
}

StoreStatus RocksJournal::get_meta(const std::string& key, std::string& value) {
  if (!db_) return not_open();
  const auto s = db_->Get(rocksdb::ReadOptions(), meta_, key, &value);
  if (s.IsNotFound()) return store_error(StoreCode::not_found, "no meta " + key);
  return from_rocks(s, "read meta " + key);
}

StoreStatus RocksJournal::put_meta(const std::string& key, const std::string& value) {
  if (!db_) return not_open();
  rocksdb::WriteOptions w;
  w.sync = true;
  return from_rocks(db_->Put(w, meta_, key, value), "write meta " + key);
}

StoreStatus RocksJournal::resume() {
  if (db_) {
    const rocksdb::Status s = db_->Resume();
    if (s.ok()) return {};
    // An error RocksDB will not resume from (e.g. after a full disk): close and reopen. The WAL
    // and files on disk hold everything acknowledged; reopening recovers exactly that.
    close_db();
  }
  return open_db();
}

StoreStatus RocksJournal::backup(const std::string& dir, ChainHead* head) {
  namespace fs = std::filesystem;
  if (!db_) return not_open();
  // The checkpoint is made inside a fresh private directory of our own, next to the target, and
  // then renamed onto the target without replacing anything. RocksDB stages a checkpoint in
  // "<target>.tmp" and first deletes whatever files it finds there, following a symbolic link:
  // checkpointing straight to the target let a link planted at <target>.tmp empty the directory
  // it pointed to (issue 13). In a directory mkdtemp just made, nothing was planted.
  fs::path target = fs::path(dir).lexically_normal();
  if (target.filename().empty()) target = target.parent_path();
  std::error_code ec;
  if (fs::exists(fs::symlink_status(target, ec)))
    return store_error(StoreCode::invalid_argument, "back up to " + dir + ": it exists already");
  const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string staging = (parent / ".staging-XXXXXX").string();
  if (::mkdtemp(staging.data()) == nullptr)
    return store_error(StoreCode::io_error, "back up to " + dir + ": cannot make a staging directory in " +
                                                parent.string() + ": " + std::strerror(errno));
  const std::string inside = staging + "/backup";
  auto done = [&](StoreStatus s) {
    fs::remove_all(staging, ec);
    return s;
  };
  rocksdb::Checkpoint* raw = nullptr;
  if (auto s = from_rocks(rocksdb::Checkpoint::Create(db_, &raw), "checkpoint"); !s.ok()) return done(s);
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  if (auto s = from_rocks(checkpoint->CreateCheckpoint(inside), "back up to " + dir); !s.ok()) return done(s);
  checkpoint.reset();
  ChainHead at_copy;
  if (auto s = write_manifest(inside, at_copy); !s.ok()) return done(s);
  if (auto s = make_private(inside); !s.ok()) return done(s);
  if (::renameat2(AT_FDCWD, inside.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) != 0) {
    const int error = errno;
    return done(store_error(error == EEXIST ? StoreCode::invalid_argument : StoreCode::io_error,
                            "back up to " + dir + ": " + std::strerror(error)));
  }
  if (head) *head = at_copy;
  return done({});
}

StoreStatus RocksJournal::restore(const std::string& backup_dir, const std::string& data_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(backup_dir, ec)) return store_error(StoreCode::not_found, "no backup at " + backup_dir);
  if (fs::exists(data_dir, ec)) return store_error(StoreCode::invalid_argument, data_dir + " already exists");
  {
    // Verify before copying: the backup opens, its journal replays cleanly (every CRC and chain
    // link), and its chain passes through the head its manifest records.
    const std::string probe = data_dir + ".verifying";
    fs::remove_all(probe, ec);
    fs::copy(backup_dir, probe, fs::copy_options::recursive, ec);
    if (ec) return store_error(StoreCode::io_error, "copy " + backup_dir + ": " + ec.message());
    std::unique_ptr<RocksJournal> j;
    RocksJournalOptions probe_options;
    probe_options.path = probe;
    probe_options.create_if_missing = false;  // an empty or foreign directory is not a backup
    StoreStatus s = open(probe_options, j);
    if (s.ok()) s = j->replay(0, [](std::uint64_t, std::uint64_t, std::string_view) { return StoreStatus{}; });
    // A manifest's head must be where the copy's chain is: the backup is the one it describes.
    if (std::ifstream in(backup_dir + "/" + kBackupManifest); s.ok() && in) {
      const std::string manifest((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      const auto recorded = manifest_chain_head(manifest);
      ChainHead found;
      if (!recorded) s = store_error(StoreCode::corruption, std::string(kBackupManifest) + " records no chain head");
      else if (s = j->chain_head_at(recorded->seq, found); s.ok() && found != *recorded)
        s = store_error(StoreCode::corruption, std::string(kBackupManifest) + " records the head " + to_string(*recorded) +
                                                   " but the backup's chain there is " + to_hex(found.hash));
    }
    j.reset();
    if (!s.ok()) {
      fs::remove_all(probe, ec);
      return store_error(s.code, "backup " + backup_dir + " is not usable: " + s.message);
    }
    fs::rename(probe, data_dir, ec);
    if (ec) return store_error(StoreCode::io_error, "move into " + data_dir + ": " + ec.message());
  }
  return make_private(data_dir);
}

StoreStatus RocksJournal::debug_put_raw(std::uint64_t key_seq, std::string_view value) {
  if (!db_) return not_open();
  rocksdb::WriteOptions w;
  w.sync = true;
  return from_rocks(db_->Put(w, journal_, sequence_key(key_seq), slice(value)), "debug put");
}

StoreStatus RocksJournal::debug_delete(std::uint64_t key_seq) {
  if (!db_) return not_open();
  rocksdb::WriteOptions w;
  w.sync = true;
  return from_rocks(db_->Delete(w, journal_, sequence_key(key_seq)), "debug delete");
}

}  // namespace carebroker::store
