// The sequencer-backed MarketService.
#include "gateway/sequencer_service.h"

#include <chrono>

namespace carebroker::gateway {

bool SequencerService::execute(engine::Command command, engine::CommandKey key, sequencer::Completion done) {
  const std::string_view type = engine::command_name(command);
  const auto submitted = std::chrono::steady_clock::now();
  const bool queued = sequencer_.submit(
      std::move(command), [this, type, submitted, done = std::move(done)](sequencer::CommandResult&& result) {
        metrics_.command_latency.record_us(static_cast<std::uint64_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - submitted).count()));
        metrics_.count_command(type, !result.durable ? std::string_view("not_durable")
                                                     : engine::to_string(result.reply.status.code));
        done(std::move(result));
      },
      std::move(key));
  if (!queued) metrics_.count_command(type, "overloaded");
  return queued;
}

bool SequencerService::read(sequencer::Read read, std::function<void(bool)> done) {
  return sequencer_.submit_read(std::move(read), std::move(done));
}

std::string SequencerService::backup(const std::string& dir) {
  const store::StoreStatus s = journal_.backup(dir);
  return s.ok() ? std::string() : s.message;
}

}  // namespace carebroker::gateway
