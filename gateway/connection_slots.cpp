// Connection slots: counts in total and per address under one mutex.
#include "gateway/connection_slots.h"

namespace carebroker::gateway {

ConnectionSlots::Slot& ConnectionSlots::Slot::operator=(Slot&& other) noexcept {
  if (this != &other) {
    release();
    owner_ = other.owner_;
    address_ = std::move(other.address_);
    other.owner_ = nullptr;
  }
  return *this;
}

void ConnectionSlots::Slot::release() {
  if (owner_) owner_->give_back(address_);
  owner_ = nullptr;
}

std::optional<ConnectionSlots::Slot> ConnectionSlots::take(const std::string& address, Refusal& why) {
  std::lock_guard lock(mutex_);
  if (total_ >= max_total_) {
    why = Refusal::total;
    return std::nullopt;
  }
  std::size_t& mine = by_address_[address];
  if (mine >= max_per_address_) {
    why = Refusal::per_address;
    return std::nullopt;
  }
  ++mine;
  ++total_;
  why = Refusal::none;
  return Slot(this, address);
}

void ConnectionSlots::give_back(const std::string& address) {
  std::lock_guard lock(mutex_);
  --total_;
  auto it = by_address_.find(address);
  if (it != by_address_.end() && --it->second == 0) by_address_.erase(it);
}

std::size_t ConnectionSlots::open() const {
  std::lock_guard lock(mutex_);
  return total_;
}

std::size_t ConnectionSlots::open_from(const std::string& address) const {
  std::lock_guard lock(mutex_);
  auto it = by_address_.find(address);
  return it == by_address_.end() ? 0 : it->second;
}

}  // namespace carebroker::gateway
