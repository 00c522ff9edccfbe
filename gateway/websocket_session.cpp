// The providers' WebSocket session. One per connection, on its own strand (Beast's examples:
// shared_from_this in every handler, one read and one write in flight, a queue of our own
// behind the write, whose ownership rules are written beside it below). See
// docs/websocket-protocol.md for the messages.
#include "gateway/websocket_session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <deque>

#include "gateway/bearer_auth.h"
#include "gateway/protocol/fan_out.h"
#include "gateway/protocol/message_ref.h"
#include "gateway/protocol/projector.h"
#include "gateway/protocol/provider_streams.h"
#include "gateway/protocol/reply_batcher.h"
#include "gateway/protocol/wire_codec.h"

namespace carebroker::gateway {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

using protocol::MessageRef;

template <class NextLayer>
class WebSocketSession : public std::enable_shared_from_this<WebSocketSession<NextLayer>> {
  using std::enable_shared_from_this<WebSocketSession<NextLayer>>::shared_from_this;

 public:
  WebSocketSession(NextLayer&& next, ServerContext& context, ConnectionSlots::Slot slot)
      : ws_(std::move(next)),
        context_(context),
        slot_(std::move(slot)),
        hello_timer_(ws_.get_executor()),
        close_timer_(ws_.get_executor()),
        frame_timer_(ws_.get_executor()) {
    ++context_.metrics.ws_connections;
    tokens_ = context_.limits.ws_burst;
  }
  ~WebSocketSession() {
    if (subscription_ != 0) context_.streams.unsubscribe(subscription_);
    --context_.metrics.ws_connections;
  }

