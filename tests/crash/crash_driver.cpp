// carebroker-crash-driver: a market under seeded load on a real, synced RocksDB journal, for the
// crash test (tests/crash_test.cpp), which SIGKILLs it at random moments and restarts it on the
// same data directory.
//
//   carebroker-crash-driver --data DIR --run ID [--seed N] [--max-seconds S]
//                           [--market-data DIR] [--snapshot-every N]
//
// On first start (an empty journal) it loads the demonstration market (--market-data holds
// zones.csv and cqc/); on every start it recovers from the journal and carries on. Its clock is
// a ManualClock it advances itself, round by round, so windows close, awards are offered and
// lapse. Each round it looks at the market (a read), then posts packages and sends provider
// commands — place, amend and withdraw offers, accept and decline awards, hand packages back —
// each with a unique request id "<run>-<n>", and re-sends a few already acknowledged ones
// (which must come back as replays).
//
// stdout: one line per ACKNOWLEDGED provider command, written by its completion once the batch
// is durable, in one write(2) (atomic on a pipe), carrying everything needed to rebuild the
// exact command:
//   ack <last_seq> place_offer|amend_offer <provider> <request_id> <package> <location> <price> <start_date>
//   ack <last_seq> withdraw_offer|accept_award <provider> <request_id> <package> <location>
//   ack <last_seq> decline_award|hand_back <provider> <request_id> <package> <location> <reason>
// (must-meet confirmed, no notes; reasons have no spaces), and
//   start <run> last_seq=N from_snapshot=0|1 snapshot_seq=N events_replayed=N
//   bad-replay <request_id> ...   (a re-sent acknowledged command that was not a replay: a bug)
//   stopped <run> acks=N rejected=N
// It runs until killed, or stops cleanly (with a snapshot) after --max-seconds.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "demo/demo_market.h"
#include "engine/person/person_access.h"
#include "engine/sequencer/clock.h"
#include "engine/sequencer/sequencer.h"
#include "engine/store/rocksdb_journal.h"

namespace {

using namespace carebroker;
using namespace carebroker::engine;
using sequencer::CommandResult;

/// One line to stdout in one write: a pipe never interleaves or tears writes under PIPE_BUF.
void emit(const std::string& line) {
  std::string s = line + "\n";
  std::size_t done = 0;
  while (done < s.size()) {
    const ssize_t n = ::write(STDOUT_FILENO, s.data() + done, s.size() - done);
    if (n <= 0) std::_Exit(3);  // the reader went away
    done += static_cast<std::size_t>(n);
  }
}

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "carebroker-crash-driver: %s\n", why.c_str());
  std::exit(1);
}

/// Waits for a number of asynchronous completions.
class Pending {
 public:
  void add() {
    std::lock_guard lock(m_);
    ++outstanding_;
  }
  void done() {
    std::lock_guard lock(m_);
    --outstanding_;
    cv_.notify_all();
  }
  void wait() {
    std::unique_lock lock(m_);
    if (!cv_.wait_for(lock, std::chrono::seconds(60), [&] { return outstanding_ == 0; }))
      die("completions did not arrive within 60 s");
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  int outstanding_ = 0;
};

struct Invitee {
  std::string location, provider;
  bool live_offer = false;
  Pence price = 0;
};

struct PackageInfo {
  PackageId id = 0;
  PackageStatus status = PackageStatus::open;
  std::vector<Invitee> invited;
  std::string award_location, award_provider;
  Date start_date = 0, latest_start = 0;
};

struct View {
  UtcMillis now = 0;
  std::vector<PackageInfo> active;  // open, evaluating, award pending …
  std::vector<PackageInfo> placed;
  Pence rate_min = 0, rate_max = 0;
};

View look(const Market& m) {
  View v;
  v.now = m.now();
  const int dps = m.find_dps(demo::kHomeCareDps);
  if (dps >= 0 && !m.dps(dps).lots.empty()) {
    v.rate_min = m.dps(dps).lots[0].rate_min;
    v.rate_max = m.dps(dps).lots[0].rate_max;
  }
  for (PackageId id = 1; id <= m.package_count(); ++id) {
    if (m.is_retired(id)) continue;
    const Package* p = m.find_package(id);
    if (!p) continue;
    if (is_closed(p->status) && p->status != PackageStatus::placed) continue;
    PackageInfo info;
    info.id = id;
    info.status = p->status;
    info.start_date = p->spec->start_date;
    info.latest_start = p->latest_start;
    if (p->status == PackageStatus::open || p->status == PackageStatus::best_and_final) {
      for (LocationIndex i : p->invited) {
        const Location& l = m.location(i);
        const Offer* o = p->offer_of(i);
        info.invited.push_back(Invitee{l.id, l.provider_id, o && !o->withdrawn, o ? Pence{o->price} : 0});
      }
    }
    if (p->status == PackageStatus::award_pending || p->status == PackageStatus::placed) {
      info.award_location = m.location(p->award_location).id;
      info.award_provider = m.location(p->award_location).provider_id;
    }
    (p->status == PackageStatus::placed ? v.placed : v.active).push_back(std::move(info));
  }
  return v;
}

struct Driver {
  sequencer::Sequencer& seq;
  sequencer::ManualClock& clock;
  std::string run;
  std::mt19937_64 rng;
  long next_request = 0;
  Pending pending;
  std::atomic<long> acks{0}, rejected{0};
  std::mutex codes_mutex;
  std::map<std::string, long> rejections;  // by code, for the "stopped" line
  std::mutex acked_mutex;
  std::vector<Command> acked;  // recent acknowledged commands, to re-send

