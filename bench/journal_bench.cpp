// Journal workloads: how fast the durable journal takes batches, and how fast the market is
// rebuilt from it at start-up (engine/store/rocksdb_journal.h, engine/sequencer/recovery.h).
//
//   BM_DurableAppend/batch:N  RocksJournal::append with sync=true (the production setting) of
//       batches of N OfferPlaced events, N = 1, 16, 256, in a fresh directory under /tmp
//       (removed afterwards). The events are real: PlaceOffer commands (36-character UUID-shaped
//       request ids, prices £24.00–£38.00, short notes on a third of offers) executed on a book
//       of 300 locations and 400 open packages. Each batch is encoded with its own sequence
//       numbers by codec::encode_batch outside the timed region (the sequencer encodes batch
//       N+1 while batch N syncs); the counter encode_us says what that costs. Timed: framing,
//       the WriteBatch and its fsync. Wall-clock time (a sync is waiting, not CPU);
//       items_per_second = durable events per second; Time = one batch.
//
//   BM_FrameBatch/batch:N/chained:0|1  the audit chain's cost per append: framing the same
//       batches in the version-1 frame (CRC32C) and in the chained version-2 frame (SHA-256 link,
//       OpenSSL EVP, then CRC32C). CPU time, Time = one batch.
//
//   BM_Replay  recover_market(journal, market, info, SnapshotUse::none) over a journal of just
//       over 1,000,000 events, from the first event: read, CRC-check, decode (FlatBuffers
//       Verifier included) and apply every batch to an empty market. items_per_second = events
//       replayed per second. The resulting digest is checked against the market that wrote the
//       journal.
//
//   BM_Startup1M/snapshot:0|1  what a restart costs: open the RocksJournal (sync=true) and
//       recover_market with SnapshotUse::latest — for a journal without a snapshot, and for a
//       copy of it (a RocksDB checkpoint) holding a snapshot taken ~1% before the end. Three
//       iterations, wall-clock time. The journal's files are in the page cache (it was just
//       written): a warm restart, not a cold boot.
//
//   BM_Report1M/report:0..6/last_month:0|1  a market report (0 sourcing, 1 rates against the
//       fair cost, 2 capacity against demand, 3 savings against the baseline rate, 4 providers
//       entering and leaving by month, 5 the list of those moves, 6 RAG counts by day) over the
//       market the 1M-event journal holds (replayed once, as a replica holds it):
//       the DPS's packages of the whole session, or of its last 30 days, live and retired alike.
//       Time = one report; the goal is under 200 ms.
//
// The 1M-event journal is a realistic session, built once (5–10 s; the journal is written with
// sync=false because replay speed does not depend on how it was written; removed at exit;
// CAREBROKER_BENCH_JOURNAL_EVENTS=N builds a smaller one, e.g. to profile) in a market of 300
// locations, whose set-up (registrations, admissions, quality) is journaled too: rounds of 40 packages (85% standard route, 15% specialist) with a
// four-hour window; 5–12 offers on each from invited locations (5% of packages get none and
// cascade to their next tier), a quarter amended, one in twenty withdrawn; a one-minute Tick
// every 25 commands; a Tick to the close (windows close, offers ranked, awards offered or held
// for an abnormally-low decision); officers decide (80% accept the explanation); locations
// accept (90%) or decline (10%); 1% of placements are later handed back and re-procured.
// Closed packages retire after the DPS's 90 days, with archive records, as in production.
// Commands are grouped into batches of 1–64 commands, as the sequencer's group commit would.
// The mix of event types is printed once to stderr when the journal is built.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "bench/bench_market.h"
#include "engine/codec/event_codec.h"
#include "engine/person/person_access.h"
#include "engine/market/market_reports.h"
#include "engine/sequencer/recovery.h"
#include "engine/store/batch_frame.h"
#include "engine/store/rocksdb_journal.h"

namespace carebroker::bench {
namespace {

namespace fs = std::filesystem;
using store::RocksJournal;
using store::RocksJournalOptions;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "journal benchmark setup: %s\n", what.c_str());
  std::abort();
}

