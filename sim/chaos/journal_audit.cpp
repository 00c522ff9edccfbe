// Reading a chaos run's journal (journal_audit.h).
#include "sim/chaos/journal_audit.h"

#include <memory>
#include <type_traits>
#include <variant>

#include "engine/codec/event_codec.h"
#include "engine/store/rocksdb_journal.h"

namespace carebroker::sim::chaos {

JournalAudit audit_journal(const std::string& data_dir) {
  JournalAudit out;
  store::RocksJournalOptions options;
  options.path = data_dir + "/journal";
  options.create_if_missing = false;
  std::unique_ptr<store::RocksJournal> journal;
  if (auto s = store::RocksJournal::open(options, journal); !s.ok()) {
    out.error = "cannot open the journal: " + s.message;
    return out;
  }
  std::set<std::uint64_t> awaiting_answer;  // packages with an award offered and not yet answered
  codec::BatchDecoder decoder;
  const auto s = journal->replay(0, [&](std::uint64_t, std::uint64_t last, std::string_view payload) {
    const codec::DecodedBatch& batch = decoder.decode(payload);
    if (!batch.error.empty()) return store::store_error(store::StoreCode::corruption, batch.error);
    out.last_seq = last;
    for (const auto& event : batch.events) {
      ++out.events;
      std::visit(
          [&](const auto& e) {
            using E = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<E, engine::PackagePosted>) {
              out.posted.insert(e.package);
            } else if constexpr (std::is_same_v<E, engine::OfferPlaced>) {
              out.requests[{e.request.provider, e.request.request_id}] = 'o';
            } else if constexpr (std::is_same_v<E, engine::AwardOffered>) {
              ++out.awards_offered;
              if (!awaiting_answer.insert(e.package).second || out.acceptances[e.package] > 0) ++out.double_awards;
            } else if constexpr (std::is_same_v<E, engine::AwardAccepted>) {
              ++out.awards_accepted;
              out.requests[{e.request.provider, e.request.request_id}] = 'a';
              awaiting_answer.erase(e.package);
              if (++out.acceptances[e.package] > 1) ++out.double_awards;
            } else if constexpr (std::is_same_v<E, engine::AwardDeclined>) {
              if (!e.request.request_id.empty()) out.requests[{e.request.provider, e.request.request_id}] = 'd';
              awaiting_answer.erase(e.package);
            }
          },
          event);
    }
    return store::StoreStatus{};
  });
  if (!s.ok()) out.error = "the journal does not replay: " + s.message;
  return out;
}

}  // namespace carebroker::sim::chaos
