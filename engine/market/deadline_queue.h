// The packages' pending deadlines (a window closing, an award expiring, a placement's end),
// earliest first. Each market holds one per live package, so it is a binary min-heap of
// (when, package) in one array, 16 bytes an entry (a std::set node was 48), with lazy removal:
// a package has at most one deadline, its time kept per package; an entry whose time is no
// longer its package's is stale and is dropped when it reaches the top. The top is never stale
// after a change, so earliest() is always a package's real deadline.
//
// Threading: not thread-safe (a market's, on its one thread).
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <utility>
#include <vector>

#include "engine/market/types.h"

namespace carebroker::engine {

class DeadlineQueue {
 public:
  using Entry = std::pair<UtcMillis, PackageId>;

  /// Forgets every deadline and sizes the per-package times for `packages` (ids 1..packages).
  void reset(std::size_t packages) {
    heap_.clear();
    when_of_.assign(packages, 0);
  }
  /// Makes room for the next package id (packages are numbered 1, 2, … as they are posted).
  void add_package() { when_of_.push_back(0); }

  /// Sets package `id`'s deadline to `when` (0 clears it), replacing any it had.
  void set(PackageId id, UtcMillis when) {
    UtcMillis& current = when_of_[id - 1];
    if (current == when) return;
    current = when;
    if (when != 0) {
      heap_.emplace_back(when, id);
      std::push_heap(heap_.begin(), heap_.end(), std::greater<>{});
    }
    drop_stale();
  }
  void clear(PackageId id) { set(id, 0); }

  bool empty() const { return heap_.empty(); }
  /// The earliest deadline and its package; ties go to the lower package id. REQUIRES: !empty().
  const Entry& earliest() const { return heap_.front(); }
  /// Entries held, stale ones included (tests).
  std::size_t held() const { return heap_.size(); }

 private:
  void drop_stale() {
    while (!heap_.empty() && when_of_[heap_.front().second - 1] != heap_.front().first) {
      std::pop_heap(heap_.begin(), heap_.end(), std::greater<>{});
      heap_.pop_back();
    }
  }

  std::vector<Entry> heap_;       // a min-heap under std::greater
  std::vector<UtcMillis> when_of_;  // per package (id N at index N-1); 0 = none
};

}  // namespace carebroker::engine
