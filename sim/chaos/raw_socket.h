// Plain loopback TCP for the misbehaving clients of the chaos scenarios (floods, silent and
// half-open connections, one byte a second): blocking connect and send, reads with a deadline,
// and whether the server has closed the connection. Also the bytes of a WebSocket upgrade
// request and of a masked client frame, so a client can misbehave in the middle of either.
// One RawSocket per thread.
#pragma once

#include <string>
#include <string_view>

namespace carebroker::sim::chaos {

class RawSocket {
 public:
  RawSocket() = default;
  ~RawSocket() { close(); }
  RawSocket(RawSocket&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  RawSocket& operator=(RawSocket&& other) noexcept;
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  /// Connects to 127.0.0.1:`port` (`receive_buffer` > 0: that small a kernel receive buffer).
  bool connect(unsigned short port, int receive_buffer = 0);
  /// Sends every byte; false when the connection is gone.
  bool send(std::string_view bytes);
  /// Reads until `marker` has arrived (true) or the deadline, the end of the stream or an error.
  bool read_until(std::string_view marker, double timeout_s, std::string& got);
  /// Reads whatever has arrived without waiting; true when the server has closed or reset the
  /// connection (end of stream or an error), false while it is still open.
  bool closed_by_server();
  /// Whether the server has closed or reset the connection, found without reading a byte (so a
  /// client that has stopped reading stays one).
  bool hung_up() const;
  void close();
  bool open() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
  bool ended_ = false;
};

/// A WebSocket upgrade request for /ws.
std::string websocket_upgrade(unsigned short port);
/// One masked client text frame holding `payload`.
std::string websocket_text_frame(std::string_view payload);

}  // namespace carebroker::sim::chaos
