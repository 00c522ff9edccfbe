// A fault-injecting RocksDB file system for tests (RocksDB's public FileSystemWrapper):
//  - power cut: everything not yet synced is lost. power_cut() truncates every file written
//    through this file system to the length it had at its last Sync/Fsync, and from then on
//    the file system is dead — writes, syncs, renames and deletions succeed without touching
//    the disk — so the database can be closed as a crashed process would leave it.
//  - full disk: while set, every write and file creation fails with NoSpace.
// Simplification: directory entries are taken as durable once created (we do not model
// directory fsync). Thread-safe (RocksDB calls it from its background threads).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <rocksdb/file_system.h>

namespace carebroker::store {

class FaultFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  explicit FaultFileSystem(std::shared_ptr<rocksdb::FileSystem> base = rocksdb::FileSystem::Default());

  const char* Name() const override { return "CarebrokerFaultFileSystem"; }

  rocksdb::IOStatus NewWritableFile(const std::string& f, const rocksdb::FileOptions& o,
                                    std::unique_ptr<rocksdb::FSWritableFile>* r,
                                    rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReopenWritableFile(const std::string& f, const rocksdb::FileOptions& o,
                                       std::unique_ptr<rocksdb::FSWritableFile>* r,
                                       rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReuseWritableFile(const std::string& f, const std::string& old,
                                      const rocksdb::FileOptions& o,
                                      std::unique_ptr<rocksdb::FSWritableFile>* r,
                                      rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus RenameFile(const std::string& src, const std::string& dst, const rocksdb::IOOptions& o,
                               rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus DeleteFile(const std::string& f, const rocksdb::IOOptions& o,
                               rocksdb::IODebugContext* dbg) override;

  /// Drops everything not synced and kills the file system (see above).
  void power_cut();
  /// While true, writes fail with NoSpace.
  void set_disk_full(bool full);

  // Called by the tracked files.
  struct FileState {
    std::uint64_t size = 0;
    std::uint64_t synced = 0;
  };
  bool dead() const;
  bool disk_full() const;
  void appended(const std::string& name, std::uint64_t bytes);
  void synced(const std::string& name);

 private:
  rocksdb::IOStatus wrap(const std::string& f, std::uint64_t existing, rocksdb::IOStatus s,
                         std::unique_ptr<rocksdb::FSWritableFile>* r);
  mutable std::mutex mutex_;
  std::map<std::string, FileState> files_;  // guarded by mutex_
  bool dead_ = false;                       // guarded by mutex_
  bool disk_full_ = false;                  // guarded by mutex_
};

}  // namespace carebroker::store
