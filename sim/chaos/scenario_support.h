// Small helpers the connection scenarios (flood, silent, slow, disk) share: waiting for the
// well-behaved client's first acknowledgement, reading one gauge or counter from /metrics, and
// the steady client's figures over a stretch of the run. Used from a scenario's main thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "sim/chaos/chaos_run.h"

namespace carebroker::sim::chaos {

/// Opens the run's server, starts its providers (the steady one amending every 50 ms) and an
/// officer posting every `post_every` with windows of `window_ms`, and waits up to 30 s for the
/// steady client's first acknowledgement. False, with the reason failed in `row` ("… even before
/// `before_what`"), when any step does not happen.
bool start_steady_market(MarketRun& run, ChaosRow& row, std::chrono::milliseconds post_every, std::int64_t window_ms,
                         const std::string& before_what);
/// Waits (up to `timeout_s`) until the steady client has been acknowledged at least once.
bool wait_for_steady_acks(MarketRun& run, double timeout_s);
/// The steady client's acknowledgements so far.
std::uint64_t steady_acks(MarketRun& run);
/// A metric's value from GET /metrics (admin token); -1 when it cannot be read.
double read_metric(MarketRun& run, const std::string& name);
/// Why the well-behaved client was starved, or "" when it was served: it must have been
/// acknowledged during the stretch, and — paused, given up to 15 s — have every command it
/// sent answered.
std::string steady_starved(MarketRun& run, std::uint64_t acks_before, std::uint64_t acks_after);

}  // namespace carebroker::sim::chaos