  void run(beast::http::request<beast::http::string_body> upgrade, std::chrono::steady_clock::time_point deadline) {
    auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
    timeouts.handshake_timeout = context_.limits.handshake_timeout;  // Beast also bounds the closing handshake by it
    timeouts.idle_timeout = context_.limits.idle_timeout;
    ws_.set_option(timeouts);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(beast::http::field::server, "carebroker"); }));
    ws_.read_message_max(context_.limits.max_frame_bytes);
    ws_.auto_fragment(false);
    beast::get_lowest_layer(ws_).expires_at(deadline);  // accept → upgrade within the handshake timeout
    ws_.async_accept(upgrade, beast::bind_front_handler(&WebSocketSession<NextLayer>::on_accept, shared_from_this()));
  }

 private:
  void on_accept(beast::error_code ec) {
    beast::get_lowest_layer(ws_).expires_never();  // the websocket timeouts take over
    if (ec) return;
    // The Hello must arrive within the handshake timeout.
    hello_timer_.expires_after(context_.limits.handshake_timeout);
    hello_timer_.async_wait([self = shared_from_this()](beast::error_code e) {
      if (!e && self->provider_.empty()) self->close_with(websocket::close_code::policy_error, "no Hello in time");
    });
    // Beast's idle timeout counts bytes: a client sending a frame a byte at a time is never idle.
    // Ours counts whole frames — messages, and control frames such as the pongs that answer
    // Beast's keep-alive pings, which an idle client sends every half idle timeout.
    ws_.control_callback([this](websocket::frame_type, beast::string_view) { last_frame_ = std::chrono::steady_clock::now(); });
    watch_frames();
    read();
  }

  /// Every half idle timeout: a connection no whole frame has come from for an idle timeout is
  /// dropped, whatever bytes it trickles (slowloris).
  void watch_frames() {
    frame_timer_.expires_after(context_.limits.idle_timeout / 2);
    frame_timer_.async_wait([weak = std::weak_ptr<WebSocketSession<NextLayer>>(shared_from_this())](beast::error_code e) {
      auto self = weak.lock();
      if (!self || e || self->closing_) return;
      if (std::chrono::steady_clock::now() - self->last_frame_ > self->context_.limits.idle_timeout) {
        ++self->context_.metrics.stalled_senders_closed;
        self->closing_ = true;
        self->hello_timer_.cancel();
        self->drop_unwritten();
        self->drop_connection();
        return;
      }
      self->watch_frames();
    });
  }

  void read() {
    ws_.async_read(buffer_, beast::bind_front_handler(&WebSocketSession<NextLayer>::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) {
      if (ec == websocket::error::message_too_big) {
        ++context_.metrics.protocol_errors;
        close_with(websocket::close_code::too_big, to_string(GatewayCode::frame_too_large));
      }
      return;  // closed, timed out or failed: the session ends when the last handler lets go
    }
    ++context_.metrics.ws_messages_in;
    last_frame_ = std::chrono::steady_clock::now();
    const bool binary = ws_.got_binary();
    // Decoded where it lies (a flat_buffer is one block): no copy of the frame per message.
    const auto data = buffer_.cdata();
    const std::string_view frame(static_cast<const char*>(data.data()), data.size());
    if (!take_token()) {
      ++context_.metrics.rate_limited;
      enqueue(0, protocol::make_error(to_string(GatewayCode::rate_limited), "slow down: too many frames per second"));
    } else {
      handle(frame, binary);
    }
    buffer_.consume(buffer_.size());
    if (!closing_) read();
  }

  bool take_token() {
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - last_refill_).count();
    last_refill_ = now;
    tokens_ = std::min(context_.limits.ws_burst, tokens_ + elapsed * context_.limits.ws_messages_per_second);
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
  }

  void handle(std::string_view frame, bool binary) {
    if (provider_.empty() && !attaching_) binary_ = binary;  // until the Hello, answer in the frame's encoding
    if (attaching_) {
      // A client may pipeline commands right behind its Hello: they wait for the attach.
      if (held_.size() >= kMaxHeldFrames) {
        enqueue(0, protocol::make_error(to_string(GatewayCode::busy), "wait for the Welcome before sending more"));
        return;
      }
      held_.emplace_back(frame, binary);
      return;
    }
    protocol::ClientRequest request = protocol::decode_client_frame(frame, binary, provider_);
    if (auto* error = std::get_if<protocol::ProtocolError>(&request)) {
      ++context_.metrics.protocol_errors;
      enqueue(0, protocol::make_error(*error));
      return;
    }
    if (auto* hello = std::get_if<protocol::HelloRequest>(&request)) return on_hello(*hello, binary);
    if (provider_.empty()) {
      ++context_.metrics.protocol_errors;
      enqueue(0, protocol::make_error(to_string(GatewayCode::unauthenticated), "send a Hello with your token first"));
      return;
    }
    if (auto* ping = std::get_if<protocol::PingRequest>(&request)) {
      enqueue(0, protocol::make_pong(ping->nonce));
      return;
    }
    auto& command = std::get<engine::Command>(request);
    if (staff_) {
      ++context_.metrics.protocol_errors;
      enqueue(0, protocol::make_error(to_string(GatewayCode::forbidden), "staff connections receive notices only: use the REST API",
                                      protocol::request_id_of(command)));
      return;
    }
    const std::string request_id(protocol::request_id_of(command));
    // The reply waits in the batcher with the other replies its batch settles for this
    // connection; the batch's release delivers them together: one frame, one write.
    const bool queued = context_.market.execute(
        std::move(command), {},
        [batcher = context_.replies, id = id_, deliver = deliverer(), request_id](sequencer::CommandResult&& result) {
          protocol::CommandReply reply;
          reply.request_id = request_id;
          if (!result.durable) {
            reply.code = to_string(GatewayCode::not_durable);
            reply.detail = result.failure;
          } else if (result.reply.ok()) {
            reply.ok = true;
            reply.package = result.reply.package;
            reply.replayed = result.reply.replayed;
          } else {
            reply.code = engine::to_string(result.reply.status.code);
            reply.detail = result.reply.status.detail;
          }
          if (batcher)
            batcher->add(id, *deliver, std::move(reply));
          else
            (*deliver)({std::move(reply)});
        });
    if (!queued) enqueue(0, protocol::make_error(to_string(GatewayCode::busy), "the market is busy: retry shortly", request_id));
  }

  /// How replies reach this session: on its strand, as one frame — dispatched, so that when the
  /// batcher's one hop per batch already runs on an I/O thread they are written at once. Made
  /// once per session and shared by its commands' completions (not a new one per command).
  std::shared_ptr<const protocol::ReplyBatcher::Deliver> deliverer() {
    if (!deliver_) {
      std::weak_ptr<WebSocketSession<NextLayer>> weak = shared_from_this();
      deliver_ = std::make_shared<const protocol::ReplyBatcher::Deliver>(
          [weak, executor = ws_.get_executor()](std::vector<protocol::CommandReply> replies) {
            net::dispatch(executor, [weak, replies = std::move(replies)]() mutable {
              if (auto self = weak.lock()) self->enqueue_replies(std::move(replies));
            });
          });
    }
    return deliver_;
  }

  void on_hello(const protocol::HelloRequest& hello, bool binary) {
    if (!provider_.empty() || attaching_) {
      enqueue(0, protocol::make_error(to_string(GatewayCode::already_authenticated), "this connection is already authenticated"));
      return;
    }
    beast::error_code ec;
    const auto peer = beast::get_lowest_layer(ws_).socket().remote_endpoint(ec);
    const Authentication a =
        authenticate_token(context_.tokens, hello.token, context_.auth_failures.get(), ec ? std::string() : peer.address().to_string());
    const auto& who = a.who;
    if (!who || (who->role == Role::provider && who->subject.empty())) {
      ++context_.metrics.protocol_errors;
      enqueue(0, protocol::make_error(to_string(who ? GatewayCode::unauthenticated : auth_failure_code(a.failure)),
                                      who ? "a provider token without a provider" : auth_failure_detail(a)));
      close_after_flush_ = true;
      return;
    }
    binary_ = binary;  // replies follow the encoding of the Hello
    attaching_ = true;
    // Staff (officer, compliance, admin) follow the staff stream of PackageChanged notices.
    staff_ = who->role != Role::provider;
    role_ = std::string(to_string(who->role));
    attach(staff_ ? std::string(protocol::kStaffStream) : who->subject, hello, 2);
  }

  /// Reads the provider's locations and a snapshot on a replica, then attaches to the
  /// stream: resuming when the client's epoch and position are still in the history, else with
  /// the snapshot. `tries` bounds retakes when the stream moved past a snapshot's position.
  void attach(const std::string& provider, const protocol::HelloRequest& hello, int tries) {
    struct Taken {
      protocol::ProviderSnapshot snapshot;
      std::vector<std::string> locations;
    };
    auto taken = std::make_shared<Taken>();
    std::weak_ptr<WebSocketSession<NextLayer>> weak = shared_from_this();
    auto executor = ws_.get_executor();
    const bool queued = context_.market.read(
        [taken, provider](const engine::Market& market, std::uint64_t applied_seq) {
          taken->snapshot = protocol::snapshot_for(market, provider, applied_seq);
          taken->locations = protocol::locations_of(market, provider);
        },
        [weak, executor, taken, provider, hello, tries](bool durable) {
          net::post(executor, [weak, taken, provider, hello, tries, durable] {
            auto self = weak.lock();
            if (!self) return;
            if (!durable && tries > 0) return self->attach(provider, hello, tries - 1);
            self->attached(provider, hello, *taken, tries);
          });
        });
    if (!queued) {
      attaching_ = false;
      enqueue(0, protocol::make_error(to_string(GatewayCode::busy), "the market is busy: retry the Hello shortly"));
      release_held();
    }
  }

  template <typename Taken>
  void attached(const std::string& provider, const protocol::HelloRequest& hello, const Taken& taken, int tries) {
    std::weak_ptr<WebSocketSession<NextLayer>> weak = shared_from_this();
    auto executor = ws_.get_executor();
    auto live = [weak, executor, fan_out = context_.fan_out](std::uint64_t seq, const MessageRef& message) {
      auto deliver = [weak, seq, message] {
        if (auto self = weak.lock()) self->enqueue(seq, message);
      };
      if (fan_out)  // in turns, so acknowledgements pass between them (fan_out.h)
        fan_out->add([executor, deliver = std::move(deliver)]() mutable { net::post(executor, std::move(deliver)); });
      else
        net::post(executor, std::move(deliver));
    };
    auto& streams = context_.streams;
    if (auto resumed = streams.resume(provider, hello.stream_epoch, hello.resume_after, live)) {
      finish_attach(provider, *resumed, true, taken.locations, {});
      return;
    }
    if (auto fresh = streams.after_snapshot(provider, taken.snapshot.batch, live)) {
      finish_attach(provider, *fresh, false, taken.locations, taken.snapshot.pages);
      return;
    }
    if (tries > 0) return attach(provider, hello, tries - 1);
    attaching_ = false;
    enqueue(0, protocol::make_error(to_string(GatewayCode::busy), "the stream moved on while attaching: send the Hello again"));
    release_held();
  }

  /// The Welcome, then the snapshot's pages or the resume's backlog as catch-up frames (see the
  /// outbound queue below), then whatever the client pipelined behind its Hello.
  void finish_attach(const std::string& provider, const protocol::ProviderStreams::Attachment& attachment, bool resumed,
                     const std::vector<std::string>& locations, const std::vector<MessageRef>& snapshot_pages) {
    hello_timer_.cancel();
    provider_ = provider;
    attaching_ = false;
    subscription_ = attachment.subscription;
    last_seq_ = attachment.position;
    enqueue(0, protocol::make_welcome(staff_ ? std::string() : provider, locations, context_.streams.stream_epoch(), resumed,
                                      attachment.position, role_));
    for (const auto& page : snapshot_pages) push(attachment.position, page, Kind::catch_up);
    for (const auto& entry : attachment.backlog) enqueue(entry.seq, entry.message, Kind::catch_up);
    release_held();
  }

  void release_held() {
    auto held = std::move(held_);
    held_.clear();
    for (const auto& [frame, binary] : held) handle(frame, binary);
  }

  // ---- outbound ----
  // queue_ holds every frame not yet written, in stream order, written one frame at a time.
  // OWNERSHIP: from async_write until on_write (writing_), the front frame belongs to the write in
  // flight — Beast's buffers point into its prefix and its shared message — so only on_write
  // removes it: a cut-off drops the frames behind it, a close waits for it or drops the TCP
  // connection (the write then completes with an error, and the frame is released after it).
  // LIMIT: live frames (notifications and replies as the market produces them) count against
  // outbound_queue_bytes; a client that falls that far behind is cut off. Catch-up frames (a
  // snapshot's pages, a resume's backlog) do not: they are bounded by what the market holds for
  // the provider, the backlog is shared with the stream's history, and they go out at the pace
  // the client reads, so a provider eligible for thousands of packages connects normally.
  // REPLIES JOIN while they wait: a batch's replies for this connection that arrive while a
  // write is in flight wait as a list at the back of the queue, and later batches' replies join
  // it as long as nothing was queued behind it; it is encoded (one Replies frame, or a plain
  // Ack/Error for one) only when its turn to be written comes. So a connection that is behind
  // (the client or the machine is busy) is sent one frame for many batches' answers, not one a
  // batch: under load, fewer frames — and fewer system calls — exactly when they cost most.
  enum class Kind : std::uint8_t { live, catch_up };
  struct Frame {
    std::string prefix;
    MessageRef message;
    std::size_t bytes = 0;
    bool binary = false;  // the encoding the prefix was made for (binary_ may change before the write)
    Kind kind = Kind::live;
    std::vector<protocol::CommandReply> replies;  // replies not yet encoded (message is then empty)
  };

  /// A rough size of a reply in a Replies frame, for the live backlog limit until it is encoded.
  static std::size_t reply_bytes(const protocol::CommandReply& r) {
    return 48 + r.request_id.size() + r.code.size() + r.detail.size();
  }

  /// Counts `bytes` more of live frames against outbound_queue_bytes; a client that would pass
  /// it has fallen too far behind and is cut off (false).
  bool admit_live(std::size_t bytes) {
    if (live_bytes_ + bytes > context_.limits.outbound_queue_bytes) {
      ++context_.metrics.slow_consumers_closed;
      cut_off();
      return false;
    }
    live_bytes_ += bytes;
    return true;
  }

  void enqueue_replies(std::vector<protocol::CommandReply> replies) {
    if (closing_ || replies.empty()) return;
    std::size_t bytes = 0;
    for (const auto& r : replies) bytes += reply_bytes(r);
    if (!admit_live(bytes)) return;
    // The back of the queue is unwritten unless it is the one frame in flight.
    const bool back_waits = !queue_.empty() && (queue_.size() > 1 || !writing_);
    if (back_waits && !queue_.back().replies.empty() && queue_.back().binary == binary_) {
      Frame& waiting = queue_.back();
      waiting.bytes += bytes;
      for (auto& r : replies) waiting.replies.push_back(std::move(r));
      ++context_.metrics.ws_reply_batches_joined;
      return;
    }
    Frame f{{}, {}, bytes, binary_, Kind::live, std::move(replies)};
    queue_.push_back(std::move(f));
    write();
  }

  void enqueue(std::uint64_t seq, MessageRef message, Kind kind = Kind::live) {
    if (closing_ || !message) return;
    if (seq != 0) {
      if (seq <= last_seq_) return;  // already delivered (a live message the backlog also held)
      last_seq_ = seq;
    }
    push(seq, std::move(message), kind);
  }

  /// Queues a frame without the stream-order check (a snapshot page carries the position it
  /// stands for, which is not a new message).
  void push(std::uint64_t seq, MessageRef message, Kind kind) {
    if (closing_) return;
    Frame f{MessageRef::prefix(seq, binary_), std::move(message), 0, binary_, kind};
    f.bytes = f.message.frame_size(seq, binary_);
    if (kind == Kind::live && !admit_live(f.bytes)) return;
    queue_.push_back(std::move(f));
    write();
  }

  void write() {
    if (writing_ || closing_ || queue_.empty()) return;
    writing_ = true;
    Frame& f = queue_.front();
    if (!f.replies.empty()) {  // its turn has come: encode the replies that waited (see Frame)
      f.message = protocol::make_replies(f.replies);
      f.replies.clear();
      f.prefix = MessageRef::prefix(0, f.binary);
      const std::size_t bytes = f.message.frame_size(0, f.binary);
      live_bytes_ = live_bytes_ - f.bytes + bytes;
      f.bytes = bytes;
    }
    ws_.binary(f.binary);
    // One scatter-gather write: this recipient's prefix, the body's pieces (shared with every
    // recipient but for an addressed broadcast's location), the suffix.
    const auto body = f.message.parts(f.binary);
    const std::string_view suffix = MessageRef::suffix(f.binary);
    std::array<net::const_buffer, 5> buffers{
        net::buffer(f.prefix), net::buffer(body[0].data(), body[0].size()), net::buffer(body[1].data(), body[1].size()),
        net::buffer(body[2].data(), body[2].size()), net::buffer(suffix.data(), suffix.size())};
    ws_.async_write(buffers, beast::bind_front_handler(&WebSocketSession<NextLayer>::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    writing_ = false;
    // The write is over: its frame is ours again.
    const Frame& done = queue_.front();
    if (done.kind == Kind::live) live_bytes_ -= done.bytes;
    queue_.pop_front();
    if (ec) return;  // the connection failed or was dropped: the session ends with its last handler
    ++context_.metrics.ws_frames_out;
    if (close_pending_) return start_close();
    if (closing_) return;
    if (queue_.empty() && close_after_flush_) return close_with(websocket::close_code::policy_error, to_string(GatewayCode::unauthenticated));
    write();
  }

  /// Drops every queued frame except the one being written.
  void drop_unwritten() {
    queue_.erase(queue_.begin() + (writing_ ? 1 : 0), queue_.end());
    live_bytes_ = writing_ && queue_.front().kind == Kind::live ? queue_.front().bytes : 0;
  }

  /// A client whose live backlog is full is cut off. If no write is in flight it gets a close
  /// frame with the reason; if one is (it has stopped reading), its TCP connection is closed.
  void cut_off() {
    if (closing_) return;
    if (!writing_) return close_with(websocket::close_code::policy_error, "outbound queue full");
    closing_ = true;
    hello_timer_.cancel();
    drop_unwritten();
    drop_connection();
  }

  /// Sends a close frame once the write in flight (if any) is done; the TCP connection is closed
  /// after the handshake timeout whatever the client does.
  void close_with(websocket::close_code code, std::string_view reason) {
    if (closing_) return;
    closing_ = true;
    hello_timer_.cancel();
    close_reason_ = websocket::close_reason(code, reason);
    drop_unwritten();
    close_timer_.expires_after(context_.limits.handshake_timeout);
    close_timer_.async_wait([weak = std::weak_ptr<WebSocketSession<NextLayer>>(shared_from_this())](beast::error_code e) {
      if (auto self = weak.lock(); self && !e) self->drop_connection();
    });
    if (writing_)
      close_pending_ = true;
    else
      start_close();
  }

  void start_close() {
    close_pending_ = false;
    ws_.async_close(close_reason_, [self = shared_from_this()](beast::error_code) { self->close_timer_.cancel(); });
  }

  void drop_connection() {
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(ws_).socket().close(ignored);
  }

  inline static std::atomic<std::uint64_t> next_id_{1};
  const std::uint64_t id_ = next_id_++;  // this connection, for the reply batcher (never reused)
  websocket::stream<NextLayer> ws_;
  ServerContext& context_;
  ConnectionSlots::Slot slot_;
  beast::flat_buffer buffer_;
  std::shared_ptr<const protocol::ReplyBatcher::Deliver> deliver_;  // deliverer(): holds only a weak pointer to this
  net::steady_timer hello_timer_;
  net::steady_timer close_timer_;
  net::steady_timer frame_timer_;  // watch_frames()
  std::chrono::steady_clock::time_point last_frame_ = std::chrono::steady_clock::now();  // a whole frame came in
  websocket::close_reason close_reason_;
  bool close_pending_ = false;  // a close frame waits for the write in flight
  std::string provider_;  // set once the Hello is accepted (protocol::kStaffStream for staff)
  bool staff_ = false;    // an officer's, compliance officer's or admin's connection: notices only
  std::string role_ = "provider";
  bool attaching_ = false;
  bool binary_ = false;
  std::uint64_t subscription_ = 0;
  std::uint64_t last_seq_ = 0;
  static constexpr std::size_t kMaxHeldFrames = 64;
  std::deque<std::pair<std::string, bool>> held_;  // frames that arrived while attaching
  std::deque<Frame> queue_;
  std::size_t live_bytes_ = 0;  // bytes of the live frames in queue_
  bool writing_ = false;
  bool closing_ = false;
  bool close_after_flush_ = false;
  double tokens_ = 0;
  std::chrono::steady_clock::time_point last_refill_ = std::chrono::steady_clock::now();
};

}  // namespace

void start_websocket_session(tcp::socket socket, beast::http::request<beast::http::string_body> upgrade,
                             ServerContext& context, ConnectionSlots::Slot slot,
                             std::chrono::steady_clock::time_point deadline) {
  std::make_shared<WebSocketSession<beast::tcp_stream>>(beast::tcp_stream(std::move(socket)), context, std::move(slot))
      ->run(std::move(upgrade), deadline);
}

void start_websocket_session(TlsStream stream, beast::http::request<beast::http::string_body> upgrade,
                             ServerContext& context, ConnectionSlots::Slot slot,
                             std::chrono::steady_clock::time_point deadline) {
  std::make_shared<WebSocketSession<TlsStream>>(std::move(stream), context, std::move(slot))
      ->run(std::move(upgrade), deadline);
}

}  // namespace carebroker::gateway
