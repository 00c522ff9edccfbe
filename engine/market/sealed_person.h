// The person behind a package as the market holds and journals it: sealed. The gateway seals a
// person's details (name, address, postcode, case reference) with a key of that person's own
// (AES-256-GCM, engine/person/person_seal.h) before it posts the package, and opens them where
// they are released; the engine never sees them in clear and never needs to: it keeps, journals,
// snapshots and archives the sealed bytes as they came. Erasure (UK GDPR) destroys the key, so
// every copy of the bytes becomes unreadable, while the journal's audit chain, which covers the
// bytes, stays valid. See the README's "Personal data".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/market/boxed.h"

namespace carebroker::engine {

/// How a SealedPerson holds the details: its `form` byte.
enum class PersonForm : std::uint8_t {
  /// Journals and archive records written before sealing held the details in clear: they read
  /// back in the four legacy fields. Never written now.
  legacy_clear = 0,
  /// AES-256-GCM under the key `key_id` names (format 1 of engine/person/person_seal.h).
  sealed = 1,
  /// Erased (a PersonErased event): no details are held, and the key is destroyed.
  erased = 2,
};

inline constexpr std::size_t kPersonNonceBytes = 12;  ///< a GCM nonce
inline constexpr std::size_t kPersonTagBytes = 16;    ///< a GCM tag, at the end of `sealed`
inline constexpr std::size_t kPersonKeyIdChars = 32;  ///< 16 random bytes in lower-case hex
inline constexpr std::size_t kMaxSealedPersonBytes = 8192;

struct SealedPerson {
  // legacy_clear only (read from an old journal or archive record); empty in every other form.
  // Boxed: 8 bytes each and nothing allocated in every other form (every live package holds one).
  Boxed<std::string> name;
  Boxed<std::string> address;
  Boxed<std::string> postcode;
  Boxed<std::string> case_reference;
  std::uint8_t form = 0;  ///< a PersonForm
  std::string key_id;     ///< which key of the person key store (sealed; kept when erased)
  std::string nonce;      ///< bytes: kPersonNonceBytes (sealed)
  std::string sealed;     ///< bytes: the ciphertext, then the kPersonTagBytes GCM tag (sealed)
  bool operator==(const SealedPerson&) const = default;

  PersonForm person_form() const { return static_cast<PersonForm>(form); }
  bool is_sealed() const { return person_form() == PersonForm::sealed; }
  bool is_erased() const { return person_form() == PersonForm::erased; }
  bool is_legacy() const { return person_form() == PersonForm::legacy_clear; }
};

/// A key id as the person key store makes them: kPersonKeyIdChars lower-case hex digits.
bool valid_person_key_id(std::string_view key_id);

/// Why `person` is not a well-formed sealed person as a posting must carry ("" when it is): the
/// sealed form, a valid key id, a 12-byte nonce, a ciphertext with its tag within the size
/// limit, and nothing in the legacy clear fields. The engine checks the shape only; the
/// cryptography is the gateway's.
std::string sealed_person_problem(const SealedPerson& person);

/// The record a package keeps once it is retired to the archive (whose record has it whole):
/// the form and the key id, so that its person can still be erased; nothing for a legacy one.
SealedPerson retired_person(const SealedPerson& person);

/// The record of an erased person: the erased form and the key id (so the key store can be
/// swept of the key if the process stopped before destroying it), nothing else.
SealedPerson erased_person(const SealedPerson& person);

}  // namespace carebroker::engine
