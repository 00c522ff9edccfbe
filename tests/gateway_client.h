// A small synchronous client of the real server for the integration tests: one HTTP request on
// a fresh connection, and a provider WebSocket (/ws) that sends text or binary frames and reads
// the next frame with a timeout. Beast lives only in gateway_client.cpp (pimpl), so the tests
// that use this header compile fast.
//
// Also TestServer: the real server (gateway::App) started in-process on an ephemeral port with a
// temporary data directory, a ManualClock and a small home-care market built by its first-start
// commands (market_fixture.h's DPS), for the [gateway] and [node] tests.
//
// Threading: a WsClient is used by one thread at a time; http_request is a free function.
// Timeouts: every call waits at most its timeout; a WebSocket read that times out ends that
// connection (a Beast stream cannot be used after a cancelled read), so to check that "nothing
// else arrived", send a Ping and expect the Pong to be the next frame.
#pragma once

#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <future>
#include <thread>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/sequencer/clock.h"
#include "engine/sequencer/sequencer.h"
#include "gateway/app.h"
#include "market_fixture.h"

namespace carebroker::testing {

inline constexpr std::chrono::milliseconds kNetTimeout{10'000};

struct HttpResult {
  int status = 0;            ///< 0: no response (see error)
  std::string body;
  std::string content_type;
  std::string location;      ///< the Location header, if any
  std::string retry_after;   ///< the Retry-After header, if any
  std::string www_authenticate;  ///< the WWW-Authenticate header, if any
  std::string error;         ///< why there was no response (connect, write or read failure)
};

/// Sends one HTTP/1.1 request to 127.0.0.1:`port` on a fresh connection and reads the response.
/// `token`, when not empty, goes in "Authorization: Bearer …"; a body is sent as application/json.
/// If the server answers before it has read the whole body (413), the answer is still read.
/// `headers` are added as given (e.g. {"Idempotency-Key", "k-1"}).
HttpResult http_request(unsigned short port, std::string_view method, std::string_view target,
                        std::string_view token = {}, std::string_view body = {},
                        std::chrono::milliseconds timeout = kNetTimeout,
                        const std::vector<std::pair<std::string, std::string>>& headers = {});

/// One thing a WebSocket read returned.
struct WsFrame {
  enum class Kind { text, binary, closed, timeout, error };
  Kind kind = Kind::error;
  std::string data;     ///< the payload of a text or binary frame
  int close_code = 0;   ///< closed: the code of the server's close frame
  std::string reason;   ///< closed: the close reason; error / timeout: what happened

  bool is_message() const { return kind == Kind::text || kind == Kind::binary; }
  /// "text", "binary", "closed 1009 frame_too_large", "timeout", "error: …" — for test messages.
  std::string describe() const;
};

struct WsOptions {
  /// SO_RCVBUF set before connecting (0 = the system's default): a client that never reads
  /// then holds little in its own kernel buffer.
  int receive_buffer_bytes = 0;
};

class WsClient {
 public:
  WsClient();
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  /// Connects to 127.0.0.1:`port` and upgrades GET /ws. False with `error` on failure.
  bool connect(unsigned short port, std::string& error, WsOptions options = {},
               std::chrono::milliseconds timeout = kNetTimeout);
  /// Sends one frame; false when the connection has failed (see last_error()).
  bool send_text(std::string_view text, std::chrono::milliseconds timeout = kNetTimeout);
  bool send_binary(std::string_view bytes, std::chrono::milliseconds timeout = kNetTimeout);
  /// The next frame, or closed / error / timeout (after which the connection is unusable).
  WsFrame read(std::chrono::milliseconds timeout = kNetTimeout);
  /// Sends a normal close and waits (bounded) for the server's; then drops the connection.
  void close(std::chrono::milliseconds timeout = std::chrono::milliseconds(2000));
  /// Drops the TCP connection without a close handshake (a client that vanished).
  void drop();
  bool is_open() const;
  const std::string& last_error() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// ---------------------------------------------------------------------------------------------
// The real server, in-process.

/// The server's limits for tests: its defaults, except that under a sanitizer — which runs the
/// server 5 to 15 times slower, in CI beside other builds — a connection has 60 s rather than 5 to
/// say Hello (a test that pipelined 600 frames before its Hello, or whose Hello waited behind a
/// 5,000-package snapshot, was cut off by the timer under ThreadSanitizer on a busy machine). The
/// tests of the timeout itself set their own.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)  // GCC's spelling
inline constexpr bool kUnderSanitizer = true;
#elif defined(__has_feature)  // clang's
inline constexpr bool kUnderSanitizer = __has_feature(address_sanitizer) || __has_feature(thread_sanitizer);
#else
inline constexpr bool kUnderSanitizer = false;
#endif

inline gateway::ServerLimits test_limits() {
  gateway::ServerLimits limits;
  if (kUnderSanitizer) limits.handshake_timeout = std::chrono::seconds(60);
  return limits;
}

struct TestServerOptions {
  gateway::ServerLimits limits = test_limits();
  bool sync = true;  ///< the journal syncs every batch (false: faster, for load-shaped tests)
  /// Admitted to home-care with their quality inputs. Default: A and B (tier 1, south: invited
  /// to B13 packages), N (tier 1, north: never invited to them), each its own provider P-<id>.
  std::vector<LocationSpec> locations = {LocationSpec{"A"}, LocationSpec{"B"}, LocationSpec{"N", "tier1", {"north"}}};
  std::string web_dir;  ///< static portal files ("" = none)
  /// The first-start commands instead of small_market(locations), e.g. demo::demo_market's.
  std::vector<engine::Command> first_start;
};

/// The first-start commands: calendar, categories, the home-care DPS, and the admitted locations.
inline std::vector<engine::Command> small_market(const std::vector<LocationSpec>& locations) {
  using namespace carebroker::engine;
  std::vector<Command> out;
  out.push_back(SetCalendar{england_and_wales_bank_holidays()});
  for (const char* c : {"older_people", "dementia", "learning_disability", "mental_health", "physical_disability", "autism"})
    out.push_back(DefineCategory{{c, c}});
  out.push_back(ConfigureDps{home_care_config()});
  std::vector<std::string> providers;
  for (const auto& s : locations) {
    const std::string provider = s.provider.empty() ? "P-" + s.id : s.provider;
    if (std::find(providers.begin(), providers.end(), provider) == providers.end()) {
      providers.push_back(provider);
      out.push_back(RegisterProvider{provider, provider + " Ltd"});
    }
    out.push_back(RegisterLocation{s.id, provider, s.id + " branch", "B13 9AA", "Birmingham"});
    out.push_back(ApplyToDps{s.id, "home-care"});
    out.push_back(AdmitToDps{s.id, "home-care", {"hc"}, s.categories, s.zones, s.tier, 500});
    UpdateQualityInputs q;
    q.location = s.id;
    q.cqc = s.cqc;
    q.pamms = s.pamms;
    q.self_assessment = s.self_assessment;
    out.push_back(q);
  }
  return out;
}

class TestServer {
 public:
  explicit TestServer(TestServerOptions options = {}) {
    std::string pattern = (std::filesystem::temp_directory_path() / "carebroker-gateway-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    dir_ = pattern;
    options_.data_dir = dir_;
    options_.port = 0;
    options_.threads = 1;
    options_.sync = options.sync;
    options_.limits = options.limits;
    options_.first_start = options.first_start.empty() ? small_market(options.locations) : std::move(options.first_start);
    options_.clock = &clock_;
    options_.web_dir = options.web_dir;
    start();
  }
  ~TestServer() {
    app_->stop();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  /// Stops the server and starts a new one on the same data directory (journal and tokens): a
  /// restart, recovering the market from the journal. The port changes.
  void restart() {
    app_->stop();
    app_ = std::make_unique<gateway::App>();
    start();
  }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  unsigned short port() const { return app_->port(); }
  /// The temporary data directory (journal, tokens, backups).
  const std::string& data_dir() const { return dir_; }
  gateway::App& app() { return *app_; }
  /// The sequencer's clock: it ticks by itself once a deadline is due on it.
  sequencer::ManualClock& clock() { return clock_; }
  /// The journal's durable sequence: moves only when events are written.
  std::uint64_t durable_seq() { return app_->sequencer().durable_seq(); }

  /// Runs commands straight through the sequencer (faster than REST for bulk set-up) and waits
  /// until each is durable; every one must succeed. Returns their replies in order.
  std::vector<engine::Reply> run(const std::vector<engine::Command>& commands) {
    std::vector<std::future<sequencer::CommandResult>> results;
    results.reserve(commands.size());
    for (const auto& c : commands) {
      auto promise = std::make_shared<std::promise<sequencer::CommandResult>>();
      results.push_back(promise->get_future());
      while (!app_->sequencer().submit(c, [promise](sequencer::CommandResult&& r) { promise->set_value(std::move(r)); }))
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    std::vector<engine::Reply> replies;
    for (auto& f : results) {
      sequencer::CommandResult r = f.get();
      INFO(r.failure << " " << engine::to_string(r.reply.status.code) << " " << r.reply.status.detail);
      REQUIRE(r.durable);
      REQUIRE(r.reply.ok());
      replies.push_back(std::move(r.reply));
    }
    return replies;
  }

  /// A bearer token: officers and admins by name; a provider's for provider id `provider`.
  std::string token(gateway::Role role, const std::string& provider = "") {
    std::string error;
    const std::string name = provider.empty() ? std::string(gateway::to_string(role)) + "-1" : "rostering-" + provider;
    const auto t = app_->issue_token(gateway::Principal{role, provider, name}, error);
    INFO(error);
    REQUIRE(t);
    return *t;
  }

 private:
  void start() {
    std::string error;
    const bool started = app_->start(options_, error);
    INFO("App::start: " << error);
    REQUIRE(started);
    REQUIRE(app_->port() != 0);
  }

  std::string dir_;
  sequencer::ManualClock clock_{kMonday9am};
  gateway::AppOptions options_;
  std::unique_ptr<gateway::App> app_ = std::make_unique<gateway::App>();  // after the clock: destroyed first
};

}  // namespace carebroker::testing
