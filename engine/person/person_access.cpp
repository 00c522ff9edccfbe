// Sealing and releasing a person over the key store; see person_access.h.
#include "engine/person/person_access.h"

#include <stdexcept>

#include "engine/market/market.h"

namespace carebroker::person {

std::string_view to_string(PersonStatus s) {
  switch (s) {
    case PersonStatus::available: return "available";
    case PersonStatus::erased: return "erased";
    case PersonStatus::key_missing: return "key_missing";
    case PersonStatus::tampered: return "tampered";
  }
  return "unknown";
}

ReleasedPerson release(const engine::SealedPerson& person, const PersonKeys& keys) {
  switch (person.person_form()) {
    case engine::PersonForm::legacy_clear:
      return {PersonStatus::available, {*person.name, *person.address, *person.postcode, *person.case_reference}};
    case engine::PersonForm::erased: return {PersonStatus::erased, {}};
    case engine::PersonForm::sealed: break;
  }
  if (person.person_form() != engine::PersonForm::sealed) return {PersonStatus::tampered, {}};  // an unknown form
  const std::optional<PersonKey> key = keys.find(person.key_id);
  if (!key) return {PersonStatus::key_missing, {}};
  std::optional<engine::PersonDetails> details = open(person, *key);
  if (!details) return {PersonStatus::tampered, {}};
  return {PersonStatus::available, std::move(*details)};
}

std::optional<engine::SealedPerson> seal_new(const engine::PersonDetails& details, PersonKeys& keys, std::string& error) {
  std::optional<PersonKeys::Created> created = keys.create(error);
  if (!created) return std::nullopt;
  std::optional<engine::SealedPerson> sealed = seal(details, created->key_id, created->key, error);
  if (!sealed) {
    std::string ignored;
    (void)keys.destroy(created->key_id, ignored);  // no package will use it
  }
  return sealed;
}

engine::SealedPerson seal_unkept(const engine::PersonDetails& details) {
  std::string error;
  const std::optional<PersonKey> key = new_key();
  const std::string key_id = new_key_id();
  std::optional<engine::SealedPerson> sealed =
      key && !key_id.empty() ? seal(details, key_id, *key, error) : std::nullopt;
  if (!sealed) throw std::runtime_error("cannot seal a person: " + (error.empty() ? "no random bytes" : error));
  return std::move(*sealed);
}

std::optional<std::size_t> sweep_erased(const engine::Market& market, PersonKeys& keys, std::string& error) {
  std::size_t destroyed = 0;
  for (engine::PackageId id = 1; id <= market.package_count(); ++id) {
    const engine::SealedPerson* p = market.person(id);
    if (!p || !p->is_erased() || !engine::valid_person_key_id(p->key_id) || !keys.find(p->key_id)) continue;
    if (!keys.destroy(p->key_id, error)) return std::nullopt;
    ++destroyed;
  }
  return destroyed;
}

}  // namespace carebroker::person
