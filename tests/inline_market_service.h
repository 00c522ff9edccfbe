// A MarketService for tests: owns an engine::Market and runs every command and read at once on
// the calling thread, calling completions immediately (durable). Switches simulate a store that
// fails to persist (the command does not happen, durable=false; reads report durable=false) and
// a full queue (execute/read return false). Tests also reach the market directly (run/market),
// e.g. to place offers, which come from providers over WebSocket in production. Its person key
// store is a real one in a fresh temporary directory, removed with the service.
// Header-only; single-threaded, not thread-safe.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/market/market.h"
#include "gateway/market_service.h"

namespace carebroker::testing {

class InlineMarketService final : public gateway::MarketService {
 public:
  InlineMarketService() {
    static std::atomic<int> counter{0};
    keys_dir_ = std::filesystem::temp_directory_path() /
                ("carebroker-inline-keys-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::error_code ec;
    std::filesystem::remove_all(keys_dir_, ec);
    std::string error;
    if (!keys_.open(keys_dir_.string(), error)) throw std::runtime_error(error);
  }
  ~InlineMarketService() override {
    std::error_code ec;
    std::filesystem::remove_all(keys_dir_, ec);
  }
  InlineMarketService(const InlineMarketService&) = delete;
  InlineMarketService& operator=(const InlineMarketService&) = delete;

  bool execute(engine::Command command, engine::CommandKey key, sequencer::Completion done) override {
    ++commands_;
    if (overloaded) return false;
    sequencer::CommandResult result;
    if (fail_writes) {
      // The sequencer would run it, fail to persist, and rebuild the market without it.
      result.durable = false;
      result.failure = "simulated write failure";
      done(std::move(result));
      return true;
    }
    const std::size_t before = events_.size();
    result.reply = market_.execute(command, events_, key);
    if (events_.size() > before) {
      result.first_seq = before + 1;
      result.last_seq = events_.size();
    }
    done(std::move(result));
    return true;
  }

  bool read(Read read, std::function<void(bool durable)> done) override {
    ++reads_;
    if (overloaded) return false;
    read(market_, events_.size());
    done(!fail_writes);
    return true;
  }

  /// Records the name and answers at once; a name backed up before is backup_exists.
  void backup(const std::string& name, std::function<void(gateway::BackupOutcome)> done) override {
    using Result = gateway::BackupOutcome::Result;
    const std::string path = "/backups/" + name;
    if (fail_writes) return done({Result::failed, path, "simulated backup failure"});
    if (std::find(backups.begin(), backups.end(), name) != backups.end()) return done({Result::exists, path, {}});
    backups.push_back(name);
    done({Result::made, path, {}});
  }

  /// The market's own time; simulated and frozen as the switches below say.
  gateway::ClockReading clock() override { return {simulated_clock, market_.now(), simulated_clock ? 40.0 : 1.0, frozen}; }
  bool freeze_clock() override {
    if (!simulated_clock) return false;
    frozen = true;
    return true;
  }

  person::PersonKeys& person_keys() override { return keys_; }
  /// Keys made when asked, on the caller's thread: a posting is answered before handle_rest returns.
  person::KeyReserve& key_reserve() override { return reserve_; }

  /// Runs a command directly on the market (no REST), as the sequencer would.
  engine::Reply run(const engine::Command& command) { return market_.execute(command, events_); }
  const engine::Market& market() const { return market_; }
  const std::vector<engine::Event>& events() const { return events_; }
  int commands() const { return commands_; }
  int reads() const { return reads_; }

  bool fail_writes = false;  ///< commands: durable=false and no effect; reads: done(false)
  bool overloaded = false;   ///< execute and read refuse (queue full)
  std::vector<std::string> backups;  ///< the names backed up, in order
  bool simulated_clock = false;      ///< clock() reports a simulation's clock (speed 40)
  bool frozen = false;               ///< set by freeze_clock on a simulated clock

 private:
  std::filesystem::path keys_dir_;
  person::PersonKeys keys_;
  person::KeyReserve reserve_{keys_, {.keep_ready = 0, .own_thread = false}};
  engine::Market market_;
  std::vector<engine::Event> events_;
  int commands_ = 0;
  int reads_ = 0;
};

}  // namespace carebroker::testing
