// Shared<T>: one immutable value held by many owners. A package's spec, its person's details and
// the locations it was first broadcast to are written once, in an event, and then held unchanged
// by that event and by each of the process's three markets (the writer and its two replicas
// apply the same event objects): with Shared they hold one object, not four deep copies.
// A value type over std::shared_ptr<const T>: a copy counts a reference (atomically, so copies
// may live on the writer's and the replicas' threads). It is never null: a default-constructed
// or moved-from Shared, or one given an empty string or container, is the one static empty T —
// no allocation, no reference count. Equality compares the values; the engine's walkers
// (digest.h, serialize.h, the journal codec) see the T it holds, so a Shared<T> field digests,
// snapshots and journals byte for byte as a T. To change the value, build a new T and assign it.
// Thread-safety: the held T is never written; a Shared object itself is as thread-safe as a
// std::shared_ptr (one object is not written by one thread while another reads it).
#pragma once

#include <memory>
#include <utility>

namespace carebroker::engine {

template <typename T>
class Shared {
 public:
  using element_type = T;

  Shared() noexcept : ptr_(empty()) {}
  /// Holds `value` (implicitly: a Shared<T> field is initialised from a T).
  Shared(T value)  // NOLINT(google-explicit-constructor)
      : ptr_(is_empty(value) ? empty() : std::make_shared<const T>(std::move(value))) {}
  Shared(const Shared&) noexcept = default;
  Shared(Shared&& other) noexcept : ptr_(std::exchange(other.ptr_, empty())) {}
  Shared& operator=(Shared other) noexcept {
    ptr_.swap(other.ptr_);
    return *this;
  }
  ~Shared() = default;

  const T& operator*() const noexcept { return *ptr_; }
  const T* operator->() const noexcept { return ptr_.get(); }
  /// The held value's address: the same for every copy of one Shared.
  const T* get() const noexcept { return ptr_.get(); }

  friend bool operator==(const Shared& a, const Shared& b) { return a.ptr_ == b.ptr_ || *a == *b; }

 private:
  static bool is_empty(const T& value) {
    if constexpr (requires { value.empty(); })
      return value.empty();
    else
      return false;
  }
  /// Points at kEmpty and owns nothing (shared_ptr's aliasing constructor, no control block).
  static std::shared_ptr<const T> empty() noexcept { return std::shared_ptr<const T>(std::shared_ptr<const T>(), &kEmpty); }

  // Not constinit: clang 14 cannot constant-evaluate libstdc++ 12's std::string() (the fuzz and
  // sanitizer tree builds with clang); GCC still initializes it at compile time.
  static inline const T kEmpty{};
  std::shared_ptr<const T> ptr_;
};

}  // namespace carebroker::engine
