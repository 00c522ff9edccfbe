// A person's details sealed with that person's own key: AES-256-GCM through OpenSSL's EVP
// interface (no cryptography of our own). Format 1 (engine::PersonForm::sealed): the plaintext
// is the four fields (name, address, postcode, case reference), each a 4-byte little-endian
// length and its bytes; a fresh random 12-byte nonce per sealing; the associated data is
// "carebroker-person-v1:" and the key id, so sealed bytes moved under another key id fail to
// open; the 16-byte tag follows the ciphertext. Pure functions of their inputs (but the random
// nonce and keys): thread-safe.
#pragma once

#include <array>
#include <optional>
#include <string>

#include "engine/market/package.h"

namespace carebroker::person {

inline constexpr std::size_t kKeyBytes = 32;

/// A person's key: 32 random bytes, wiped (OPENSSL_cleanse) when the object goes.
class PersonKey {
 public:
  PersonKey() = default;
  PersonKey(const PersonKey&) = default;
  PersonKey& operator=(const PersonKey&) = default;
  ~PersonKey();
  std::array<unsigned char, kKeyBytes> bytes{};
};

/// A new random key (OpenSSL RAND_bytes); nullopt when the generator fails.
std::optional<PersonKey> new_key();
/// A new random key id: 16 random bytes as 32 lower-case hex digits; "" when the generator fails.
std::string new_key_id();

/// `details` sealed under `key` (named `key_id`); nullopt with `error` when OpenSSL fails or
/// the details are too long for kMaxSealedPersonBytes.
std::optional<engine::SealedPerson> seal(const engine::PersonDetails& details, const std::string& key_id,
                                         const PersonKey& key, std::string& error);

/// The details of a sealed person opened with `key`; nullopt when they fail authentication
/// (the ciphertext, nonce, tag or key id were altered, or the key is not theirs).
std::optional<engine::PersonDetails> open(const engine::SealedPerson& sealed, const PersonKey& key);

}  // namespace carebroker::person
