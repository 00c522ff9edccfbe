// The network server: Boost.Beast HTTP (REST, health, metrics) and the providers' WebSocket,
// on an io_context with N threads and a strand per connection. This header hides Beast
// (pimpl) so only server.cpp and websocket_session.cpp pay its compile time.
// start/stop from one controlling thread; handlers run on the I/O threads.
#pragma once

#include <array>
#include <chrono>
#include <string_view>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gateway/auth.h"
#include "gateway/auth_failures.h"
#include "gateway/market_service.h"
#include "gateway/metrics.h"

namespace carebroker::gateway {
namespace protocol {
class ProviderStreams;
class ReplyBatcher;
class FanOut;
}

/// Paths the server answers itself, outside the REST router (all GET). docs/openapi.json
/// documents them too; a test checks it.
inline constexpr std::string_view kMetricsPath = "/metrics";
inline constexpr std::string_view kWebSocketPath = "/ws";
inline constexpr std::array<std::string_view, 2> kServerPaths = {kMetricsPath, kWebSocketPath};

struct ServerLimits {
  std::size_t max_body_bytes = 1 << 20;        ///< REST request bodies
  std::size_t max_header_bytes = 16 << 10;
  std::size_t max_connections = 10'000;        ///< HTTP + WebSocket
  std::size_t max_connections_per_address = 128;  ///< from one client address (idle sockets cannot lock others out)
  std::size_t max_frame_bytes = 16 << 10;      ///< client WebSocket frames (before any Verifier)
  std::size_t outbound_queue_bytes = 1 << 20;  ///< per WebSocket; a client that stops reading is cut off
  double ws_messages_per_second = 1000;        ///< per connection, token bucket
  double ws_burst = 2000;
  /// From accept to the end of the first HTTP request or the WebSocket upgrade (TLS included);
  /// then again for the Hello; and the longest a closing WebSocket waits for the client's close.
  std::chrono::milliseconds handshake_timeout{5000};
  std::chrono::milliseconds idle_timeout{60000};  ///< HTTP keep-alive and WebSocket (pings keep it open)
  /// Failed authentications per client address before it is refused 429 (REST, /metrics, /ws).
  AuthFailureLimits auth_failures;
};

/// The TLS 1.2 cipher suites served by default: ECDHE key exchange and AEAD ciphers only
/// (forward secrecy, no CBC). TLS 1.3 uses OpenSSL's own suites, all AEAD.
inline constexpr const char* kDefaultTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

/// TLS: PEM certificate chain and private key files. Both empty = plain TCP (e.g. behind a
/// TLS-terminating proxy); both set = every connection is TLS 1.2 or 1.3 (older versions are
/// refused in the handshake).
struct TlsFiles {
  std::string certificate_chain;
  std::string private_key;
  std::string ciphers = kDefaultTls12Ciphers;  ///< TLS 1.2 suites (OpenSSL cipher list)
  bool enabled() const { return !certificate_chain.empty() || !private_key.empty(); }
};

struct ServerContext {
  TokenStore& tokens;
  MarketService& market;
  protocol::ProviderStreams& streams;
  Metrics& metrics;
  ServerLimits limits;
  std::function<std::string()> extra_metrics;  ///< appended to /metrics (sequencer gauges)
  std::function<bool()> ready;                 ///< /readyz
  std::string static_dir;                      ///< web portal files served at / (empty = none)
  std::vector<std::string> private_dirs = {};  ///< never served, and never inside static_dir (the data directory)
  std::function<std::string()> ready_detail = {};  ///< why /readyz says no
  protocol::ReplyBatcher* replies = nullptr;  ///< coalesces WebSocket replies per batch (none: one frame each)
  protocol::FanOut* fan_out = nullptr;        ///< notifications in turns (none: one post each)
  /// Failed authentications per address; Server::start makes one from limits.auth_failures when none is given.
  std::shared_ptr<AuthFailureLimiter> auth_failures = {};
};

/// Who may read /metrics (it reveals market volume): admins.
inline bool may_read_metrics(Role role) { return role == Role::admin; }

class Server {
 public:
  Server(ServerContext& context, std::string address, unsigned short port, int threads, TlsFiles tls = {});
  ~Server();
  /// Binds and starts the I/O threads; false with a reason when it cannot listen.
  bool start(std::string& error);
  /// The bound port (useful with port 0 in tests).
  unsigned short port() const;
  /// Stops accepting, closes connections and joins the threads.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace carebroker::gateway
