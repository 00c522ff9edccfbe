// The provider request-id table (request_table.h).
#include "engine/market/request_table.h"

#include <algorithm>

namespace carebroker::engine {

const RequestRecord* RequestTable::find(const RequestKey& key) const {
  if (const auto it = records_.find(key.hash()); it != records_.end() && same(it->second, key)) return &it->second.record;
  for (const auto& [k, record] : collided_)
    if (k == key) return &record;
  return nullptr;
}

void RequestTable::insert(const RequestKey& key, RequestRecord record) {
  const auto it = records_.find(key.hash());
  if (it != records_.end()) {
    if (same(it->second, key) || find(key)) return;  // recorded already
    collided_.emplace_back(key, record);
    return;
  }
  if (ids_.size() <= record.package) ids_.resize(record.package + 1);
  std::string& arena = ids_[record.package];
  const std::uint32_t provider = key.provider();
  const std::string_view id = key.id();
  arena.append(reinterpret_cast<const char*>(&provider), sizeof provider);
  arena.push_back(static_cast<char>(id.size()));
  Stored s;
  s.provider = provider;
  s.offset = static_cast<std::uint32_t>(arena.size());
  s.size = static_cast<std::uint8_t>(id.size());
  s.record = record;
  arena.append(id);
  records_.emplace(key.hash(), s);
}

void RequestTable::erase_package(PackageId package) {
  if (package == 0 || package >= ids_.size()) return;
  const std::string& arena = ids_[package];
  for (std::size_t at = 0; at + sizeof(std::uint32_t) + 1 <= arena.size();) {
    std::uint32_t provider = 0;
    std::copy_n(arena.data() + at, sizeof provider, reinterpret_cast<char*>(&provider));
    const auto size = static_cast<std::uint8_t>(arena[at + sizeof provider]);
    at += sizeof provider + 1;
    const RequestKey key(provider, std::string_view(arena).substr(at, size));
    if (const auto it = records_.find(key.hash());
        it != records_.end() && it->second.record.package == package && it->second.offset == at)
      records_.erase(it);
    at += size;
  }
  std::erase_if(collided_, [&](const auto& c) { return c.second.package == package; });
  ids_[package] = std::string();  // frees the arena
}

}  // namespace carebroker::engine
