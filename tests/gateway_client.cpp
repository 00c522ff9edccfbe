// The tests' HTTP and WebSocket client (gateway_client.h): the one test translation unit that
// includes Beast. Every operation is asynchronous under the hood so that it can be bounded by
// the tcp_stream's expiry, and is run to completion on the client's own io_context.
#include "gateway_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <optional>

namespace carebroker::testing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

tcp::endpoint local(unsigned short port) { return {net::ip::make_address_v4("127.0.0.1"), port}; }

/// Runs the io_context until the operation started before it completes.
void run(net::io_context& ioc) {
  ioc.restart();
  ioc.run();
}

}  // namespace

std::string WsFrame::describe() const {
  switch (kind) {
    case Kind::text: return "text frame: " + data.substr(0, 300);
    case Kind::binary: {
      std::string head;  // the first bytes, printable ones as they are
      for (std::size_t i = 0; i < data.size() && i < 32; ++i) {
        const auto c = static_cast<unsigned char>(data[i]);
        if (c >= 0x20 && c < 0x7f) {
          head += static_cast<char>(c);
        } else {
          static const char* const hex = "0123456789abcdef";
          head += std::string("\\x") + hex[c >> 4] + hex[c & 15];
        }
      }
      return "binary frame of " + std::to_string(data.size()) + " bytes: " + head + (data.size() > 32 ? "…" : "");
    }
    case Kind::closed: return "closed " + std::to_string(close_code) + " " + reason;
    case Kind::timeout: return "timeout";
    case Kind::error: return "error: " + reason;
  }
  return "?";
}

HttpResult http_request(unsigned short port, std::string_view method, std::string_view target, std::string_view token,
                        std::string_view body, std::chrono::milliseconds timeout,
                        const std::vector<std::pair<std::string, std::string>>& headers) {
  HttpResult out;
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(timeout);
  beast::error_code ec;
  stream.async_connect(local(port), [&](beast::error_code e) { ec = e; });
  run(ioc);
  if (ec) {
    out.error = "connect: " + ec.message();
    return out;
  }
  http::request<http::string_body> request{http::string_to_verb(method), target, 11};
  request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  request.set(http::field::user_agent, "carebroker-tests");
  if (!token.empty()) request.set(http::field::authorization, "Bearer " + std::string(token));
  if (!body.empty()) request.set(http::field::content_type, "application/json");
  for (const auto& [name, value] : headers) request.insert(name, value);
  request.body() = std::string(body);
  request.keep_alive(false);
  request.prepare_payload();

  beast::error_code write_ec;
  http::async_write(stream, request, [&](beast::error_code e, std::size_t) { write_ec = e; });
  run(ioc);
  // Read even when the write failed: a server may answer (413) and close before reading it all.
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64u << 20);
  beast::error_code read_ec;
  http::async_read(stream, buffer, parser, [&](beast::error_code e, std::size_t) { read_ec = e; });
  run(ioc);
  if (read_ec) {
    out.error = (write_ec ? "write: " + write_ec.message() + "; " : std::string()) + "read: " + read_ec.message();
    return out;
  }
  const auto& response = parser.get();
  out.status = static_cast<int>(response.result_int());
  out.body = response.body();
  out.content_type = std::string(response[http::field::content_type]);
  out.location = std::string(response[http::field::location]);
  out.retry_after = std::string(response[http::field::retry_after]);
  out.www_authenticate = std::string(response[http::field::www_authenticate]);
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return out;
}

// ---------------------------------------------------------------------------------------------

struct WsClient::Impl {
  net::io_context ioc;
  std::optional<websocket::stream<beast::tcp_stream>> ws;
  beast::flat_buffer buffer;
  bool open = false;
  std::string error;

  beast::tcp_stream& lowest() { return beast::get_lowest_layer(*ws); }

  void fail(const std::string& what) {
    error = what;
    open = false;
    if (ws) {
      beast::error_code ignored;
      lowest().socket().close(ignored);
    }
  }

  bool send(std::string_view data, bool binary, std::chrono::milliseconds timeout) {
    if (!open) {
      if (error.empty()) error = "not connected";
      return false;
    }
    ws->binary(binary);
    lowest().expires_after(timeout);
    beast::error_code ec;
    ws->async_write(net::buffer(data.data(), data.size()), [&](beast::error_code e, std::size_t) { ec = e; });
    run(ioc);
    if (ec) {
      fail("write: " + ec.message());
      return false;
    }
    return true;
  }
};

