// The person key store; see person_keys.h.
#include "engine/person/person_keys.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

namespace carebroker::person {
namespace {

constexpr std::string_view kMagic = "CBK1";
constexpr std::size_t kFileBytes = kMagic.size() + kKeyBytes;
constexpr std::string_view kKeySuffix = ".key";
constexpr std::string_view kTempSuffix = ".tmp";

bool write_all(int fd, const unsigned char* data, std::size_t size) {
  for (std::size_t done = 0; done < size;) {
    const ssize_t n = ::write(fd, data + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

bool fsync_directory(const std::string& dir) {
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return false;
  const bool ok = ::fsync(dfd) == 0;
  ::close(dfd);
  return ok;
}

std::string why(const std::string& what) { return what + ": " + std::strerror(errno); }

/// Reads a key file; false when it is not exactly a key.
bool read_key(const std::string& path, PersonKey& key) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return false;
  unsigned char buffer[kFileBytes + 1];
  std::size_t got = 0;
  while (got < sizeof buffer) {
    const ssize_t n = ::read(fd, buffer + got, sizeof buffer - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  const bool ok = got == kFileBytes && std::memcmp(buffer, kMagic.data(), kMagic.size()) == 0;
  if (ok) std::memcpy(key.bytes.data(), buffer + kMagic.size(), kKeyBytes);
  OPENSSL_cleanse(buffer, sizeof buffer);
  return ok;
}

}  // namespace

bool PersonKeys::open(const std::string& dir, std::string& error) {
  std::unique_lock lock(mutex_);
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || ::chmod(dir.c_str(), 0700) != 0) {
    error = "cannot make the person key directory " + dir + (ec ? ": " + ec.message() : ": " + std::string(std::strerror(errno)));
    return false;
  }
  dir_ = dir;
  keys_.clear();
  warnings_.clear();
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() > kTempSuffix.size() && name.ends_with(kTempSuffix)) {
      ::unlink(it->path().c_str());  // a key whose creation did not finish: no package uses it
      continue;
    }
    const std::string id = name.size() > kKeySuffix.size() && name.ends_with(kKeySuffix)
                               ? name.substr(0, name.size() - kKeySuffix.size())
                               : std::string();
    PersonKey key;
    if (!engine::valid_person_key_id(id) || !read_key(it->path().string(), key)) {
      warnings_.push_back(name);
      continue;
    }
    keys_.emplace(*key_of(id), key);
  }
  if (ec) {
    error = "cannot read the person key directory " + dir + ": " + ec.message();
    return false;
  }
  return true;
}

std::optional<PersonKeys::KeyId> PersonKeys::key_of(std::string_view key_id) {
  if (key_id.size() != engine::kPersonKeyIdChars) return std::nullopt;
  KeyId out;
  std::copy(key_id.begin(), key_id.end(), out.begin());
  return out;
}

std::string PersonKeys::path_of(std::string_view key_id) const { return dir_ + "/" + std::string(key_id) + std::string(kKeySuffix); }

std::optional<PersonKeys::Created> PersonKeys::create(std::string& error) {
  std::optional<PersonKey> key = new_key();
  std::string id = new_key_id();
  if (!key || id.empty()) {
    error = "the random number generator failed";
    return std::nullopt;
  }
  unsigned char file[kFileBytes];
  std::memcpy(file, kMagic.data(), kMagic.size());
  std::memcpy(file + kMagic.size(), key->bytes.data(), kKeyBytes);
  const std::string path = path_of(id), temp = dir_ + "/" + id + std::string(kTempSuffix);
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    OPENSSL_cleanse(file, sizeof file);
    error = why("cannot write the person key " + temp);
    return std::nullopt;
  }
  bool ok = ::fchmod(fd, 0600) == 0 && write_all(fd, file, sizeof file) && ::fsync(fd) == 0;
  OPENSSL_cleanse(file, sizeof file);
  const int saved = errno;
  ok = ::close(fd) == 0 && ok;
  // link, not rename: never replaces a key that exists (a 128-bit id does not repeat, but a
  // key must never be overwritten by another).
  if (!ok || ::link(temp.c_str(), path.c_str()) != 0) {
    if (ok) error = why("cannot store the person key " + path);
    else error = "cannot write the person key " + temp + ": " + std::strerror(saved);
    ::unlink(temp.c_str());
    return std::nullopt;
  }
  ::unlink(temp.c_str());
  if (!fsync_directory(dir_)) {
    error = why("cannot make the person key directory durable");
    ::unlink(path.c_str());
    return std::nullopt;
  }
  std::unique_lock lock(mutex_);
  keys_.emplace(*key_of(id), *key);
  return Created{std::move(id), std::move(*key)};
}

std::optional<PersonKey> PersonKeys::find(std::string_view key_id) const {
  std::shared_lock lock(mutex_);
  const std::optional<KeyId> id = key_of(key_id);
  const auto it = id ? keys_.find(*id) : keys_.end();
  if (it == keys_.end()) return std::nullopt;
  return it->second;
}

bool PersonKeys::destroy(std::string_view key_id, std::string& error) {
  if (!engine::valid_person_key_id(key_id)) {
    error = "not a person key id";
    return false;
  }
  std::unique_lock lock(mutex_);
  const std::string path = path_of(key_id);
  if (const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW); fd >= 0) {
    const unsigned char zeros[kFileBytes] = {};
    const bool ok = write_all(fd, zeros, sizeof zeros) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) {
      error = why("cannot overwrite the person key " + path);
      return false;
    }
  } else if (errno != ENOENT) {
    error = why("cannot open the person key " + path);
    return false;
  }
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    error = why("cannot remove the person key " + path);
    return false;
  }
  if (!fsync_directory(dir_)) {
    error = why("cannot make the person key directory durable");
    return false;
  }
  keys_.erase(*key_of(key_id));  // PersonKey's destructor wipes the bytes (a valid id: checked above)
  return true;
}

std::size_t PersonKeys::size() const {
  std::shared_lock lock(mutex_);
  return keys_.size();
}

std::vector<std::string> PersonKeys::warnings() const {
  std::shared_lock lock(mutex_);
  return warnings_;
}

}  // namespace carebroker::person
