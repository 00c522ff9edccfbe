// The whole-chain check.
#include "engine/store/chain_verify.h"

#include <utility>
#include <vector>

namespace carebroker::store {

StoreStatus verify_chain(Journal& journal, ChainReport& report) {
  report = ChainReport{};
  // The journal's replay checks every frame and link; the visitor notes where batches end.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> batches;  // first, last
  StoreStatus status = journal.replay(0, [&](std::uint64_t first, std::uint64_t last, std::string_view) {
    batches.emplace_back(first, last);
    return StoreStatus{};
  });
  if (!status.ok()) return status;
  report.batches = batches.size();
  report.head = journal.chain_head();
  if (report.head.seq != journal.last_seq() || (!batches.empty() && batches.back().second != report.head.seq))
    return store_error(StoreCode::corruption, "the journal ends at sequence " + std::to_string(journal.last_seq()) +
                                                  " but its chain head is at " + std::to_string(report.head.seq));
  // The pre-history is a prefix (replay refuses an unchained batch after a chained one): find
  // its end by bisection on the stored links.
  std::size_t lo = 0, hi = batches.size();  // batches [0, lo) unchained, [hi, end) chained
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    ChainHead stored;
    if (auto s = journal.chain_head_at(batches[mid].second, stored); !s.ok()) return s;
    if (stored.hash == kChainGenesis) lo = mid + 1;
    else hi = mid;
  }
  report.unchained = lo;
  report.chained_from = lo < batches.size() ? batches[lo].first : 0;
  return {};
}

StoreStatus check_expected_head(Journal& journal, const ChainHead& expected) {
  ChainHead found;
  if (auto s = journal.chain_head_at(expected.seq, found); !s.ok()) {
    if (s.code != StoreCode::not_found) return s;
    return store_error(StoreCode::not_found,
                       "the expected head is at sequence " + std::to_string(expected.seq) +
                           " but no batch of this store ends there (it ends at " + std::to_string(journal.last_seq()) +
                           "): it is not the store the head was recorded from, or batches were removed");
  }
  if (found.hash != expected.hash)
    return store_error(StoreCode::corruption, "the chain at sequence " + std::to_string(expected.seq) +
                                                  " is " + to_hex(found.hash) + ", expected " + to_hex(expected.hash) +
                                                  ": the store's history up to there differs from when the head was recorded");
  return {};
}

}  // namespace carebroker::store