WsClient::WsClient() : impl_(std::make_unique<Impl>()) {}
WsClient::~WsClient() { drop(); }

bool WsClient::connect(unsigned short port, std::string& error, WsOptions options, std::chrono::milliseconds timeout) {
  auto& m = *impl_;
  m.ws.reset();
  m.buffer.clear();
  m.open = false;
  m.error.clear();
  tcp::socket socket(m.ioc);
  beast::error_code ec;
  socket.open(tcp::v4(), ec);
  if (!ec && options.receive_buffer_bytes > 0)
    socket.set_option(net::socket_base::receive_buffer_size(options.receive_buffer_bytes), ec);
  if (ec) {
    error = m.error = "socket: " + ec.message();
    return false;
  }
  m.ws.emplace(beast::tcp_stream(std::move(socket)));
  m.lowest().expires_after(timeout);
  m.lowest().async_connect(local(port), [&](beast::error_code e) { ec = e; });
  run(m.ioc);
  if (ec) {
    error = m.error = "connect: " + ec.message();
    return false;
  }
  m.ws->read_message_max(64u << 20);
  m.ws->auto_fragment(false);  // one message = one frame, so an oversized frame is one frame
  // Mask a whole frame at once, so it leaves in one write: a server that refuses an oversized
  // frame from its header cannot fail the rest of the write (and the close frame stays readable).
  m.ws->write_buffer_bytes(256u << 10);
  m.ws->set_option(websocket::stream_base::decorator(
      [](websocket::request_type& req) { req.set(http::field::user_agent, "carebroker-tests"); }));
  m.lowest().expires_after(timeout);
  m.ws->async_handshake("127.0.0.1:" + std::to_string(port), "/ws", [&](beast::error_code e) { ec = e; });
  run(m.ioc);
  if (ec) {
    error = m.error = "handshake: " + ec.message();
    return false;
  }
  m.open = true;
  return true;
}

bool WsClient::send_text(std::string_view text, std::chrono::milliseconds timeout) {
  return impl_->send(text, false, timeout);
}

bool WsClient::send_binary(std::string_view bytes, std::chrono::milliseconds timeout) {
  return impl_->send(bytes, true, timeout);
}

WsFrame WsClient::read(std::chrono::milliseconds timeout) {
  auto& m = *impl_;
  WsFrame frame;
  if (!m.open) {
    frame.kind = WsFrame::Kind::error;
    frame.reason = m.error.empty() ? "not connected" : m.error;
    return frame;
  }
  m.lowest().expires_after(timeout);
  beast::error_code ec;
  m.ws->async_read(m.buffer, [&](beast::error_code e, std::size_t) { ec = e; });
  run(m.ioc);
  if (!ec) {
    frame.kind = m.ws->got_text() ? WsFrame::Kind::text : WsFrame::Kind::binary;
    frame.data = beast::buffers_to_string(m.buffer.data());
    m.buffer.consume(m.buffer.size());
    return frame;
  }
  // The server's close frame was read (possibly followed by a failure to answer it, when the
  // server dropped the connection at once): report the close and its code.
  if (ec == websocket::error::closed || m.ws->reason().code != websocket::close_code::none) {
    frame.kind = WsFrame::Kind::closed;
    frame.close_code = static_cast<int>(m.ws->reason().code);
    frame.reason = std::string(m.ws->reason().reason.c_str());
    m.fail("closed by the server (" + std::to_string(frame.close_code) + " " + frame.reason + ")");
  } else if (ec == beast::error::timeout) {
    frame.kind = WsFrame::Kind::timeout;
    frame.reason = "no frame within " + std::to_string(timeout.count()) + " ms";
    m.fail(frame.reason);
  } else {
    frame.kind = WsFrame::Kind::error;
    frame.reason = ec.message();
    m.fail("read: " + ec.message());
  }
  return frame;
}

void WsClient::close(std::chrono::milliseconds timeout) {
  auto& m = *impl_;
  if (!m.open) return drop();
  m.lowest().expires_after(timeout);
  m.ws->async_close(websocket::close_code::normal, [](beast::error_code) {});
  run(m.ioc);
  m.open = false;
  drop();
}

void WsClient::drop() {
  auto& m = *impl_;
  m.open = false;
  if (!m.ws) return;
  beast::error_code ignored;
  m.lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
  m.lowest().socket().close(ignored);
  run(m.ioc);  // let any aborted handler run
  m.ws.reset();
}

bool WsClient::is_open() const { return impl_->open; }
const std::string& WsClient::last_error() const { return impl_->error; }

}  // namespace carebroker::testing
