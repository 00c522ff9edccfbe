// Boxed<T>: a T held on the heap, for a field that is usually empty in a struct held by the
// million — an offer's note: an empty Boxed is one null pointer (8 bytes, no allocation) where a
// std::string is 32. A value type: copying copies the T; never null to its reader (an empty one
// reads as the static empty T). Equality compares the values; the engine's walkers (digest.h,
// serialize.h, the journal codec) see the T it holds, so a Boxed<T> field digests, snapshots and
// journals byte for byte as a T. Not thread-safe (a plain value).
#pragma once

#include <memory>
#include <utility>

namespace carebroker::engine {

template <typename T>
class Boxed {
 public:
  using element_type = T;

  Boxed() noexcept = default;
  /// Holds `value`; an empty string or container holds nothing (implicit, as a T field is set).
  Boxed(T value)  // NOLINT(google-explicit-constructor)
      : ptr_(value.empty() ? nullptr : std::make_unique<const T>(std::move(value))) {}
  Boxed(const Boxed& other) : ptr_(other.ptr_ ? std::make_unique<const T>(*other.ptr_) : nullptr) {}
  Boxed(Boxed&&) noexcept = default;
  Boxed& operator=(Boxed other) noexcept {
    ptr_.swap(other.ptr_);
    return *this;
  }
  ~Boxed() = default;

  const T& operator*() const noexcept { return ptr_ ? *ptr_ : kEmpty; }
  const T* operator->() const noexcept { return &**this; }

  friend bool operator==(const Boxed& a, const Boxed& b) { return *a == *b; }

 private:
  // Not constinit: clang 14 cannot constant-evaluate libstdc++ 12's std::string() (the fuzz and
  // sanitizer tree builds with clang); GCC still initializes it at compile time.
  static inline const T kEmpty{};
  std::unique_ptr<const T> ptr_;
};

}  // namespace carebroker::engine
