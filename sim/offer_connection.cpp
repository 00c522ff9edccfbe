#include "sim/offer_connection.h"

#include <cstdio>

#include "engine/market/calendar.h"
#include "engine/sequencer/clock.h"
#include "sim/provider_socket.h"
#include "sim/wire_frames.h"

namespace carebroker::sim {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

OfferConnection::OfferConnection(net::io_context& ioc, const LoadOptions& options, const MeasureWindow& window,
                                 OfferFigures& figures, int index, std::string token)
    : ws_(ioc), options_(options), window_(window), figures_(figures), index_(index), token_(std::move(token)),
      location_("L" + std::to_string(index)) {}

void OfferConnection::start(const tcp::endpoint& endpoint, std::function<void()> on_ready) {
  on_ready_ = std::move(on_ready);
  open_provider_socket(shared_from_this(), endpoint, [](std::shared_ptr<OfferConnection> self) {
    self->send(hello_frame(self->token_));
    self->read();
  });
}

void OfferConnection::run_open_loop(Clock::time_point first, Clock::duration period) {
  next_ = first;
  period_ = period;
}

void OfferConnection::pace(Clock::time_point now) {
  if (stopped_) return;
  while (next_ <= now) {
    send_offer(next_);
    next_ += period_;
  }
}

void OfferConnection::run_closed_loop(int inflight) {
  closed_loop_ = true;
  for (int i = 0; i < inflight; ++i) send_offer(Clock::now());
}

void OfferConnection::send_offer(Clock::time_point intended) {
  const std::uint64_t n = next_request_++;
  const auto package = n % static_cast<std::uint64_t>(options_.packages) + 1;  // 1..packages: open all run
  const bool first = n < static_cast<std::uint64_t>(options_.packages);
  const std::string rid = "r" + std::to_string(n);
  const std::string start = engine::format_date(engine::london_date(sequencer::SystemClock().now()) + 3);
  flatbuffers::FlatBufferBuilder b(256);
  const long long price = 2000 + static_cast<long long>(n % 2000);
  flatbuffers::Offset<void> body;
  wire::ClientMessage type;
  if (first) {
    body = wire::CreatePlaceOfferDirect(b, rid.c_str(), location_.c_str(), package, price, start.c_str(), true, "").Union();
    type = wire::ClientMessage::PlaceOffer;
  } else {
    body = wire::CreateAmendOfferDirect(b, rid.c_str(), location_.c_str(), package, price, start.c_str(), true, "").Union();
    type = wire::ClientMessage::AmendOffer;
  }
  b.Finish(wire::CreateClientFrame(b, type, body), "CBW1");
  intended_.push_back(intended);
  ++figures_.sent;
  if (window_.contains(intended)) ++figures_.offered;
  send(std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize()));
}

void OfferConnection::send(std::string frame) {
  outbox_.push_back(std::move(frame));
  if (!writing_) write();
}

void OfferConnection::write() {
  writing_ = true;
  ws_.async_write(net::buffer(outbox_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec) return self->fail("write", ec);
    self->outbox_.pop_front();
    self->writing_ = false;
    if (!self->outbox_.empty()) self->write();
  });
}

void OfferConnection::read() {
  ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec) return self->stopped_ ? void() : self->fail("read", ec);
    self->on_frame();
    self->buffer_.consume(self->buffer_.size());
    self->read();
  });
}

void OfferConnection::on_frame() {
  const auto* frame = verified_server_frame(buffer_.data().data(), buffer_.size());
  if (!frame) return;
  const auto now = Clock::now();
  switch (frame->message_type()) {
    case wire::ServerMessage::Welcome:
      if (on_ready_) on_ready_();
      return;
    case wire::ServerMessage::Ack: {
      const auto* ack = frame->message_as_Ack();
      record(ack->request_id() ? ack->request_id()->str() : "", now, false);
      return;
    }
    case wire::ServerMessage::Error:
      return on_error(frame->message_as_Error(), now);
    case wire::ServerMessage::Replies: {  // a batch's answers to this connection, in one frame
      const auto* replies = frame->message_as_Replies();
      if (replies->acks())
        for (const auto* ack : *replies->acks()) record(ack->request_id() ? ack->request_id()->str() : "", now, false);
      if (replies->errors())
        for (const auto* e : *replies->errors()) on_error(e, now);
      return;
    }
    case wire::ServerMessage::PackageBroadcast:  // a package posted during the run
      broadcasts_.push_back({frame->message_as_PackageBroadcast()->package(), now});
      return;
    default: return;  // updates
  }
}

void OfferConnection::on_error(const wire::Error* e, Clock::time_point now) {
  if (figures_.first_error.empty())
    figures_.first_error = (e->code() ? e->code()->str() : "") + ": " + (e->detail() ? e->detail()->str() : "");
  record(e->request_id() ? e->request_id()->str() : "", now, true);
}

void OfferConnection::record(const std::string& rid, Clock::time_point now, bool error) {
  if (rid.size() < 2 || rid[0] != 'r') return;
  const std::uint64_t n = std::stoull(rid.substr(1));
  if (n >= intended_.size()) return;
  const auto intended = intended_[n];
  if (window_.contains(intended)) {
    if (error) {
      ++figures_.errors;
    } else {
      ++figures_.acked;
      figures_.histogram.record(nanoseconds_between(intended, now));
    }
  }
  if (closed_loop_ && !stopped_) send_offer(Clock::now());
}

void OfferConnection::fail(const char* what, beast::error_code ec) {
  if (stopped_) return;
  std::fprintf(stderr, "carebroker-load: connection %d: %s: %s\n", index_, what, ec.message().c_str());
  stopped_ = true;
}

}  // namespace carebroker::sim