  std::string request_id() { return run + "-" + std::to_string(next_request++); }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; }
  template <typename T>
  T pick(T lo, T hi) {
    return std::uniform_int_distribution<T>(lo, hi)(rng);
  }

  View read_view() {
    for (int attempt = 0; attempt < 100; ++attempt) {
      auto view = std::make_shared<View>();
      auto done = std::make_shared<std::promise<bool>>();
      auto future = done->get_future();
      if (!seq.submit_read([view](const Market& m) { *view = look(m); },
                           [done](bool durable) { done->set_value(durable); }))
        die("the sequencer refused a read");
      if (future.wait_for(std::chrono::seconds(60)) != std::future_status::ready) die("a read did not complete");
      if (future.get()) return *view;
    }
    die("reads keep failing");
  }

  /// Submits a provider command; its completion prints the ack line (durable and ok only).
  void send(Command c, std::string line) {
    pending.add();
    auto keep = std::make_shared<Command>(c);
    const bool queued = seq.submit(std::move(c), [this, keep, line = std::move(line)](CommandResult&& r) {
      if (r.durable && r.reply.ok() && !r.reply.replayed) {
        emit("ack " + std::to_string(r.last_seq) + " " + line);
        ++acks;
        std::lock_guard lock(acked_mutex);
        if (acked.size() < 256) acked.push_back(*keep);
        else acked[static_cast<std::size_t>(acks.load()) % acked.size()] = *keep;
      } else if (!r.durable) {
        std::fprintf(stderr, "carebroker-crash-driver: not durable: %s\n", r.failure.c_str());
      } else {
        ++rejected;
        std::lock_guard lock(codes_mutex);
        ++rejections[std::string(to_string(r.reply.status.code))];
      }
      pending.done();
    });
    if (!queued) die("the sequencer refused a command");
  }

  /// Re-sends an acknowledged command: it must come back as a replay.
  void resend(const Command& c) {
    pending.add();
    const bool queued = seq.submit(c, [this, c](CommandResult&& r) {
      if (r.durable && !(r.reply.ok() && r.reply.replayed))
        emit("bad-replay " + std::string(command_name(c)) + " " + std::string(to_string(r.reply.status.code)) + " " +
             r.reply.status.detail);
      pending.done();
    });
    if (!queued) die("the sequencer refused a command");
  }

  void officer(Command c) {
    pending.add();
    if (!seq.submit(std::move(c), [this](CommandResult&&) { pending.done(); })) die("the sequencer refused a command");
  }

  static std::string offer_fields(const std::string& provider, const std::string& rid, PackageId p,
                                  const std::string& location, Pence price, Date start) {
    return provider + " " + rid + " " + std::to_string(p) + " " + location + " " + std::to_string(price) + " " +
           std::to_string(start);
  }

  void round() {
    const View v = read_view();
    const Date today = london_date(v.now);
    const Pence lo = std::max<Pence>(v.rate_min, 2800), hi = std::max<Pence>(lo, v.rate_max);

    // Officers keep a dozen packages in play.
    static const char* kDistricts[] = {"B13", "B14", "B23", "B6", "B11", "B12"};
    static const char* kCategories[] = {"older_people", "dementia", "physical_disability"};
    const int open = static_cast<int>(v.active.size());
    for (int i = open; i < 12 && i < open + 3; ++i) {
      PackageSpec s;
      s.dps = demo::kHomeCareDps;
      s.lot = "home-care";
      s.categories = {kCategories[pick<int>(0, 2)]};
      s.postcode_district = kDistricts[pick<int>(0, 5)];
      s.visits = {pick<int>(1, 4), 30 + 15 * pick<int>(0, 2), 7};
      s.quantity = s.visits.minutes_per_week();
      s.start_date = today + pick<int>(2, 10);
      s.officer = "crash-officer";
      officer(PostPackage{s, person::seal_unkept({"Person " + std::to_string(next_request), "1 Crash Street", "B13 9ZZ",
                                                  "CRASH-" + run + "-" + std::to_string(next_request)})});
    }

    for (const auto& p : v.active) {
      const Date start = std::max(p.start_date, today);
      if (p.status == PackageStatus::open && !p.invited.empty() && start <= p.latest_start) {
        for (int k = 0; k < 4; ++k) {
          const Invitee& who = p.invited[pick<std::size_t>(0, p.invited.size() - 1)];
          if (!chance(0.6)) continue;
          const std::string rid = request_id();
          const Pence price = pick<Pence>(lo, hi);
          if (!who.live_offer) {
            send(PlaceOffer{who.provider, who.location, rid, p.id, price, start, true, ""},
                 "place_offer " + offer_fields(who.provider, rid, p.id, who.location, price, start));
          } else if (chance(0.75)) {
            send(AmendOffer{who.provider, who.location, rid, p.id, price, start, true, ""},
                 "amend_offer " + offer_fields(who.provider, rid, p.id, who.location, price, start));
          } else {
            send(WithdrawOffer{who.provider, who.location, rid, p.id},
                 "withdraw_offer " + who.provider + " " + rid + " " + std::to_string(p.id) + " " + who.location);
          }
        }
      } else if (p.status == PackageStatus::award_pending) {
        const std::string rid = request_id();
        const std::string tail = who_tail(p, rid);
        if (chance(0.7)) {
          send(AcceptAward{p.award_provider, p.award_location, rid, p.id}, "accept_award " + tail);
        } else if (chance(0.3)) {
          send(DeclineAward{p.award_provider, p.award_location, rid, p.id, "no-capacity"},
               "decline_award " + tail + " no-capacity");
        }  // otherwise let it lapse
      }
    }
    for (const auto& p : v.placed) {
      if (!chance(0.02)) continue;
      const std::string rid = request_id();
      send(HandBackPackage{p.award_provider, p.award_location, rid, p.id, "carers-unavailable"},
           "hand_back " + who_tail(p, rid) + " carers-unavailable");
    }
    {
      std::vector<Command> again;
      {
        std::lock_guard lock(acked_mutex);
        for (int k = 0; k < 2 && !acked.empty(); ++k)
          if (chance(0.3)) again.push_back(acked[pick<std::size_t>(0, acked.size() - 1)]);
      }
      for (const auto& c : again) resend(c);
    }
    pending.wait();
    // Time moves on: 20 minutes to 3 hours a round, so windows close and awards lapse.
    clock.set(std::max(clock.now(), v.now) + pick<UtcMillis>(20, 180) * kMillisPerMinute);
  }