/// A fresh directory under /tmp, removed with everything in it on destruction.
class TempDir {
 public:
  explicit TempDir(const char* stem) {
    std::string pattern = (fs::temp_directory_path() / (std::string(stem) + "-XXXXXX")).string();
    if (!::mkdtemp(pattern.data())) die("cannot create a directory like " + pattern);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::unique_ptr<RocksJournal> open_journal(const fs::path& dir, bool sync) {
  std::unique_ptr<RocksJournal> j;
  RocksJournalOptions o;
  o.path = dir.string();
  o.sync = sync;
  if (auto s = RocksJournal::open(o, j); !s.ok()) die("open " + o.path + ": " + s.message);
  return j;
}

// ---------------------------------------------------------------------------------------------
// Durable append

constexpr std::size_t kMaxBatch = 256;

/// The OfferPlaced events of the first 256 offers placed on a 300-location, 400-package book.
const std::vector<eng::Event>& offer_events() {
  static const std::vector<eng::Event> events = [] {
    OfferBook book = make_offer_book(300, 400);
    std::mt19937 rng(kSeed + 90);
    RequestIds ids(kSeed + 90);
    std::vector<eng::Event> kept, out;
    for (const OfferSlot& slot : book.slots) {
      if (kept.size() == kMaxBatch) break;
      out.clear();
      const eng::Command c = place_offer(book.market, slot, bid_price(rng), ids.next(), bid_notes(rng));
      if (!book.market.execute(c, out).ok()) (void)must(book.market, c);  // prints and aborts
      for (eng::Event& e : out)
        if (std::holds_alternative<eng::OfferPlaced>(e)) kept.push_back(std::move(e));
    }
    if (kept.size() != kMaxBatch) die("only " + std::to_string(kept.size()) + " offers placed");
    return kept;
  }();
  return events;
}

void BM_DurableAppend(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const std::vector<eng::Event> events(offer_events().begin(), offer_events().begin() + static_cast<std::ptrdiff_t>(n));
  TempDir dir("carebroker-append-bench");
  std::unique_ptr<RocksJournal> journal = open_journal(dir.path() / "journal", true);

  std::uint64_t seq = 1;
  double encode_seconds = 0;
  std::size_t bytes = 0;
  store::BatchToAppend batch;
  for (auto _ : state) {
    state.PauseTiming();
    const auto t0 = std::chrono::steady_clock::now();
    batch.first_seq = seq;
    batch.last_seq = seq + n - 1;
    batch.payload = codec::encode_batch(seq, events);
    encode_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    bytes += batch.payload.size();
    state.ResumeTiming();

    if (auto s = journal->append(batch); !s.ok()) {
      state.SkipWithError(("append failed: " + s.message).c_str());
      break;
    }
    seq += n;
  }
  if (journal->last_seq() != seq - 1) state.SkipWithError("the journal's last sequence number is wrong");
  const auto iterations = static_cast<double>(state.iterations());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n));
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.counters["encode_us"] = iterations > 0 ? 1e6 * encode_seconds / iterations : 0;
  state.counters["bytes_per_batch"] = iterations > 0 ? static_cast<double>(bytes) / iterations : 0;
  state.SetLabel("sync=true, OfferPlaced");
}
BENCHMARK(BM_DurableAppend)
    ->ArgName("batch")
    ->Arg(1)
    ->Arg(16)
    ->Arg(256)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

/// What the audit chain adds to each append: framing a batch of N OfferPlaced events (the same
/// payloads as BM_DurableAppend's) in the version-1 frame (CRC32C only) or the chained version-2
/// frame (SHA-256 of the previous link and the batch, then the CRC over the link too). CPU
/// time; Time = one batch; bytes_per_second = payload hashed.
void BM_FrameBatch(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const bool chained = state.range(1) != 0;
  const std::vector<eng::Event> events(offer_events().begin(), offer_events().begin() + static_cast<std::ptrdiff_t>(n));
  const std::string payload = codec::encode_batch(1, events);
  store::ChainHash link = store::kChainGenesis;
  std::size_t framed = 0;
  for (auto _ : state) {
    const std::string frame = chained ? store::frame_chained_batch(1, n, payload, link, link) : store::frame_batch(1, n, payload);
    framed += frame.size();
    benchmark::DoNotOptimize(frame.data());
  }
  benchmark::DoNotOptimize(framed);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(payload.size()));
  state.counters["bytes_per_batch"] = static_cast<double>(payload.size());
  state.SetLabel(chained ? "version 2: SHA-256 link + CRC32C" : "version 1: CRC32C only");
}
BENCHMARK(BM_FrameBatch)
    ->ArgNames({"batch", "chained"})
    ->ArgsProduct({{1, 16, 256}, {0, 1}})
    ->Unit(benchmark::kMicrosecond);

