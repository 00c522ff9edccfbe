// Sealing a newly posted person and releasing a held one, over the person key store: what the
// gateway does at its edge (posting, the officer's view, the accepting location's release,
// erasure). A released person is available, erased, key_missing (sealed, but the store has no
// key and the market no erasure: the key was lost) or tampered (the sealed bytes fail GCM
// authentication): always a clear state, never an exception.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/person/person_keys.h"

namespace carebroker::engine {
class Market;
}  // namespace carebroker::engine

namespace carebroker::person {

enum class PersonStatus : std::uint8_t { available, erased, key_missing, tampered };
/// "available", "erased", "key_missing", "tampered".
std::string_view to_string(PersonStatus);

struct ReleasedPerson {
  PersonStatus status = PersonStatus::available;
  engine::PersonDetails details;  ///< available only
};

/// `person` as it may be shown: opened with its key (or an old journal's clear form as it was).
ReleasedPerson release(const engine::SealedPerson& person, const PersonKeys& keys);

/// Makes a key for a new person, durably, and seals `details` under it; nullopt with `error`.
std::optional<engine::SealedPerson> seal_new(const engine::PersonDetails& details, PersonKeys& keys, std::string& error);

/// `details` sealed under a fresh key kept nowhere: for programs that post to the market
/// directly and never release a person (simulations, benchmarks, the crash test's driver). No
/// one can ever open it; the market holds it as it holds any sealed person. Throws
/// std::runtime_error when OpenSSL fails (those programs stop).
engine::SealedPerson seal_unkept(const engine::PersonDetails& details);

/// Destroys the keys of every erased person `market` holds that the store still has (a process
/// that stopped between journaling an erasure and destroying the key finishes it at start-up);
/// the number destroyed, or nullopt with `error`.
std::optional<std::size_t> sweep_erased(const engine::Market& market, PersonKeys& keys, std::string& error);

}  // namespace carebroker::person
