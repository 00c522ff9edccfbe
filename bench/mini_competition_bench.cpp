// Mini-competition workload: one whole competition per iteration, 13 commands:
//   PostPackage (validated, routed, broadcast to the tier-1 locations of its zone and categories)
//   → 10 PlaceOffer from distinct invited locations (£27.50–£38.00, above the abnormally-low
//     line so the award is not held for an officer)
//   → Tick to the window's close (window closed, offers ranked and explained, award offered)
//   → AcceptAward by the winning location (placed).
// The market: 300 seeded locations. Each package asks for a 4-hour window (the officer's choice),
// so the clock moves 4 hours per competition. The commands for a chunk of 200 competitions are
// built before the timed loop by rehearsing them on a copy of the market (the engine is
// deterministic, so the timed run takes the same path); after each chunk the market is reset
// (timer paused). Every reply is checked. Reports items_per_second = competitions per second.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "bench/bench_market.h"
#include "engine/person/person_access.h"

namespace carebroker::bench {
namespace {

constexpr int kLocations = 300;
constexpr int kCompetitions = 200;  // per chunk
constexpr std::size_t kOffersEach = 10;
constexpr eng::UtcMillis kWindow = 4 * eng::kMillisPerHour;

struct Competition {
  std::vector<eng::Command> commands;  // post, offers, tick, accept
};

struct CompetitionSetup {
  eng::Market base;
  std::vector<Competition> competitions;
};

const CompetitionSetup& competition_setup() {
  static const CompetitionSetup s = [] {
    BenchMarket m(kLocations);
    CompetitionSetup out;
    out.base = m.market;
    std::mt19937 rng(kSeed + 70);
    RequestIds ids(kSeed + 70);
    for (int i = 0; i < kCompetitions; ++i) {
      Competition c;
      eng::PackageSpec spec = m.package_spec(rng);
      spec.window = kWindow;
      const std::string n = std::to_string(i + 1);
      c.commands.push_back(eng::PostPackage{
          std::move(spec), carebroker::person::seal_unkept({"Person " + n, n + " Example Street", "B13 9ZZ", "CASE-" + n})});
      const eng::PackageId id = m.must(c.commands.back()).package;

      std::vector<eng::LocationIndex> invited = m.market.find_package(id)->invited;
      if (invited.size() < kOffersEach) {
        std::fprintf(stderr, "benchmark setup: package %llu reached only %zu locations\n",
                     static_cast<unsigned long long>(id), invited.size());
        std::abort();
      }
      std::shuffle(invited.begin(), invited.end(), rng);
      for (std::size_t k = 0; k < kOffersEach; ++k) {
        const eng::Pence price = std::uniform_int_distribution<eng::Pence>(2750, 3800)(rng);
        c.commands.push_back(place_offer(m.market, {id, invited[k]}, price, ids.next(), bid_notes(rng)));
        m.must(c.commands.back());
      }
      c.commands.push_back(eng::Tick{m.market.find_package(id)->closes_at});
      m.must(c.commands.back());

      const eng::Package& p = *m.market.find_package(id);
      if (p.status != eng::PackageStatus::award_pending) {
        std::fprintf(stderr, "benchmark setup: package %llu is %s after its window, not award_pending\n",
                     static_cast<unsigned long long>(id), std::string(eng::to_string(p.status)).c_str());
        std::abort();
      }
      const eng::Location& winner = m.market.location(p.award_location);
      c.commands.push_back(eng::AcceptAward{winner.provider_id, winner.id, ids.next(), id});
      m.must(c.commands.back());
      out.competitions.push_back(std::move(c));
    }
    return out;
  }();
  return s;
}

void BM_MiniCompetition(benchmark::State& state) {
  const CompetitionSetup& s = competition_setup();
  eng::Market market = s.base;
  std::vector<eng::Event> out;
  out.reserve(64);
  std::size_t next = 0;
  std::int64_t failures = 0;
  std::string first_failure;
  std::size_t events = 0;
  for (auto _ : state) {
    if (next == s.competitions.size()) {
      state.PauseTiming();
      market = s.base;
      next = 0;
      state.ResumeTiming();
    }
    out.clear();
    for (const eng::Command& c : s.competitions[next].commands) {
      const eng::Reply r = market.execute(c, out);
      if (!r.ok()) [[unlikely]] {
        if (failures++ == 0)
          first_failure = std::string(eng::command_name(c)) + " rejected: " +
                          std::string(eng::to_string(r.status.code)) + " — " + r.status.detail;
      }
    }
    events = out.size();
    ++next;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["commands"] = static_cast<double>(s.competitions.front().commands.size());
  state.counters["events"] = static_cast<double>(events);
  if (failures > 0) {
    const std::string message = std::to_string(failures) + " rejected; first: " + first_failure;
    state.SkipWithError(message.c_str());
  }
}

BENCHMARK(BM_MiniCompetition)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace carebroker::bench
