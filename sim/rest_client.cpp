// The probes' keep-alive HTTP client (rest_client.h), on Beast.
#include "sim/rest_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace carebroker::sim {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

struct RestClient::Impl {
  std::string host;
  unsigned short port;
  net::io_context ioc;
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;
  bool connected = false;

  RestClient::Reply once(http::verb verb, std::string_view target, std::string_view token, std::string_view body,
                 std::string_view key) {
    RestClient::Reply reply;
    beast::error_code ec;
    if (!connected) {
      tcp::resolver resolver(ioc);
      const auto found = resolver.resolve(host, std::to_string(port), ec);
      if (!ec) stream.connect(found, ec);
      if (ec) {
        reply.error = "connect to " + host + ":" + std::to_string(port) + ": " + ec.message();
        return reply;
      }
      stream.socket().set_option(tcp::no_delay(true));
      connected = true;
    }
    http::request<http::string_body> req{verb, std::string(target), 11};
    req.set(http::field::host, host);
    req.keep_alive(true);
    if (!token.empty()) req.set(http::field::authorization, "Bearer " + std::string(token));
    if (!key.empty()) req.set("Idempotency-Key", std::string(key));
    if (!body.empty()) {
      req.set(http::field::content_type, "application/json");
      req.body() = std::string(body);
    }
    req.prepare_payload();
    // Asynchronous, so that the stream's deadline bounds them: a server that never answers is
    // an error after 30 s, not a client blocked for ever.
    stream.expires_after(std::chrono::seconds(30));
    http::response<http::string_body> res;
    http::async_write(stream, req, [&](beast::error_code e, std::size_t) {
      ec = e;
      if (!e) http::async_read(stream, buffer, res, [&](beast::error_code r, std::size_t) { ec = r; });
    });
    ioc.restart();
    ioc.run();
    if (ec) {
      connected = false;
      stream.socket().close(ec);
      reply.error = std::string(verb == http::verb::get ? "GET " : "request ") + std::string(target) + ": " + ec.message();
      return reply;
    }
    if (!res.keep_alive()) {
      connected = false;
      stream.socket().close(ec);
    }
    reply.status = static_cast<int>(res.result_int());
    reply.body = std::move(res.body());
    return reply;
  }
};

RestClient::RestClient(std::string host, unsigned short port) : impl_(std::make_unique<Impl>()) {
  impl_->host = std::move(host);
  impl_->port = port;
}
RestClient::~RestClient() = default;

RestClient::Reply RestClient::request(std::string_view method, std::string_view target, std::string_view token,
                              std::string_view body, std::string_view idempotency_key) {
  const http::verb verb = http::string_to_verb(method);
  const bool was_connected = impl_->connected;
  RestClient::Reply reply = impl_->once(verb, target, token, body, idempotency_key);
  // A connection the server closed while idle: send again, unless the command could have happened.
  if (reply.status == 0 && was_connected && (verb == http::verb::get || !idempotency_key.empty()))
    reply = impl_->once(verb, target, token, body, idempotency_key);
  return reply;
}

}  // namespace carebroker::sim
