// A store's clock mark (clock_mode.h).
#include "gateway/clock_mode.h"

#include "engine/store/rocksdb_journal.h"

namespace carebroker::gateway {

namespace {
constexpr const char* kClockKey = "clock";
}

const char* to_string(ClockMode mode) { return mode == ClockMode::real ? "real" : "simulated"; }

std::string settle_clock_mode(store::RocksJournal& journal, ClockMode mode, const std::string& store_dir) {
  std::string mark;
  if (auto s = journal.get_meta(kClockKey, mark); !s.ok()) {
    if (s.code != store::StoreCode::not_found) return "cannot read the store's clock mark: " + s.message;
    // No mark: a new store takes the mode it starts in; an older store with events was real.
    mark = journal.last_seq() == 0 ? to_string(mode) : to_string(ClockMode::real);
    if (auto w = journal.put_meta(kClockKey, mark); !w.ok()) return "cannot mark the store's clock: " + w.message;
  }
  if (mark == to_string(mode)) return {};
  if (mark == to_string(ClockMode::real))
    return "the store in " + store_dir +
           " was written in real time: it cannot run under a simulated clock (--sim-clock-speed), which would put "
           "simulated time into a real market's journal; give the simulation a new --data directory";
  if (mark == to_string(ClockMode::simulated))
    return "the store in " + store_dir +
           " holds a simulation (its market time is simulated): it cannot run on the real clock; start it with "
           "--sim-clock-speed, or use another --data directory";
  return "the store in " + store_dir + " has an unknown clock mark \"" + mark + "\"";
}

}  // namespace carebroker::gateway
