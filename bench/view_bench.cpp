// What a REST read costs the reader replica: the officer's view of one package (GET
// /api/v1/packages/{id}: its offers ranked and each rank explained), built as JSON and written
// as the response body, exactly as the route does on the reader thread. The book: 400 open
// packages in a market of 300 locations, each package with an offer from every location invited
// (~46). The reads-beside-writes load (sim/side-by-side reads: 500 views/s) runs this per view.
#include <benchmark/benchmark.h>

#include <random>

#include "bench_market.h"
#include "engine/person/person_access.h"
#include "gateway/rest/json_convert.h"

namespace carebroker::bench {
namespace {

/// The offer book with an offer from every invited location.
OfferBook offered_book() {
  OfferBook book = make_offer_book(300, 400);
  std::mt19937 rng(kSeed);
  RequestIds ids(kSeed);
  for (const OfferSlot& slot : book.slots)
    (void)must(book.market, place_offer(book.market, slot, bid_price(rng), ids.next(), bid_notes(rng)));
  return book;
}

void BM_OfficerPackageView(benchmark::State& state) {
  static const OfferBook book = offered_book();
  const eng::Market& m = book.market;
  const person::ReleasedPerson erased{person::PersonStatus::erased, {}};  // no key store: the person is not the cost
  eng::PackageId id = 1;
  std::size_t bytes = 0, offers = 0;
  for (auto _ : state) {
    const auto view = m.officer_view(id);
    if (!view) {
      state.SkipWithError("no officer view");
      return;
    }
    const std::string body = gateway::rest::to_text(gateway::rest::officer_package_json(m, *view, erased));
    benchmark::DoNotOptimize(body.data());
    bytes += body.size();
    offers += view->ranking.offers.size();
    id = id % book.packages + 1;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.counters["offers_per_view"] = static_cast<double>(offers) / static_cast<double>(state.iterations());
  state.counters["body_bytes"] = static_cast<double>(bytes) / static_cast<double>(state.iterations());
}

BENCHMARK(BM_OfficerPackageView);

}  // namespace
}  // namespace carebroker::bench
