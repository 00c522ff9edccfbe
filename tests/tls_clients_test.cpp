// TLS as real clients see it (issue 13, "Users and secrets"): the server started with the test
// certificate (tests/fixtures/tls) is checked with Debian's own `curl --cacert` and
// `openssl s_client`, each run as a separate program:
//  - curl verifies the certificate for localhost and gets REST over HTTPS;
//  - TLS 1.2 and TLS 1.3 handshakes succeed and verify;
//  - TLS 1.0 and 1.1 are refused by the server (the client is allowed them explicitly, so only
//    the server can say no), and so is a TLS 1.2 suite without forward secrecy or AEAD.
// A missing curl or openssl program skips its part with a warning. The in-process OpenSSL client
// (a TLS 1.1-only context) checks the same refusal without any program.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "gateway/app.h"
#include "store_test_support.h"

namespace {

using carebroker::testing::store_support::TempDir;

const std::string kCert = CAREBROKER_FIXTURES_DIR "/tls/test-cert.pem";
const std::string kKey = CAREBROKER_FIXTURES_DIR "/tls/test-key.pem";

struct TlsClientsServer {
  TempDir dir{"tls-clients", TempDir::Made::created};
  carebroker::gateway::App app;
  TlsClientsServer() {
    carebroker::gateway::AppOptions o;
    o.data_dir = dir.path.string();
    o.port = 0;
    o.tls = {kCert, kKey};
    std::string error;
    INFO(error);
    REQUIRE(app.start(o, error));
  }
  ~TlsClientsServer() { app.stop(); }
  std::string port() const { return std::to_string(app.port()); }
};

struct ClientRun {
  int exit_code = -1;
  std::string output;  ///< stdout and stderr
};

/// Runs a shell command line (stdin from /dev/null), bounded by `timeout 30`.
ClientRun run(const std::string& command) {
  ClientRun r;
  FILE* p = ::popen(("timeout 30 " + command + " </dev/null 2>&1").c_str(), "r");
  REQUIRE(p);
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) r.output.append(buf, n);
  const int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

bool installed(const char* program) { return std::filesystem::exists(std::string("/usr/bin/") + program); }

/// `openssl s_client` against the server with extra options; -brief prints the protocol and verification.
ClientRun s_client(const TlsClientsServer& server, const std::string& options) {
  return run("openssl s_client -brief -connect 127.0.0.1:" + server.port() + " -servername localhost -CAfile " + kCert +
             " -verify_return_error " + options);
}

}  // namespace

TEST_CASE("curl verifies the server's certificate and gets REST over HTTPS", "[tls][security]") {
  if (!installed("curl")) {
    WARN("curl is not installed: skipped");
    return;
  }
  TlsClientsServer server;
  const std::string url = "https://localhost:" + server.port();
  const ClientRun ok = run("curl -sS --cacert " + kCert + " --resolve localhost:" + server.port() + ":127.0.0.1 -w ' %{http_code}' " +
                     url + "/healthz");
  INFO(ok.output);
  CHECK(ok.exit_code == 0);
  CHECK(ok.output == "ok 200");
  // Without the test CA the certificate is not trusted: curl refuses (exit 60), nothing is served.
  const ClientRun untrusted = run("curl -sS --resolve localhost:" + server.port() + ":127.0.0.1 " + url + "/healthz");
  INFO(untrusted.output);
  CHECK(untrusted.exit_code == 60);
  // Plain HTTP to the TLS port gets no HTTP answer.
  const ClientRun plain = run("curl -sS -w '%{http_code}' http://127.0.0.1:" + server.port() + "/healthz");
  INFO(plain.output);
  CHECK(plain.output.find("ok") == std::string::npos);
}

TEST_CASE("openssl s_client: TLS 1.2 and 1.3 verify, TLS 1.0 and 1.1 and a suite without forward secrecy are refused",
          "[tls][security]") {
  if (!installed("openssl")) {
    WARN("openssl is not installed: skipped");
    return;
  }
  TlsClientsServer server;
  for (const auto& [option, protocol] : {std::pair{"-tls1_2", "TLSv1.2"}, std::pair{"-tls1_3", "TLSv1.3"}}) {
    const ClientRun r = s_client(server, option);
    INFO(option << ": " << r.output);
    CHECK(r.exit_code == 0);
    CHECK(r.output.find(std::string("Protocol version: ") + protocol) != std::string::npos);
    CHECK(r.output.find("Verification: OK") != std::string::npos);
  }
  // The client is let offer the old versions (security level 0), so the refusal is the server's:
  // its protocol_version alert.
  for (const char* option : {"-tls1", "-tls1_1"}) {
    const ClientRun r = s_client(server, std::string(option) + " -cipher DEFAULT@SECLEVEL=0");
    INFO(option << ": " << r.output);
    CHECK(r.exit_code != 0);
    CHECK(r.output.find("alert protocol version") != std::string::npos);
  }
  // RSA key exchange with CBC: no forward secrecy, no AEAD. The server has no such suite.
  const ClientRun weak = s_client(server, "-tls1_2 -cipher AES128-SHA");
  INFO(weak.output);
  CHECK(weak.exit_code != 0);
  CHECK(weak.output.find("alert handshake failure") != std::string::npos);
  const ClientRun strong = s_client(server, "-tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256");
  INFO(strong.output);
  CHECK(strong.exit_code == 0);
  CHECK(strong.output.find("ECDHE-RSA-AES128-GCM-SHA256") != std::string::npos);
}

TEST_CASE("a client that speaks TLS 1.1 at most is refused in the handshake", "[tls][security]") {
  TlsClientsServer server;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(server.app.port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  timeval timeout{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_security_level(ctx, 0);  // let the client offer TLS 1.1
  SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
  SSL_CTX_set_max_proto_version(ctx, TLS1_1_VERSION);
  SSL_CTX_set_cipher_list(ctx, "DEFAULT@SECLEVEL=0");
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  ERR_clear_error();
  CHECK(SSL_connect(ssl) != 1);
  CHECK(ERR_GET_REASON(ERR_peek_last_error()) == SSL_R_TLSV1_ALERT_PROTOCOL_VERSION);  // the server's alert
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  ::close(fd);
  // The server is still serving TLS 1.2+ clients.
  if (installed("openssl")) CHECK(s_client(server, "-tls1_2").exit_code == 0);
}
