// A sealed person's shape checks and the records it leaves when retired or erased; see
// sealed_person.h.
#include "engine/market/sealed_person.h"

#include <algorithm>

namespace carebroker::engine {

bool valid_person_key_id(std::string_view key_id) {
  return key_id.size() == kPersonKeyIdChars && std::all_of(key_id.begin(), key_id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string sealed_person_problem(const SealedPerson& p) {
  if (!p.is_sealed()) return "the person's details must be sealed (form 1), never in clear";
  if (!p.name->empty() || !p.address->empty() || !p.postcode->empty() || !p.case_reference->empty())
    return "a sealed person carries no clear-text fields";
  if (!valid_person_key_id(p.key_id)) return "the sealed person's key id must be 32 lower-case hex digits";
  if (p.nonce.size() != kPersonNonceBytes) return "the sealed person's nonce must be 12 bytes";
  if (p.sealed.size() < kPersonTagBytes || p.sealed.size() > kMaxSealedPersonBytes)
    return "the sealed person's ciphertext must be 16..8192 bytes (with its tag)";
  return {};
}

SealedPerson retired_person(const SealedPerson& p) {
  if (p.is_legacy()) return {};
  SealedPerson kept;
  kept.form = p.form;
  kept.key_id = p.key_id;
  return kept;
}

SealedPerson erased_person(const SealedPerson& p) {
  SealedPerson erased;
  erased.form = static_cast<std::uint8_t>(PersonForm::erased);
  erased.key_id = p.key_id;
  return erased;
}

}  // namespace carebroker::engine
