// Benchmark markets: a deterministic home-care market (one DPS, three zones, three tiers, two
// routes, one hours lot, six categories) with N seeded locations, plus the helpers the workloads
// share — posting packages, building provider commands with fresh request ids, and the "offer
// book" (hundreds of open packages, each broadcast to ~50 locations) that the offer workloads
// bid on. Everything here runs outside the timed loops; a setup command that is rejected aborts
// the run with the rejection, because a benchmark of a wrong market measures nothing.
// No Catch2 (the bench links only the engine and Google benchmark). Not thread-safe.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "engine/market/market.h"

namespace carebroker::bench {

namespace eng = carebroker::engine;

/// Every benchmark market grows from this seed (STYLE.md habit 11: seeded, reproducible).
inline constexpr std::uint32_t kSeed = 20261123;

/// Monday 23 November 2026, 09:00 GMT: the start of time in every benchmark market.
eng::Date monday();
eng::UtcMillis monday_9am();

/// The DPS every benchmark market runs: "home-care", zones north/central/south, tiers
/// tier1/tier2/specialist, a specialist route (learning disability, mental health, autism) and a
/// standard route, one hours lot "hc" with the rate band £18.00–£40.00 and fair cost £32.14.
eng::DpsConfig home_care_config();

/// Request ids shaped like the UUIDs a gateway client sends (36 characters, so past the
/// small-string buffer, as in production). Deterministic; unique because the last group counts.
class RequestIds {
 public:
  explicit RequestIds(std::uint64_t seed) : rng_(seed) {}
  std::string next();

 private:
  std::mt19937_64 rng_;
  std::uint64_t count_ = 0;
};

/// Runs a setup command that must succeed; prints the rejection and aborts otherwise.
eng::Reply must(eng::Market&, const eng::Command&);

/// What sort of package to post: the standard route's mix, or a specialist-route package.
enum class PackageKind { standard, specialist };

/// A market of `locations` admitted locations spread over tiers, zones and categories, with
/// varied CQC/PAMMS/self-assessment and a few Red or embargoed locations (excluded from
/// broadcasts). Providers own one to three locations each.
class BenchMarket {
 public:
  explicit BenchMarket(int locations, std::uint32_t seed = kSeed);

  eng::Market market;

  eng::Reply must(const eng::Command& c) { return bench::must(market, c); }

  /// A realistic package spec starting two days after the market's today (window 0 = default).
  eng::PackageSpec package_spec(std::mt19937& rng, PackageKind = PackageKind::standard) const;
  eng::PackageId post(eng::PackageSpec spec);

  const std::string& provider_of(eng::LocationIndex i) const {
    return market.location(i).provider_id;
  }
  const std::string& location_id(eng::LocationIndex i) const { return market.location(i).id; }

 private:
  int next_case_ = 1;
};

/// One (package, invited location) pair of a book: where an offer can go.
struct OfferSlot {
  eng::PackageId package = 0;
  eng::LocationIndex location = 0;
};

/// Open packages and their invited locations: the book the offer workloads bid on.
struct OfferBook {
  eng::Market market;           ///< packages posted and open; no offers yet
  std::vector<OfferSlot> slots;  ///< every (package, invited location), shuffled
  std::size_t packages = 0;
};

/// Builds `packages` open standard-route packages in a market of `locations` locations.
OfferBook make_offer_book(int locations, int packages, std::uint32_t seed = kSeed);

/// Provider commands for a slot of `market`, with a fresh request id each. The start date is
/// the package's requested start; must-meet terms are confirmed.
eng::PlaceOffer place_offer(const eng::Market&, const OfferSlot&, eng::Pence price,
                            std::string request_id, std::string notes = {});
eng::AmendOffer amend_offer(const eng::Market&, const OfferSlot&, eng::Pence price,
                            std::string request_id, std::string notes = {});
eng::WithdrawOffer withdraw_offer(const eng::Market&, const OfferSlot&, std::string request_id);

/// A price a provider would bid for an hour of home care: £24.00–£38.00 (some fall below the
/// abnormally-low line of 85% of £32.14 and are flagged, as in a real market).
eng::Pence bid_price(std::mt19937& rng);
/// Short free-text notes on about a third of offers, empty otherwise.
std::string bid_notes(std::mt19937& rng);

}  // namespace carebroker::bench
