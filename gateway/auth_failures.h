// Failed authentication, counted per client address: after `max_failures` unknown, expired or
// revoked tokens from one address within `window` (from its first failure), that address is
// refused (429 too_many_auth_failures, Retry-After) until the window has passed. Successes are
// never counted, so many clients behind one address that authenticate correctly (the load tool,
// a proxy) are never held back. Memory is bounded: at most `max_addresses` are tracked, and the
// one whose window started first is forgotten to make room. Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace carebroker::gateway {

struct AuthFailureLimits {
  std::size_t max_failures = 20;          ///< per address and window (0 = no limit)
  std::chrono::seconds window{60};
  std::size_t max_addresses = 10'000;     ///< addresses tracked at once
};

class AuthFailureLimiter {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  explicit AuthFailureLimiter(AuthFailureLimits limits = {}, Clock clock = {});

  /// Whole seconds until `address` may try again (at least 1); nullopt when it is not held back.
  std::optional<std::chrono::seconds> retry_after(const std::string& address);
  /// Counts one failed authentication from `address`.
  void failed(const std::string& address);
  /// Addresses tracked now (for tests and /metrics).
  std::size_t tracked() const;

 private:
  struct Entry {
    std::string address;
    std::chrono::steady_clock::time_point window_start;
    std::size_t failures = 0;
  };
  std::chrono::steady_clock::time_point now() const;
  AuthFailureLimits limits_;
  Clock clock_;
  mutable std::mutex mutex_;
  std::list<Entry> order_;  // oldest window first
  std::unordered_map<std::string, std::list<Entry>::iterator> by_address_;
};

}  // namespace carebroker::gateway
