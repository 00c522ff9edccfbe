// Journal codec workloads: encode_batch / decode_batch (engine/codec/event_codec.h) of one batch
// of 256 OfferPlaced events — the sequencer's typical group-commit batch on a busy bidding
// window. Reports ns per batch, items_per_second (events per second) and bytes_per_second.
//
// The events are real: 256 PlaceOffer commands (36-character UUID-shaped request ids, prices
// £24.00–£38.00, short notes on a third of offers) executed on the offer book of offer_bench
// (300 locations, 400 open packages), keeping the OfferPlaced events they journal. Decoding
// includes the FlatBuffers Verifier and the file-identifier check, as recovery runs it.
// Every decode is checked: a failed or wrong decode fails the benchmark (SkipWithError).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "bench/bench_market.h"
#include "engine/codec/event_codec.h"

namespace carebroker::bench {
namespace {

constexpr std::size_t kBatchEvents = 256;

/// The OfferPlaced events of the first 256 offers placed on the book (built once).
const std::vector<eng::Event>& offer_batch() {
  static const std::vector<eng::Event> batch = [] {
    OfferBook book = make_offer_book(300, 400);
    std::mt19937 rng(kSeed + 50);
    RequestIds ids(kSeed + 50);
    std::vector<eng::Event> events, out;
    for (const OfferSlot& slot : book.slots) {
      if (events.size() == kBatchEvents) break;
      const eng::Command c = place_offer(book.market, slot, bid_price(rng), ids.next(), bid_notes(rng));
      out.clear();
      if (!book.market.execute(c, out).ok()) (void)must(book.market, c);  // prints the rejection, aborts
      for (eng::Event& e : out)
        if (std::holds_alternative<eng::OfferPlaced>(e)) events.push_back(std::move(e));
    }
    if (events.size() != kBatchEvents) {
      std::fprintf(stderr, "benchmark setup: only %zu offers placed\n", events.size());
      std::abort();
    }
    return events;
  }();
  return batch;
}

void BM_EncodeBatch256(benchmark::State& state) {
  const std::vector<eng::Event>& events = offer_batch();
  std::size_t bytes = 0;
  std::uint64_t seq = 1;
  for (auto _ : state) {
    const std::string batch = codec::encode_batch(seq, events);
    benchmark::DoNotOptimize(batch.data());
    bytes = batch.size();
    seq += events.size();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(events.size()));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
  state.SetLabel(std::to_string(events.size()) + " OfferPlaced, " + std::to_string(bytes) + " bytes");
}
BENCHMARK(BM_EncodeBatch256);

void BM_DecodeBatch256(benchmark::State& state) {
  const std::vector<eng::Event>& events = offer_batch();
  const std::string batch = codec::encode_batch(1, events);
  {
    const codec::DecodedBatch check = codec::decode_batch(batch);
    if (!check.ok() || check.events != events) {
      state.SkipWithError(("decode does not reproduce the batch: " + check.error).c_str());
      return;
    }
  }
  for (auto _ : state) {
    codec::DecodedBatch d = codec::decode_batch(batch);
    benchmark::DoNotOptimize(d.events.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(events.size()));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(batch.size()));
  state.SetLabel(std::to_string(events.size()) + " OfferPlaced, " + std::to_string(batch.size()) +
                 " bytes, verified");
}
BENCHMARK(BM_DecodeBatch256);

}  // namespace
}  // namespace carebroker::bench
