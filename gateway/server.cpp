// The listener and the HTTP sessions (Beast's advanced server, by the book): a strand per
// connection, one request at a time, body and header limits, timeouts, keep-alive; requests
// are handled by the free function handle_rest and answered on the session's strand.
#include "gateway/server.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <filesystem>
#include <thread>
#include <vector>

#include "engine/sequencer/thread_setup.h"
#include "gateway/beast_request.h"
#include "gateway/bearer_auth.h"
#include "gateway/connection_slots.h"
#include "gateway/http_types.h"
#include "gateway/protocol/fan_out.h"
#include "gateway/protocol/reply_batcher.h"
#include "gateway/static_files.h"
#include "gateway/rest/router.h"
#include "gateway/websocket_session.h"

namespace carebroker::gateway {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
namespace ssl = net::ssl;

namespace {

/// One HTTP connection, over plain TCP (Stream = beast::tcp_stream) or TLS (TlsStream).
/// Deadlines: from accept to the end of the first request (TLS handshake included) — and so to a
/// WebSocket upgrade — the handshake timeout; between later keep-alive requests, the idle timeout.
template <class Stream>
class HttpSession : public std::enable_shared_from_this<HttpSession<Stream>> {
  using std::enable_shared_from_this<HttpSession<Stream>>::shared_from_this;
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  HttpSession(tcp::socket&& socket, ServerContext& context, ssl::context* tls, const StaticRoot* web,
              ConnectionSlots::Slot slot)
      : address_(peer_address(socket)),
        stream_(make_stream(std::move(socket), tls)),
        context_(context),
        web_(web),
        slot_(std::move(slot)),
        deadline_(std::chrono::steady_clock::now() + context.limits.handshake_timeout) {
    ++context_.metrics.http_connections;
  }
  ~HttpSession() { --context_.metrics.http_connections; }

