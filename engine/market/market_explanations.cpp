// Market: a provider explains its abnormally low offer. When an offer is flagged (OfferPlaced's
// abnormally_low) its location is asked for an explanation on its stream; it answers with
// ExplainOffer while the officer has not decided, and may explain again (the latest counts).
// The officer's decision (DecideAbnormallyLow, market_packages.cpp) goes back to it. An
// explanation is of the offer as it was: amending the offer, or a new step, drops it.
#include <algorithm>

#include "engine/market/market.h"
#include "engine/market/market_emitter.h"

namespace carebroker::engine {
namespace {

constexpr std::size_t kMaxExplanation = 2000;

}  // namespace

Reply Market::handle(const ExplainOffer& c, Emitter& e) {
  const auto loc = find_location(c.location);
  ProviderRequest r;
  Reply replayed;
  if (Status s = provider_request(c.provider, c.location, loc, c.request_id, c.package, payload_hash(c, loc), r, replayed);
      !s.ok())
    return {s};
  if (replayed.replayed) return replayed;
  const Package& p = *r.package;
  if (is_closed(p.status))
    return {reject(Code::package_closed, "package " + std::to_string(c.package) + " is " + std::string(to_string(p.status)))};
  const Offer* offer = p.offer_of(r.location);
  if (!offer || offer->withdrawn) return {reject(Code::no_offer, c.location + " has no offer on this package")};
  if (offer->abnormally_low == AbnormallyLow::not_flagged)
    return {reject(Code::not_abnormally_low, "the offer is not flagged abnormally low: nothing to explain")};
  if (offer->abnormally_low != AbnormallyLow::pending)
    return {reject(Code::decision_already_made,
                   "the officer already " + std::string(to_string(offer->abnormally_low)) + " the offer")};
  if (c.explanation.empty()) return {reject(Code::explanation_required, "give the explanation in words")};
  if (c.explanation.size() > kMaxExplanation)
    return {reject(Code::notes_too_long, "an explanation is limited to 2000 characters")};
  e.emit(OfferExplained{c.package, r.location, std::move(r.ref), c.explanation, now_});
  return {Status{}, c.package};
}

void Market::apply_explained(const OfferExplained& e) {
  Package& p = package_mut(e.package);
  PackageRecords records = *p.records;
  auto& list = records.explanations;
  const auto it = std::find_if(list.begin(), list.end(), [&](const OfferExplanation& x) { return x.location == e.location; });
  if (it != list.end())
    *it = OfferExplanation{e.location, e.explanation, e.at};
  else
    list.push_back(OfferExplanation{e.location, e.explanation, e.at});
  p.records = std::move(records);
  remember_request(e.request, e.package, e.location);
}

void Market::forget_explanations(Package& p, std::optional<LocationIndex> of) {
  if (p.records->explanations.empty()) return;
  PackageRecords records = *p.records;
  auto& list = records.explanations;
  list.erase(std::remove_if(list.begin(), list.end(),
                            [&](const OfferExplanation& x) { return !of || x.location == *of; }),
             list.end());
  p.records = std::move(records);
}

}  // namespace carebroker::engine