  static std::string who_tail(const PackageInfo& p, const std::string& rid) {
    return p.award_provider + " " + rid + " " + std::to_string(p.id) + " " + p.award_location;
  }
};

}  // namespace

int main(int argc, char** argv) {
  std::string data, run, market_data;
  std::uint64_t seed = 1;
  double max_seconds = 60;
  std::uint64_t snapshot_every = 3000;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) die("missing value for " + a);
      return argv[++i];
    };
    if (a == "--data") data = value();
    else if (a == "--run") run = value();
    else if (a == "--seed") seed = std::stoull(value());
    else if (a == "--max-seconds") max_seconds = std::stod(value());
    else if (a == "--market-data") market_data = value();
    else if (a == "--snapshot-every") snapshot_every = std::stoull(value());
    else die("unknown argument " + a);
  }
  if (data.empty() || run.empty()) die("usage: carebroker-crash-driver --data DIR --run ID [--seed N] [--max-seconds S] "
                                       "[--market-data DIR] [--snapshot-every N]");
  const auto started = std::chrono::steady_clock::now();

  std::unique_ptr<store::RocksJournal> journal;
  store::RocksJournalOptions options;
  options.path = data;
  options.sync = true;
  if (auto s = store::RocksJournal::open(options, journal); !s.ok()) die("cannot open the journal: " + s.message);

  const UtcMillis start = london_to_utc(*parse_date("2026-11-23"), 9 * kMillisPerHour);
  sequencer::ManualClock clock(start);
  sequencer::SequencerOptions so;
  so.snapshot_every_events = snapshot_every;
  so.idle_tick_ms = 20;
  sequencer::Sequencer seq(*journal, clock, so);
  if (auto s = seq.start(); !s.ok()) die("cannot recover: " + s.message);
  const auto& rec = seq.recovered();
  emit("start " + run + " last_seq=" + std::to_string(rec.last_seq) + " from_snapshot=" +
       std::to_string(rec.from_snapshot ? 1 : 0) + " snapshot_seq=" + std::to_string(rec.snapshot_seq) +
       " events_replayed=" + std::to_string(rec.events_replayed));

  Driver d{seq, clock, run, std::mt19937_64(seed)};
  if (rec.last_seq == 0) {
    if (market_data.empty()) die("an empty journal needs --market-data to load the demonstration market");
    const auto loaded = demo::demo_market(market_data, start);
    if (!loaded.error.empty()) die(loaded.error);
    std::atomic<int> failures{0};
    for (const auto& c : loaded.commands) {
      d.pending.add();
      if (!seq.submit(c, [&](CommandResult&& r) {
            if (!r.durable || !r.reply.ok()) ++failures;
            d.pending.done();
          }))
        die("the sequencer refused a command");
    }
    d.pending.wait();
    if (failures > 0) die("the demonstration market did not load");
  }
  // Carry on from the market's clock.
  clock.set(std::max(clock.now(), d.read_view().now));

  while (std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() < max_seconds) d.round();
  seq.stop();
  std::string codes;
  for (const auto& [code, n] : d.rejections) codes += " " + code + "=" + std::to_string(n);
  emit("stopped " + run + " acks=" + std::to_string(d.acks.load()) + " rejected=" + std::to_string(d.rejected.load()) +
       codes);
  return 0;
}
