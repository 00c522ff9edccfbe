// carebroker-store: offline tools for a carebroker data directory.
//   verify  --data DIR            open the journal, recover the market (snapshot + replay) and
//                                 check it against a full replay; print what is there
//   backup  --data DIR --to DIR   a consistent copy (RocksDB checkpoint) of a store not in use,
//                                 private (0700 / 0600); a running server backs itself up
//                                 online (see the README)
//   restore --from DIR --data DIR verify a backup, then put it in place as a new data directory
//   archived --data DIR --package N   print a retired package's archived record
// Exit status: 0 ok, 1 the store is damaged or the operation failed, 2 bad arguments.
#include <boost/program_options.hpp>

#include <sys/stat.h>

#include <cstdio>
#include <iostream>

#include "engine/market/calendar.h"
#include "engine/codec/archive_codec.h"
#include "engine/market/market.h"
#include "engine/sequencer/recovery.h"
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

int verify(const std::string& data) {
  std::unique_ptr<store::RocksJournal> journal;
  if (auto s = store::RocksJournal::open(existing(data), journal); !s.ok()) return fail(s);
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

}  // namespace

int main(int argc, char** argv) {
  ::umask(077);  // a backup or a restored store is private: directories 0700, files 0600
  namespace po = boost::program_options;
  std::string command, data, to, from;
  std::uint64_t package = 0;
  po::options_description options("carebroker-store verify|backup|restore|archived [options]");
  options.add_options()("help,h", "show this help")("data", po::value(&data), "the data directory")(
      "to", po::value(&to), "backup: where to write the copy")("from", po::value(&from), "restore: the backup")(
      "package", po::value(&package), "archived: the package number");
  po::options_description hidden;
  hidden.add_options()("command", po::value(&command));
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description positional;
  positional.add("command", 1);
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
  if (command == "verify") return need(data, "data") ? verify(data) : 2;
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
  std::cerr << "carebroker-store: unknown command '" << command << "'\n" << options;
  return 2;
}
