// carebroker-store: offline tools for a carebroker data directory.
//   verify  --data DIR | DIR [--expect-head SEQ:HEX]
//                                 check the whole journal — every batch's CRC, sequence numbers
//                                 and audit-chain link from the first (engine/store/audit_chain.h)
//                                 — naming the first broken link (its sequence number, expected
//                                 and found hash); then recover the market (snapshot + replay)
//                                 and check it against a full replay. --expect-head: also check
//                                 that the chain passes through the head recorded earlier (from
//                                 /metrics or a backup's manifest), so a store that has grown
//                                 since still verifies
//   backup  --data DIR --to DIR   a consistent copy (RocksDB checkpoint) of a store not in use,
//                                 private (0700 / 0600); a running server backs itself up
//                                 online (see the README)
//   restore --from DIR --data DIR verify a backup, then put it in place as a new data directory
//   archived --data DIR --package N   print a retired package's archived record
//   what-if --data DIR --dps CODE [--from DATE] [--to DATE] [policy options]
//                                 replay the journal into a scratch replica and compare, for
//                                 each package of the DPS whose window closed in the period,
//                                 the top offer under its policy with the top offer under the
//                                 policy given (engine/replica/policy_replay.h)
// Exit status: 0 ok, 1 the store is damaged (a CRC, a sequence number, a chain link, the
// market's recovery) or the operation failed, 2 bad arguments, 3 (verify --expect-head) the
// store is intact but its chain does not pass through the expected head.
#include <boost/program_options.hpp>

#include <sys/stat.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <tuple>

#include "engine/market/calendar.h"
#include "engine/codec/archive_codec.h"
#include "engine/market/market.h"
#include "engine/codec/event_codec.h"
#include "engine/replica/policy_replay.h"
#include "engine/sequencer/recovery.h"
#include "engine/store/chain_verify.h"
#include "engine/store/rocksdb_journal.h"

using namespace carebroker;

