// The test-only disk-full trigger (disk_full_trigger.h).
#include "gateway/disk_full_trigger.h"

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "engine/store/fault_fs.h"

namespace carebroker::gateway {

DiskFullTrigger::DiskFullTrigger(std::string trigger_file)
    : trigger_file_(std::move(trigger_file)), fs_(std::make_shared<store::FaultFileSystem>()) {
  watcher_ = std::thread([this] { watch(); });
}

DiskFullTrigger::~DiskFullTrigger() {
  stop_ = true;
  watcher_.join();
}

std::shared_ptr<rocksdb::FileSystem> DiskFullTrigger::file_system() const { return fs_; }

void DiskFullTrigger::watch() {
  bool full = false;
  while (!stop_) {
    std::error_code ec;
    const bool now_full = std::filesystem::exists(trigger_file_, ec);
    if (now_full != full) {
      full = now_full;
      fs_->set_disk_full(full);
      std::fprintf(stderr, "carebroker: TEST: the journal's disk is %s\n", full ? "full" : "writable again");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace carebroker::gateway
