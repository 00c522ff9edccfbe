// What one carebroker-load run does: the command line as a value, and its parser. The offer
// load (--connections, --rate / --inflight, --packages) is the run's subject; --rest-views,
// --list-poll-ms and --post-rate add optional side loads that run beside it on their own client
// threads. Every new flag defaults to "off", so the original command line means what it did.
// Not thread-safe (a value; parsed once in main).
#pragma once

#include <cstdint>
#include <string>

namespace carebroker::sim {

struct LoadOptions {
  // The offers (the figures the run is about).
  int connections = 32;  ///< offer connections, one provider and one location each
  int packages = 200;    ///< open packages, posted at first start, that every connection bids on
  double rate = 25'000;  ///< offers per second, all connections together; 0 = closed loop
  int inflight = 32;     ///< closed loop: requests outstanding per connection
  double warmup_s = 2, duration_s = 10;
  // The server.
  std::string data = "/tmp/carebroker-load";
  bool sync = true;
  std::uint64_t snapshot_every = 500'000;
  // Reads beside the offers (REST, as a brokerage officer): 0 = off.
  double rest_views = 0;  ///< GET /api/v1/packages/{id} per second, open loop
  double list_poll_ms = 0;  ///< a GET /api/v1/packages every this many ms
  double report_poll_ms = 0;  ///< a market report (GET /api/v1/reports/…, capacity, sourcing and rates in turn) every this many ms
  // Posting beside the offers (REST, as an officer; broadcast over WebSocket): 0 = off.
  double post_rate = 0;     ///< POST /api/v1/packages per second, open loop
  int post_locations = 300;  ///< locations each posted package is broadcast to
  // Output.
  bool json = false;  ///< one JSON object on stdout instead of the text report

  bool reads() const { return rest_views > 0 || list_poll_ms > 0 || report_poll_ms > 0; }
  bool posting() const { return post_rate > 0; }
  /// Admitted locations in the synthetic market: the offer connections' and, when posting, as
  /// many listening-only locations as it takes to make post_locations recipients.
  int locations() const { return posting() && post_locations > connections ? post_locations : connections; }
};

enum class ParseOutcome { run, help, bad };

/// Parses argv into `options`. On `help` the usage is in `message`; on `bad`, the reason and the
/// usage (for stderr).
ParseOutcome parse_load_options(int argc, char** argv, LoadOptions& options, std::string& message);

}  // namespace carebroker::sim
