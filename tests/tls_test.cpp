// TLS: with a certificate and key the server speaks only TLS, for REST and for the providers'
// WebSocket (wss). Driven with plain OpenSSL and hand-made frames, so this test pulls in no Beast.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "gateway/app.h"
#include "market_fixture.h"

using namespace carebroker;

namespace {

struct TlsConnection {
  int fd = -1;
  SSL_CTX* ctx = nullptr;
  SSL* ssl = nullptr;

  explicit TlsConnection(unsigned short port) {
    fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    timeval timeout{10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ctx = SSL_CTX_new(TLS_client_method());
    REQUIRE(SSL_CTX_load_verify_locations(ctx, CAREBROKER_FIXTURES_DIR "/tls/test-cert.pem", nullptr) == 1);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    SSL_set_tlsext_host_name(ssl, "localhost");
    SSL_set1_host(ssl, "localhost");
  }
  ~TlsConnection() {
    if (ssl) SSL_free(ssl);
    if (ctx) SSL_CTX_free(ctx);
    if (fd >= 0) close(fd);
  }
  bool handshake() { return SSL_connect(ssl) == 1; }
  void send(const std::string& bytes) { REQUIRE(SSL_write(ssl, bytes.data(), static_cast<int>(bytes.size())) > 0); }
  /// Reads until `until` appears (or the peer closes / 10 s pass).
  std::string read_until(const std::string& until) {
    std::string out;
    char buf[4096];
    while (out.find(until) == std::string::npos) {
      const int n = SSL_read(ssl, buf, sizeof buf);
      if (n <= 0) break;
      out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
  }
};

/// A masked client text frame (RFC 6455 §5.2), payload < 64 KiB.
std::string text_frame(const std::string& payload) {
  std::string f;
  f.push_back(static_cast<char>(0x81));
  if (payload.size() < 126) {
    f.push_back(static_cast<char>(0x80 | payload.size()));
  } else {
    f.push_back(static_cast<char>(0x80 | 126));
    f.push_back(static_cast<char>(payload.size() >> 8));
    f.push_back(static_cast<char>(payload.size() & 0xff));
  }
  const char mask[4] = {0x12, 0x34, 0x56, 0x78};
  f.append(mask, 4);
  for (std::size_t i = 0; i < payload.size(); ++i) f.push_back(static_cast<char>(payload[i] ^ mask[i % 4]));
  return f;
}

struct TlsServer {
  std::filesystem::path dir;
  gateway::App app;
  explicit TlsServer(std::vector<engine::Command> first_start = {}) {
    dir = std::filesystem::temp_directory_path() / ("carebroker-tls-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir);
    gateway::AppOptions o;
    o.data_dir = dir.string();
    o.port = 0;
    o.tls = {CAREBROKER_FIXTURES_DIR "/tls/test-cert.pem", CAREBROKER_FIXTURES_DIR "/tls/test-key.pem"};
    o.first_start = std::move(first_start);
    std::string error;
    INFO(error);
    REQUIRE(app.start(o, error));
  }
  ~TlsServer() {
    app.stop();
    std::filesystem::remove_all(dir);
  }
};

}  // namespace

TEST_CASE("with a certificate the server answers REST over TLS and refuses plain HTTP", "[tls]") {
  TlsServer server;
  {
    TlsConnection c(server.app.port());
    REQUIRE(c.handshake());
    c.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    const std::string response = c.read_until("ok");
    CHECK(response.rfind("HTTP/1.1 200", 0) == 0);
  }
  {
    // A plain-text request is not TLS: the handshake fails and nothing is served.
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(server.app.port());
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    timeval timeout{10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    const std::string request = "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n";
    REQUIRE(write(fd, request.data(), request.size()) > 0);
    char buf[256];
    const ssize_t n = read(fd, buf, sizeof buf);
    CHECK(std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0).find("HTTP/1.1 200") == std::string::npos);
    close(fd);
  }
}

TEST_CASE("a provider's WebSocket works over TLS (wss): upgrade, Hello, Welcome", "[tls]") {
  std::vector<engine::Command> market = {engine::RegisterProvider{"P-1", "Provider One"}};
  TlsServer server(market);
  std::string error;
  const auto token = server.app.issue_token({gateway::Role::provider, "P-1", "p1"}, error);
  REQUIRE(token);
  TlsConnection c(server.app.port());
  REQUIRE(c.handshake());
  c.send("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
  const std::string upgrade = c.read_until("\r\n\r\n");
  REQUIRE(upgrade.rfind("HTTP/1.1 101", 0) == 0);
  CHECK(upgrade.find("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") != std::string::npos);  // RFC 6455's worked example
  c.send(text_frame(R"({"message_type":"Hello","message":{"token":")" + *token + R"("}})"));
  const std::string welcome = c.read_until("Welcome");
  CHECK(welcome.find("\"Welcome\"") != std::string::npos);
  CHECK(welcome.find("P-1") != std::string::npos);
}
