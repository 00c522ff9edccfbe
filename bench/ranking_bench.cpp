// Ranking workloads: a package with 50 live offers, ranked with full explanations.
//   BM_RankPackage50 — Market::ranking(package): gathers the candidates from market state
//     (quality score, placement bar, rate band per offer), then ranks and explains them.
//   BM_RankOffers50  — rank_offers() alone on 50 prepared candidates (the vector is copied
//     each iteration, since rank_offers takes it by value).
// The market: 600 locations; the first standard package broadcast to at least 50 locations
// gets 50 offers at £24.00–£38.00 from distinct invited locations, a minute apart (so the
// amended-at tie-break varies); some fall below the abnormally-low line and are flagged.
// Reports items_per_second = rankings per second.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <random>
#include <vector>

#include "bench/bench_market.h"

namespace carebroker::bench {
namespace {

constexpr std::size_t kOffers = 50;

struct RankingSetup {
  eng::Market market;
  eng::PackageId package = 0;
  std::vector<eng::RankingCandidate> candidates;
  eng::RankingPolicy policy;
};

const RankingSetup& ranking_setup() {
  static const RankingSetup s = [] {
    BenchMarket m(600);
    std::mt19937 rng(kSeed + 50);
    RequestIds ids(kSeed + 50);
    eng::PackageId id = 0;
    do {
      id = m.post(m.package_spec(rng));
    } while (m.market.find_package(id)->invited.size() < kOffers);
    std::vector<eng::LocationIndex> invited = m.market.find_package(id)->invited;
    std::shuffle(invited.begin(), invited.end(), rng);
    invited.resize(kOffers);
    for (eng::LocationIndex loc : invited) {
      m.must(eng::Tick{m.market.now() + eng::kMillisPerMinute});
      m.must(place_offer(m.market, {id, loc}, bid_price(rng), ids.next(), bid_notes(rng)));
    }

    RankingSetup out;
    const eng::Package& p = *m.market.find_package(id);
    for (const eng::Offer& o : p.offers) {  // what Market::ranking gathers for live offers
      eng::RankingCandidate c;
      c.location = o.location;
      c.location_id = m.market.location(o.location).id;
      c.price = o.price;
      c.amended_at = o.amended_at;
      c.quality = m.market.quality_of(o.location, p.dps);
      c.abnormally_low = o.abnormally_low;
      c.declined = o.declined;
      out.candidates.push_back(std::move(c));
    }
    out.policy = m.market.dps(p.dps).ranking;
    out.package = id;
    out.market = std::move(m.market);
    return out;
  }();
  return s;
}

void BM_RankPackage50(benchmark::State& state) {
  const RankingSetup& s = ranking_setup();
  std::size_t acceptable = 0;
  for (auto _ : state) {
    eng::Ranking r = s.market.ranking(s.package);
    benchmark::DoNotOptimize(r.offers.data());
    acceptable = static_cast<std::size_t>(r.acceptable_count());
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["offers"] = static_cast<double>(s.candidates.size());
  state.counters["acceptable"] = static_cast<double>(acceptable);
  if (s.candidates.size() != kOffers) state.SkipWithError("the package does not have 50 offers");
}

void BM_RankOffers50(benchmark::State& state) {
  const RankingSetup& s = ranking_setup();
  std::size_t acceptable = 0;
  for (auto _ : state) {
    eng::Ranking r = eng::rank_offers(s.candidates, s.policy);
    benchmark::DoNotOptimize(r.offers.data());
    acceptable = static_cast<std::size_t>(r.acceptable_count());
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["offers"] = static_cast<double>(s.candidates.size());
  state.counters["acceptable"] = static_cast<double>(acceptable);
  if (s.candidates.size() != kOffers) state.SkipWithError("the package does not have 50 offers");
}

BENCHMARK(BM_RankPackage50);
BENCHMARK(BM_RankOffers50);

}  // namespace
}  // namespace carebroker::bench
