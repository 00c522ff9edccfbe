// Offer workloads: one provider offer command per iteration — Market::execute of a PlaceOffer,
// AmendOffer or WithdrawOffer on a realistic book, including the request-id (idempotency)
// check and record, the payload hash, the event and its application. Reports ns per operation
// and items_per_second (offer operations per second).
//
// The book: 300 locations (about a city's home-care market: Birmingham and Solihull have ~350
// CQC domiciliary-care locations) and 400 open standard-route packages, each broadcast to the
// ~50 tier-1 locations serving its zone and categories: ~20,000 (package, location) slots.
// Commands are built before the timed loop, with fresh 36-character (UUID-shaped) request ids,
// prices £24.00–£38.00 and short notes on a third of offers. When a workload has used all its
// commands the market is reset to the book (timer paused, once per ~20,000 operations) and the
// same commands run again, so every chunk measures the same book.
//
// Every reply is checked: a rejected command fails the benchmark (SkipWithError) so it cannot
// quietly measure rejections. BM_OfferMixLatency runs the mix again timing each operation, for
// p50/p90/p99/p99.9/max service times (back-to-back on one thread, not at a fixed offered rate).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "bench/bench_market.h"

namespace carebroker::bench {
namespace {

constexpr int kBookLocations = 300;
constexpr int kBookPackages = 400;

/// A book to reset to and the commands to run against it, in order.
struct OfferWorkload {
  eng::Market base;
  std::vector<eng::Command> commands;
  std::string label;
};

std::string book_label(const OfferBook& book, const char* mix) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%d locations, %zu packages x %.1f invited; %s", kBookLocations,
                book.packages,
                static_cast<double>(book.slots.size()) / static_cast<double>(book.packages), mix);
  return buf;
}

/// The book with one live offer on every slot (the start of the amend and withdraw workloads).
eng::Market with_every_slot_offered(const OfferBook& book, std::mt19937& rng, RequestIds& ids) {
  eng::Market market = book.market;
  for (const OfferSlot& slot : book.slots)
    must(market, place_offer(book.market, slot, bid_price(rng), ids.next(), bid_notes(rng)));
  return market;
}

const OfferWorkload& place_workload() {
  static const OfferWorkload w = [] {
    const OfferBook book = make_offer_book(kBookLocations, kBookPackages);
    std::mt19937 rng(kSeed + 10);
    RequestIds ids(kSeed + 10);
    OfferWorkload out{book.market, {}, book_label(book, "100% place, each slot once")};
    out.commands.reserve(book.slots.size());
    for (const OfferSlot& slot : book.slots)
      out.commands.push_back(place_offer(book.market, slot, bid_price(rng), ids.next(), bid_notes(rng)));
    return out;
  }();
  return w;
}

const OfferWorkload& amend_workload() {
  static const OfferWorkload w = [] {
    OfferBook book = make_offer_book(kBookLocations, kBookPackages);
    std::mt19937 rng(kSeed + 20);
    RequestIds ids(kSeed + 20);
    OfferWorkload out{with_every_slot_offered(book, rng, ids), {},
                      book_label(book, "100% amend, each live offer once")};
    std::shuffle(book.slots.begin(), book.slots.end(), rng);
    out.commands.reserve(book.slots.size());
    for (const OfferSlot& slot : book.slots)
      out.commands.push_back(amend_offer(book.market, slot, bid_price(rng), ids.next(), bid_notes(rng)));
    return out;
  }();
  return w;
}

const OfferWorkload& withdraw_workload() {
  static const OfferWorkload w = [] {
    OfferBook book = make_offer_book(kBookLocations, kBookPackages);
    std::mt19937 rng(kSeed + 30);
    RequestIds ids(kSeed + 30);
    OfferWorkload out{with_every_slot_offered(book, rng, ids), {},
                      book_label(book, "100% withdraw, each live offer once")};
    std::shuffle(book.slots.begin(), book.slots.end(), rng);
    out.commands.reserve(book.slots.size());
    for (const OfferSlot& slot : book.slots)
      out.commands.push_back(withdraw_offer(book.market, slot, ids.next()));
    return out;
  }();
  return w;
}

