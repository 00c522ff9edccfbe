// The sequencer-backed MarketService.
#include "gateway/sequencer_service.h"

#include <algorithm>
#include <chrono>
#include <system_error>

#include "gateway/gateway_codes.h"

namespace carebroker::gateway {

bool SequencerService::execute(engine::Command command, engine::CommandKey key, sequencer::Completion done) {
  const std::string_view type = engine::command_name(command);
  const auto submitted = std::chrono::steady_clock::now();
  const bool queued = sequencer_.submit(
      std::move(command), [this, type, submitted, done = std::move(done)](sequencer::CommandResult&& result) {
        metrics_.command_latency.record_us(static_cast<std::uint64_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - submitted).count()));
        metrics_.count_command(type, !result.durable ? to_string(GatewayCode::not_durable)
                                                     : engine::to_string(result.reply.status.code));
        done(std::move(result));
      },
      std::move(key));
  if (!queued) metrics_.count_command(type, to_string(GatewayCode::overloaded));
  return queued;
}

bool SequencerService::read(Read read, std::function<void(bool)> done) {
  // Every command acknowledged so far is at or below durable_seq: waiting for it is reading
  // one's own writes.
  return reader_.submit_read(sequencer_.durable_seq(),
                             [read = std::move(read), done = std::move(done)](const engine::Market& m, std::uint64_t seq) {
                               read(m, seq);
                               if (done) done(true);
                             });
}

void SequencerService::wait_for_backups() {
  std::lock_guard lock(running_mutex_);
  for (auto& f : running_) f.wait();
  running_.clear();
}

void SequencerService::backup(const std::string& name, std::function<void(BackupOutcome)> done) {
  std::lock_guard lock(running_mutex_);
  running_.erase(std::remove_if(running_.begin(), running_.end(),
                                [](const std::future<void>& f) {
                                  return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
                                }),
                 running_.end());
  try {
    running_.push_back(std::async(std::launch::async, [this, name, done] { done(backup_now(name)); }));
  } catch (const std::system_error& e) {  // no thread to be had
    done(BackupOutcome{BackupOutcome::Result::failed, {}, std::string("cannot start the backup: ") + e.what()});
  }
}

BackupOutcome SequencerService::backup_now(const std::string& name) {
  std::lock_guard lock(backup_mutex_);
  BackupOutcome out;
  out.path = (backup_dir_ / name).string();
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::symlink_status(out.path, ec))) {
    out.result = BackupOutcome::Result::exists;
    return out;
  }
  store::ChainHead head;
  const store::StoreStatus s = journal_.backup(out.path, &head);
  out.result = s.ok() ? BackupOutcome::Result::made : BackupOutcome::Result::failed;
  out.detail = s.message;
  if (s.ok()) out.audit_chain_head = store::to_string(head);
  return out;
}

ClockReading SequencerService::clock() {
  ClockReading r;
  r.now = clock_.now();
  if (scaled_clock_) {
    r.simulated = true;
    r.speed = scaled_clock_->speed();
    r.frozen = scaled_clock_->frozen();
  }
  return r;
}

bool SequencerService::freeze_clock() {
  if (!scaled_clock_) return false;
  if (!scaled_clock_->frozen()) scaled_clock_->freeze();
  return true;
}

}  // namespace carebroker::gateway
