// A provider under chaos (chaos_provider.h).
#include "sim/chaos/chaos_provider.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

#include "sim/market_frames.h"

namespace carebroker::sim::chaos {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace json = boost::json;
using tcp = net::ip::tcp;

namespace {

std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

/// A price a little above the fair cost (never abnormally low), different per package and location.
std::int64_t price_for(std::uint64_t package, const std::string& location, std::uint64_t n = 0) {
  return 3300 + static_cast<std::int64_t>((package * 37 + std::hash<std::string>{}(location) + n * 11) % 600);
}

std::string text(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

ChaosProvider::ChaosProvider(net::io_context& ioc, std::string host, unsigned short port, ProviderIdentity who,
                             std::chrono::milliseconds steady_period)
    : ioc_(ioc), host_(std::move(host)), port_(port), who_(std::move(who)), steady_period_(steady_period),
      retry_(ioc), steady_timer_(ioc) {}

void ChaosProvider::start() {
  net::post(ioc_, [self = shared_from_this()] {
    self->connect();
    if (self->steady_period_.count() > 0) self->steady();
  });
}

void ChaosProvider::stop() {
  net::post(ioc_, [self = shared_from_this()] {
    self->stopped_ = true;
    ++self->generation_;
    self->retry_.cancel();
    self->steady_timer_.cancel();
    if (self->ws_) beast::get_lowest_layer(*self->ws_).close();
  });
}

void ChaosProvider::pause_steady() {
  net::post(ioc_, [self = shared_from_this()] { self->paused_ = true; });
}

void ChaosProvider::connect() {
  if (stopped_) return;
  const std::uint64_t gen = ++generation_;
  ws_ = std::make_unique<Socket>(ioc_);
  buffer_.clear();
  outbox_.clear();
  writing_ = welcomed_ = false;
  auto& layer = beast::get_lowest_layer(*ws_);
  layer.expires_after(std::chrono::seconds(3));
  const tcp::endpoint endpoint(net::ip::make_address(host_), port_);
  layer.async_connect(endpoint, [self = shared_from_this(), gen](beast::error_code ec) {
    if (gen != self->generation_) return;
    if (ec) return self->fail();
    self->ws_->async_handshake(self->host_, "/ws", [self, gen](beast::error_code e) {
      if (gen != self->generation_) return;
      if (e) return self->fail();
      beast::get_lowest_layer(*self->ws_).expires_never();
      ++self->tallies_.connects;
      self->ws_->text(true);
      self->send(hello(Encoding::json, self->who_.token));
      self->read();
    });
  });
}

void ChaosProvider::fail() {
  if (stopped_) return;
  ++generation_;  // whatever is still in flight on the old socket is ignored
  if (ws_) beast::get_lowest_layer(*ws_).close();
  retry_.expires_after(std::chrono::milliseconds(50));
  retry_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec) self->connect();
  });
}

void ChaosProvider::read() {
  const std::uint64_t gen = generation_;
  ws_->async_read(buffer_, [self = shared_from_this(), gen](beast::error_code ec, std::size_t) {
    if (gen != self->generation_) return;
    if (ec) return self->fail();
    const std::string frame = beast::buffers_to_string(self->buffer_.data());
    self->buffer_.consume(self->buffer_.size());
    self->on_frame(frame);
    if (gen == self->generation_) self->read();
  });
}

void ChaosProvider::on_frame(const std::string& text_frame) {
  const Inbound in = read_server_frame(text_frame, false);
  switch (in.kind) {
    case Inbound::Kind::welcome:
      welcomed_ = true;
      for (const auto& [rid, p] : pending_) send(p.frame);  // answered again, or done now
      break;
    case Inbound::Kind::snapshot_page:
    case Inbound::Kind::snapshot_done: on_snapshot(text_frame); break;
    case Inbound::Kind::broadcast: bid(in.package, in.location, in.start_date, in.must_meet); break;
    case Inbound::Kind::award_offered:
      answer(in.package, in.location);
      break;
    case Inbound::Kind::replies: {
      const std::int64_t now = steady_ns();
      for (const auto& rid : in.acked)
        if (auto it = pending_.find(rid); it != pending_.end()) {
          ++tallies_.acked;
          tallies_.acks.push_back(std::move(it->second.command));
          tallies_.ack_ns.push_back(now);
          pending_.erase(it);
        }
      for (const auto& [rid, code] : in.refused)
        if (auto it = pending_.find(rid); it != pending_.end()) {
          ++tallies_.refused;
          ++tallies_.refused_by_code[code];
          pending_.erase(it);
        }
      break;
    }
    default: break;
  }
}

