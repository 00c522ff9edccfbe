// The providers' WebSocket session (internal to the server): one per connection, on its own
// strand. Authenticates the first message (Hello with a bearer token), subscribes to the
// provider's notification stream (resuming after the last number the client saw, or sending a
// snapshot in pages), turns frames into market commands and acknowledges them once durable.
// Outbound frames wait in a queue written one frame at a time; live traffic a client falls
// behind on is bounded, and a client whose live backlog overflows is cut off with a reason.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <chrono>

#include "gateway/connection_slots.h"
#include "gateway/server.h"

namespace carebroker::gateway {

using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

/// Upgrades the connection (the upgrade must complete by `deadline`); the session holds the
/// connection's slot until it ends.
void start_websocket_session(boost::asio::ip::tcp::socket socket,
                             boost::beast::http::request<boost::beast::http::string_body> upgrade,
                             ServerContext& context, ConnectionSlots::Slot slot,
                             std::chrono::steady_clock::time_point deadline);
/// The same over TLS: the handshake is done; the stream moves into the WebSocket.
void start_websocket_session(TlsStream stream, boost::beast::http::request<boost::beast::http::string_body> upgrade,
                             ServerContext& context, ConnectionSlots::Slot slot,
                             std::chrono::steady_clock::time_point deadline);

}  // namespace carebroker::gateway