namespace {

store::RocksJournalOptions existing(const std::string& data) {
  store::RocksJournalOptions o;
  o.path = data;
  o.create_if_missing = false;
  return o;
}

int fail(const store::StoreStatus& s) {
  std::fprintf(stderr, "carebroker-store: %s: %s\n", store::to_string(s.code), s.message.c_str());
  return 1;
}

int verify(const std::string& data, const std::optional<store::ChainHead>& expect_head = std::nullopt) {
  std::unique_ptr<store::RocksJournal> journal;
  if (auto s = store::RocksJournal::open(existing(data), journal); !s.ok()) return fail(s);
  store::ChainReport chain;
  if (auto s = store::verify_chain(*journal, chain); !s.ok()) {
    std::printf("audit chain: BROKEN: %s\n", s.message.c_str());
    return fail(s);
  }
  if (chain.batches == 0)
    std::printf("audit chain: the journal is empty\n");
  else if (chain.chained_from == 0)
    std::printf("audit chain: none yet: all %llu batches are pre-chain (version-1) frames, CRC-checked only\n",
                static_cast<unsigned long long>(chain.batches));
  else
    std::printf("audit chain: intact: %llu batches from sequence %llu linked from the genesis%s; head %s\n",
                static_cast<unsigned long long>(chain.batches - chain.unchained),
                static_cast<unsigned long long>(chain.chained_from),
                chain.unchained == 0 ? ""
                                     : (" (before it " + std::to_string(chain.unchained) +
                                        " pre-chain batches, CRC-checked only)").c_str(),
                store::to_string(chain.head).c_str());
  if (expect_head) {
    if (auto s = store::check_expected_head(*journal, *expect_head); !s.ok()) {
      std::printf("expected head: NOT FOUND: %s\n", s.message.c_str());
      fail(s);
      return 3;
    }
    std::printf("expected head: the chain passes through %s\n", store::to_string(*expect_head).c_str());
  }
  engine::Market fast, full;
  sequencer::Recovered a, b;
  if (auto s = sequencer::recover_market(*journal, fast, a, sequencer::SnapshotUse::latest); !s.ok()) return fail(s);
  if (auto s = sequencer::recover_market(*journal, full, b, sequencer::SnapshotUse::none); !s.ok()) return fail(s);
  std::printf("journal: %llu events in %llu batches; last sequence %llu\n",
              static_cast<unsigned long long>(b.events_replayed), static_cast<unsigned long long>(b.batches_replayed),
              static_cast<unsigned long long>(b.last_seq));
  if (a.from_snapshot)
    std::printf("snapshot: at sequence %llu, then %llu events replayed\n",
                static_cast<unsigned long long>(a.snapshot_seq), static_cast<unsigned long long>(a.events_replayed));
  else
    std::printf("snapshot: none used%s%s\n", a.note.empty() ? "" : " — ", a.note.c_str());
  std::printf("market: %zu locations, %zu packages, clock %s\n", full.location_count(), full.package_count(),
              engine::format_london(full.now()).c_str());
  std::printf("digest: %016llx (snapshot + replay) %016llx (full replay) — %s\n",
              static_cast<unsigned long long>(fast.digest()), static_cast<unsigned long long>(full.digest()),
              fast.digest() == full.digest() ? "identical" : "DIFFERENT");
  return fast.digest() == full.digest() ? 0 : 1;
}

/// The policy tried: the DPS's as it stands now, with what the options change.
struct PolicyOverrides {
  std::string scheme, red, amber;
  int price_weight = -1, quality_weight = -1, min_quality = -1, abnormally_low_pct = -1;
};

int what_if(const std::string& data, replica::PolicyReplayOptions options, const PolicyOverrides& o) {
  std::unique_ptr<store::RocksJournal> journal;
  if (auto s = store::RocksJournal::open(existing(data), journal); !s.ok()) return fail(s);
  engine::Market now;
  sequencer::Recovered recovered;
  if (auto s = sequencer::recover_market(*journal, now, recovered, sequencer::SnapshotUse::latest); !s.ok()) return fail(s);
  const int dps = now.find_dps(options.dps);
  if (dps < 0) {
    std::fprintf(stderr, "carebroker-store what-if: no DPS '%s' in this store\n", options.dps.c_str());
    return 2;
  }
  engine::RankingPolicy& k = options.ranking = now.dps(dps).ranking;
  options.risk = now.dps(dps).risk;
  if (!o.scheme.empty()) {
    if (o.scheme == "price_quality_split") k.scheme = engine::RankingScheme::price_quality_split;
    else if (o.scheme == "quality_adjusted_price") k.scheme = engine::RankingScheme::quality_adjusted_price;
    else {
      std::fprintf(stderr, "carebroker-store what-if: --scheme is price_quality_split or quality_adjusted_price\n");
      return 2;
    }
  }
  if (o.price_weight >= 0) k.price_weight_pct = o.price_weight, k.quality_weight_pct = 100 - o.price_weight;
  if (o.quality_weight >= 0) {
    k.quality_weight_pct = o.quality_weight;
    if (o.price_weight < 0) k.price_weight_pct = 100 - o.quality_weight;
  }
  if (o.min_quality >= 0) k.min_quality = o.min_quality;
  if (o.abnormally_low_pct >= 0) k.abnormally_low_pct = o.abnormally_low_pct;
  for (const auto& [flag, value, field] : {std::tuple{"red", &o.red, &options.risk.red_excludes_from_broadcast},
                                           std::tuple{"amber", &o.amber, &options.risk.amber_excludes_from_broadcast}}) {
    if (value->empty()) continue;
    if (*value != "exclude" && *value != "warn") {
      std::fprintf(stderr, "carebroker-store what-if: --%s is exclude or warn\n", flag);
      return 2;
    }
    *field = *value == "exclude";
  }
  if (const std::string problem = engine::ranking_policy_problem(k); !problem.empty()) {
    std::fprintf(stderr, "carebroker-store what-if: %s\n", problem.c_str());
    return 2;
  }
  replica::PolicyReplay observer(options);
  replica::Replica scratch;
  scratch.keep_request_ids(false);
  if (std::string e = scratch.start("", 0); !e.empty()) return fail({store::StoreCode::corruption, e});
  const auto status = journal->replay(0, [&](std::uint64_t first, std::uint64_t last, std::string_view payload) {
    codec::DecodedBatch d = codec::decode_batch(payload);
    if (!d.ok()) return store::StoreStatus{store::StoreCode::corruption, "batch " + std::to_string(first) + ": " + d.error};
    replica::DurableBatch batch{first, last, std::make_shared<const std::vector<engine::Event>>(std::move(d.events)), {}};
    if (std::string e = scratch.apply(batch, &observer); !e.empty()) return store::StoreStatus{store::StoreCode::corruption, e};
    return store::StoreStatus{};
  });
  if (!status.ok()) return fail(status);
  const replica::PolicyReplayReport& r = observer.report();
  const auto policy = [](const engine::RankingPolicy& p, const engine::RiskPolicy& risk) {
    return std::string(engine::to_string(p.scheme)) + " " + std::to_string(p.price_weight_pct) + "/" +
           std::to_string(p.quality_weight_pct) + ", minimum quality " + std::to_string(p.min_quality) +
           ", abnormally low under " + std::to_string(p.abnormally_low_pct) + "% of the fair cost, Red " +
           (risk.red_excludes_from_broadcast ? "excluded" : "warn-only") + ", Amber " +
           (risk.amber_excludes_from_broadcast ? "excluded" : "warn-only");
  };
  std::printf("replayed %llu events of %s into a scratch replica\n", static_cast<unsigned long long>(r.events), data.c_str());
  std::printf("policy now:     %s\n", policy(now.dps(dps).ranking, now.dps(dps).risk).c_str());
  std::printf("policy what-if: %s\n", policy(options.ranking, options.risk).c_str());
  std::printf("%zu package windows closed in the period: top offer changes for %zu; no acceptable offer %zu now, %zu what-if\n",
              r.packages_compared, r.winners_changed, r.no_acceptable_now, r.no_acceptable_then);
  std::printf("weekly value of the top offers (packages with one under both): %s now, %s what-if\n",
              engine::format_pence(r.weekly_now).c_str(), engine::format_pence(r.weekly_then).c_str());
  for (const auto& c : r.changed)
    std::printf("  package %llu (closed %s): %s %s → %s %s a week\n", static_cast<unsigned long long>(c.package),
                engine::format_london(c.closed_at).c_str(), c.top_now.empty() ? "none" : c.top_now.c_str(),
                engine::format_pence(c.weekly_now).c_str(), c.top_then.empty() ? "none" : c.top_then.c_str(),
                engine::format_pence(c.weekly_then).c_str());
  std::printf("%zu tiers broadcast: the risk policy tried would have invited %zu more location-tiers and left out %zu "
              "(never their bids: nobody knows what they would have offered)\n",
              r.tiers_opened, r.extra_invited, r.fewer_invited);
  for (const auto& x : r.extra) {
    std::string names;
    for (const auto& l : x.locations) names += (names.empty() ? "" : ", ") + l;
    std::printf("  package %llu, step %d: also %s\n", static_cast<unsigned long long>(x.package), x.step + 1, names.c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  ::umask(077);  // a backup or a restored store is private: directories 0700, files 0600
  namespace po = boost::program_options;
  std::string command, data, to, from, expect_head;
  std::uint64_t package = 0;
  std::string dps, period_from, period_to;
  PolicyOverrides policy;
  po::options_description options("carebroker-store verify|backup|restore|archived|what-if [options]");
  options.add_options()("help,h", "show this help")("data", po::value(&data), "the data directory")(
      "to", po::value(&to), "backup: where to write the copy; what-if: the period's last day (YYYY-MM-DD)")(
      "from", po::value(&from), "restore: the backup; what-if: the period's first day (YYYY-MM-DD)")(
      "package", po::value(&package), "archived: the package number")(
      "expect-head", po::value(&expect_head), "verify: SEQ:HEX, a chain head recorded earlier the store must pass through")("dps", po::value(&dps), "what-if: the DPS")(
      "scheme", po::value(&policy.scheme), "what-if: price_quality_split or quality_adjusted_price")(
      "price-weight", po::value(&policy.price_weight), "what-if: the price weight, 0..100")(
      "quality-weight", po::value(&policy.quality_weight), "what-if: the quality weight, 0..100")(
      "min-quality", po::value(&policy.min_quality), "what-if: the minimum quality, 0..100")(
      "abnormally-low-pct", po::value(&policy.abnormally_low_pct), "what-if: flag offers under this % of the fair cost")(
      "red", po::value(&policy.red), "what-if: exclude or warn (Red locations)")(
      "amber", po::value(&policy.amber), "what-if: exclude or warn (Amber locations)");
  po::options_description hidden;
  hidden.add_options()("command", po::value(&command));
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description positional;
  positional.add("command", 1).add("data", 1);  // verify DIR is verify --data DIR
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "carebroker-store: " << e.what() << "\n" << options;
    return 2;
  }
  if (vm.count("help") || command.empty()) {
    std::cout << options;
    return command.empty() && !vm.count("help") ? 2 : 0;
  }
  auto need = [&](const std::string& value, const char* name) {
    if (!value.empty()) return true;
    std::cerr << "carebroker-store " << command << ": --" << name << " is required\n";
    return false;
  };
  if (command == "verify") {
    if (!need(data, "data")) return 2;
    if (expect_head.empty()) return verify(data);
    const auto head = store::parse_chain_head(expect_head);
    if (!head) {
      std::cerr << "carebroker-store verify: --expect-head is SEQ:HEX (a sequence number, a colon and 64 hex digits), not '"
                << expect_head << "'\n";
      return 2;
    }
    return verify(data, head);
  }
  if (command == "backup") {
    if (!need(data, "data") || !need(to, "to")) return 2;
    std::unique_ptr<store::RocksJournal> journal;
    if (auto s = store::RocksJournal::open(existing(data), journal); !s.ok()) return fail(s);
    if (auto s = journal->backup(to); !s.ok()) return fail(s);
    std::printf("backed up %s to %s (through sequence %llu)\n", data.c_str(), to.c_str(),
                static_cast<unsigned long long>(journal->last_seq()));
    return 0;
  }
  if (command == "restore") {
    if (!need(from, "from") || !need(data, "data")) return 2;
    if (auto s = store::RocksJournal::restore(from, data); !s.ok()) return fail(s);
    std::printf("restored %s into %s\n", from.c_str(), data.c_str());
    return verify(data);
  }
  if (command == "archived") {
    if (!need(data, "data") || package == 0) return 2;
    std::unique_ptr<store::RocksJournal> journal;
    if (auto s = store::RocksJournal::open(existing(data), journal); !s.ok()) return fail(s);
    std::string record;
    if (auto s = journal->archived_package(package, record); !s.ok()) return fail(s);
    // Either form: an ArchivedPackage record, or one written before it (engine/codec/archive_codec.h).
    const codec::DecodedArchive archived = codec::decode_archive(record);
    if (!archived.ok())
      return fail({store::StoreCode::corruption, "the archived record does not decode: " + archived.error});
    const auto& p = archived.package;
    std::printf("package %llu: %s, posted %s, closed %s, %d tier(s) tried, %d decline(s), %d hand-back(s)%s\n",
                static_cast<unsigned long long>(p.id), std::string(engine::to_string(p.status)).c_str(),
                engine::format_london(p.posted_at).c_str(), engine::format_london(p.closed_at).c_str(), p.tiers_tried,
                p.declines, p.hand_backs, archived.legacy ? " (a record in the pre-ArchivedPackage form)" : "");
    if (const engine::Placement& pl = archived.placement; pl.package != 0)
      std::printf("placement: rate %lld pence, from %s, ended on %s (%s)\n", static_cast<long long>(pl.rate),
                  engine::format_date(pl.start).c_str(), engine::format_date(pl.ended_on).c_str(),
                  std::string(engine::to_string(pl.end_reason)).c_str());
    return 0;
  }
  if (command == "what-if") {
    if (!need(data, "data") || !need(dps, "dps")) return 2;
    replica::PolicyReplayOptions period;
    period.dps = dps;
    for (const auto& [text, into, next_day] : {std::tuple{&from, &period.from, 0}, std::tuple{&to, &period.to, 1}}) {
      if (text->empty()) continue;
      const auto day = engine::parse_date(*text);
      if (!day) {
        std::cerr << "carebroker-store what-if: '" << *text << "' is not a date YYYY-MM-DD\n";
        return 2;
      }
      *into = engine::london_to_utc(*day + next_day, 0);  // from 00:00 of the first day to the end of the last
    }
    return what_if(data, std::move(period), policy);
  }
  std::cerr << "carebroker-store: unknown command '" << command << "'\n" << options;
  return 2;
}
