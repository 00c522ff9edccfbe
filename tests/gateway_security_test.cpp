// The server as an attacker or a careless client finds it (issue 7), each defect as the rule the
// server now keeps:
//   - a provider eligible for thousands of packages connects, gets its snapshot in pages and
//     resumes a long backlog, with the default limits; clients that stop reading while a write is
//     in flight are cut off and the server stays up (this file also runs under AddressSanitizer);
//   - static files come only from inside the web root, whatever the path's spelling;
//   - connection slots cannot be held: accept → upgrade within the handshake timeout, a closing
//     WebSocket is dropped when the client ignores the close, and one address has a cap;
//   - /metrics needs an admin token; /readyz says whether the store can write.
// Nothing here asserts a duration: every wait is bounded far above what the rule allows, and the
// limits under test are set far below those bounds.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <set>
#include <sstream>
#include <utility>

#include "engine/store/memory_journal.h"
#include "gateway/static_files.h"
#include "bare_server.h"
#include "market_fixture.h"
#include "provider_client.h"

namespace {

namespace fs = std::filesystem;
using carebroker::gateway::Role;
using namespace carebroker::testing;
using namespace carebroker::testing::gateway_support;
using carebroker::engine::Command;
using carebroker::engine::PackageId;

/// `n` standard B13 packages (open for two working days on the test clock), optionally with
/// big lists so that each broadcast is about 30 KB.
std::vector<Command> packages(int n, bool big = false) {
  std::vector<Command> out;
  auto spec = MarketFixture::standard_package();
  if (big)
    for (auto* list : {&spec.needs, &spec.outcomes, &spec.must_meet}) {
      list->clear();
      for (int i = 0; i < 50; ++i) list->push_back(std::string(195, static_cast<char>('a' + i % 26)));
    }
  for (int i = 0; i < n; ++i)
    out.push_back(carebroker::engine::PostPackage{spec, carebroker::testing::sealed({"Ada Example", "1 Test Street", "B13 9ZZ", "CASE-1"})});
  return out;
}

// ---- raw TCP, for clients that misbehave below HTTP ----

/// A connected TCP socket to the server, or -1.
int connect_raw(unsigned short port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (fd >= 0) ::close(fd);
    return -1;
  }
  return fd;
}

void send_raw(int fd, std::string_view bytes) { REQUIRE(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size())); }

/// Reads (and throws away) until the server ends the connection, for at most `seconds`:
/// true when it ended it (EOF or reset), false when the wait ran out with it still open.
bool server_hangs_up_within(int fd, int seconds) {
  timeval tv{seconds, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n == 0) return true;
    if (n < 0) return errno == ECONNRESET;
  }
}

const char* kUpgrade =
    "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

}  // namespace

// =============================================================================================
// Defect 1: a snapshot or a backlog bigger than a connection's queue; a cut-off under a write.

