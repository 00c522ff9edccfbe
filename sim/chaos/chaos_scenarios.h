// The chaos scenarios, each against a real carebroker server forked on a fresh data directory
// (chaos_run.h); each returns its row of the results table (scripts/chaos prints it).
//  a. kill_under_load: offers, posts, awards and REST reads while the server is SIGKILLed at
//     random moments and restarted on the same store; nothing acknowledged lost, no double award.
//  b. flood_at_limit: connections up to and past the server's connection limit while a
//     well-behaved provider keeps bidding: it keeps being answered, the rest are refused at
//     once, and the server's memory stays bounded.
//  c. silent_connections: TCP connections that say nothing, upgrades that never say Hello, and
//     WebSockets that stop reading: all dropped by the server's timeouts, others unaffected.
//  d. one_byte_a_second: HTTP requests and WebSocket frames sent a byte a second: cut off.
//  e. disk_fills: the journal's disk fills mid-run (test-only --test-disk-full-file): commands
//     get store_unavailable, /readyz 503, reads go on; once space returns and the server is
//     restarted, everything acknowledged is there.
#pragma once

#include "sim/chaos/chaos_run.h"

namespace carebroker::sim::chaos {

ChaosRow kill_under_load(const ChaosSetup& setup);
ChaosRow flood_at_limit(const ChaosSetup& setup);
ChaosRow silent_connections(const ChaosSetup& setup);
ChaosRow one_byte_a_second(const ChaosSetup& setup);
ChaosRow disk_fills(const ChaosSetup& setup);

}  // namespace carebroker::sim::chaos
