// The person key store: one key per person, kept apart from the journal in a directory of its
// own (the server's: <data>/person-keys). One small file per key, "<key id>.key" (the 4 bytes
// "CBK1", then the 32-byte key), 0600 in a 0700 directory, written to a temporary file, fsynced,
// renamed and the directory fsynced, so a key is durable before the package that uses it is
// posted. Keys are only ever added or destroyed. Destroying one (erasure) overwrites its file,
// fsyncs, unlinks it and fsyncs the directory: every sealed copy of that person — journal,
// snapshots, archive, backups — is unreadable from then on. Backups of the store do not copy
// the keys (the README's "Personal data": operators back this directory up apart, on a short
// retention). Every key is read into memory at open. Thread-safe: any thread may create, find
// and destroy.
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/person/person_seal.h"

namespace carebroker::person {

class PersonKeys {
 public:
  /// Opens the key directory `dir` (made 0700 if missing) and reads every key in it. A
  /// temporary file left by a crash is removed; a file that is not a well-formed key is left
  /// alone and named in warnings() (the people it held show as key_missing: never a crash).
  /// False with `error` when the directory cannot be made or read.
  bool open(const std::string& dir, std::string& error);

  struct Created {
    std::string key_id;
    PersonKey key;
  };
  /// A new random key with a new random id, durably stored; nullopt with `error`.
  std::optional<Created> create(std::string& error);

  /// The key `key_id` names; nullopt when the store has none (never made, lost or destroyed).
  std::optional<PersonKey> find(std::string_view key_id) const;

  /// Destroys the key `key_id`: its file overwritten, fsynced, unlinked, the directory fsynced,
  /// and forgotten. True when it is gone (also when there was none); false with `error`.
  bool destroy(std::string_view key_id, std::string& error);

  std::size_t size() const;
  const std::string& directory() const { return dir_; }
  /// Files in the directory that are not well-formed keys (found at open).
  std::vector<std::string> warnings() const;

 private:
  std::string path_of(std::string_view key_id) const;

  /// A key id as the map holds it: its characters inline (a string of 32 would allocate 48
  /// bytes more per key, and there is one key per package).
  using KeyId = std::array<char, engine::kPersonKeyIdChars>;
  struct KeyIdHash {
    std::size_t operator()(const KeyId& id) const noexcept {
      return std::hash<std::string_view>{}(std::string_view(id.data(), id.size()));
    }
  };
  /// `key_id` as a KeyId; nullopt when it has not a key id's length.
  static std::optional<KeyId> key_of(std::string_view key_id);

  std::string dir_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<KeyId, PersonKey, KeyIdHash> keys_;
  std::vector<std::string> warnings_;
};

}  // namespace carebroker::person
