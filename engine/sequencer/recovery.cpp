// Snapshot + journal replay.
#include "engine/sequencer/recovery.h"

#include <cstdio>
#include <span>

#include "engine/codec/event_codec.h"

namespace carebroker::sequencer {

using store::StoreCode;
using store::StoreStatus;

StoreStatus recover_market(store::Journal& journal, engine::Market& market, Recovered& info, SnapshotUse use,
                           std::uint64_t up_to) {
  info = Recovered{};
  if (use == SnapshotUse::latest) {
    std::optional<store::Snapshot> snapshot;
    if (auto s = journal.latest_snapshot(snapshot); !s.ok()) return s;
    if (snapshot && snapshot->seq > up_to) {
      info.note = "snapshot at " + std::to_string(snapshot->seq) + " not used: it is past " + std::to_string(up_to);
    } else if (snapshot) {
      if (const auto loaded = market.load_snapshot(snapshot->state); !loaded.ok()) {
        // Snapshots are a cache: one from another build's layout is ignored, the journal replayed.
        info.note = "snapshot at " + std::to_string(snapshot->seq) + " not used (" +
                    std::string(engine::to_string(loaded.code)) + "): " + loaded.detail;
        market = engine::Market();
      } else if (market.digest() != snapshot->digest) {
        return store::store_error(StoreCode::corruption,
                                  "snapshot at sequence " + std::to_string(snapshot->seq) +
                                      " does not reproduce its recorded digest");
      } else {
        info.from_snapshot = true;
        info.snapshot_seq = snapshot->seq;
        info.last_seq = snapshot->seq;
      }
    }
  }
  // (A bounded recovery runs beside the writer: it reads no more of the journal than its range.)
  const std::uint64_t end = up_to == store::Journal::kToTheEnd ? journal.last_seq() : up_to;
  if (end > info.last_seq) market.reserve_for_replay(end - info.last_seq);
  codec::BatchDecoder decoder;  // one set of buffers for every batch
  const StoreStatus replayed = journal.replay_range(info.last_seq, up_to, [&](std::uint64_t first, std::uint64_t last, std::string_view payload) {
    const codec::DecodedBatch& batch = decoder.decode(payload);
    if (!batch.error.empty())
      return store::store_error(StoreCode::corruption,
                                "journal batch at sequence " + std::to_string(first) + ": " + batch.error);
    if (batch.first_seq != first || batch.last_seq != last)
      return store::store_error(StoreCode::corruption, "journal batch at sequence " + std::to_string(first) +
                                                           " holds events " + std::to_string(batch.first_seq) +
                                                           ".." + std::to_string(batch.last_seq));
    market.apply(std::span<const engine::Event>(batch.events));
    info.last_seq = last;
    info.events_replayed += batch.events.size();
    ++info.batches_replayed;
    return StoreStatus{};
  });
  if (replayed.ok() && up_to != store::Journal::kToTheEnd && info.last_seq != up_to)
    return store::store_error(StoreCode::sequence_gap, "no journal batch ends at sequence " + std::to_string(up_to) +
                                                           " (the replay ended at " + std::to_string(info.last_seq) + ")");
  return replayed;
}

}  // namespace carebroker::sequencer
