// Failed authentication per client address: a fixed window from the first failure, an LRU bound.
#include "gateway/auth_failures.h"

#include <algorithm>
#include <iterator>
#include <utility>

namespace carebroker::gateway {

AuthFailureLimiter::AuthFailureLimiter(AuthFailureLimits limits, Clock clock)
    : limits_(limits), clock_(std::move(clock)) {}

std::chrono::steady_clock::time_point AuthFailureLimiter::now() const {
  return clock_ ? clock_() : std::chrono::steady_clock::now();
}

std::optional<std::chrono::seconds> AuthFailureLimiter::retry_after(const std::string& address) {
  if (limits_.max_failures == 0) return std::nullopt;
  const auto t = now();
  std::lock_guard lock(mutex_);
  const auto found = by_address_.find(address);
  if (found == by_address_.end()) return std::nullopt;
  const Entry& e = *found->second;
  const auto ends = e.window_start + limits_.window;
  if (t >= ends) {  // the window has passed: forget it
    order_.erase(found->second);
    by_address_.erase(found);
    return std::nullopt;
  }
  if (e.failures < limits_.max_failures) return std::nullopt;
  const auto left = std::chrono::ceil<std::chrono::seconds>(ends - t);
  return std::max(left, std::chrono::seconds(1));
}

void AuthFailureLimiter::failed(const std::string& address) {
  if (limits_.max_failures == 0 || limits_.max_addresses == 0) return;
  const auto t = now();
  std::lock_guard lock(mutex_);
  if (const auto found = by_address_.find(address); found != by_address_.end()) {
    Entry& e = *found->second;
    if (t < e.window_start + limits_.window) {
      ++e.failures;
      return;
    }
    order_.erase(found->second);  // a new window: it moves to the back
    by_address_.erase(found);
  }
  while (by_address_.size() >= limits_.max_addresses) {  // bounded: the oldest window goes
    by_address_.erase(order_.front().address);
    order_.pop_front();
  }
  order_.push_back(Entry{address, t, 1});
  by_address_.emplace(address, std::prev(order_.end()));
}

std::size_t AuthFailureLimiter::tracked() const {
  std::lock_guard lock(mutex_);
  return by_address_.size();
}

}  // namespace carebroker::gateway
