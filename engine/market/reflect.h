// Type traits shared by the engine's generic walkers over market values (digest.h,
// serialize.h, the journal codec): which standard containers a type is, which holds a value
// through a pointer or in fewer bytes (Shared<T>, Boxed<T>, CompactInt<T, N>: walked as the T),
// and the order in which an aggregate's fields are walked — Boost.PFR's declaration order,
// unless the struct declares another with walk_order (a struct laid out for size).
// Header-only; compile-time only.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include <boost/pfr/core.hpp>

#include "engine/market/boxed.h"
#include "engine/market/compact_int.h"
#include "engine/market/shared.h"

namespace carebroker::engine {

template <typename T>
struct is_vector : std::false_type {};
template <typename T, typename A>
struct is_vector<std::vector<T, A>> : std::true_type {};
template <typename T>
struct is_optional : std::false_type {};
template <typename T>
struct is_optional<std::optional<T>> : std::true_type {};
template <typename T>
struct is_variant : std::false_type {};
template <typename... T>
struct is_variant<std::variant<T...>> : std::true_type {};
template <typename T>
struct is_ordered_map : std::false_type {};
template <typename K, typename V, typename C, typename A>
struct is_ordered_map<std::map<K, V, C, A>> : std::true_type {};
template <typename T>
struct is_unordered_map : std::false_type {};
template <typename K, typename V, typename H, typename E, typename A>
struct is_unordered_map<std::unordered_map<K, V, H, E, A>> : std::true_type {};
template <typename T>
struct is_pair : std::false_type {};
template <typename A, typename B>
struct is_pair<std::pair<A, B>> : std::true_type {};
/// Holds one T through a pointer, or in fewer bytes (`*v`, `element_type`, built from a T):
/// walked as the T.
template <typename T>
struct is_indirect : std::false_type {};
template <typename T>
struct is_indirect<Shared<T>> : std::true_type {};
template <typename T>
struct is_indirect<Boxed<T>> : std::true_type {};
template <std::signed_integral T, std::size_t Bytes>
struct is_indirect<CompactInt<T, Bytes>> : std::true_type {};
/// An integer held in fewer bytes (compact_int.h): a scalar wherever its T is one.
template <typename T>
struct is_compact_int : std::false_type {};
template <std::signed_integral T, std::size_t Bytes>
struct is_compact_int<CompactInt<T, Bytes>> : std::true_type {};

/// A struct whose fields are declared in another order than the one they are digested,
/// snapshotted and journaled in (e.g. largest first, to leave no padding) specialises this with
/// `static constexpr std::tuple fields{&T::a, &T::b, …}`: every field once, in walking order.
template <typename T>
struct walk_order;

template <typename T>
concept has_walk_order = requires { walk_order<T>::fields; };

template <typename T>
using walk_order_fields = std::remove_cvref_t<decltype(walk_order<T>::fields)>;

/// Walked fields A and B of T are different members (members of different types always are).
template <typename T, std::size_t A, std::size_t B>
constexpr bool walked_fields_differ() {
  if constexpr (std::is_same_v<std::tuple_element_t<A, walk_order_fields<T>>, std::tuple_element_t<B, walk_order_fields<T>>>)
    return std::get<A>(walk_order<T>::fields) != std::get<B>(walk_order<T>::fields);
  else
    return true;
}

template <typename T, std::size_t A, std::size_t... B>
constexpr bool walked_field_differs_from_later(std::index_sequence<B...>) {
  return ((B <= A || walked_fields_differ<T, A, B>()) && ...);
}

/// walk_order<T>::fields names as many fields as T has, none twice: each field once.
template <typename T>
constexpr bool walk_order_names_each_field_once() {
  constexpr std::size_t n = std::tuple_size_v<walk_order_fields<T>>;
  if constexpr (n != boost::pfr::tuple_size_v<T>) {
    return false;
  } else {
    return []<std::size_t... A>(std::index_sequence<A...>) {
      return (walked_field_differs_from_later<T, A>(std::make_index_sequence<n>{}) && ...);
    }(std::make_index_sequence<n>{});
  }
}

/// Field I of `v` in walking order (T may be const).
template <std::size_t I, typename T>
constexpr decltype(auto) walked_field(T& v) {
  using U = std::remove_const_t<T>;
  if constexpr (has_walk_order<U>) {
    static_assert(walk_order_names_each_field_once<U>(), "walk_order must name every field of its struct once");
    return (v.*std::get<I>(walk_order<U>::fields));
  } else {
    return boost::pfr::get<I>(v);
  }
}

/// The type of field I of T in walking order.
template <typename T, std::size_t I>
using walked_field_t = std::remove_cvref_t<decltype(walked_field<I>(std::declval<T&>()))>;

/// Calls f(field) for each field of aggregate `v` in walking order.
template <typename T, typename F>
void for_each_walked_field(T& v, F&& f) {
  using U = std::remove_const_t<T>;
  if constexpr (has_walk_order<U>) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (f(walked_field<I>(v)), ...);
    }(std::make_index_sequence<boost::pfr::tuple_size_v<U>>{});
  } else {
    boost::pfr::for_each_field(v, f);
  }
}

}  // namespace carebroker::engine
