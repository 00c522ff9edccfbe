// Market: offers and award answers from providers. Sealed offers are placed, amended and
// withdrawn while the window is open; every provider request carries a request id that is
// unique per provider, so a retry returns the original reply and a reused id is refused.
#include <algorithm>
#include <cassert>

#include "engine/market/digest.h"
#include "engine/market/market.h"
#include "engine/market/market_emitter.h"
#include "engine/market/must_meet.h"

namespace carebroker::engine {
namespace {

constexpr std::size_t kMaxNotes = 2000;
constexpr Pence kMaxPrice = 100'000'00;  // £100,000: no unit of care costs more
static_assert(kMaxPrice <= decltype(Offer::price)::kMax, "an offer holds its price in fewer bytes (package.h)");

/// The payload behind a request id, tagged with the command's type. (The id itself is hashed
/// too: within one id it is constant, so it cannot make two payloads look alike or different.)
template <typename T, typename V>
struct variant_index;
template <typename T, typename... Ts>
struct variant_index<T, std::variant<Ts...>> {
  static constexpr std::size_t value = [] {
    std::size_t i = 0;
    (void)((std::is_same_v<T, Ts> ? false : (++i, true)) && ...);
    return i;
  }();
};

/// Which provider command (0 = PlaceOffer … 5 = HandBackPackage): the index of its cached
/// payload prefix.
template <typename C>
constexpr std::size_t provider_command_kind = variant_index<C, Command>::value - variant_index<PlaceOffer, Command>::value;
static_assert(provider_command_kind<HandBackPackage> + 1 == Market::kProviderCommandKinds &&
                  provider_command_kind<AmendOffer> == 1 && provider_command_kind<WithdrawOffer> == 2 &&
                  provider_command_kind<AcceptAward> == 3 && provider_command_kind<DeclineAward> == 4,
              "provider commands are consecutive in Command, PlaceOffer first");

/// The start of a provider command's payload hash: its type, provider and location (its first
/// two fields).
std::uint64_t payload_prefix(std::size_t type, const std::string& provider, const std::string& location) {
  Digest d;
  d.u64(type);
  d.add(provider).add(location);
  return d.value();
}

}  // namespace

std::array<std::uint64_t, Market::kProviderCommandKinds> Market::payload_prefixes(const Location& l) {
  std::array<std::uint64_t, kProviderCommandKinds> out{};
  for (std::size_t kind = 0; kind < out.size(); ++kind)
    out[kind] = payload_prefix(variant_index<PlaceOffer, Command>::value + kind, l.provider_id, l.id);
  return out;
}

/// The payload behind a request id: the command's type and all its fields, as Digest walks them
/// (the id itself is hashed too: within one id it is constant, so it cannot make two payloads
/// look alike or different). The hash is journaled, so its value is fixed: a command from one of
/// the provider's own locations (`loc` is c.location's index) starts from that location's cached
/// prefix and hashes only the fields after provider and location — the same value, with about a
/// third fewer bytes to hash; any other command is hashed in full. A field appended to a command
/// since (an offer's confirmed_must_meet) is not hashed while it is empty, so a command that does
/// not use it hashes as it did before it existed: a retry across the upgrade is still a retry.
template <typename C>
std::uint64_t Market::payload_hash(const C& c, std::optional<LocationIndex> loc) const {
  // The prefix covers the first two fields, which must be these two.
  assert(&boost::pfr::get<0>(c) == &c.provider && &boost::pfr::get<1>(c) == &c.location);
  const auto add_fields_from = [&c](Digest& d, std::size_t first) {
    boost::pfr::for_each_field(c, [&](const auto& field, auto index) {
      if (decltype(index)::value < first) return;
      if constexpr (requires { c.confirmed_must_meet; })
        if (static_cast<const void*>(&field) == &c.confirmed_must_meet && c.confirmed_must_meet.empty()) return;
      d.add(field);
    });
  };
  // Provider commands added after the cached kinds (ExplainOffer) are hashed in full.
  if (provider_command_kind<C> >= kProviderCommandKinds || !loc || locations_[*loc].provider_id != c.provider) {
    Digest d;
    d.u64(variant_index<C, Command>::value);
    add_fields_from(d, 0);  // as d.add(c), field by field
    return d.value();
  }
  Digest d(payload_prefix_[*loc][std::min(provider_command_kind<C>, kProviderCommandKinds - 1)]);
  add_fields_from(d, 2);
  return d.value();
}

Status Market::provider_request(const std::string& provider, const std::string& location,
                                std::optional<LocationIndex> loc, const std::string& request_id, PackageId package,
                                std::uint64_t hash, ProviderRequest& out, Reply& replayed) const {
  if (request_id.empty() || request_id.size() > kMaxRequestId ||
      std::any_of(request_id.begin(), request_id.end(), [](char c) { return c < 0x21 || c > 0x7e; }))
    return reject(Code::request_id_missing, "a request id of 1..64 printable characters (no spaces) is required");
  const auto provider_at = provider_index(provider);
  if (!provider_at) return reject(Code::unknown_provider, "no provider " + provider);
  if (const std::optional<RequestRecord> seen = requests_.find(RequestKey(*provider_at, request_id))) {
    if (seen->payload_hash != hash)
      return reject(Code::request_id_reused, "request id " + request_id + " was already used for a different request");
    replayed = Reply{Status{}, seen->package, true};
    return {};
  }
  if (!loc) return reject(Code::unknown_location, "no location " + location);
  if (locations_[*loc].provider_index != *provider_at)
    return reject(Code::location_not_of_provider, location + " is not a location of " + provider);
  if (!find_package(package))
    return reject(Code::unknown_package, "no package " + std::to_string(package));
  out.location = *loc;
  out.package = const_cast<Package*>(find_package(package));
  out.ref = RequestRef{provider, request_id, hash};
  return {};
}

Status Market::offer_terms(const Package& p, LocationIndex loc, Pence price, Date start, bool must_meet,
                           const std::vector<std::string>& confirmed_must_meet, const std::string& notes) const {
  if (price <= 0)
    return reject(Code::price_not_positive,
                  "price " + std::to_string(price) + " is not a positive number of pence");
  const Lot& lot = dps_[p.dps].lots[p.lot];
  if (price > kMaxPrice || (lot.rate_min > 0 && price < lot.rate_min) ||
      (lot.rate_max > 0 && price > lot.rate_max))
    return reject(Code::price_outside_rate_band,
                  format_pence(price) + " is outside the rate band " + format_pence(lot.rate_min) +
                      "–" + format_pence(lot.rate_max > 0 ? lot.rate_max : kMaxPrice));
  if (p.spec->price_ceiling > 0 && price > p.spec->price_ceiling)
    return reject(Code::price_above_package_ceiling,
                  format_pence(price) + " is above this package's ceiling " +
                      format_pence(p.spec->price_ceiling));
  if (Status s = check_must_meet(p.spec->must_meet, must_meet, confirmed_must_meet); !s.ok()) return s;
  const Date earliest = std::max(p.spec->start_date, today_);
  if (start < earliest || start > p.latest_start)
    return reject(Code::start_date_infeasible,
                  "start " + format_date(start) + " is outside " + format_date(earliest) + ".." +
                      format_date(p.latest_start));
  if (notes.size() > kMaxNotes) return reject(Code::notes_too_long, "notes are limited to 2000 characters");
  (void)loc;
  return {};
}

Reply Market::place_or_amend(const std::string& provider, const std::string& location,
                             std::optional<LocationIndex> location_at, const std::string& request_id, PackageId package, Pence price,
                             Date start, bool must_meet, const std::vector<std::string>& confirmed_must_meet,
                             const std::string& notes, bool amendment, std::uint64_t hash, Emitter& e) {
  ProviderRequest r;
  Reply replayed;
  if (Status s = provider_request(provider, location, location_at, request_id, package, hash, r, replayed); !s.ok())
    return {s};
  if (replayed.replayed) return replayed;
  const Package& p = *r.package;
  const bool shortlisted =
      std::any_of(p.shortlist.begin(), p.shortlist.end(),
                  [&](const ShortlistEntry& s) { return s.location == r.location; });
  switch (p.status) {
    case PackageStatus::open: break;
    case PackageStatus::best_and_final:
      if (!shortlisted || !amendment)
        return {reject(Code::not_shortlisted,
                       "only the shortlist may improve its offers in the best-and-final round")};
      break;
    case PackageStatus::on_hold:
      return {reject(Code::package_not_open, "the package is on hold")};
    default:
      return {reject(Code::offer_after_close,
                     "bidding on package " + std::to_string(package) + " is closed (" +
                         std::string(to_string(p.status)) + ")")};
  }
  if (!p.was_invited(r.location))
    return {reject(Code::not_broadcast_to_location,
                   "package " + std::to_string(package) + " was not broadcast to " + location +
                       " at this tier")};
  const Location& l = locations_[r.location];
  const Membership* m = l.membership_of(p.dps);
  if (!m || m->status != MembershipStatus::admitted)
    return {reject(Code::location_excluded,
                   location + " is " + (m ? std::string(to_string(m->status)) : "not a member"))};
  if (PlacementBar bar = placement_bar(l, provider_of(l), p.dps, dps_[p.dps], now_, true); bar.barred())
    return {reject(Code::location_excluded, location + " may not take new placements: " + bar.detail)};
  const Offer* existing = p.offer_of(r.location);
  const bool live = existing && !existing->withdrawn;
  if (!amendment && live)
    return {reject(Code::offer_exists, location + " already has an offer on this package: amend it")};
  if (amendment && !live) return {reject(Code::no_offer, location + " has no offer to amend")};
  if (Status s = offer_terms(p, r.location, price, start, must_meet, confirmed_must_meet, notes); !s.ok()) return {s};
  // Every requirement is confirmed now (one by one or all at once): the offer records that.
  must_meet = must_meet || !confirmed_must_meet.empty();
  if (p.status == PackageStatus::best_and_final && price > existing->price)
    return {reject(Code::best_and_final_must_improve,
                   "a best-and-final offer may not raise the price above " +
                       format_pence(existing->price))};

  const DpsConfig& config = dps_[p.dps];
  const Pence fair_cost = config.lots[p.lot].fair_cost;
  const bool abnormally_low =
      fair_cost > 0 && price * 100 < fair_cost * config.ranking.abnormally_low_pct;
  e.emit(OfferPlaced{package, r.location, std::move(r.ref), price, start, must_meet, notes, now_, amendment,
                     abnormally_low});

  // "First acceptable offer wins" for urgent packages where the DPS says so.
  if (config.ranking.first_acceptable_wins_urgent && p.urgency == Urgency::urgent &&
      p.status == PackageStatus::open && !abnormally_low &&
      quality_of(r.location, p.dps).score >= config.ranking.min_quality) {
    e.emit(WindowClosed{package, now_});
    e.emit(AwardOffered{package, r.location, now_, acceptance_deadline(p), false,
                        "first acceptable offer on an urgent package"});
  }
  return {Status{}, package};
}

Reply Market::handle(const PlaceOffer& c, Emitter& e) {
  const auto loc = find_location(c.location);
  return place_or_amend(c.provider, c.location, loc, c.request_id, c.package, c.price, c.start_date,
                        c.must_meet_confirmed, c.confirmed_must_meet, c.notes, false, payload_hash(c, loc), e);
}

Reply Market::handle(const AmendOffer& c, Emitter& e) {
  const auto loc = find_location(c.location);
  return place_or_amend(c.provider, c.location, loc, c.request_id, c.package, c.price, c.start_date,
                        c.must_meet_confirmed, c.confirmed_must_meet, c.notes, true, payload_hash(c, loc), e);
}

Reply Market::handle(const WithdrawOffer& c, Emitter& e) {
  const auto loc = find_location(c.location);
  ProviderRequest r;
  Reply replayed;
  if (Status s = provider_request(c.provider, c.location, loc, c.request_id, c.package, payload_hash(c, loc), r, replayed);
      !s.ok())
    return {s};
  if (replayed.replayed) return replayed;
  const Package& p = *r.package;
  if (p.status != PackageStatus::open && p.status != PackageStatus::best_and_final)
    return {reject(Code::offer_after_close, "offers can no longer be withdrawn (" +
                                                std::string(to_string(p.status)) + ")")};
  if (p.status == PackageStatus::best_and_final &&
      std::none_of(p.shortlist.begin(), p.shortlist.end(),
                   [&](const ShortlistEntry& s) { return s.location == r.location; }))
    return {reject(Code::not_shortlisted,
                   "the window closed for offers not on the best-and-final shortlist")};
  const Offer* o = p.offer_of(r.location);
  if (!o || o->withdrawn) return {reject(Code::no_offer, c.location + " has no offer to withdraw")};
  e.emit(OfferWithdrawn{c.package, r.location, std::move(r.ref), now_});
  return {Status{}, c.package};
}

Reply Market::handle(const AcceptAward& c, Emitter& e) {
  const auto loc = find_location(c.location);
  ProviderRequest r;
  Reply replayed;
  if (Status s = provider_request(c.provider, c.location, loc, c.request_id, c.package, payload_hash(c, loc), r, replayed);
      !s.ok())
    return {s};
  if (replayed.replayed) return replayed;
  const Package& p = *r.package;
  if (p.status != PackageStatus::award_pending)
    return {reject(Code::no_award_pending, "no award is waiting for an answer on this package")};
  if (p.award_location != r.location)
    return {reject(Code::award_not_for_location, "the award is not offered to " + c.location)};
  e.emit(AwardAccepted{c.package, r.location, std::move(r.ref), now_});
  schedule_replaced_end(p, e);  // a package that re-procures a placement ends the old one as it starts
  return {Status{}, c.package};
}

Reply Market::handle(const DeclineAward& c, Emitter& e) {
  const auto loc = find_location(c.location);
  ProviderRequest r;
  Reply replayed;
  if (Status s = provider_request(c.provider, c.location, loc, c.request_id, c.package, payload_hash(c, loc), r, replayed);
      !s.ok())
    return {s};
  if (replayed.replayed) return replayed;
  const Package& p = *r.package;
  if (p.status != PackageStatus::award_pending)
    return {reject(Code::no_award_pending, "no award is waiting for an answer on this package")};
  if (p.award_location != r.location)
    return {reject(Code::award_not_for_location, "the award is not offered to " + c.location)};
  e.emit(AwardDeclined{c.package, r.location, std::move(r.ref), now_, false,
                       c.reason.empty() ? "declined" : c.reason});
  seek_award(p, e);
  return {Status{}, c.package};
}

Reply Market::handle(const HandBackPackage& c, Emitter& e) {
  const auto loc = find_location(c.location);
  ProviderRequest r;
  Reply replayed;
  if (Status s = provider_request(c.provider, c.location, loc, c.request_id, c.package, payload_hash(c, loc), r, replayed);
      !s.ok())
    return {s};
  if (replayed.replayed) return replayed;
  return hand_back(c, r, e);  // market_placements.cpp: with notice, re-procured as a new package
}

// ExplainOffer's and AskQuestion's handlers (market_explanations.cpp, market_amendments.cpp) hash
// their payloads here.
template std::uint64_t Market::payload_hash(const ExplainOffer&, std::optional<LocationIndex>) const;
template std::uint64_t Market::payload_hash(const AskQuestion&, std::optional<LocationIndex>) const;

}  // namespace carebroker::engine
