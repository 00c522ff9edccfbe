// The fault-injecting file system.
#include "engine/store/fault_fs.h"

#include <filesystem>

namespace carebroker::store {
namespace {

using rocksdb::IODebugContext;
using rocksdb::IOOptions;
using rocksdb::IOStatus;
using rocksdb::Slice;

class TrackedFile final : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  TrackedFile(std::unique_ptr<rocksdb::FSWritableFile> target, FaultFileSystem& fs, std::string name)
      : FSWritableFileOwnerWrapper(std::move(target)), fs_(fs), name_(std::move(name)) {}

  IOStatus Append(const Slice& data, const IOOptions& o, IODebugContext* dbg) override {
    if (auto s = check(); !s.ok() || fs_.dead()) return s;
    fs_.appended(name_, data.size());
    return target()->Append(data, o, dbg);
  }
  IOStatus Append(const Slice& data, const IOOptions& o, const rocksdb::DataVerificationInfo& v,
                  IODebugContext* dbg) override {
    if (auto s = check(); !s.ok() || fs_.dead()) return s;
    fs_.appended(name_, data.size());
    return target()->Append(data, o, v, dbg);
  }
  IOStatus PositionedAppend(const Slice& data, uint64_t offset, const IOOptions& o, IODebugContext* dbg) override {
    if (auto s = check(); !s.ok() || fs_.dead()) return s;
    fs_.appended(name_, data.size());
    return target()->PositionedAppend(data, offset, o, dbg);
  }
  IOStatus PositionedAppend(const Slice& data, uint64_t offset, const IOOptions& o,
                            const rocksdb::DataVerificationInfo& v, IODebugContext* dbg) override {
    if (auto s = check(); !s.ok() || fs_.dead()) return s;
    fs_.appended(name_, data.size());
    return target()->PositionedAppend(data, offset, o, v, dbg);
  }
  IOStatus Sync(const IOOptions& o, IODebugContext* dbg) override {
    if (fs_.dead()) return IOStatus::OK();
    auto s = target()->Sync(o, dbg);
    if (s.ok()) fs_.synced(name_);
    return s;
  }
  IOStatus Fsync(const IOOptions& o, IODebugContext* dbg) override {
    if (fs_.dead()) return IOStatus::OK();
    auto s = target()->Fsync(o, dbg);
    if (s.ok()) fs_.synced(name_);
    return s;
  }
  IOStatus Close(const IOOptions& o, IODebugContext* dbg) override {
    if (fs_.dead()) return IOStatus::OK();
    return target()->Close(o, dbg);
  }
  IOStatus Flush(const IOOptions& o, IODebugContext* dbg) override {
    if (fs_.dead()) return IOStatus::OK();
    return target()->Flush(o, dbg);
  }

 private:
  IOStatus check() const {
    if (fs_.disk_full()) return IOStatus::NoSpace("injected: disk full");
    return IOStatus::OK();
  }
  FaultFileSystem& fs_;
  std::string name_;
};

}  // namespace

FaultFileSystem::FaultFileSystem(std::shared_ptr<rocksdb::FileSystem> base) : FileSystemWrapper(base) {}

bool FaultFileSystem::dead() const {
  std::lock_guard lock(mutex_);
  return dead_;
}
bool FaultFileSystem::disk_full() const {
  std::lock_guard lock(mutex_);
  return disk_full_;
}
void FaultFileSystem::set_disk_full(bool full) {
  std::lock_guard lock(mutex_);
  disk_full_ = full;
}
void FaultFileSystem::appended(const std::string& name, std::uint64_t bytes) {
  std::lock_guard lock(mutex_);
  files_[name].size += bytes;
}
void FaultFileSystem::synced(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto& f = files_[name];
  f.synced = f.size;
}

IOStatus FaultFileSystem::wrap(const std::string& f, std::uint64_t existing, IOStatus s,
                               std::unique_ptr<rocksdb::FSWritableFile>* r) {
  if (!s.ok()) return s;
  {
    std::lock_guard lock(mutex_);
    files_[f] = FileState{existing, existing};
  }
  *r = std::make_unique<TrackedFile>(std::move(*r), *this, f);
  return s;
}

IOStatus FaultFileSystem::NewWritableFile(const std::string& f, const rocksdb::FileOptions& o,
                                          std::unique_ptr<rocksdb::FSWritableFile>* r, IODebugContext* dbg) {
  if (disk_full()) return IOStatus::NoSpace("injected: disk full");
  return wrap(f, 0, target()->NewWritableFile(f, o, r, dbg), r);
}

IOStatus FaultFileSystem::ReopenWritableFile(const std::string& f, const rocksdb::FileOptions& o,
                                             std::unique_ptr<rocksdb::FSWritableFile>* r, IODebugContext* dbg) {
  if (disk_full()) return IOStatus::NoSpace("injected: disk full");
  std::error_code ec;
  const auto size = std::filesystem::exists(f, ec) ? std::filesystem::file_size(f, ec) : 0;
  return wrap(f, ec ? 0 : size, target()->ReopenWritableFile(f, o, r, dbg), r);
}

IOStatus FaultFileSystem::ReuseWritableFile(const std::string& f, const std::string& old,
                                            const rocksdb::FileOptions& o,
                                            std::unique_ptr<rocksdb::FSWritableFile>* r, IODebugContext* dbg) {
  if (disk_full()) return IOStatus::NoSpace("injected: disk full");
  return wrap(f, 0, target()->ReuseWritableFile(f, old, o, r, dbg), r);
}

IOStatus FaultFileSystem::RenameFile(const std::string& src, const std::string& dst, const IOOptions& o,
                                     IODebugContext* dbg) {
  if (dead()) return IOStatus::OK();
  auto s = target()->RenameFile(src, dst, o, dbg);
  if (s.ok()) {
    std::lock_guard lock(mutex_);
    if (auto it = files_.find(src); it != files_.end()) {
      files_[dst] = it->second;
      files_.erase(src);
    }
  }
  return s;
}

IOStatus FaultFileSystem::DeleteFile(const std::string& f, const IOOptions& o, IODebugContext* dbg) {
  if (dead()) return IOStatus::OK();
  auto s = target()->DeleteFile(f, o, dbg);
  if (s.ok()) {
    std::lock_guard lock(mutex_);
    files_.erase(f);
  }
  return s;
}

void FaultFileSystem::power_cut() {
  std::lock_guard lock(mutex_);
  dead_ = true;
  for (const auto& [name, state] : files_) {
    std::error_code ec;
    if (std::filesystem::exists(name, ec)) std::filesystem::resize_file(name, state.synced, ec);
  }
}

}  // namespace carebroker::store
