// The server's MarketService: commands and reads go to the sequencer; backups to the RocksDB
// journal (a checkpoint is safe while the sequencer writes). Counts commands by type and
// result and times them from submission to durable reply. Thread-safe.
#pragma once

#include "engine/sequencer/sequencer.h"
#include "engine/store/rocksdb_journal.h"
#include "gateway/market_service.h"
#include "gateway/metrics.h"

namespace carebroker::gateway {

class SequencerService final : public MarketService {
 public:
  SequencerService(sequencer::Sequencer& sequencer, store::RocksJournal& journal, Metrics& metrics)
      : sequencer_(sequencer), journal_(journal), metrics_(metrics) {}

  bool execute(engine::Command command, engine::CommandKey key, sequencer::Completion done) override;
  bool read(sequencer::Read read, std::function<void(bool durable)> done) override;
  std::string backup(const std::string& dir) override;

 private:
  sequencer::Sequencer& sequencer_;
  store::RocksJournal& journal_;
  Metrics& metrics_;
};

}  // namespace carebroker::gateway