// ---------------------------------------------------------------------------------------------
// The 1M-event journal

/// 1,000,000; CAREBROKER_BENCH_JOURNAL_EVENTS overrides it (e.g. a smaller journal to profile
/// replay under callgrind).
std::uint64_t journal_events() {
  static const std::uint64_t n = [] {
    const char* env = std::getenv("CAREBROKER_BENCH_JOURNAL_EVENTS");
    return env && *env ? std::strtoull(env, nullptr, 10) : 1'000'000ULL;
  }();
  return n;
}
constexpr int kLocations = 300;
constexpr int kPackagesPerRound = 40;
constexpr eng::UtcMillis kWindow = 4 * eng::kMillisPerHour;

struct BigJournal {
  TempDir root{"carebroker-replay-bench"};
  fs::path plain, with_snapshot;  // the journal; a checkpoint of it with a snapshot near the end
  std::uint64_t events = 0, batches = 0, commands = 0, rejected = 0, bytes = 0;
  std::uint64_t packages = 0, digest = 0, snapshot_seq = 0, snapshot_bytes = 0, disk_bytes = 0;
  double build_seconds = 0;
};

/// Runs the session and writes it to a RocksJournal, batch by batch.
class SessionWriter {
 public:
  SessionWriter(BigJournal& out, RocksJournal& journal)
      : out_(out), journal_(journal), m_(0), rng_(kSeed + 100), ids_(kSeed + 100) {
    m_.market = eng::Market();  // BenchMarket's own set-up is not journaled: start empty
  }

