// Opens a load tool's provider WebSocket on loopback: TCP connect (no Nagle), the WebSocket
// handshake on /ws, binary frames (FlatBuffers); then `opened(self)` runs, or `self->fail(what,
// ec)` at the first error. `Self` owns a `ws_` (websocket::stream<tcp_stream>) and is held by a
// shared_ptr for as long as the operations run.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <memory>
#include <utility>

namespace carebroker::sim {

template <typename Self, typename Opened>
void open_provider_socket(std::shared_ptr<Self> self, const boost::asio::ip::tcp::endpoint& endpoint, Opened opened) {
  namespace beast = boost::beast;
  beast::get_lowest_layer(self->ws_).async_connect(
      endpoint, [self, opened = std::move(opened)](beast::error_code ec) mutable {
        if (ec) return self->fail("connect", ec);
        beast::get_lowest_layer(self->ws_).socket().set_option(boost::asio::ip::tcp::no_delay(true));
        self->ws_.async_handshake("127.0.0.1", "/ws", [self, opened = std::move(opened)](beast::error_code e) mutable {
          if (e) return self->fail("handshake", e);
          self->ws_.binary(true);
          opened(self);
        });
      });
}

}  // namespace carebroker::sim