/// The mix: 60% place, 30% amend, 10% withdraw — most providers offer once, some improve their
/// offer before the window closes, a few withdraw. Places take fresh slots in the book's shuffled
/// order; amends and withdrawals pick a random live offer (a withdrawn slot is not re-offered).
/// Starts from the book with no offers, so the first operations are places.
const OfferWorkload& mix_workload() {
  static const OfferWorkload w = [] {
    const OfferBook book = make_offer_book(kBookLocations, kBookPackages);
    std::mt19937 rng(kSeed + 40);
    RequestIds ids(kSeed + 40);
    OfferWorkload out{book.market, {}, book_label(book, "60% place / 30% amend / 10% withdraw")};
    std::vector<OfferSlot> live;
    std::size_t next_fresh = 0;
    const std::size_t length = book.slots.size();
    out.commands.reserve(length);
    std::uniform_int_distribution<int> pct(0, 99);
    while (out.commands.size() < length && next_fresh < book.slots.size()) {
      const int r = pct(rng);
      if (r < 60 || live.empty()) {
        const OfferSlot& slot = book.slots[next_fresh++];
        out.commands.push_back(place_offer(book.market, slot, bid_price(rng), ids.next(), bid_notes(rng)));
        live.push_back(slot);
        continue;
      }
      const std::size_t pick = std::uniform_int_distribution<std::size_t>(0, live.size() - 1)(rng);
      if (r < 90) {
        out.commands.push_back(amend_offer(book.market, live[pick], bid_price(rng), ids.next(), bid_notes(rng)));
      } else {
        out.commands.push_back(withdraw_offer(book.market, live[pick], ids.next()));
        live[pick] = live.back();
        live.pop_back();
      }
    }
    return out;
  }();
  return w;
}

/// One command per iteration from `w.commands`; the market is reset to `w.base` (timer paused)
/// whenever the commands run out.
void run_offer_workload(benchmark::State& state, const OfferWorkload& w) {
  eng::Market market = w.base;
  std::vector<eng::Event> out;
  out.reserve(8);
  std::size_t next = 0;
  std::int64_t failures = 0;
  std::string first_failure;
  for (auto _ : state) {
    if (next == w.commands.size()) {
      state.PauseTiming();
      market = w.base;
      next = 0;
      state.ResumeTiming();
    }
    out.clear();
    const eng::Reply r = market.execute(w.commands[next++], out);
    if (!r.ok()) [[unlikely]] {
      if (failures++ == 0)
        first_failure = std::string(eng::command_name(w.commands[next - 1])) + " rejected: " +
                        std::string(eng::to_string(r.status.code)) + " — " + r.status.detail;
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(w.label);
  if (failures > 0) {
    const std::string message = std::to_string(failures) + " rejected; first: " + first_failure;
    state.SkipWithError(message.c_str());
  }
}

/// The mix again, timing each operation on its own (steady_clock, ~20 ns of which is the clock)
/// to report the service-time distribution: back-to-back on one thread, not at a fixed offered
/// rate (that is the load harness's job), so it shows the engine's own tail — e.g. the request-id
/// table rehashing as it grows.
void BM_OfferMixLatency(benchmark::State& state) {
  const OfferWorkload& w = mix_workload();
  eng::Market market = w.base;
  std::vector<eng::Event> out;
  out.reserve(8);
  std::vector<std::int64_t> samples;
  samples.reserve(std::size_t{1} << 22);
  std::size_t next = 0;
  std::int64_t failures = 0;
  for (auto _ : state) {
    if (next == w.commands.size()) {
      state.PauseTiming();
      market = w.base;
      next = 0;
      state.ResumeTiming();
    }
    out.clear();
    const auto start = std::chrono::steady_clock::now();
    const eng::Reply r = market.execute(w.commands[next++], out);
    const auto end = std::chrono::steady_clock::now();
    samples.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count());
    failures += r.ok() ? 0 : 1;
  }
  state.SetItemsProcessed(state.iterations());
  if (!samples.empty()) {
    std::sort(samples.begin(), samples.end());
    auto at = [&](double q) {
      return static_cast<double>(samples[static_cast<std::size_t>(q * static_cast<double>(samples.size() - 1))]);
    };
    state.counters["p50_ns"] = at(0.50);
    state.counters["p90_ns"] = at(0.90);
    state.counters["p99_ns"] = at(0.99);
    state.counters["p99.9_ns"] = at(0.999);
    state.counters["max_ns"] = static_cast<double>(samples.back());
  }
  if (failures > 0) state.SkipWithError((std::to_string(failures) + " offer commands rejected").c_str());
}

void BM_PlaceOffer(benchmark::State& state) { run_offer_workload(state, place_workload()); }
void BM_AmendOffer(benchmark::State& state) { run_offer_workload(state, amend_workload()); }
void BM_WithdrawOffer(benchmark::State& state) { run_offer_workload(state, withdraw_workload()); }
void BM_OfferMix(benchmark::State& state) { run_offer_workload(state, mix_workload()); }

BENCHMARK(BM_PlaceOffer);
BENCHMARK(BM_AmendOffer);
BENCHMARK(BM_WithdrawOffer);
BENCHMARK(BM_OfferMix);
BENCHMARK(BM_OfferMixLatency);

}  // namespace
}  // namespace carebroker::bench
