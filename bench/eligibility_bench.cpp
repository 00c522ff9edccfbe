// Eligibility workloads: who gets a package's broadcast.
//   BM_Eligibility5000/locations:N — Market::eligible(query) for a standard package (older
//     people, district B13 → zone south, route step 0 → tier1) among N admitted locations
//     (5,000; 500 and 20,000 for scaling): the index's tier×zone bucket, then the per-location
//     lot, category and placement-bar (contract, embargo, Red) checks. One query per iteration.
//   BM_Exclusions5000 — Market::exclusions(package): every location not broadcast, with the
//     rule that kept it out and its explanation text (the officer's and auditor's view), for
//     contrast: a full scan that builds strings.
// Locations are the seeded BenchMarket population (about 50% tier1; 1–2 zones each; ~5% Red or
// embargoed). Reports items_per_second = queries per second.
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <random>

#include "bench/bench_market.h"

namespace carebroker::bench {
namespace {

struct EligibilitySetup {
  eng::Market market;
  eng::PackageId package = 0;
  eng::EligibilityQuery query;
  std::size_t invited = 0;
};

const EligibilitySetup& eligibility_setup(int locations) {
  static std::map<int, std::unique_ptr<EligibilitySetup>> cache;
  auto& slot = cache[locations];
  if (!slot) {
    BenchMarket m(locations);
    std::mt19937 rng(kSeed + 60);
    eng::PackageSpec spec = m.package_spec(rng);
    spec.categories = {"older_people"};
    spec.postcode_district = "B13";
    const eng::PackageId id = m.post(std::move(spec));
    slot = std::make_unique<EligibilitySetup>();
    const eng::Package& p = *m.market.find_package(id);
    slot->query = m.market.query_for(p, p.step);
    slot->invited = p.invited.size();
    slot->package = id;
    slot->market = std::move(m.market);
  }
  return *slot;
}

void BM_Eligibility5000(benchmark::State& state) {
  const EligibilitySetup& s = eligibility_setup(static_cast<int>(state.range(0)));
  std::size_t eligible = 0;
  for (auto _ : state) {
    const std::vector<eng::LocationIndex> found = s.market.eligible(s.query);
    benchmark::DoNotOptimize(found.data());
    eligible = found.size();
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["eligible"] = static_cast<double>(eligible);
  if (eligible != s.invited) state.SkipWithError("eligible() disagrees with the broadcast");
}

void BM_Exclusions5000(benchmark::State& state) {
  const EligibilitySetup& s = eligibility_setup(5000);
  std::size_t excluded = 0;
  for (auto _ : state) {
    const std::vector<eng::Exclusion> found = s.market.exclusions(s.package);
    benchmark::DoNotOptimize(found.data());
    excluded = found.size();
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["excluded"] = static_cast<double>(excluded);
  if (excluded + s.invited != s.market.location_count())
    state.SkipWithError("exclusions + broadcast do not cover every location");
}

BENCHMARK(BM_Eligibility5000)->ArgName("locations")->Arg(5000)->Arg(500)->Arg(20000);
BENCHMARK(BM_Exclusions5000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace carebroker::bench
