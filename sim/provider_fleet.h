// Many provider WebSocket connections from one thread, for the probes: each says Hello with a
// provider token (FlatBuffers frames, schemas/wire.fbs), reads its Welcome and every page of its
// Snapshot, remembers (when asked) the packages its locations are invited to, and places offers
// on them; acknowledgements and errors are counted. Connections are opened at most `concurrency`
// at a time (a connection counts until its snapshot is complete), so the server's handshake
// deadline holds however many are asked for.
//
// Threading: not thread-safe; everything runs on the caller's thread inside run_until().
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace carebroker::sim {

/// One of a provider's locations invited to one package, as its broadcast said.
struct Invitation {
  std::uint64_t package = 0;
  std::string location;
  std::string start_date;  ///< the package's start (YYYY-MM-DD), a start an offer may give
};

struct FleetCounters {
  std::uint64_t opened = 0;              ///< connections with a complete snapshot
  std::uint64_t failed = 0;              ///< connections that failed (see first_failure)
  std::uint64_t offers_sent = 0, acks = 0, errors = 0;
  std::string first_failure, first_error;
};

class ProviderFleet {
 public:
  ProviderFleet(std::string host, unsigned short port);
  ~ProviderFleet();
  ProviderFleet(const ProviderFleet&) = delete;
  ProviderFleet& operator=(const ProviderFleet&) = delete;

  /// Queues `count` connections with `tokens` in turn; `remember`: keep their invitations.
  /// Returns the index of the first new connection.
  std::size_t open(std::size_t count, const std::vector<std::string>& tokens, bool remember, std::size_t concurrency);
  /// The invitations connection `i` has seen (remembered connections only).
  const std::vector<Invitation>& invitations(std::size_t i) const;
  /// Places an offer from connection `i` (must have its snapshot) at `price` pence.
  void place_offer(std::size_t i, const Invitation& on, std::int64_t price);
  /// Runs the connections until `done()` says so or `timeout_s` passes; false on the timeout.
  bool run_until(const std::function<bool(const FleetCounters&)>& done, double timeout_s);

  const FleetCounters& counters() const;
  std::size_t size() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace carebroker::sim
