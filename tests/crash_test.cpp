// The crash test: the crash driver (tests/crash/crash_driver.cpp) runs a market under seeded
// load on a synced RocksDB journal; this test SIGKILLs it at seeded random moments (after 50 to
// 2,000 acknowledgements), restarts it on the same data directory, repeats, and then checks
// in-process, with the store and the engine:
//   (a) every acknowledged command is in the journal: re-sent to the recovered market (same
//       provider, request id and payload) it is a replay of the original;
//   (b) no package was awarded twice (at most one AwardAccepted between hand-backs);
//   (c) recovery from the latest snapshot and from the journal alone give the same digest;
//   (d) nothing is half-applied: every journal batch decodes and replays cleanly, and each
//       restart recovered at least everything acknowledged before the kill.
// CAREBROKER_CRASH_KILLS=N sets the number of kills (default 10; scripts/crash-test runs 100),
// CAREBROKER_CRASH_SEED the seed; CAREBROKER_CRASH_KEEP=1 keeps the data directory. Prints
// "lost acknowledgements: N".
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <tuple>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "engine/codec/event_codec.h"
#include "engine/market/market.h"
#include "engine/sequencer/recovery.h"
#include "engine/store/rocksdb_journal.h"
#include "store_test_support.h"

extern char** environ;

namespace {

using namespace carebroker;
using namespace carebroker::engine;
using carebroker::testing::store_support::read_file;

/// One acknowledged command as the driver logged it, rebuilt exactly.
struct Ack {
  std::uint64_t last_seq = 0;
  std::string line;
  Command command;
};

std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

/// Parses "ack <last_seq> <type> <provider> <request_id> <package> <location> ..."; false when
/// the line is not a well-formed ack.
bool parse_ack(const std::string& line, Ack& out) {
  const auto w = words(line);
  if (w.size() < 7 || w[0] != "ack") return false;
  try {
    out.line = line;
    out.last_seq = std::stoull(w[1]);
    const std::string& type = w[2];
    const std::string &provider = w[3], &rid = w[4], &location = w[6];
    const PackageId package = std::stoull(w[5]);
    if ((type == "place_offer" || type == "amend_offer") && w.size() == 9) {
      const Pence price = std::stoll(w[7]);
      const Date start = static_cast<Date>(std::stol(w[8]));
      if (type == "place_offer")
        out.command = PlaceOffer{provider, location, rid, package, price, start, true, ""};
      else
        out.command = AmendOffer{provider, location, rid, package, price, start, true, ""};
    } else if (type == "withdraw_offer" && w.size() == 7) {
      out.command = WithdrawOffer{provider, location, rid, package};
    } else if (type == "accept_award" && w.size() == 7) {
      out.command = AcceptAward{provider, location, rid, package};
    } else if (type == "decline_award" && w.size() == 8) {
      out.command = DeclineAward{provider, location, rid, package, w[7]};
    } else if (type == "hand_back" && w.size() == 8) {
      out.command = HandBackPackage{provider, location, rid, package, w[7]};
    } else {
      return false;
    }
  } catch (const std::exception&) {
    return false;
  }
  return true;
}

/// How one run of the driver went.
struct RunOutcome {
  int acks = 0;               ///< ack lines read (including those drained after the kill)
  int target = 0;             ///< kill after this many
  bool killed = false;        ///< we killed it (else it stopped by itself)
  int exit_status = 0;        ///< waitpid status
  std::uint64_t recovered_last_seq = 0;
  bool from_snapshot = false;
  std::vector<std::string> bad;  ///< bad-replay lines and malformed acks
};

/// Spawns the driver, reads its stdout, SIGKILLs it after `target` acks (or lets it stop by
/// itself), and drains what it wrote before it died.
RunOutcome run_driver(const std::vector<std::string>& args, int target, const std::string& stderr_path,
                      std::vector<Ack>& acks) {
  RunOutcome out;
  out.target = target;
  int fds[2];
  REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  REQUIRE(rc == 0);

  std::string buffer;
  char chunk[65536];
  bool eof = false;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (!eof) {
    pollfd p{fds[0], POLLIN, 0};
    const int ready = ::poll(&p, 1, 1000);
    if (ready == 0) {
      if (std::chrono::steady_clock::now() > give_up) {  // a hung driver: kill it and fail below
        ::kill(pid, SIGKILL);
        out.killed = true;
        out.bad.push_back("the driver hung");
      }
      continue;
    }
    const ssize_t n = ::read(fds[0], chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      eof = true;
      break;
    }
    buffer.append(chunk, static_cast<std::size_t>(n));
    std::size_t nl;
    while ((nl = buffer.find('\n')) != std::string::npos) {
      const std::string line = buffer.substr(0, nl);
      buffer.erase(0, nl + 1);
      if (line.rfind("ack ", 0) == 0) {
        Ack a;
        if (parse_ack(line, a)) {
          acks.push_back(std::move(a));
          ++out.acks;
        } else {
          out.bad.push_back("malformed: " + line);
        }
        if (!out.killed && out.acks >= target) {
          ::kill(pid, SIGKILL);  // everything still in the pipe is drained below
          out.killed = true;
        }
      } else if (line.rfind("start ", 0) == 0) {
        for (const auto& w : words(line)) {
          if (w.rfind("last_seq=", 0) == 0) out.recovered_last_seq = std::stoull(w.substr(9));
          if (w == "from_snapshot=1") out.from_snapshot = true;
        }
      } else if (line.rfind("bad-replay", 0) == 0) {
        out.bad.push_back(line);
      }
    }
  }
  // A partial last line was never completely written: it was not acknowledged to anyone.
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  out.exit_status = status;
  return out;
}

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  return std::atoi(v);
}

}  // namespace