TEST_CASE("a provider eligible for 5,000 open packages connects, gets its snapshot in pages, and resumes a long backlog",
          "[gateway][security]") {
  TestServerOptions options;  // the default limits: a 1 MiB outbound queue
  options.sync = false;
  options.locations = {LocationSpec{"A"}, LocationSpec{"A2", "tier1", {"south"}, {"older_people"}, carebroker::engine::CqcRating::good,
                                                       carebroker::engine::PammsRating::good, 75, "P-A"},
                       LocationSpec{"B"}};
  TestServer server(options);
  server.run(packages(5000));
  auto& metrics = server.app().metrics();

  // JSON (the larger encoding): two locations × 5,000 packages is about 8 MB of snapshot.
  ProviderClient json_client(server, server.token(Role::provider, "P-A"), false);
  json_client.hello();
  CHECK(json_client.snapshot_pages > 1);
  const auto live = packages_in_snapshot(json_client.snapshot);
  CHECK(live.size() == 10'000);
  CHECK(std::set<std::uint64_t>(live.begin(), live.end()).size() == 5000);
  CHECK(json_client.snapshot.m.at("updates").as_array().size() == 10'000);
  json_client.expect_quiet();
  const std::uint64_t position = json_client.last_seq();
  const std::string epoch = json_client.epoch();
  json_client.close();

  // Binary at the same time as another provider's.
  ProviderClient binary_client(server, server.token(Role::provider, "P-B"), true);
  binary_client.hello();
  CHECK(packages_in_snapshot(binary_client.snapshot).size() == 5000);

  // While P-A is away, 900 more packages: 1,800 messages to resume (about 1.4 MB of JSON, more
  // than the whole outbound queue).
  server.run(packages(900));
  ProviderClient resumed(server, server.token(Role::provider, "P-A"), false);
  const Msg welcome = resumed.hello(position, epoch);
  REQUIRE(welcome.flag("resumed"));
  for (int i = 0; i < 1800; ++i) resumed.expect("PackageBroadcast");  // each numbered last + 1
  resumed.expect_quiet();
  CHECK(resumed.last_seq() == position + 1800);
  CHECK(metrics.slow_consumers_closed.load() == 0);
}

TEST_CASE("clients that stop reading while their write is in flight are cut off, the server stays up for everyone else",
          "[gateway][security]") {
  TestServerOptions options;
  options.sync = false;
  options.limits.outbound_queue_bytes = 64 << 10;
  TestServer server(options);
  auto& metrics = server.app().metrics();

  // Twenty providers' connections (A's and B's tokens) say Hello with a small kernel buffer and
  // never read again.
  constexpr int kSilent = 20;
  std::vector<std::unique_ptr<ProviderClient>> silent;
  for (int i = 0; i < kSilent; ++i) {
    const std::string provider = i % 2 ? "P-A" : "P-B";
    silent.push_back(std::make_unique<ProviderClient>(server, server.token(Role::provider, provider), i % 3 == 0));
    silent.back()->connect(WsOptions{8 << 10});
    silent.back()->send(hello_frame(server.token(Role::provider, provider), 0, ""));
  }
  // ~30 KB broadcasts until every one of them has been cut off (bounded far above need).
  int posted = 0;
  while (metrics.slow_consumers_closed.load() < kSilent && posted < 2000) {
    server.run(packages(20, true));
    posted += 20;
  }
  INFO(posted << " packages posted");
  CHECK(metrics.slow_consumers_closed.load() == kSilent);

  // The server is up: a new provider connects, gets everything live in its snapshot, and works.
  ProviderClient reader(server, server.token(Role::provider, "P-A"), false);
  reader.hello();
  CHECK(packages_in_snapshot(reader.snapshot).size() == static_cast<std::size_t>(posted));
  server.run(packages(1));
  reader.expect("PackageBroadcast");
  reader.expect_quiet();
  for (auto& c : silent) c->expect_closed(10'000);
}

// =============================================================================================
// Defect 2: static files only from inside the web root.

TEST_CASE("a static file is served only from inside the web root, however the path is spelt", "[gateway][security][static]") {
  const fs::path top = fs::temp_directory_path() / ("carebroker-web-" + std::to_string(::getpid()));
  fs::remove_all(top);
  const fs::path root = top / "web";
  fs::create_directories(root / "sub");
  fs::create_directories(top / "secret");
  std::ofstream(root / "index.html") << "<h1>portal</h1>";
  std::ofstream(root / "app.js") << "console.log(1)";
  std::ofstream(root / "sub" / "page.html") << "page";
  std::ofstream(root / ".hidden") << "hidden";
  std::ofstream(top / "secret" / "passwd") << "root:x:0:0";
  fs::create_symlink(top / "secret" / "passwd", root / "out");
  fs::create_symlink(top / "secret", root / "escape");
  fs::create_symlink(root / "index.html", root / "inside");
  { std::ofstream(root / "big.bin"); }
  fs::resize_file(root / "big.bin", carebroker::gateway::kMaxStaticFileBytes + 1);

  std::string error;
  const auto web = carebroker::gateway::StaticRoot::open(root, {top / "data"}, error);
  INFO(error);
  REQUIRE(web);

  SECTION("plain names inside the root are served") {
    for (const auto& [target, file] : std::vector<std::pair<std::string, std::string>>{
             {"/", "index.html"}, {"/index.html", "index.html"}, {"/app.js?v=2", "app.js"},
             {"/sub/page.html", "page.html"}, {"/sub/", "index.html"}, {"/inside", "index.html"},
             {"/%61pp.js", "app.js"}}) {
      INFO(target);
      const auto found = web->find(target);
      if (file == "index.html" && target == "/sub/") {
        CHECK_FALSE(found.file);  // sub/ has no index.html
        continue;
      }
      REQUIRE(found.file);
      CHECK(found.file->path.filename() == file);
    }
    CHECK(web->find("/app.js").file->content_type == "text/javascript; charset=utf-8");
  }
  SECTION("every escape form is refused as an invalid path") {
    for (const char* target :
         {"//etc/passwd", "/../secret/passwd", "/sub/../../secret/passwd", "/%2e%2e/secret/passwd",
          "/%2E%2E%2Fsecret%2Fpasswd", "/..%2fsecret%2fpasswd", "/%2fetc%2fpasswd", "/.%2e/secret/passwd",
          "/%2e/index.html", "/./index.html", "/sub/./page.html", "/..\\secret\\passwd", "/%5c..%5csecret%5cpasswd",
          "/sub%2f..%2f..%2fsecret%2fpasswd", "/index.html%00.png", "/%00", "/.hidden", "/%2ehidden",
          "/a%0d%0aSet-Cookie:%20x", "/a%09b", "/a%7fb", "etc/passwd", "", "/%zz", "/%2", "/sub//page.html",
          "/C:%5cWindows"}) {
      INFO("target: " << target);
      const auto found = web->find(target);
      CHECK_FALSE(found.file);
      CHECK(found.status == 400);
      CHECK(found.code == "invalid_path");
    }
  }
  SECTION("symlinks out of the root, missing files and files over the cap are not found") {
    for (const char* target : {"/out", "/escape/passwd", "/big.bin", "/missing.js", "/%252e%252e/secret/passwd", "/sub"}) {
      INFO("target: " << target);
      const auto found = web->find(target);
      CHECK_FALSE(found.file);
      CHECK(found.status == 404);
    }
  }
  SECTION("a web root and the data directory may not contain each other") {
    CHECK_FALSE(carebroker::gateway::StaticRoot::open(top, {top / "secret"}, error));
    CHECK(error.find("must not contain") != std::string::npos);
    CHECK_FALSE(carebroker::gateway::StaticRoot::open(root / "sub", {root}, error));
    CHECK_FALSE(carebroker::gateway::StaticRoot::open(top / "nowhere", {}, error));
  }
  fs::remove_all(top);
}

TEST_CASE("the server serves its portal files and nothing else, and starts without a web root", "[gateway][security][static]") {
  const fs::path web = fs::temp_directory_path() / ("carebroker-portal-" + std::to_string(::getpid()));
  fs::remove_all(web);
  fs::create_directories(web);
  std::ofstream(web / "index.html") << "<h1>portal</h1>";
  const std::string big(3 << 20, 'x');  // streamed, not read whole
  std::ofstream(web / "big.js") << big;

  const char* escapes[] = {"//etc/passwd", "//proc/self/environ", "/../../../../etc/passwd",
                           "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2f..%2f..%2fetc%2fpasswd"};
  {
    TestServerOptions options;
    options.web_dir = web.string();
    TestServer server(options);
    const HttpResult index = http_request(server.port(), "GET", "/");
    CHECK(index.status == 200);
    CHECK(index.body == "<h1>portal</h1>");
    CHECK(index.content_type == "text/html; charset=utf-8");
    const HttpResult streamed = http_request(server.port(), "GET", "/big.js");
    CHECK(streamed.status == 200);
    CHECK(streamed.body == big);
    for (const char* target : escapes) {
      const HttpResult r = http_request(server.port(), "GET", target);
      INFO(target << " → " << r.status << " " << r.body.substr(0, 200));
      CHECK(r.status == 400);
      CHECK(rest_error_code(r) == "invalid_path");
    }
    // The journal's files are never reachable through the portal.
    CHECK(http_request(server.port(), "GET", "/journal/CURRENT").status == 404);
  }
  {
    TestServer server;  // no web root at all: the API still works
    CHECK(http_request(server.port(), "GET", "/healthz").status == 200);
    CHECK(http_request(server.port(), "GET", "/api/v1/dps", server.token(Role::officer)).status == 200);
    for (const char* target : escapes) CHECK(http_request(server.port(), "GET", target).status != 200);
    CHECK(http_request(server.port(), "GET", "/").status == 404);
  }
  fs::remove_all(web);
}

TEST_CASE("a server whose web root would expose its data directory refuses to start", "[gateway][security][static]") {
  const fs::path top = fs::temp_directory_path() / ("carebroker-exposed-" + std::to_string(::getpid()));
  fs::remove_all(top);
  fs::create_directories(top);
  carebroker::gateway::App app;
  carebroker::gateway::AppOptions o;
  o.data_dir = (top / "data").string();
  o.web_dir = top.string();
  o.port = 0;
  std::string error;
  CHECK_FALSE(app.start(o, error));
  CHECK(error.find("must not contain") != std::string::npos);
  app.stop();
  fs::remove_all(top);
}

// =============================================================================================
// Defect 4: connection slots.

TEST_CASE("a connection that sends nothing, or half a request, is closed at the handshake timeout", "[gateway][security]") {
  TestServerOptions options;
  options.limits.handshake_timeout = std::chrono::milliseconds(300);
  options.limits.idle_timeout = std::chrono::hours(1);
  TestServer server(options);
  const int silent = connect_raw(server.port());
  const int half = connect_raw(server.port());
  REQUIRE(silent >= 0);
  REQUIRE(half >= 0);
  send_raw(half, "GET /healthz HTTP/1.1\r\nHost: x\r\n");
  CHECK(server_hangs_up_within(silent, 20));
  CHECK(server_hangs_up_within(half, 20));
  ::close(silent);
  ::close(half);
  // A whole request is answered, and the connection then stays for keep-alive.
  CHECK(http_request(server.port(), "GET", "/healthz").status == 200);
}

TEST_CASE("a WebSocket that never says Hello and ignores the close frame is dropped soon after", "[gateway][security]") {
  TestServerOptions options;
  options.limits.handshake_timeout = std::chrono::milliseconds(300);
  options.limits.idle_timeout = std::chrono::hours(1);
  TestServer server(options);
  const int fd = connect_raw(server.port());
  REQUIRE(fd >= 0);
  send_raw(fd, kUpgrade);
  // The 101, then a close frame after the Hello timeout, which this client never answers.
  CHECK(server_hangs_up_within(fd, 20));
  ::close(fd);
}

/// One masked client text frame (RFC 6455: a client masks what it sends), payload < 126 bytes.
std::string masked_text_frame(std::string_view payload) {
  REQUIRE(payload.size() < 126);
  std::string frame{static_cast<char>(0x81), static_cast<char>(0x80 | payload.size())};
  const char mask[4] = {0x0a, 0x1b, 0x2c, 0x3d};
  frame.append(mask, 4);
  for (std::size_t i = 0; i < payload.size(); ++i) frame += static_cast<char>(payload[i] ^ mask[i % 4]);
  return frame;
}

/// Whether the server has ended the connection, reading (and throwing away) what has come
/// without waiting.
bool server_has_hung_up(int fd) {
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
    if (n > 0) continue;
    return n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
  }
}

/// Reads until `marker` has come (true), or the server hangs up or 20 s pass (false).
bool read_until_marker(int fd, std::string_view marker) {
  timeval tv{20, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string got;
  char buffer[4096];
  while (got.find(marker) == std::string::npos) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) return false;
    got.append(buffer, static_cast<std::size_t>(n));
  }
  return true;
}

TEST_CASE("a provider sending a frame a byte at a time is dropped at the idle timeout, one sending whole frames is not",
          "[gateway][security]") {
  // Found by scripts/chaos ("one byte a second"): the idle timeout counted bytes, so a frame
  // trickled after the Hello held its connection for as long as the client liked.
  TestServerOptions options;
  options.limits.handshake_timeout = std::chrono::seconds(60);
  options.limits.idle_timeout = std::chrono::milliseconds(400);
  TestServer server(options);
  const std::string hello = R"({"message_type":"Hello","message":{"token":")" + server.token(Role::provider, "P-A") + R"("}})";
  auto authenticated = [&] {
    const int fd = connect_raw(server.port());
    REQUIRE(fd >= 0);
    send_raw(fd, kUpgrade);
    REQUIRE(read_until_marker(fd, "\r\n\r\n"));
    send_raw(fd, masked_text_frame(hello));
    REQUIRE(read_until_marker(fd, "Welcome"));
    return fd;
  };
  const std::string ping = masked_text_frame(R"({"message_type":"Ping","message":{"nonce":7}})");

  SECTION("whole frames, one every 100 ms for 7 idle timeouts: served all along") {
    const int fd = authenticated();
    for (int i = 0; i < 30; ++i) {
      send_raw(fd, ping);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK(read_until_marker(fd, "Pong"));
    CHECK(server.app().metrics().stalled_senders_closed.load() == 0);
    ::close(fd);
  }
  SECTION("the same frame a byte every 100 ms: dropped before it is whole") {
    const int fd = authenticated();
    bool dropped = false;
    // 51 of its 52 bytes over 5 s (a dozen idle timeouts): the frame never completes.
    for (std::size_t i = 0; i + 1 < ping.size() && !dropped; ++i) {
      dropped = ::send(fd, &ping[i], 1, MSG_NOSIGNAL) != 1 || server_has_hung_up(fd);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK(dropped);
    CHECK(server.app().metrics().stalled_senders_closed.load() == 1);
    ::close(fd);
  }
}

TEST_CASE("one client address cannot hold more than its share of connections", "[gateway][security]") {
  TestServerOptions options;
  options.limits.max_connections_per_address = 4;
  options.limits.handshake_timeout = std::chrono::seconds(60);
  TestServer server(options);
  auto& metrics = server.app().metrics();
  std::vector<int> idle;
  for (int i = 0; i < 4; ++i) idle.push_back(connect_raw(server.port()));
  for (int fd : idle) REQUIRE(fd >= 0);
  // The fifth is refused at once: closed before it can send anything.
  const int fifth = connect_raw(server.port());
  REQUIRE(fifth >= 0);
  CHECK(server_hangs_up_within(fifth, 20));
  ::close(fifth);
  CHECK(metrics.connections_refused.load() >= 1);
  // Once one of the four goes, its slot is free again.
  ::close(idle.back());
  idle.pop_back();
  int status = 0;
  for (int i = 0; i < 100 && status != 200; ++i) {
    status = http_request(server.port(), "GET", "/healthz").status;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(status == 200);
  for (int fd : idle) ::close(fd);
}

// =============================================================================================
// Defect 9: /metrics and /readyz.

TEST_CASE("/metrics needs an admin token, /readyz says ready once recovered", "[gateway][security]") {
  TestServer server;
  const HttpResult anonymous = http_request(server.port(), "GET", "/metrics");
  CHECK(anonymous.status == 401);
  CHECK(rest_error_code(anonymous) == "unauthenticated");
  CHECK(http_request(server.port(), "GET", "/metrics", "not-a-token").status == 401);
  for (Role role : {Role::officer, Role::compliance}) {
    const HttpResult r = http_request(server.port(), "GET", "/metrics", server.token(role));
    CHECK(r.status == 403);
    CHECK(rest_error_code(r) == "forbidden");
  }
  const HttpResult provider = http_request(server.port(), "GET", "/metrics", server.token(Role::provider, "P-A"));
  CHECK(provider.status == 403);
  const HttpResult admin = http_request(server.port(), "GET", "/metrics", server.token(Role::admin));
  CHECK(admin.status == 200);
  CHECK(admin.body.find("carebroker_ready 1") != std::string::npos);
  CHECK(admin.body.find("carebroker_connections_refused_total") != std::string::npos);
  // Well-formed Prometheus text: each family's TYPE once, naming a metric (never labels), before
  // its samples.
  std::set<std::string> typed;
  std::istringstream lines(admin.body);
  for (std::string line; std::getline(lines, line);) {
    INFO(line);
    if (line.rfind("# TYPE ", 0) == 0) {
      const std::string name = line.substr(7, line.find(' ', 7) - 7);
      CHECK(name.find_first_of("{}\"=") == std::string::npos);
      CHECK(typed.insert(name).second);
    } else if (!line.empty() && line[0] != '#') {
      std::string family = line.substr(0, line.find_first_of("{ "));
      for (const char* suffix : {"_bucket", "_sum", "_count"})
        if (!typed.contains(family) && family.ends_with(suffix)) family.resize(family.size() - std::strlen(suffix));
      CHECK(typed.contains(family));
    }
  }
  const HttpResult ready = http_request(server.port(), "GET", "/readyz");
  CHECK(ready.status == 200);
}

TEST_CASE("while the store stays unavailable every command is refused at once, none waits for it to return", "[gateway][security][sequencer]") {
  // A full disk: an append fails and the store will not resume until space is freed. Commands
  // sent meanwhile — whether the sequencer had already taken them for its next batch or they are
  // still queued — are each answered not durable, never held until the store is back.
  carebroker::store::MemoryJournal journal;
  carebroker::sequencer::ManualClock clock(kMonday9am);
  carebroker::sequencer::Sequencer sequencer(journal, clock);
  REQUIRE(sequencer.start().ok());
  journal.keep_unavailable(true);
  journal.fail_appends(1, carebroker::store::StoreCode::disk_full);
  const carebroker::engine::SetCalendar calendar{carebroker::engine::england_and_wales_bank_holidays()};
  std::promise<bool> first;
  REQUIRE(sequencer.submit(calendar, [&](carebroker::sequencer::CommandResult&& r) { first.set_value(r.durable); }));
  CHECK_FALSE(first.get_future().get());
  for (int i = 0; i < 3; ++i) {  // each waits at most for one retry of the store (0.5 s)
    std::promise<bool> next;
    REQUIRE(sequencer.submit(calendar, [&](carebroker::sequencer::CommandResult&& r) { next.set_value(r.durable); }));
    CHECK_FALSE(next.get_future().get());  // answered while the store is still down
  }
  CHECK_FALSE(sequencer.store_writable());
  // Space returns: the store resumes, the market is rebuilt, and commands are durable again.
  journal.keep_unavailable(false);
  std::promise<bool> after;
  REQUIRE(sequencer.submit(calendar, [&](carebroker::sequencer::CommandResult&& r) { after.set_value(r.durable); }));
  bool durable = after.get_future().get();
  // One sent just as space returned may still be refused by the retry that saw the store down.
  while (!durable) {
    std::promise<bool> again;
    REQUIRE(sequencer.submit(calendar, [&](carebroker::sequencer::CommandResult&& r) { again.set_value(r.durable); }));
    durable = again.get_future().get();
  }
  CHECK(durable);
  CHECK(sequencer.store_writable());
  sequencer.stop();
}

TEST_CASE("the sequencer reports the store unwritable from a failed append until it is rebuilt", "[gateway][security][sequencer]") {
  carebroker::store::MemoryJournal journal;
  carebroker::sequencer::ManualClock clock(kMonday9am);
  carebroker::sequencer::Sequencer sequencer(journal, clock);
  REQUIRE(sequencer.start().ok());
  CHECK(sequencer.store_writable());
  journal.fail_appends(1, carebroker::store::StoreCode::io_error);
  // Catch2's checks run on this thread only: the callback, on the sequencer's, just records.
  std::promise<std::pair<bool, bool>> at_failure;  // durable, and writable as the failure is answered
  REQUIRE(sequencer.submit(carebroker::engine::SetCalendar{carebroker::engine::england_and_wales_bank_holidays()},
                           [&](carebroker::sequencer::CommandResult&& r) {
                             at_failure.set_value({r.durable, sequencer.store_writable()});
                           }));
  const auto [durable, writable] = at_failure.get_future().get();
  CHECK_FALSE(durable);
  CHECK_FALSE(writable);
  // The next command runs on the rebuilt market, and the store is writable again.
  std::promise<bool> ok;
  REQUIRE(sequencer.submit(carebroker::engine::SetCalendar{carebroker::engine::england_and_wales_bank_holidays()},
                           [&](carebroker::sequencer::CommandResult&& r) { ok.set_value(r.durable); }));
  CHECK(ok.get_future().get());
  CHECK(sequencer.store_writable());
  sequencer.stop();
}

namespace {

/// Everything the server sends until it ends the connection (bounded by `seconds`).
std::string read_until_closed(int fd, int seconds) {
  timeval tv{seconds, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string out;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) return out;
    out.append(buffer, static_cast<std::size_t>(n));
  }
}

}  // namespace

TEST_CASE("bytes that are not HTTP get 400 malformed_http, headers over the limit 431 headers_too_large", "[gateway][security]") {
  TestServerOptions options;
  options.limits.max_header_bytes = 1024;
  TestServer server(options);
  const std::uint64_t journal = server.durable_seq();

  const int broken = connect_raw(server.port());
  REQUIRE(broken >= 0);
  send_raw(broken, "GET /healthz HTTP/1.1\r\nHost: x\r\nthis line is no header\r\n\r\n");
  const std::string refused = read_until_closed(broken, 10);
  ::close(broken);
  CHECK(refused.rfind("HTTP/1.1 400 ", 0) == 0);
  CHECK(refused.find(R"({"error":{"code":"malformed_http")") != std::string::npos);

  const int big = connect_raw(server.port());
  REQUIRE(big >= 0);
  send_raw(big, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + std::string(2000, 'a') + "\r\n\r\n");
  const std::string too_large = read_until_closed(big, 10);
  ::close(big);
  CHECK(too_large.rfind("HTTP/1.1 431 ", 0) == 0);
  CHECK(too_large.find(R"({"error":{"code":"headers_too_large")") != std::string::npos);

  CHECK(http_request(server.port(), "GET", "/healthz").status == 200);  // the server stays up
  CHECK(server.durable_seq() == journal);
}

TEST_CASE("/readyz answers 503 not_ready while the market cannot serve, and 200 once it can", "[gateway][security]") {
  {
    BareServer recovering(false);
    const HttpResult r = http_request(recovering.port(), "GET", "/readyz");
    CHECK(r.status == 503);
    CHECK(rest_error_code(r) == "not_ready");
    CHECK(r.body.find("recovered from the journal") != std::string::npos);
  }
  BareServer ready(true);
  CHECK(http_request(ready.port(), "GET", "/readyz").status == 200);
}
