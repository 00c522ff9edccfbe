#include "sim/broadcast_listener.h"

#include <cstdio>

#include "sim/provider_socket.h"
#include "sim/wire_frames.h"

namespace carebroker::sim {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

BroadcastListener::BroadcastListener(net::io_context& ioc, int index, std::string token)
    : ws_(ioc), index_(index), token_(std::move(token)) {}

void BroadcastListener::start(const tcp::endpoint& endpoint, std::function<void()> on_ready) {
  on_ready_ = std::move(on_ready);
  open_provider_socket(shared_from_this(), endpoint, [](std::shared_ptr<BroadcastListener> self) {
    self->hello_ = hello_frame(self->token_);
    self->ws_.async_write(net::buffer(self->hello_), [self](beast::error_code w, std::size_t) {
      if (w) self->fail("write", w);
    });
    self->read();
  });
}

void BroadcastListener::read() {
  ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec) return self->stopped_ ? void() : self->fail("read", ec);
    const auto now = Clock::now();
    if (const auto* frame = verified_server_frame(self->buffer_.data().data(), self->buffer_.size())) {
      if (frame->message_type() == wire::ServerMessage::PackageBroadcast)
        self->broadcasts_.push_back({frame->message_as_PackageBroadcast()->package(), now});
      else if (frame->message_type() == wire::ServerMessage::Welcome && self->on_ready_)
        std::exchange(self->on_ready_, nullptr)();
    }
    self->buffer_.consume(self->buffer_.size());
    self->read();
  });
}

void BroadcastListener::fail(const char* what, beast::error_code ec) {
  if (stopped_ || !failure_.empty()) return;
  failure_ = std::string(what) + ": " + ec.message();
  std::fprintf(stderr, "carebroker-load: listener %d: %s\n", index_, failure_.c_str());
}

}  // namespace carebroker::sim
