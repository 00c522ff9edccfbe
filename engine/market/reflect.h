// Type traits shared by the engine's generic walkers over market values (digest.h,
// serialize.h): which standard containers a type is. Aggregates are walked field by field with
// Boost.PFR. Header-only; compile-time only.
#pragma once

#include <map>
#include <optional>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

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

}  // namespace carebroker::engine