  void run() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if constexpr (kTls) {
        beast::get_lowest_layer(self->stream_).expires_at(self->deadline_);
        self->stream_.async_handshake(ssl::stream_base::server, [self](beast::error_code ec) {
          if (!ec) self->read();
        });
      } else {
        self->read();
      }
    });
  }

 private:
  static std::string peer_address(const tcp::socket& socket) {
    beast::error_code ec;
    const auto peer = socket.remote_endpoint(ec);
    return ec ? std::string() : peer.address().to_string();
  }

  static Stream make_stream(tcp::socket&& socket, ssl::context* tls) {
    if constexpr (kTls)
      return Stream(std::move(socket), *tls);
    else
      return Stream(std::move(socket));
  }

  void read() {
    parser_.emplace();
    parser_->body_limit(context_.limits.max_body_bytes);
    parser_->header_limit(static_cast<std::uint32_t>(context_.limits.max_header_bytes));
    if (requests_ == 0)
      beast::get_lowest_layer(stream_).expires_at(deadline_);
    else
      beast::get_lowest_layer(stream_).expires_after(context_.limits.idle_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&HttpSession<Stream>::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::operation_aborted)
      return close();
    ++requests_;
    if (ec == http::error::body_limit) {
      keep_alive_ = false;
      return send(error_response(GatewayCode::body_too_large,
                                 "request bodies are limited to " + std::to_string(context_.limits.max_body_bytes) + " bytes"));
    }
    if (ec == http::error::header_limit) {
      keep_alive_ = false;
      return send(error_response(GatewayCode::headers_too_large, "request headers are too large"));
    }
    if (ec) {
      keep_alive_ = false;
      return send(error_response(GatewayCode::malformed_http, ec.message()));
    }
    auto request = parser_->release();
    keep_alive_ = request.keep_alive();
    version_ = request.version();
    if (beast::websocket::is_upgrade(request)) {
      if (request.target() != kWebSocketPath) return send(error_response(GatewayCode::not_found, "WebSocket endpoint is /ws"));
      if (const auto wait = held_back()) {  // its Hello would only be another failure
        keep_alive_ = false;
        return send(too_many_auth_failures(*wait));
      }
      // The upgrade must complete by the connection's handshake deadline (a later request on a
      // kept-alive connection gets a fresh one).
      const auto deadline = requests_ == 1 ? deadline_ : std::chrono::steady_clock::now() + context_.limits.handshake_timeout;
      if constexpr (kTls)
        start_websocket_session(std::move(stream_), std::move(request), context_, std::move(slot_), deadline);
      else
        start_websocket_session(stream_.release_socket(), std::move(request), context_, std::move(slot_), deadline);
      return;
    }
    const std::string target(request.target());
    method_ = std::string(request.method_string());
    const std::string_view path = std::string_view(target).substr(0, target.find('?'));
    const bool get = request.method() == http::verb::get || request.method() == http::verb::head;
    head_ = request.method() == http::verb::head;
    if (get && path == kMetricsPath) return metrics(request[http::field::authorization]);
    if (get && path == "/readyz") {
      const bool ready = !context_.ready || context_.ready();
      return send(ready ? HttpResponse{200, "application/json", "{\"ready\":true}", {}}
                        : error_response(GatewayCode::not_ready, context_.ready_detail ? context_.ready_detail() : "not ready"));
    }
    if (get && path.rfind("/api/", 0) != 0 && path != "/healthz") {
      if (web_) {
        StaticLookup found = web_->find(target);
        if (found.file) return send_file(std::move(*found.file));
        if (found.status != 404) return send(error_response(found.status, found.code, found.detail));
      } else {
        // No portal here; a path that tries to escape still gets the same answer as with one.
        std::vector<std::string> segments;
        StaticLookup refusal;
        if (!static_path_segments(target, segments, refusal))
          return send(error_response(refusal.status, refusal.code, refusal.detail));
      }
    }
    HttpRequest r = to_http_request(std::move(request));
    r.client_address = address_;
    handle_rest(r, context_.tokens, context_.market,
                [self = shared_from_this()](HttpResponse response) {
                  net::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
                    self->send(std::move(response));
                  });
                },
                context_.auth_failures.get());
  }

  /// How long this client's address is still refused for failed authentications; nullopt: not.
  std::optional<std::chrono::seconds> held_back() {
    return context_.auth_failures && !address_.empty() ? context_.auth_failures->retry_after(address_) : std::nullopt;
  }

  /// /metrics: Prometheus text for an admin token (it reveals market volume).
  void metrics(std::string_view authorization) {
    if (const auto wait = held_back()) return send(too_many_auth_failures(*wait));
    const Authentication a =
        authenticate_token(context_.tokens, TokenStore::bearer(authorization), context_.auth_failures.get(), address_);
    const auto& who = a.who;
    if (!who) return send(auth_refusal(a));
    if (!may_read_metrics(who->role))
      return send(error_response(GatewayCode::forbidden, "role " + std::string(to_string(who->role)) + " may not read /metrics"));
    HttpResponse r;
    r.content_type = "text/plain; version=0.0.4";
    r.body = context_.metrics.prometheus(context_.extra_metrics ? context_.extra_metrics() : std::string());
    send(std::move(r));
  }

  template <class Body>
  void prepare(http::response<Body>& response, int status, std::string_view content_type) {
    context_.metrics.count_http(method_, status);
    response.result(static_cast<http::status>(status));
    response.version(version_);
    response.set(http::field::server, "carebroker");
    response.set(http::field::content_type, content_type);
    response.set("X-Content-Type-Options", "nosniff");
    response.keep_alive(keep_alive_);
  }

  void send(HttpResponse r) {
    auto response = std::make_shared<http::response<http::string_body>>();
    prepare(*response, r.status, r.content_type);
    response->set(http::field::cache_control, "no-store");
    for (auto& [name, value] : r.headers) response->set(name, value);
    response->body() = std::move(r.body);
    response->prepare_payload();
    if (head_) response->body().clear();  // Content-Length stays that of the GET
    write(response);
  }

  /// A static file, streamed from disk (never read whole into memory).
  void send_file(StaticFile file) {
    http::file_body::value_type body;
    beast::error_code ec;
    body.open(file.path.c_str(), beast::file_mode::scan, ec);
    if (ec) return send(error_response(GatewayCode::not_found, "no such file"));
    auto response = std::make_shared<http::response<http::file_body>>();
    prepare(*response, 200, file.content_type);
    response->set(http::field::cache_control, "no-cache");
    response->body() = std::move(body);
    response->prepare_payload();
    if (head_) {
      auto empty = std::make_shared<http::response<http::empty_body>>();
      prepare(*empty, 200, file.content_type);
      empty->content_length(file.size);
      return write(empty);
    }
    write(response);
  }

  template <class Message>
  void write(const std::shared_ptr<Message>& response) {
    beast::get_lowest_layer(stream_).expires_after(context_.limits.idle_timeout);
    http::async_write(stream_, *response, [self = shared_from_this(), response](beast::error_code ec, std::size_t) {
      if (ec || !self->keep_alive_) return self->close();
      self->read();
    });
  }

  void close() {
    if constexpr (kTls) {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
      stream_.async_shutdown([self = shared_from_this()](beast::error_code) {});
    } else {
      beast::error_code ec;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    }
  }

  std::string address_;  // the client's IP address (failed authentications are counted per address)
  Stream stream_;
  beast::flat_buffer buffer_;
  ServerContext& context_;
  const StaticRoot* web_;
  ConnectionSlots::Slot slot_;  // moves to the WebSocket session on an upgrade
  std::chrono::steady_clock::time_point deadline_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::size_t requests_ = 0;
  bool keep_alive_ = false;
  bool head_ = false;
  unsigned version_ = 11;
  std::string method_ = "GET";
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& ioc, ServerContext& context, ssl::context* tls, const StaticRoot* web, ConnectionSlots& slots)
      : ioc_(ioc), acceptor_(net::make_strand(ioc)), context_(context), tls_(tls), web_(web), slots_(slots) {}

  bool open(const tcp::endpoint& endpoint, std::string& error) {
    beast::error_code ec;
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) error = "cannot listen on " + endpoint.address().to_string() + ":" + std::to_string(endpoint.port()) +
                    ": " + ec.message();
    return !ec;
  }
  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  void run() { accept(); }
  void stop() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      self->acceptor_.close(ec);
    });
  }

 private:
  void accept() {
    acceptor_.async_accept(net::make_strand(ioc_), beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
  }
  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) {
      const auto peer = socket.remote_endpoint(ec);
      ConnectionSlots::Refusal why{};
      auto slot = ec ? std::nullopt : slots_.take(peer.address().to_string(), why);
      if (!slot) {
        ++context_.metrics.connections_refused;
        beast::error_code ignored;
        socket.close(ignored);  // over a connection limit: refuse at once
      } else {
        socket.set_option(tcp::no_delay(true), ec);
        if (tls_)
          std::make_shared<HttpSession<TlsStream>>(std::move(socket), context_, tls_, web_, std::move(*slot))->run();
        else
          std::make_shared<HttpSession<beast::tcp_stream>>(std::move(socket), context_, nullptr, web_, std::move(*slot))
              ->run();
      }
    }
    accept();
  }

  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  ServerContext& context_;
  ssl::context* tls_;
  const StaticRoot* web_;
  ConnectionSlots& slots_;
};

}  // namespace

