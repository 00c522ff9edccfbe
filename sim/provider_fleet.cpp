// Many provider WebSocket connections from one thread (provider_fleet.h), on Beast.
#include "sim/provider_fleet.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <chrono>
#include <deque>

#include "schemas/wire_generated.h"
#include "sim/wire_frames.h"

namespace carebroker::sim {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

std::string str(const flatbuffers::String* s) { return s ? s->str() : std::string(); }

}  // namespace

struct ProviderFleet::Impl {
  class Connection;
  net::io_context ioc;
  tcp::endpoint endpoint;
  std::string host;
  FleetCounters counters;
  std::vector<std::shared_ptr<Connection>> connections;
  std::deque<std::size_t> waiting;  // queued, not yet started
  std::size_t active = 0, concurrency = 64;
  std::uint64_t next_request = 0;

  void start_more();
  void finished_opening() {
    --active;
    start_more();
  }
};

class ProviderFleet::Impl::Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Impl& fleet, std::string token, bool remember)
      : fleet_(fleet), ws_(fleet.ioc), token_(std::move(token)), remember_(remember) {}

  void start() {
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(30));
    beast::get_lowest_layer(ws_).async_connect(fleet_.endpoint, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->fail("connect", ec.message());
      beast::get_lowest_layer(self->ws_).socket().set_option(tcp::no_delay(true));
      beast::get_lowest_layer(self->ws_).expires_never();
      self->ws_.async_handshake(self->fleet_.host, "/ws", [self](beast::error_code e) {
        if (e) return self->fail("handshake", e.message());
        self->ws_.binary(true);
        self->send(hello_frame(self->token_));
        self->read();
      });
    });
  }

  void place_offer(const Invitation& on, std::int64_t price) {
    const std::string rid = "m" + std::to_string(fleet_.next_request++);
    flatbuffers::FlatBufferBuilder b(256);
    auto body = wire::CreatePlaceOfferDirect(b, rid.c_str(), on.location.c_str(), on.package, price,
                                             on.start_date.c_str(), true, "");
    b.Finish(wire::CreateClientFrame(b, wire::ClientMessage::PlaceOffer, body.Union()), "CBW1");
    ++fleet_.counters.offers_sent;
    send(std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize()));
  }

  const std::vector<Invitation>& invitations() const { return invitations_; }
  bool ready() const { return ready_; }

 private:
  void send(std::string frame) {
    outbox_.push_back(std::move(frame));
    if (!writing_) write();
  }
  void write() {
    writing_ = true;
    ws_.async_write(net::buffer(outbox_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->fail("write", ec.message());
      self->outbox_.pop_front();
      self->writing_ = false;
      if (!self->outbox_.empty()) self->write();
    });
  }
  void read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->fail("read", ec.message());
      self->on_frame();
      self->read();
    });
  }

  void on_frame() {
    const std::string data = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    if (data.size() < 8) return fail("frame", "a frame shorter than its 8-byte prefix");
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(data.data()) + 8;
    flatbuffers::Verifier verifier(bytes, data.size() - 8, 64, 10'000'000);
    if (!verifier.VerifyBuffer<wire::ServerFrame>("CBW1")) return fail("frame", "a frame that fails the Verifier");
    const auto* frame = flatbuffers::GetRoot<wire::ServerFrame>(bytes);
    switch (frame->message_type()) {
      case wire::ServerMessage::Snapshot: {
        const auto* s = frame->message_as_Snapshot();
        if (remember_ && s->packages())
          for (const auto* p : *s->packages()) remember(p);
        if (s->page() >= s->pages() && !ready_) opened();
        return;
      }
      case wire::ServerMessage::PackageBroadcast:
        if (remember_) remember(frame->message_as_PackageBroadcast());
        return;
      case wire::ServerMessage::Ack: ++fleet_.counters.acks; return;
      case wire::ServerMessage::Error: {
        const auto* e = frame->message_as_Error();
        if (!ready_) return fail("hello", str(e->code()) + ": " + str(e->detail()));
        return offer_error(e);
      }
      case wire::ServerMessage::Replies: {
        const auto* r = frame->message_as_Replies();
        if (r->acks()) fleet_.counters.acks += r->acks()->size();
        if (r->errors())
          for (const auto* e : *r->errors()) offer_error(e);
        return;
      }
      default: return;  // Welcome (a Snapshot follows), updates, award offers
    }
  }

  void remember(const wire::PackageBroadcast* p) {
    invitations_.push_back({p->package(), str(p->location()), str(p->start_date())});
  }
  void offer_error(const wire::Error* e) {
    ++fleet_.counters.errors;
    if (fleet_.counters.first_error.empty()) fleet_.counters.first_error = str(e->code()) + ": " + str(e->detail());
  }
  void opened() {
    ready_ = true;
    ++fleet_.counters.opened;
    fleet_.finished_opening();
  }
  void fail(const char* what, const std::string& why) {
    if (failed_) return;
    failed_ = true;
    ++fleet_.counters.failed;
    if (fleet_.counters.first_failure.empty()) fleet_.counters.first_failure = std::string(what) + ": " + why;
    if (!ready_) fleet_.finished_opening();
    beast::error_code ec;
    beast::get_lowest_layer(ws_).socket().close(ec);
  }

  Impl& fleet_;
  websocket::stream<beast::tcp_stream> ws_;
  std::string token_;
  bool remember_;
  beast::flat_buffer buffer_;
  std::deque<std::string> outbox_;
  std::vector<Invitation> invitations_;
  bool writing_ = false, ready_ = false, failed_ = false;
};

void ProviderFleet::Impl::start_more() {
  while (active < concurrency && !waiting.empty()) {
    const std::size_t i = waiting.front();
    waiting.pop_front();
    ++active;
    connections[i]->start();
  }
}

ProviderFleet::ProviderFleet(std::string host, unsigned short port) : impl_(std::make_unique<Impl>()) {
  impl_->host = host;
  impl_->endpoint = tcp::endpoint(net::ip::make_address(host), port);
}

ProviderFleet::~ProviderFleet() {
  for (auto& c : impl_->connections) c.reset();
  impl_->ioc.stop();
}

std::size_t ProviderFleet::open(std::size_t count, const std::vector<std::string>& tokens, bool remember,
                                std::size_t concurrency) {
  const std::size_t first = impl_->connections.size();
  impl_->concurrency = std::max<std::size_t>(concurrency, 1);
  for (std::size_t k = 0; k < count && !tokens.empty(); ++k) {
    impl_->connections.push_back(std::make_shared<Impl::Connection>(*impl_, tokens[k % tokens.size()], remember));
    impl_->waiting.push_back(impl_->connections.size() - 1);
  }
  impl_->start_more();
  return first;
}

const std::vector<Invitation>& ProviderFleet::invitations(std::size_t i) const {
  return impl_->connections.at(i)->invitations();
}

void ProviderFleet::place_offer(std::size_t i, const Invitation& on, std::int64_t price) {
  auto& c = impl_->connections.at(i);
  if (c->ready()) c->place_offer(on, price);
}

bool ProviderFleet::run_until(const std::function<bool(const FleetCounters&)>& done, double timeout_s) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  impl_->ioc.restart();
  while (!done(impl_->counters)) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    impl_->ioc.run_for(std::chrono::milliseconds(50));
    impl_->ioc.restart();
  }
  return true;
}

const FleetCounters& ProviderFleet::counters() const { return impl_->counters; }
std::size_t ProviderFleet::size() const { return impl_->connections.size(); }

}  // namespace carebroker::sim
