// What request handlers (REST and WebSocket) need of the market: run a command, read the
// market, back the store up, and the person key store (engine/person/person_keys.h) that seals
// and opens people's details at the edge. The server's implementation sends commands to the sequencer and
// reads to a replica (never to the writer); tests use an in-process one. Callbacks run on the sequencer thread or a backup thread (or the
// caller's, in tests): handlers must not block in them and must marshal back to their own strand.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "engine/market/market.h"
#include "engine/person/key_reserve.h"
#include "engine/person/person_keys.h"
#include "engine/sequencer/sequencer.h"

namespace carebroker::gateway {

/// What became of a backup request.
struct BackupOutcome {
  enum class Result : std::uint8_t { made, exists, failed };
  Result result = Result::failed;
  std::string path;    ///< the backup's full path (made, exists)
  std::string detail;  ///< why it failed
  /// made: the audit chain's head in the copy, "SEQ:HEX" (also in its manifest); "" if unknown.
  std::string audit_chain_head;
};

/// The market's clock, as GET /api/v1/admin/clock shows it.
struct ClockReading {
  bool simulated = false;  ///< a simulation's clock (--sim-clock-speed), not the real one
  engine::UtcMillis now = 0;
  double speed = 1;        ///< simulated seconds per real second (1 for the real clock)
  bool frozen = false;     ///< a simulated clock stopped for good (freeze_clock)
};

class MarketService {
 public:
  virtual ~MarketService() = default;
  /// Runs a command; `done` gets its reply once durable (or durable=false if it failed to persist).
  /// `key`: the caller and its Idempotency-Key (empty key: not keyed; see engine::CommandKey).
  /// Returns false when the command queue is full (tell the client to retry: 503).
  virtual bool execute(engine::Command command, engine::CommandKey key, sequencer::Completion done) = 0;
  /// A read of the market as it stood after event `applied_seq` (a replica's state: durable).
  using Read = std::function<void(const engine::Market&, std::uint64_t applied_seq)>;
  /// Runs `read` on a replica once it has every event acknowledged before this call (a client
  /// reads its own writes), then `done(durable)` — false only when what it saw cannot be
  /// trusted (the caller discards what the read produced). Returns false when reads are queued
  /// beyond the limit (tell the client to retry: 503).
  virtual bool read(Read read, std::function<void(bool durable)> done) = 0;
  /// An online, consistent backup of the store into the backup directory's child `name`
  /// (already checked by backup_name_problem). `done` gets the outcome once the checkpoint is
  /// written — on another thread in the server, so the caller's thread is not held meanwhile.
  virtual void backup(const std::string& name, std::function<void(BackupOutcome)> done) = 0;
  /// The market's clock now.
  virtual ClockReading clock() = 0;
  /// Stops a simulated clock for good at its reading now — a simulation's end, so that what its
  /// driver audits holds still (no window closes, no award offer expires). False, and nothing
  /// done, when the clock is real.
  virtual bool freeze_clock() = 0;
  /// The person key store: kept apart from the journal, never in a backup. Thread-safe.
  virtual person::PersonKeys& person_keys() = 0;
  /// Keys made ahead for people newly posted (key_reserve.h), so that a posting never waits on
  /// the key store's disk on an I/O thread. Thread-safe.
  virtual person::KeyReserve& key_reserve() = 0;
};

}  // namespace carebroker::gateway
