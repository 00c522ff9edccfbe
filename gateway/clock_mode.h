// Whether a store's market time is real or simulated, written once in the store's meta ("clock"
// = "real" | "simulated") and checked at every start: a store written in real time never runs
// under a simulated clock (that would put simulated ticks, deadlines and awards into a real
// market's journal), and a simulation's store never runs on the real clock. A store from before
// the mark existed holds real time. Called by App::start on the thread that starts the server.
#pragma once

#include <string>

namespace carebroker::store {
class RocksJournal;
}

namespace carebroker::gateway {

enum class ClockMode { real, simulated };

const char* to_string(ClockMode);

/// Marks a new store with `mode`, or checks an existing store's mark against it. Returns "" when
/// the store may run in `mode`, otherwise why not (naming `store_dir` and what to do instead).
std::string settle_clock_mode(store::RocksJournal& journal, ClockMode mode, const std::string& store_dir);

}  // namespace carebroker::gateway
