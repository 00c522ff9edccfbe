// A small synchronous client of the real server for the integration tests: one HTTP request on
// a fresh connection, and a provider WebSocket (/ws) that sends text or binary frames and reads
// the next frame with a timeout. Beast lives only in gateway_client.cpp (pimpl), so the tests
// that use this header compile fast.
//
// Threading: a WsClient is used by one thread at a time; http_request is a free function.
// Timeouts: every call waits at most its timeout; a WebSocket read that times out ends that
// connection (a Beast stream cannot be used after a cancelled read), so to check that "nothing
// else arrived", send a Ping and expect the Pong to be the next frame.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace carebroker::testing {

inline constexpr std::chrono::milliseconds kNetTimeout{10'000};

struct HttpResult {
  int status = 0;            ///< 0: no response (see error)
  std::string body;
  std::string content_type;
  std::string error;         ///< why there was no response (connect, write or read failure)
};

/// Sends one HTTP/1.1 request to 127.0.0.1:`port` on a fresh connection and reads the response.
/// `token`, when not empty, goes in "Authorization: Bearer …"; a body is sent as application/json.
/// If the server answers before it has read the whole body (413), the answer is still read.
HttpResult http_request(unsigned short port, std::string_view method, std::string_view target,
                        std::string_view token = {}, std::string_view body = {},
                        std::chrono::milliseconds timeout = kNetTimeout);

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

class WsClient {
 public:
  struct Options {
    /// SO_RCVBUF set before connecting (0 = the system's default): a client that never reads
    /// then holds little in its own kernel buffer.
    int receive_buffer_bytes = 0;
  };

  WsClient();
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  /// Connects to 127.0.0.1:`port` and upgrades GET /ws. False with `error` on failure.
  bool connect(unsigned short port, std::string& error, Options options = {},
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

}  // namespace carebroker::testing
