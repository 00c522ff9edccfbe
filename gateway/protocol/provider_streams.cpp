// Each provider's numbered stream of notifications (provider_streams.h).
#include "gateway/protocol/provider_streams.h"

#include <algorithm>
#include <random>

namespace carebroker::gateway::protocol {

std::string random_stream_epoch() {
  std::random_device device;
  const std::uint64_t value = (static_cast<std::uint64_t>(device()) << 32) ^ device();
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = kHex[(value >> (4 * (15 - i))) & 0xF];
  return out;
}

ProviderStreams::ProviderStreams(std::size_t history, std::string epoch)
    : history_(std::max<std::size_t>(history, 1)), epoch_(epoch.empty() ? random_stream_epoch() : std::move(epoch)) {}

ProviderStreams::Stream& ProviderStreams::stream_of(const std::string& provider) {
  return streams_.try_emplace(provider, history_).first->second;
}

std::uint64_t ProviderStreams::publish(const std::string& provider, Message message) {
  if (!message) return 0;
  std::lock_guard lock(mutex_);
  Stream& stream = stream_of(provider);
  const std::uint64_t seq = ++stream.last_seq;
  for (const auto& [id, callback] : stream.subscribers) callback(seq, message);
  if (const Message dropped = stream.history.push(seq, std::move(message)))
    stream.dropped_batch = std::max(stream.dropped_batch, dropped.batch());
  return seq;
}

std::uint64_t ProviderStreams::last_seq(const std::string& provider) const {
  std::lock_guard lock(mutex_);
  const auto it = streams_.find(provider);
  return it == streams_.end() ? 0 : it->second.last_seq;
}

bool ProviderStreams::collect_after(const Stream& stream, std::uint64_t seq, std::vector<Entry>& out) {
  if (seq > stream.last_seq) return false;  // numbers this stream never gave
  if (seq == stream.last_seq) return true;
  if (stream.history.empty() || stream.history.first_seq() > seq + 1) return false;  // forgotten
  append_history(stream, static_cast<std::size_t>(seq + 1 - stream.history.first_seq()), out);
  return true;
}

void ProviderStreams::append_history(const Stream& stream, std::size_t from, std::vector<Entry>& out) {
  const StreamHistory& history = stream.history;
  out.reserve(out.size() + (history.size() - from));
  for (std::size_t i = from; i < history.size(); ++i) out.push_back({history.first_seq() + i, history[i]});
}

bool ProviderStreams::replay_after(const std::string& provider, std::uint64_t seq, std::vector<Entry>& out) const {
  std::lock_guard lock(mutex_);
  const auto it = streams_.find(provider);
  if (it == streams_.end()) return seq == 0;
  return collect_after(it->second, seq, out);
}

std::uint64_t ProviderStreams::add_subscriber(const std::string& provider, Stream& stream, Callback callback) {
  const std::uint64_t id = next_subscription_++;
  stream.subscribers.emplace_back(id, std::move(callback));
  subscription_owner_.emplace(id, provider);
  return id;
}

std::uint64_t ProviderStreams::subscribe(const std::string& provider, Callback callback) {
  std::lock_guard lock(mutex_);
  return add_subscriber(provider, stream_of(provider), std::move(callback));
}

void ProviderStreams::unsubscribe(std::uint64_t subscription) {
  std::lock_guard lock(mutex_);
  const auto owner = subscription_owner_.find(subscription);
  if (owner == subscription_owner_.end()) return;
  if (const auto it = streams_.find(owner->second); it != streams_.end()) {
    auto& subs = it->second.subscribers;
    subs.erase(std::remove_if(subs.begin(), subs.end(), [&](const auto& s) { return s.first == subscription; }),
               subs.end());
  }
  subscription_owner_.erase(owner);
}

std::optional<ProviderStreams::Attachment> ProviderStreams::resume(const std::string& provider, std::string_view epoch,
                                                                   std::uint64_t resume_after, Callback callback) {
  if (epoch != epoch_) return std::nullopt;
  std::lock_guard lock(mutex_);
  Stream& stream = stream_of(provider);
  Attachment a;
  if (!collect_after(stream, resume_after, a.backlog)) return std::nullopt;
  a.position = resume_after;
  a.subscription = add_subscriber(provider, stream, std::move(callback));
  return a;
}

std::optional<ProviderStreams::Attachment> ProviderStreams::after_snapshot(const std::string& provider,
                                                                           std::uint64_t batch, Callback callback) {
  std::lock_guard lock(mutex_);
  Stream& stream = stream_of(provider);
  const StreamHistory& history = stream.history;
  // Messages are published in batch order, so the ones newer than the snapshot are a suffix.
  std::size_t newer = 0;
  while (newer < history.size() && history[newer].batch() <= batch) ++newer;
  if (newer == 0 && stream.dropped_batch > batch) return std::nullopt;  // some forgotten
  Attachment a;
  a.position = newer == history.size() ? stream.last_seq : history.first_seq() + newer - 1;
  append_history(stream, newer, a.backlog);
  a.subscription = add_subscriber(provider, stream, std::move(callback));
  return a;
}

std::size_t ProviderStreams::subscriber_count() const {
  std::lock_guard lock(mutex_);
  return subscription_owner_.size();
}

}  // namespace carebroker::gateway::protocol
