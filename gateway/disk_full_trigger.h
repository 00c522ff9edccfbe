// Test-only: a journal whose disk "fills" while a trigger file exists (the chaos tool's
// disk-full scenario, scripts/chaos). It owns a fault-injecting RocksDB file system
// (engine/store/fault_fs.h) for AppOptions::journal_file_system and a thread that looks for the
// file ten times a second: while it exists every journal write fails with NoSpace; once it is
// removed, writes succeed again (the sequencer resumes the store on its own). main() takes it
// only with the hidden --test-disk-full-file option, on a simulation's store.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

namespace rocksdb {
class FileSystem;
}

namespace carebroker::store {
class FaultFileSystem;
}

namespace carebroker::gateway {

class DiskFullTrigger {
 public:
  explicit DiskFullTrigger(std::string trigger_file);
  ~DiskFullTrigger();
  DiskFullTrigger(const DiskFullTrigger&) = delete;
  DiskFullTrigger& operator=(const DiskFullTrigger&) = delete;

  /// The file system the journal must write through.
  std::shared_ptr<rocksdb::FileSystem> file_system() const;

 private:
  void watch();

  std::string trigger_file_;
  std::shared_ptr<store::FaultFileSystem> fs_;
  std::atomic<bool> stop_{false};
  std::thread watcher_;
};

}  // namespace carebroker::gateway