  /// The market's set-up, journaled: the DPS and kLocations admitted locations with varied
  /// tiers, zones, categories and quality (the shape of BenchMarket's population).
  void setup() {
    exec(eng::Tick{monday_9am()});
    exec(eng::SetCalendar{eng::england_and_wales_bank_holidays()});
    for (const char* cat : {"older_people", "dementia", "learning_disability", "mental_health",
                            "physical_disability", "autism"})
      exec(eng::DefineCategory{{cat, cat}});
    exec(eng::ConfigureDps{home_care_config()});
    const std::vector<std::string> zones = {"north", "central", "south"};
    const std::vector<std::vector<std::string>> districts = {{"B23", "B44"}, {"B11", "B12"}, {"B13", "B14"}};
    const std::vector<std::string> categories = {"older_people",        "dementia", "learning_disability",
                                                 "mental_health", "physical_disability", "autism"};
    std::string provider;
    int provider_left = 0, providers = 0;
    for (int i = 0; i < kLocations; ++i) {
      if (provider_left == 0) {
        provider = "1-" + std::to_string(101'000'000 + 7 * ++providers);
        provider_left = uniform(0, 9) < 6 ? 1 : uniform(2, 3);
        exec(eng::RegisterProvider{provider, "Provider " + std::to_string(providers) + " Ltd"});
      }
      --provider_left;
      const std::string id = "1-" + std::to_string(2'300'000'000LL + 13LL * i);
      const auto zone = static_cast<std::size_t>(uniform(0, 2));
      exec(eng::RegisterLocation{id, provider, "Branch " + std::to_string(i),
                                 districts[zone][static_cast<std::size_t>(uniform(0, 1))] + " 9AA", "Birmingham"});
      exec(eng::ApplyToDps{id, "home-care"});
      const int t = uniform(0, 99);
      const std::string tier = t < 50 ? "tier1" : t < 85 ? "tier2" : "specialist";
      const bool specialist = tier == "specialist";
      std::vector<std::string> in_zones = {zones[zone]};
      if (chance(0.4)) in_zones.push_back(zones[(zone + static_cast<std::size_t>(uniform(1, 2))) % 3]);
      const double p_cat[] = {0.9, 0.55, specialist ? 0.7 : 0.2, specialist ? 0.6 : 0.2, 0.6, specialist ? 0.4 : 0.1};
      std::vector<std::string> cats;
      for (std::size_t c = 0; c < categories.size(); ++c)
        if (chance(p_cat[c])) cats.push_back(categories[c]);
      if (cats.empty()) cats.push_back("older_people");
      exec(eng::AdmitToDps{id, "home-care", {"hc"}, cats, in_zones, tier, 100 * uniform(2, 20)});
      eng::UpdateQualityInputs q;
      q.location = id;
      const int c = uniform(0, 99), p = uniform(0, 99);
      q.cqc = c < 8 ? eng::CqcRating::outstanding : c < 77 ? eng::CqcRating::good
            : c < 94 ? eng::CqcRating::requires_improvement : c < 96 ? eng::CqcRating::inadequate : eng::CqcRating::none;
      q.pamms = p < 15 ? eng::PammsRating::excellent : p < 70 ? eng::PammsRating::good
              : p < 89 ? eng::PammsRating::requires_improvement : p < 91 ? eng::PammsRating::poor : eng::PammsRating::none;
      q.self_assessment = chance(0.2) ? -1 : uniform(55, 95);
      if (chance(0.015)) {
        q.embargo = true;
        q.embargo_reason = "safeguarding enquiry";
      }
      if (chance(0.05)) q.registered_manager_vacancy = true;
      exec(q);
    }
    flush();
  }

  void run() {
    while (out_.events < journal_events()) round();
    flush();
  }

  eng::Market& market() { return m_.market; }

 private:
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  void exec(const eng::Command& c) {
    const eng::Reply r = m_.market.execute(c, pending_);
    ++out_.commands;
    if (!r.ok()) {
      if (++out_.rejected == 1)
        first_rejection_ = std::string(eng::command_name(c)) + ": " + std::string(eng::to_string(r.status.code)) +
                           " — " + r.status.detail;
      if (out_.rejected * 200 > out_.commands + 1000)  // more than 0.5%: the session is wrong
        die("too many rejected commands; first: " + first_rejection_);
    }
    if (++commands_in_batch_ >= next_batch_size_) flush();
    if (++since_tick_ == 25) {
      since_tick_ = 0;
      tick(m_.market.now() + eng::kMillisPerMinute);
    }
  }

  void tick(eng::UtcMillis to) { exec(eng::Tick{to}); }

  void flush() {
    commands_in_batch_ = 0;
    next_batch_size_ = uniform(1, 64);
    if (pending_.empty()) return;
    store::BatchToAppend b;
    b.first_seq = next_seq_;
    b.last_seq = next_seq_ + pending_.size() - 1;
    b.payload = codec::encode_batch(next_seq_, pending_);
    for (const auto& e : pending_)
      if (const auto* retired = std::get_if<eng::PackageRetired>(&e))
        b.archive.emplace_back(retired->package, retired->archive);
    if (auto s = journal_.append(b); !s.ok()) die("append: " + s.message);
    for (const auto& e : pending_) ++mix_[std::string(eng::event_name(e))];
    next_seq_ = b.last_seq + 1;
    out_.events += pending_.size();
    out_.bytes += b.payload.size();
    ++out_.batches;
    pending_.clear();
    if (!snapshot_ && out_.events >= journal_events() - journal_events() / 100) {
      snapshot_.emplace();
      snapshot_->seq = b.last_seq;
      snapshot_->digest = m_.market.digest();
      snapshot_->state = m_.market.save_snapshot();
    }
  }

  eng::Date offer_start(const eng::Package& p) const {
    return std::max(p.spec->start_date, eng::london_date(m_.market.now()));
  }

  void round() {
    // New packages, all posted at once (one officer's morning).
    for (int i = 0; i < kPackagesPerRound; ++i) {
      eng::PackageSpec spec = m_.package_spec(rng_, chance(0.15) ? PackageKind::specialist : PackageKind::standard);
      spec.window = kWindow;
      const std::string n = std::to_string(++cases_);
      const std::size_t before = m_.market.package_count();
      exec(eng::PostPackage{std::move(spec), carebroker::person::seal_unkept({"Person " + n, n + " Example Street", "B13 9ZZ", "CASE-" + n})});
      if (m_.market.package_count() > before) active_.push_back(m_.market.package_count());
    }

    // Offers on every open package, arriving across packages.
    std::vector<OfferSlot> slots;
    for (const eng::PackageId id : active_) {
      const eng::Package* p = m_.market.find_package(id);
      if (!p || p->status != eng::PackageStatus::open) continue;
      if (offer_start(*p) > p->latest_start || chance(0.05)) continue;  // no offers: it cascades
      std::vector<eng::LocationIndex> invited;
      for (const eng::LocationIndex loc : p->invited)
        if (!p->offer_of(loc)) invited.push_back(loc);
      std::shuffle(invited.begin(), invited.end(), rng_);
      invited.resize(std::min<std::size_t>(invited.size(), static_cast<std::size_t>(uniform(5, 12))));
      for (const eng::LocationIndex loc : invited) slots.push_back({id, loc});
    }
    std::shuffle(slots.begin(), slots.end(), rng_);
    std::vector<OfferSlot> amend, withdraw;
    for (const OfferSlot& s : slots) {
      eng::PlaceOffer c = place_offer(m_.market, s, bid_price(rng_), ids_.next(), bid_notes(rng_));
      c.start_date = offer_start(*m_.market.find_package(s.package));
      exec(c);
      if (chance(0.25))
        amend.push_back(s);
      else if (chance(0.05 / 0.75))
        withdraw.push_back(s);
    }
    for (const OfferSlot& s : amend) {
      const eng::Offer* o = m_.market.find_package(s.package)->offer_of(s.location);
      if (!o || o->withdrawn) continue;
      eng::AmendOffer c = amend_offer(m_.market, s, std::max<eng::Pence>(1800, o->price - uniform(25, 200)),
                                      ids_.next(), bid_notes(rng_));
      c.start_date = o->start_date;
      exec(c);
    }
    for (const OfferSlot& s : withdraw) exec(withdraw_offer(m_.market, s, ids_.next()));

    // The windows close.
    eng::UtcMillis close = m_.market.now();
    for (const eng::PackageId id : active_)
      if (const eng::Package* p = m_.market.find_package(id); p && p->status == eng::PackageStatus::open)
        close = std::max(close, p->closes_at);
    tick(close);

    // Officers and locations answer until nothing waits on them.
    for (bool again = true; again;) {
      again = false;
      for (const eng::PackageId id : active_) {
        const eng::Package* p = m_.market.find_package(id);
        if (!p) continue;
        if (p->status == eng::PackageStatus::awaiting_decision) {
          exec(eng::DecideAbnormallyLow{id, m_.market.location(p->award_location).id, chance(0.8),
                                        "officer-" + std::to_string(uniform(1, 12)),
                                        chance(0.5) ? "explanation accepted: local staff, no travel"
                                                    : "price judged sustainable"});
          again = true;
        } else if (p->status == eng::PackageStatus::award_pending) {
          const eng::Location& l = m_.market.location(p->award_location);
          if (chance(0.9))
            exec(eng::AcceptAward{l.provider_id, l.id, ids_.next(), id});
          else
            exec(eng::DeclineAward{l.provider_id, l.id, ids_.next(), id, "no capacity in that area"});
          again = true;
        }
      }
    }

    // Settle the active list: closed packages leave it; a few placements are handed back.
    std::vector<eng::PackageId> still;
    for (const eng::PackageId id : active_) {
      const eng::Package* p = m_.market.find_package(id);
      if (!p) continue;
      if (p->status == eng::PackageStatus::placed) {
        if (chance(0.01)) {
          const eng::Location& l = m_.market.location(p->award_location);
          exec(eng::HandBackPackage{l.provider_id, l.id, ids_.next(), id, "carer left; cannot cover the calls"});
          if (const eng::Package* q = m_.market.find_package(id); q && !eng::is_closed(q->status)) still.push_back(id);
        }
        continue;
      }
      if (!eng::is_closed(p->status)) still.push_back(id);
    }
    active_ = std::move(still);
    tick(m_.market.now() + 10 * eng::kMillisPerMinute);
  }

 public:
  std::optional<store::Snapshot> snapshot_;
  std::map<std::string, std::uint64_t> mix_;
  std::string first_rejection_;

 private:
  BigJournal& out_;
  RocksJournal& journal_;
  BenchMarket m_;
  std::mt19937 rng_;
  RequestIds ids_;
  std::vector<eng::Event> pending_;
  std::vector<eng::PackageId> active_;
  std::uint64_t next_seq_ = 1;
  int commands_in_batch_ = 0, next_batch_size_ = 1, since_tick_ = 0, cases_ = 0;
};

const BigJournal& big_journal() {
  static const std::unique_ptr<BigJournal> j = [] {
    auto out = std::make_unique<BigJournal>();
    const auto t0 = std::chrono::steady_clock::now();
    out->plain = out->root.path() / "journal";
    out->with_snapshot = out->root.path() / "journal-with-snapshot";
    {
      std::unique_ptr<RocksJournal> journal = open_journal(out->plain, false);
      SessionWriter w(*out, *journal);
      w.setup();
      w.run();
      out->packages = w.market().package_count();
      out->digest = w.market().digest();
      if (!w.snapshot_) die("no snapshot was taken");
      out->snapshot_seq = w.snapshot_->seq;
      out->snapshot_bytes = w.snapshot_->state.size();
      std::string mix;
      for (const auto& [name, n] : w.mix_) mix += " " + name + "=" + std::to_string(n);
      std::fprintf(stderr,
                   "journal benchmark: built %llu events in %llu batches (%llu commands, %llu rejected%s%s), "
                   "%llu packages, %.0f MB of payload\n  mix:%s\n",
                   static_cast<unsigned long long>(out->events), static_cast<unsigned long long>(out->batches),
                   static_cast<unsigned long long>(out->commands), static_cast<unsigned long long>(out->rejected),
                   out->rejected ? "; first: " : "", w.first_rejection_.c_str(),
                   static_cast<unsigned long long>(out->packages), static_cast<double>(out->bytes) / 1e6, mix.c_str());
      // The copy with a snapshot: a checkpoint of the journal, then the snapshot put into it.
      if (auto s = journal->backup(out->with_snapshot.string()); !s.ok()) die("checkpoint: " + s.message);
      std::unique_ptr<RocksJournal> copy = open_journal(out->with_snapshot, false);
      if (auto s = copy->put_snapshot(*w.snapshot_); !s.ok()) die("put_snapshot: " + s.message);
    }
    out->build_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::error_code ec;
    for (const auto& f : fs::recursive_directory_iterator(out->plain, ec))
      if (f.is_regular_file(ec)) out->disk_bytes += f.file_size(ec);
    std::fprintf(stderr,
                 "journal benchmark: journal built in %.1f s, %.0f MB on disk; snapshot of %.1f MB at sequence %llu\n",
                 out->build_seconds, static_cast<double>(out->disk_bytes) / 1e6,
                 static_cast<double>(out->snapshot_bytes) / 1e6, static_cast<unsigned long long>(out->snapshot_seq));
    return out;
  }();
  return *j;
}

void BM_Replay(benchmark::State& state) {
  const BigJournal& j = big_journal();
  std::unique_ptr<RocksJournal> journal = open_journal(j.plain, true);
  std::uint64_t events = 0;
  for (auto _ : state) {
    auto market = std::make_unique<eng::Market>();
    sequencer::Recovered info;
    const auto s = sequencer::recover_market(*journal, *market, info, sequencer::SnapshotUse::none);
    state.PauseTiming();
    if (!s.ok()) {
      state.SkipWithError(("replay failed: " + s.message).c_str());
      break;
    }
    if (info.events_replayed != j.events || market->digest() != j.digest) {
      state.SkipWithError("the replayed market differs from the one that wrote the journal");
      break;
    }
    events += info.events_replayed;
    market.reset();  // freeing a market of 50k packages is not part of the replay
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
  state.counters["events"] = static_cast<double>(j.events);
  state.counters["batches"] = static_cast<double>(j.batches);
  state.counters["packages"] = static_cast<double>(j.packages);
  state.counters["MB"] = static_cast<double>(j.bytes) / 1e6;
}
BENCHMARK(BM_Replay)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_Startup1M(benchmark::State& state) {
  const BigJournal& j = big_journal();
  const bool with_snapshot = state.range(0) != 0;
  const fs::path& dir = with_snapshot ? j.with_snapshot : j.plain;
  std::uint64_t replayed = 0;
  for (auto _ : state) {
    std::unique_ptr<RocksJournal> journal = open_journal(dir, true);
    auto market = std::make_unique<eng::Market>();
    sequencer::Recovered info;
    const auto s = sequencer::recover_market(*journal, *market, info, sequencer::SnapshotUse::latest);
    state.PauseTiming();
    if (!s.ok()) {
      state.SkipWithError(("recovery failed: " + s.message).c_str());
      break;
    }
    if (info.from_snapshot != with_snapshot || info.last_seq != j.events || market->digest() != j.digest) {
      state.SkipWithError(("recovered the wrong market (" + info.note + ")").c_str());
      break;
    }
    replayed = info.events_replayed;
    market.reset();
    journal.reset();
    state.ResumeTiming();
  }
  state.counters["replayed"] = static_cast<double>(replayed);
  state.counters["snapshot_seq"] = with_snapshot ? static_cast<double>(j.snapshot_seq) : 0;
  state.counters["snapshot_MB"] = with_snapshot ? static_cast<double>(j.snapshot_bytes) / 1e6 : 0;
}
BENCHMARK(BM_Startup1M)
    ->ArgName("snapshot")
    ->Arg(0)
    ->Arg(1)
    ->Iterations(3)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// Market reports over the 1M-event market (engine/market/market_reports.h): the market the
// journal holds, replayed once (as the reader replica holds it), then each report over every
// package of the DPS — the session's whole period, live and retired packages — or over its
// last 30 days. One report is one pass over the DPS's packages; nothing is read from the journal.
const eng::Market& replayed_big_market() {
  static const std::unique_ptr<eng::Market> m = [] {
    const BigJournal& j = big_journal();
    std::unique_ptr<RocksJournal> journal = open_journal(j.plain, true);
    auto market = std::make_unique<eng::Market>();
    sequencer::Recovered info;
    if (auto s = sequencer::recover_market(*journal, *market, info, sequencer::SnapshotUse::none); !s.ok())
      die("replay: " + s.message);
    if (market->digest() != j.digest) die("the replayed market differs from the one that wrote the journal");
    return market;
  }();
  return *m;
}

void BM_Report1M(benchmark::State& state) {
  const eng::Market& m = replayed_big_market();
  const std::int64_t report = state.range(0);  // 0 sourcing, 1 rates, 2 capacity, 3 savings, 4-5 entering-leaving, 6 rag-counts
  const bool last_month = state.range(1) != 0;
  eng::ReportPeriod period;
  period.dps = m.find_dps("home-care");
  period.to = m.today();
  period.from = last_month ? period.to - 29 : eng::london_date(monday_9am());
  std::size_t rows = 0;
  for (auto _ : state) {
    if (report == 3) {
      const auto r = eng::savings_report(m, period);
      rows = r.size();
      benchmark::DoNotOptimize(r.data());
    } else if (report == 4) {
      const auto r = eng::movement_months_report(m, period);
      rows = r.size();
      benchmark::DoNotOptimize(r.data());
    } else if (report == 5) {
      const auto r = eng::movements_report(m, period);
      rows = r.size();
      benchmark::DoNotOptimize(r.data());
    } else if (report == 6) {
      const auto r = eng::rag_counts_report(m, period, eng::RagBucket::day);
      rows = r.size();
      benchmark::DoNotOptimize(r.data());
    } else if (report == 1) {
      const auto r = eng::rates_report(m, period);
      rows = r.size();
      benchmark::DoNotOptimize(r.data());
    } else if (report == 2) {
      const auto r = eng::capacity_report(m, period);
      rows = r.size();
      benchmark::DoNotOptimize(r.data());
    } else {
      const auto r = eng::sourcing_report(m, period);
      rows = r.size();
      benchmark::DoNotOptimize(r.data());
    }
  }
  std::size_t posted = 0;
  eng::for_each_reported(m, period, [&](const eng::PackageFacts&) { ++posted; });
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["packages"] = static_cast<double>(posted);
  state.counters["retired"] = static_cast<double>(m.retired_facts().size());
  state.counters["days"] = static_cast<double>(period.to - period.from + 1);
  static constexpr const char* kNames[] = {"sourcing", "rates", "capacity", "savings", "entering-leaving",
                                           "entering-leaving-list", "rag-counts by day"};
  state.SetLabel(std::string(kNames[report]) +
                 (last_month ? ", last 30 days" : ", whole session"));
}
BENCHMARK(BM_Report1M)
    ->ArgNames({"report", "last_month"})
    ->Args({0, 0})
    ->Args({1, 0})
    ->Args({2, 0})
    ->Args({3, 0})
    ->Args({4, 0})
    ->Args({5, 0})
    ->Args({6, 0})
    ->Args({0, 1})
    ->Args({1, 1})
    ->Args({2, 1})
    ->Args({3, 1})
    ->Args({4, 1})
    ->Args({5, 1})
    ->Args({6, 1})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace carebroker::bench
