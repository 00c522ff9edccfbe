// Market: personal data (issue 13). A package's person is held sealed (sealed_person.h); an
// admin's erasure (UK GDPR) marks it erased — that package's and every other package's holding
// the same key (a replacement carries its original's person) — and the gateway destroys the key.
// The market keeps only the erased form and the key id, so later snapshots and archive records
// hold no ciphertext either.
#include "engine/market/market.h"
#include "engine/market/market_emitter.h"

namespace carebroker::engine {
namespace {

constexpr std::size_t kMaxReason = 200;

/// Whether `held` is the same person's record as `erased` was before its erasure.
bool same_person(const SealedPerson& held, const SealedPerson& erased) {
  if (!erased.key_id.empty()) return held.key_id == erased.key_id;
  return held.is_legacy() && held == erased;  // an old journal's clear form: the same details
}

}  // namespace

Reply Market::handle(const ErasePerson& c, Emitter& e) {
  if (c.package == 0 || c.package > packages_.size())
    return {reject(Code::unknown_package, "no package " + std::to_string(c.package))};
  if (people_[c.package - 1]->is_erased())
    return {reject(Code::person_already_erased, "the person of package " + std::to_string(c.package) + " is already erased")};
  if (c.reason.empty() || c.reason.size() > kMaxReason)
    return {reject(Code::reason_required, "an erasure records a reason of 1..200 characters")};
  e.emit(PersonErased{c.package, c.by, c.reason, now_});
  return {Status{}, c.package};
}

void Market::apply_person_erased(const PersonErased& e) {
  const SealedPerson before = *people_[e.package - 1];
  const Shared<SealedPerson> erased(erased_person(before));
  // A legacy record with no details left (a retired package from before sealing) is no one's
  // but its own package's.
  const bool matches_others = !before.key_id.empty() || !(before == SealedPerson{});
  for (std::size_t i = 0; i < people_.size(); ++i)
    if (i + 1 == e.package || (matches_others && !people_[i]->is_erased() && same_person(*people_[i], before)))
      people_[i] = erased;
}

}  // namespace carebroker::engine
