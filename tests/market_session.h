// A seeded, busy market session on the fixture market, and its events cut into journal batches
// as the sequencer hands them to the journal. For the store's tests (the journal contract,
// backups), which need a real journal holding every kind of event, retirements and archives too.
#pragma once

#include <algorithm>
#include <cstddef>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "engine/codec/event_codec.h"
#include "engine/store/journal.h"
#include "market_fixture.h"

namespace carebroker::testing {

/// Where a busy session's next step acts: mostly a live package, sometimes any (a closed one
/// gets rejections); mostly a location that package concerns — its award's location when
/// `award_first()` says so, else one it invited — sometimes any of the `locations` "L<n>".
/// `pick(n)` draws from 0..n-1, always in the same order, so one seed is one session.
struct SessionTarget {
  PackageId package = 1;
  const Package* found = nullptr;  ///< the package, when it exists
  std::string location;
  std::string provider;
  Date start = kMonday;  ///< the package's start date (kMonday when there is none)
};

template <class Pick, class AwardFirst>
SessionTarget session_target(const MarketFixture& f, Pick& pick, int locations, AwardFirst award_first) {
  SessionTarget t;
  const PackageId posted = f.market.package_count();
  std::vector<PackageId> live;
  for (PackageId id = 1; id <= posted; ++id)
    if (const Package* lp = f.market.find_package(id); lp && !is_closed(lp->status)) live.push_back(id);
  if (!live.empty() && pick(6) != 0)
    t.package = live[pick(static_cast<int>(live.size()))];
  else if (posted > 0)
    t.package = 1 + static_cast<PackageId>(pick(static_cast<int>(posted)));
  t.location = "L" + std::to_string(pick(locations));
  t.found = f.market.find_package(t.package);
  if (const Package* p = t.found; p && pick(5) != 0) {
    if ((p->status == PackageStatus::award_pending || p->status == PackageStatus::placed) && award_first())
      t.location = f.location_id(p->award_location);
    else if (!p->invited.empty())
      t.location = f.location_id(p->invited[pick(static_cast<int>(p->invited.size()))]);
  }
  t.provider = f.provider_of(t.location);
  if (t.found) t.start = t.found->spec->start_date;
  return t;
}

/// A seeded, busy session on the fixture market: admissions, packages, offers, amendments,
/// withdrawals, ticks through windows, awards accepted and declined, cancellations, quality
/// changes — then quiet days until closed packages are retired (PackageRetired, with archives).
inline void market_session(MarketFixture& f, unsigned seed, int steps) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  const std::vector<std::string> zones = {"north", "central", "south"};
  const std::vector<std::string> tiers = {"tier1", "tier2", "specialist"};
  const std::vector<std::string> districts = {"B23", "B44", "B11", "B12", "B13", "B14"};
  const int locations = 14;
  for (int i = 0; i < locations; ++i) {
    const int zone = pick(3);
    LocationSpec s{"L" + std::to_string(i), tiers[pick(3)], {zones[zone], zones[(zone + 1 + pick(2)) % 3]}};
    s.categories = {"older_people", "dementia", "learning_disability"};
    s.cqc = static_cast<CqcRating>(1 + pick(3));
    s.self_assessment = pick(101);
    s.provider = "P" + std::to_string(i % 5);
    f.admit(s);
  }
  for (int step = 0; step < steps; ++step) {
    const int roll = pick(100);
    const auto [pkg, p, loc, provider, start] = session_target(f, pick, locations, [&] { return pick(3) != 0; });
    const std::string rid = "r" + std::to_string(step);
    if (roll < 10) {
      PackageSpec s = MarketFixture::standard_package();
      s.postcode_district = districts[pick(6)];
      s.categories = {pick(4) == 0 ? "learning_disability" : "older_people"};
      s.urgency = pick(3) == 0 ? Urgency::urgent : Urgency::standard;
      s.start_date = london_date(f.market.now()) + 2 + pick(5);
      (void)f.run(PostPackage{s, sealed({"Person " + rid, "Addr", "B1 1AA", rid})});
    } else if (roll < 48) {
      (void)f.run(PlaceOffer{provider, loc, rid, pkg, 2600 + pick(1300), start, true, pick(3) ? "" : "notes"});
    } else if (roll < 54) {
      (void)f.run(AmendOffer{provider, loc, rid, pkg, 2500 + pick(1300), start + 1, true, ""});
    } else if (roll < 58) {
      (void)f.run(WithdrawOffer{provider, loc, rid, pkg});
    } else if (roll < 76) {
      (void)f.run(Tick{f.market.now() + (1 + pick(8)) * kMillisPerHour});
    } else if (roll < 90) {
      (void)f.run(AcceptAward{provider, loc, rid, pkg});
    } else if (roll < 94) {
      (void)f.run(DeclineAward{provider, loc, rid, pkg, "full"});
    } else if (roll < 96) {
      (void)f.run(CancelPackage{pkg, "moved"});
    } else {
      UpdateQualityInputs q;
      q.location = loc;
      q.self_assessment = pick(101);
      (void)f.run(q);
    }
  }
  (void)f.run(Tick{f.market.now() + (f.market.dps(0).windows.retain_closed_days + 10) * kMillisPerDay});
}

/// The events chunked into batches of 1–`max_size` events with consecutive sequence numbers from
/// 1, each encoded with the codec and carrying the archives of packages retired in it.
inline std::vector<store::BatchToAppend> journal_batches(const std::vector<Event>& events, unsigned seed,
                                                         std::size_t max_size = 40) {
  std::mt19937 rng(seed);
  std::vector<store::BatchToAppend> out;
  std::size_t at = 0;
  while (at < events.size()) {
    const std::size_t n = std::min<std::size_t>(1 + rng() % max_size, events.size() - at);
    const std::vector<Event> chunk(events.begin() + static_cast<long>(at), events.begin() + static_cast<long>(at + n));
    store::BatchToAppend b;
    b.first_seq = at + 1;
    b.last_seq = at + n;
    b.payload = codec::encode_batch(b.first_seq, chunk);
    for (const auto& e : chunk)
      if (const auto* retired = std::get_if<PackageRetired>(&e)) b.archive.emplace_back(retired->package, retired->archive);
    out.push_back(std::move(b));
    at += n;
  }
  return out;
}

}  // namespace carebroker::testing
