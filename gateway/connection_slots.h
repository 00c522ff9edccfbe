// Who may hold a connection: the server's cap on open connections, in total and per client
// address, so that idle or half-open sockets from one address cannot lock everyone else out.
// The listener takes a slot for each accepted socket before any byte is read; the slot follows
// the connection (HTTP session → WebSocket session) and is given back when the last owner lets
// go of it. No Beast or Asio here.
// Thread-safe: slots are taken on the acceptor's strand and given back on any I/O thread.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace carebroker::gateway {

class ConnectionSlots {
 public:
  /// A held slot; move-only, given back by its destructor.
  class Slot {
   public:
    Slot() = default;
    Slot(Slot&& other) noexcept : owner_(other.owner_), address_(std::move(other.address_)) { other.owner_ = nullptr; }
    Slot& operator=(Slot&& other) noexcept;
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot() { release(); }
    const std::string& address() const { return address_; }

   private:
    friend class ConnectionSlots;
    Slot(ConnectionSlots* owner, std::string address) : owner_(owner), address_(std::move(address)) {}
    void release();
    ConnectionSlots* owner_ = nullptr;
    std::string address_;
  };

  /// Why a connection was refused.
  enum class Refusal { none, total, per_address };

  ConnectionSlots(std::size_t max_total, std::size_t max_per_address)
      : max_total_(max_total), max_per_address_(max_per_address) {}
  ConnectionSlots(const ConnectionSlots&) = delete;
  ConnectionSlots& operator=(const ConnectionSlots&) = delete;

  /// A slot for a connection from `address`, or nullopt (and why) when a limit is reached.
  std::optional<Slot> take(const std::string& address, Refusal& why);

  std::size_t open() const;
  std::size_t open_from(const std::string& address) const;

 private:
  void give_back(const std::string& address);

  const std::size_t max_total_;
  const std::size_t max_per_address_;
  mutable std::mutex mutex_;
  std::size_t total_ = 0;                                   // guarded by mutex_
  std::unordered_map<std::string, std::size_t> by_address_;  // guarded by mutex_
};

}  // namespace carebroker::gateway
