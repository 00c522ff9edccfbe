// The server's MarketService: commands go to the sequencer, reads to the reader replica (after
// the sequence number durable when the read was asked for); backups to the RocksDB
// journal (a checkpoint is safe while the sequencer writes), into the backup directory. Counts
// commands by type and result and times them from submission to durable reply. Thread-safe.
#pragma once

#include <filesystem>
#include <future>
#include <mutex>
#include <vector>

#include "engine/replica/replica_thread.h"
#include "engine/sequencer/scaled_clock.h"
#include "engine/sequencer/sequencer.h"
#include "engine/store/rocksdb_journal.h"
#include "gateway/market_service.h"
#include "gateway/metrics.h"

namespace carebroker::gateway {

class SequencerService final : public MarketService {
 public:
  /// Backups go into children of `backup_dir` (an existing directory, checked by App::start).
  /// `simulated`: `clock` is a simulation's (a sequencer::ScaledClock).
  /// `person_keys`: the person key store (opened by App::start) and its reserve, not owned.
  SequencerService(sequencer::Sequencer& sequencer, replica::ReplicaThread& reader, store::RocksJournal& journal,
                   Metrics& metrics, std::filesystem::path backup_dir, sequencer::Clock& clock, bool simulated,
                   person::PersonKeys& person_keys, person::KeyReserve& key_reserve)
      : sequencer_(sequencer),
        reader_(reader),
        journal_(journal),
        metrics_(metrics),
        backup_dir_(std::move(backup_dir)),
        clock_(clock),
        scaled_clock_(simulated ? dynamic_cast<sequencer::ScaledClock*>(&clock) : nullptr),
        person_keys_(person_keys),
        key_reserve_(key_reserve) {}

  bool execute(engine::Command command, engine::CommandKey key, sequencer::Completion done) override;
  bool read(Read read, std::function<void(bool durable)> done) override;
  /// Runs the checkpoint on a thread of its own (the I/O thread is not held); refuses a name
  /// that exists already (backup_exists); one checkpoint at a time.
  void backup(const std::string& name, std::function<void(BackupOutcome)> done) override;
  ClockReading clock() override;
  bool freeze_clock() override;
  person::PersonKeys& person_keys() override { return person_keys_; }
  person::KeyReserve& key_reserve() override { return key_reserve_; }
  /// Waits for the backups still running (their `done` has been called when it returns).
  void wait_for_backups();
  ~SequencerService() override { wait_for_backups(); }

 private:
  sequencer::Sequencer& sequencer_;
  replica::ReplicaThread& reader_;
  store::RocksJournal& journal_;
  Metrics& metrics_;
  const std::filesystem::path backup_dir_;
  sequencer::Clock& clock_;
  sequencer::ScaledClock* const scaled_clock_;  // a simulation's clock; null for the real one
  person::PersonKeys& person_keys_;
  person::KeyReserve& key_reserve_;
  std::mutex backup_mutex_;  // one checkpoint at a time, so "exists?" and "create" do not race
  std::mutex running_mutex_;
  std::vector<std::future<void>> running_;  // guarded by running_mutex_; finished ones pruned
  BackupOutcome backup_now(const std::string& name);
};

}  // namespace carebroker::gateway