struct Server::Impl {
  Impl(ServerContext& c, std::string a, unsigned short p, int t, TlsFiles f)
      : context(c),
        address(std::move(a)),
        port(p),
        threads(std::max(1, t)),
        tls_files(std::move(f)),
        slots(c.limits.max_connections, c.limits.max_connections_per_address),
        ioc(threads) {}
  ServerContext& context;
  std::string address;
  unsigned short port;
  int threads;
  TlsFiles tls_files;
  // What sessions refer to is declared before ioc, so it outlives the sessions the io_context
  // destroys (with their pending handlers) when it goes.
  std::unique_ptr<ssl::context> tls;
  std::optional<StaticRoot> web;
  ConnectionSlots slots;
  net::io_context ioc;
  std::shared_ptr<Listener> listener;
  std::vector<std::thread> workers;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
};

Server::Server(ServerContext& context, std::string address, unsigned short port, int threads, TlsFiles tls)
    : impl_(std::make_unique<Impl>(context, std::move(address), port, threads, std::move(tls))) {}

Server::~Server() { stop(); }

bool Server::start(std::string& error) {
  beast::error_code ec;
  const auto address = net::ip::make_address(impl_->address, ec);
  if (ec) {
    error = "bad listen address " + impl_->address;
    return false;
  }
  if (impl_->tls_files.enabled()) {
    if (impl_->tls_files.certificate_chain.empty() || impl_->tls_files.private_key.empty()) {
      error = "TLS needs both a certificate chain and a private key";
      return false;
    }
    impl_->tls = std::make_unique<ssl::context>(ssl::context::tls_server);
    impl_->tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                            ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::no_compression |
                            SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION);
    // TLS 1.2 at least, whatever the system's OpenSSL configuration allows.
    if (SSL_CTX_set_min_proto_version(impl_->tls->native_handle(), TLS1_2_VERSION) != 1 ||
        SSL_CTX_set_cipher_list(impl_->tls->native_handle(), impl_->tls_files.ciphers.c_str()) != 1) {
      error = "cannot use the TLS cipher list '" + impl_->tls_files.ciphers + "'";
      return false;
    }
    impl_->tls->use_certificate_chain_file(impl_->tls_files.certificate_chain, ec);
    if (!ec) impl_->tls->use_private_key_file(impl_->tls_files.private_key, ssl::context::pem, ec);
    if (ec) {
      error = "cannot load the TLS certificate or key: " + ec.message();
      return false;
    }
  }
  if (!impl_->context.static_dir.empty()) {
    std::vector<std::filesystem::path> forbidden(impl_->context.private_dirs.begin(), impl_->context.private_dirs.end());
    impl_->web = StaticRoot::open(impl_->context.static_dir, forbidden, error);
    if (!impl_->web) return false;
  }
  if (!impl_->context.auth_failures)
    impl_->context.auth_failures = std::make_shared<AuthFailureLimiter>(impl_->context.limits.auth_failures);
  impl_->listener =
      std::make_shared<Listener>(impl_->ioc, impl_->context, impl_->tls.get(), impl_->web ? &*impl_->web : nullptr,
                                 impl_->slots);
  if (!impl_->listener->open(tcp::endpoint(address, impl_->port), error)) return false;
  impl_->listener->run();
  // How work from the sequencer and the publisher reaches the I/O threads: a durable batch's
  // replies in one hop (reply_batcher.h), notifications in turns behind which acknowledgements
  // can pass (fan_out.h). The io_context outlives the last of either: the App stops the
  // server's threads, then the sequencer and the replicas, and only then destroys them.
  const auto to_io_threads = [&ioc = impl_->ioc](std::function<void()> work) { net::post(ioc, std::move(work)); };
  if (impl_->context.replies) impl_->context.replies->set_carrier(to_io_threads);
  if (impl_->context.fan_out) impl_->context.fan_out->set_carrier(to_io_threads);
  impl_->work.emplace(impl_->ioc.get_executor());
  for (int i = 0; i < impl_->threads; ++i)
    impl_->workers.emplace_back([this, i] {
      sequencer::name_this_thread("cb-io-" + std::to_string(i));
      impl_->ioc.run();
    });
  return true;
}

unsigned short Server::port() const { return impl_->listener ? impl_->listener->port() : 0; }

void Server::stop() {
  if (!impl_ || impl_->workers.empty()) return;
  impl_->listener->stop();
  impl_->work.reset();
  impl_->ioc.stop();
  for (auto& t : impl_->workers) t.join();
  impl_->workers.clear();
}

}  // namespace carebroker::gateway