void ChaosProvider::on_snapshot(const std::string& text_frame) {
  boost::system::error_code ec;
  const json::value v = json::parse(text_frame, ec);
  if (ec || !v.is_object()) return;
  const auto* m = v.as_object().if_contains("frame");
  if (m && m->is_object()) m = m->as_object().if_contains("message");
  if (!m || !m->is_object()) return;
  const auto* packages = m->as_object().if_contains("packages");
  const auto* updates = m->as_object().if_contains("updates");
  if (!packages || !packages->is_array()) return;
  for (std::size_t i = 0; i < packages->as_array().size(); ++i) {
    const auto& p = packages->as_array()[i];
    if (!p.is_object()) continue;
    const auto& po = p.as_object();
    const std::uint64_t package = po.contains("package") ? po.at("package").to_number<std::uint64_t>() : 0;
    const std::string location = text(po, "location");
    std::string standing = "open";
    if (updates && updates->is_array() && i < updates->as_array().size() && updates->as_array()[i].is_object())
      standing = text(updates->as_array()[i].as_object(), "standing");
    if (standing == "award_offered") {
      answer(package, location);
    } else if (standing == "open" || standing.empty()) {
      std::vector<std::string> must_meet;
      if (const auto* mm = po.if_contains("must_meet"); mm && mm->is_array())
        for (const auto& s : mm->as_array())
          if (s.is_string()) must_meet.emplace_back(s.as_string());
      bid(package, location, text(po, "start_date"), must_meet);
    }
  }
}

void ChaosProvider::bid(std::uint64_t package, const std::string& location, const std::string& start_date,
                        const std::vector<std::string>& must_meet) {
  if (steady_period_.count() > 0 && !steady_on_) steady_on_ = Steady{package, location, start_date, must_meet, 0};
  const std::string key = "o" + std::to_string(package) + "/" + location;
  if (!handled_.insert(key).second) return;
  const std::string rid = "o" + std::to_string(package) + "-" + location;
  command({'o', who_.id, rid, location, package},
          place_offer(Encoding::json, rid, location, package, price_for(package, location), start_date, must_meet));
}

void ChaosProvider::answer(std::uint64_t package, const std::string& location) {
  if (!handled_.insert("a" + std::to_string(package) + "/" + location).second) return;
  const bool accept = package % 5 != 0;
  const std::string rid = std::string(accept ? "a" : "d") + std::to_string(package) + "-" + location;
  command({accept ? 'a' : 'd', who_.id, rid, location, package}, answer_award(Encoding::json, accept, rid, location, package));
}

void ChaosProvider::command(AckedCommand c, std::string frame) {
  ++tallies_.sent;
  const std::string rid = c.request_id;
  pending_[rid] = Pending{std::move(c), frame};
  if (welcomed_) send(std::move(frame));  // else the Welcome sends every pending command
}

void ChaosProvider::send(std::string frame) {
  if (!ws_) return;
  outbox_.push_back(std::make_shared<const std::string>(std::move(frame)));
  write();
}

void ChaosProvider::write() {
  if (writing_ || outbox_.empty()) return;
  writing_ = true;
  const std::uint64_t gen = generation_;
  auto frame = outbox_.front();
  ws_->async_write(net::buffer(*frame), [self = shared_from_this(), gen, frame](beast::error_code ec, std::size_t) {
    if (gen != self->generation_) return;
    self->writing_ = false;
    if (ec) return self->fail();
    self->outbox_.pop_front();
    self->write();
  });
}

void ChaosProvider::steady() {
  if (stopped_ || paused_) return;
  if (steady_on_ && welcomed_) {
    Steady& s = *steady_on_;
    const std::string rid = "s" + std::to_string(++s.n);
    json::array confirmed;
    for (const auto& m : s.must_meet) confirmed.emplace_back(m);
    const json::object amend{{"message_type", "AmendOffer"},
                             {"message", json::object{{"request_id", rid},
                                                      {"location", s.location},
                                                      {"package", s.package},
                                                      {"price", price_for(s.package, s.location, s.n)},
                                                      {"start_date", s.start_date},
                                                      {"confirmed_must_meet", std::move(confirmed)}}}};
    command({'o', who_.id, rid, s.location, s.package}, json::serialize(amend));
  }
  steady_timer_.expires_after(steady_period_);
  steady_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec) self->steady();
  });
}

}  // namespace carebroker::sim::chaos
