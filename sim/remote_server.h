// carebroker-sim against a server given by URL (--server http://host:port): a carebroker the sim
// did not start, running a simulation (--sim-clock-speed N) on a store with no market yet. The
// sim follows that server's clock (GET /api/v1/admin/clock), sets the scenario's market up
// through the REST API as an administrator and a compliance officer would, issues itself tokens
// for an officer, a compliance officer and every provider, and freezes the server's clock at the
// run's end so that its audit sees a market at rest (PUT /api/v1/admin/clock).
// Everything goes through the public API with the administrator's token: nothing is shared
// with the server but the network. Used from the sim's main thread (set-up runs its own threads).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/market/commands.h"

namespace carebroker::sim {

/// host and port of an http:// URL; false and `error` for anything else.
bool parse_server_url(std::string_view url, std::string& host, unsigned short& port, std::string& error);

/// The market's clock as the server reports it.
struct RemoteClock {
  engine::UtcMillis now = 0;  ///< the reading, moved on by half the request's round trip
  double speed = 0;
};

class RemoteServer {
 public:
  /// Resolves `host` (the players connect to the address it gives) and keeps the admin token.
  bool connect(const std::string& host, unsigned short port, std::string admin_token, std::string& error);

  /// The server's clock; refused (false, `error`) unless it is a simulation's, still running.
  bool read_clock(RemoteClock& clock, std::string& error);
  /// Refuses a server whose market already has the scenario's DPS (the audit compares the run
  /// with the server's whole market: it must hold this run only).
  bool check_fresh(const std::string& dps, std::string& error);
  /// Tokens for an officer and a compliance officer (before set_up_market: quality is theirs).
  bool issue_staff_tokens(std::string& error);
  /// Sends the scenario's market commands as REST requests, each with an Idempotency-Key: the
  /// configuration in order, then providers, then each location's registration, admissions and
  /// quality in order, locations spread over `parallel` connections. A command the REST set-up
  /// cannot express is an error naming it.
  bool set_up_market(const std::vector<engine::Command>& commands, int parallel, std::string& error);
  /// A token for each provider (after set_up_market registered them), over `parallel` connections.
  bool issue_provider_tokens(const std::vector<std::string>& providers, int parallel, std::string& error);
  /// Stops the server's clock for good (the run's end).
  bool freeze_clock(std::string& error);

  const std::string& address() const { return address_; }
  unsigned short port() const { return port_; }
  const std::string& admin_token() const { return admin_; }
  const std::string& officer_token() const { return officer_; }
  const std::string& compliance_token() const { return compliance_; }
  const std::vector<std::string>& provider_tokens() const { return providers_; }

 private:
  std::string address_;
  unsigned short port_ = 0;
  std::string admin_, officer_, compliance_;
  std::vector<std::string> providers_;
};

}  // namespace carebroker::sim