TEST_CASE("crash: SIGKILL at random moments loses no acknowledged command", "[crash]") {
  const int kills = env_int("CAREBROKER_CRASH_KILLS", 10);
  const auto seed = static_cast<std::uint64_t>(env_int("CAREBROKER_CRASH_SEED", 20261123));
  REQUIRE(kills > 0);
  const auto began = std::chrono::steady_clock::now();

  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/carebroker-crash-XXXXXX";
  REQUIRE(::mkdtemp(pattern.data()) != nullptr);
  const std::string dir = pattern, store_dir = dir + "/store", log_path = dir + "/driver.stderr";

  std::mt19937_64 rng(seed);
  std::vector<Ack> acks;
  std::uint64_t max_acked_seq = 0;
  int restarts_from_snapshot = 0, runs = 0;
  for (int k = 0; k < kills; ++k) {
    const int target = std::uniform_int_distribution<int>(50, 2000)(rng);
    const std::vector<std::string> args = {CAREBROKER_CRASH_DRIVER, "--data", store_dir,
                                           "--run", "k" + std::to_string(k),
                                           "--seed", std::to_string(seed + static_cast<std::uint64_t>(k)),
                                           "--max-seconds", "30",
                                           "--market-data", CAREBROKER_DATA_DIR};
    const RunOutcome r = run_driver(args, target, log_path, acks);
    ++runs;
    INFO("run " << k << ": target " << target << " acks, read " << r.acks << "; driver stderr:\n"
                << read_file(log_path));
    for (const auto& b : r.bad) UNSCOPED_INFO(b);
    CHECK(r.bad.empty());
    if (r.killed) {
      CHECK((WIFSIGNALED(r.exit_status) && WTERMSIG(r.exit_status) == SIGKILL));
    } else {
      // It stopped by itself (--max-seconds) before reaching the target: fine, if cleanly.
      CHECK(WIFEXITED(r.exit_status));
      CHECK(WEXITSTATUS(r.exit_status) == 0);
    }
    // (d) a restart recovers at least everything acknowledged before the kill.
    CHECK(r.recovered_last_seq >= max_acked_seq);
    if (r.from_snapshot) ++restarts_from_snapshot;
    for (std::size_t i = acks.size() - static_cast<std::size_t>(r.acks); i < acks.size(); ++i)
      max_acked_seq = std::max(max_acked_seq, acks[i].last_seq);
    REQUIRE(r.acks > 0);
  }

  // ---- the store and the engine, in-process ----
  std::unique_ptr<store::RocksJournal> journal;
  store::RocksJournalOptions options;
  options.path = store_dir;
  {
    const auto s = store::RocksJournal::open(options, journal);
    INFO(s.message);
    REQUIRE(s.ok());
  }
  CHECK(journal->last_seq() >= max_acked_seq);

  // (d) every batch decodes, in sequence, and its events replay into an empty market.
  std::vector<Event> events;
  std::uint64_t batches = 0;
  {
    const auto s = journal->replay(0, [&](std::uint64_t first, std::uint64_t last, std::string_view payload) {
      auto b = codec::decode_batch(payload);
      if (!b.ok()) return store::store_error(store::StoreCode::corruption, b.error);
      if (b.first_seq != first || b.last_seq != last || first != events.size() + 1)
        return store::store_error(store::StoreCode::sequence_gap, "batch at " + std::to_string(first));
      for (auto& e : b.events) events.push_back(std::move(e));
      ++batches;
      return store::StoreStatus{};
    });
    INFO(s.message);
    REQUIRE(s.ok());
  }
  CHECK(events.size() == journal->last_seq());

  // (c) snapshot + replay = replay alone.
  Market from_snapshot, from_journal;
  sequencer::Recovered snap_info, journal_info;
  {
    const auto s = sequencer::recover_market(*journal, from_snapshot, snap_info, sequencer::SnapshotUse::latest);
    INFO(s.message);
    REQUIRE(s.ok());
  }
  {
    const auto s = sequencer::recover_market(*journal, from_journal, journal_info, sequencer::SnapshotUse::none);
    INFO(s.message);
    REQUIRE(s.ok());
  }
  CHECK(journal_info.last_seq == journal->last_seq());
  CHECK(snap_info.last_seq == journal->last_seq());
  CHECK(from_snapshot.digest() == from_journal.digest());

  // (b) no package awarded twice between hand-backs.
  std::map<PackageId, int> accepted;
  int awards = 0, hand_backs = 0, double_awards = 0;
  for (const auto& e : events) {
    if (const auto* a = std::get_if<AwardAccepted>(&e)) {
      ++awards;
      if (++accepted[a->package] > 1) ++double_awards;
    } else if (const auto* h = std::get_if<PackageHandedBack>(&e)) {
      ++hand_backs;
      accepted[h->package] = 0;
    } else if (std::holds_alternative<PlacementHandedBack>(e)) {
      ++hand_backs;  // re-procured as a new package: the old one is never awarded again
    }
  }
  CHECK(double_awards == 0);

  // (a) every acknowledged command is in the journal: an event carries its (provider, request
  // id); and, while its package is still in memory (closed packages retire after the DPS's
  // retention period, and their idempotency records with them), re-submitting it is a replay.
  std::set<std::pair<std::string, std::string>> journaled;
  auto note = [&](const RequestRef& r) { journaled.insert({r.provider, r.request_id}); };
  for (const auto& e : events) {
    if (const auto* o = std::get_if<OfferPlaced>(&e)) note(o->request);
    if (const auto* w = std::get_if<OfferWithdrawn>(&e)) note(w->request);
    if (const auto* a = std::get_if<AwardAccepted>(&e)) note(a->request);
    if (const auto* d = std::get_if<AwardDeclined>(&e)) note(d->request);
    if (const auto* h = std::get_if<PackageHandedBack>(&e)) note(h->request);
    if (const auto* h = std::get_if<PlacementHandedBack>(&e)) note(h->request);
  }
  int lost = 0, replayed_checked = 0;
  std::vector<Event> scratch;
  std::map<std::string, int> by_type;
  for (const auto& a : acks) {
    ++by_type[std::string(command_name(a.command))];
    const auto [provider, request_id, package] = std::visit(
        [](const auto& c) -> std::tuple<std::string, std::string, PackageId> {
          if constexpr (requires { c.request_id; }) return {c.provider, c.request_id, c.package};
          else return {"", "", 0};
        },
        a.command);
    bool present = journaled.count({provider, request_id}) == 1;
    if (present && from_journal.find_package(package) != nullptr) {
      const Reply r = from_journal.execute(a.command, scratch);
      present = r.ok() && r.replayed;
      ++replayed_checked;
    }
    if (!present) {
      ++lost;
      if (lost <= 10) UNSCOPED_INFO("lost: " << a.line);
    }
  }
  CHECK(replayed_checked > 0);
  CHECK(scratch.empty());  // replays cause no events
  CHECK(from_journal.digest() == from_snapshot.digest());

  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  std::string types;
  for (const auto& [t, n] : by_type) types += " " + t + "=" + std::to_string(n);
  std::printf("crash test: %d kills/restarts (%d recovered from a snapshot), %zu acknowledged commands (%s), "
              "journal %llu events in %llu batches, %d awards accepted, %d hand-backs, %.1f s\n",
              runs, restarts_from_snapshot, acks.size(), types.c_str() + 1,
              static_cast<unsigned long long>(journal->last_seq()), static_cast<unsigned long long>(batches), awards,
              hand_backs, seconds);
  std::printf("lost acknowledgements: %d\n", lost);
  std::fflush(stdout);
  CHECK(lost == 0);
  CHECK(awards > 0);

  journal.reset();
  if (std::getenv("CAREBROKER_CRASH_KEEP")) {
    std::printf("crash test data kept in %s\n", dir.c_str());
  } else {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
}
