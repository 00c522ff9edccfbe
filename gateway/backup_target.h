// Where an online backup may go: only into a direct child of the configured backup directory,
// named by one path segment of [A-Za-z0-9._-] (1..64 characters, not starting with '.'), and
// the backup directory itself must lie outside the journal (a checkpoint inside the live store
// would be copied into every later backup and confuse RocksDB) and must not contain the data
// directory. Called by the REST backup route (the name) and App::start (the directories).
// Pure functions of values, except backup_dir_problem, which reads the file system to
// canonicalise paths; thread-safe.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace carebroker::gateway {

inline constexpr std::size_t kMaxBackupNameChars = 64;

/// "" when `name` may name a backup; otherwise why not (for the invalid_backup_name detail).
std::string backup_name_problem(std::string_view name);

/// "" when backups may be written under `backup_dir`: it is not the journal directory nor
/// inside it, and the data directory is not inside it (nor equal to it). All three must exist;
/// they are compared as canonical paths (symbolic links resolved).
std::string backup_dir_problem(const std::filesystem::path& data_dir, const std::filesystem::path& journal_dir,
                               const std::filesystem::path& backup_dir);

}  // namespace carebroker::gateway
