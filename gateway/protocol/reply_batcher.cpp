// Coalesced acknowledgements (reply_batcher.h).
#include "gateway/protocol/reply_batcher.h"

#include <memory>

namespace carebroker::gateway::protocol {

Outbound make_replies(const std::vector<CommandReply>& replies) {
  if (replies.size() == 1) {
    const CommandReply& r = replies.front();
    return r.ok ? make_ack(r.request_id, r.package, r.replayed) : make_error(r.code, r.detail, r.request_id);
  }
  return make_reply_batch(replies);
}

void ReplyBatcher::add(std::uint64_t connection, const Deliver& deliver, CommandReply reply) {
  std::lock_guard lock(mutex_);
  Pending& p = pending_[connection];
  if (!p.deliver) p.deliver = deliver;
  p.replies.push_back(std::move(reply));
}

void ReplyBatcher::flush() {
  auto ready = std::make_shared<Ready>();
  {
    std::lock_guard lock(mutex_);
    if (pending_.empty()) return;
    ready->swap(pending_);
  }
  auto deliver_all = [ready] {
    for (auto& [connection, p] : *ready) p.deliver(std::move(p.replies));
  };
  if (carrier_)
    carrier_(std::move(deliver_all));
  else
    deliver_all();
}

}  // namespace carebroker::gateway::protocol
