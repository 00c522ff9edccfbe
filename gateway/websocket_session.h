// The providers' WebSocket session (internal to the server): one per connection, on its own
// strand. Authenticates the first message (Hello with a bearer token), subscribes to the
// provider's notification stream (resuming after the last number the client saw, or sending a
// snapshot), turns frames into market commands and acknowledges them once durable. Outbound
// frames wait in a bounded queue; a client whose queue overflows is closed with a reason.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "gateway/server.h"

namespace carebroker::gateway {

using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

void start_websocket_session(boost::asio::ip::tcp::socket socket,
                             boost::beast::http::request<boost::beast::http::string_body> upgrade,
                             ServerContext& context);
/// The same over TLS: the handshake is done; the stream moves into the WebSocket.
void start_websocket_session(TlsStream stream, boost::beast::http::request<boost::beast::http::string_body> upgrade,
                             ServerContext& context);

}  // namespace carebroker::gateway
