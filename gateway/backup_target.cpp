// Backup names and the backup directory's place.
#include "gateway/backup_target.h"

#include <algorithm>

namespace carebroker::gateway {
namespace {

bool name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

/// `inner` is `outer` or lies under it (both canonical).
bool within(const std::filesystem::path& inner, const std::filesystem::path& outer) {
  auto i = inner.begin();
  for (auto o = outer.begin(); o != outer.end(); ++o, ++i)
    if (i == inner.end() || *i != *o) return false;
  return true;
}

}  // namespace

std::string backup_name_problem(std::string_view name) {
  if (name.empty()) return "a backup name must not be empty";
  if (name.size() > kMaxBackupNameChars)
    return "a backup name is at most " + std::to_string(kMaxBackupNameChars) + " characters";
  if (!std::all_of(name.begin(), name.end(), name_char))
    return "a backup name is one path segment of letters, digits, '.', '_' and '-' (no '/', no control or other "
           "characters)";
  if (name.front() == '.') return "a backup name must not start with '.'";
  return {};
}

std::string backup_dir_problem(const std::filesystem::path& data_dir, const std::filesystem::path& journal_dir,
                               const std::filesystem::path& backup_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path data = fs::canonical(data_dir, ec);
  if (ec) return "cannot resolve the data directory " + data_dir.string() + ": " + ec.message();
  const fs::path journal = fs::canonical(journal_dir, ec);
  if (ec) return "cannot resolve the journal directory " + journal_dir.string() + ": " + ec.message();
  const fs::path backups = fs::canonical(backup_dir, ec);
  if (ec) return "cannot resolve the backup directory " + backup_dir.string() + ": " + ec.message();
  if (within(backups, journal))
    return "the backup directory " + backups.string() + " is inside the journal directory " + journal.string() +
           ": choose a --backup-dir outside it";
  if (within(data, backups))
    return "the data directory " + data.string() + " is inside the backup directory " + backups.string() +
           ": choose a --backup-dir that does not contain it";
  return {};
}

}  // namespace carebroker::gateway
