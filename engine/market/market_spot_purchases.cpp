// Market: the spot purchase after an unsourced package. When the route's last tier ends with
// no placement the package is unsourced, for the officer to buy the care outside the
// mini-competition (DOMAIN.md); the officer records what was bought (provider, rate, reason) so
// that reports can count spot purchases and how many were off the framework.
#include "engine/market/market.h"
#include "engine/market/market_emitter.h"

namespace carebroker::engine {
namespace {

constexpr std::size_t kMaxName = 200;
constexpr std::size_t kMaxReason = 2000;
constexpr Pence kMaxRate = 100'000'00;  // as an offer's price

}  // namespace

Reply Market::handle(const RecordSpotPurchase& c, Emitter& e) {
  const Package* p = find_package(c.package);
  if (!p) return {reject(Code::unknown_package, "no package " + std::to_string(c.package))};
  if (p->status != PackageStatus::unsourced)
    return {reject(Code::package_not_unsourced, "a spot purchase follows an unsourced package; package " +
                                                    std::to_string(c.package) + " is " + std::string(to_string(p->status)))};
  if (p->records->spot_purchase.recorded())
    return {reject(Code::spot_purchase_already_recorded, "package " + std::to_string(c.package) +
                                                             " already has its spot purchase recorded")};
  if (c.rate <= 0) return {reject(Code::price_not_positive, "rate " + std::to_string(c.rate) + " is not a positive number of pence")};
  if (c.rate > kMaxRate) return {reject(Code::price_outside_rate_band, format_pence(c.rate) + " is above £100,000")};
  if (c.reason.empty() || c.officer.empty())
    return {reject(Code::reason_required, "a spot purchase records the officer and the reason")};
  if (c.reason.size() > kMaxReason || c.provider.size() > kMaxName || c.location.size() > kMaxName)
    return {reject(Code::invalid_package, "provider and location up to 200 characters, reason up to 2000")};
  SpotPurchase purchase{.provider = c.provider, .location = c.location, .off_framework = true, .rate = c.rate,
                        .reason = c.reason, .officer = c.officer, .at = now_};
  if (const auto loc = find_location(c.location)) {
    const Location& l = locations_[*loc];
    if (!c.provider.empty() && c.provider != l.provider_id)
      return {reject(Code::location_not_of_provider, c.location + " is not a location of " + c.provider)};
    purchase.provider = l.provider_id;
    const Membership* m = l.membership_of(p->dps);
    purchase.off_framework = !m || m->status != MembershipStatus::admitted || !((m->lots >> p->lot) & 1U);
  } else if (c.provider.empty()) {
    return {reject(Code::unknown_location,
                   c.location.empty() ? "name the location bought from, or the provider if it is not registered here"
                                      : "no location " + c.location + " here: name the provider to record an off-framework purchase")};
  } else if (find_provider(c.provider)) {
    return {reject(Code::unknown_location, "name the location of " + c.provider + " that delivers the care")};
  }
  e.emit(SpotPurchaseRecorded{c.package, std::move(purchase)});
  return {Status{}, c.package};
}

void Market::apply_spot_purchase(const SpotPurchaseRecorded& e) {
  Package& p = package_mut(e.package);
  PackageRecords records = *p.records;
  records.spot_purchase = e.purchase;
  p.records = std::move(records);
}

}  // namespace carebroker::engine
