// Market: retention and snapshots. Closed packages leave memory after the DPS's retention
// period (their final record travels in the PackageRetired event to the store's archive); a
// snapshot saves the market's state and loading one rebuilds every derived index.
#include <algorithm>
#include <cassert>

#include "engine/codec/archive_codec.h"
#include "engine/market/market.h"
#include "engine/market/market_emitter.h"
#include "engine/market/serialize.h"

namespace carebroker::engine {
namespace {

constexpr std::string_view kSnapshotTag = "carebroker-market-snapshot";

/// Changes whenever a state struct gains or loses a field, so a snapshot written by another
/// build's layout is refused rather than misread (the store then replays the journal).
std::uint64_t layout_fingerprint() {
  using boost::pfr::tuple_size_v;
  // The number of state members a snapshot holds (now_ … retired_facts_), then the structs.
  constexpr std::uint64_t kStateMembers = 15;
  std::uint64_t f = 1 + kStateMembers * 7919;
  for (std::size_t n : {tuple_size_v<Package>, tuple_size_v<PackageSpec>, tuple_size_v<Offer>,
                        tuple_size_v<Location>, tuple_size_v<Membership>, tuple_size_v<QualityInputs>,
                        tuple_size_v<Provider>, tuple_size_v<DpsConfig>, tuple_size_v<Lot>,
                        tuple_size_v<RankingPolicy>, tuple_size_v<QualityPolicy>,
                        tuple_size_v<RiskPolicy>, tuple_size_v<WindowPolicy>, tuple_size_v<SealedPerson>,
                        tuple_size_v<Placement>, tuple_size_v<PendingVariation>,
                        tuple_size_v<CqcRatingsImported>, tuple_size_v<CqcImportRow>,
                        tuple_size_v<CqcRatingRecord>, tuple_size_v<QualityEntry>, tuple_size_v<InputChange>,
                        tuple_size_v<RagChange>, tuple_size_v<PackageFacts>, tuple_size_v<AssessmentFramework>,
                        tuple_size_v<AssessmentDomain>, tuple_size_v<AssessmentStandard>, tuple_size_v<PammsRatingRule>,
                        tuple_size_v<SelfAssessment>, tuple_size_v<PammsAssessment>, tuple_size_v<StandardScore>,
                        tuple_size_v<DomainScore>, tuple_size_v<DomainChange>,
                        tuple_size_v<AdmissionMove>, tuple_size_v<Kpi>,
                        tuple_size_v<KpiValue>, tuple_size_v<KpiReturn>, tuple_size_v<PackageRecords>,
                        tuple_size_v<QualityAtClose>, tuple_size_v<QualityPart>, tuple_size_v<ContractAction>,
                        tuple_size_v<ContractActionUpdate>, tuple_size_v<PackageDecision>,
                        tuple_size_v<FsaRatingsImported>, tuple_size_v<FsaImportRow>, tuple_size_v<FsaRatingRecord>})
    f = f * 131 + n;
  return f;
}

}  // namespace

void Market::reserve_for_replay(std::uint64_t events) {
  // Provider requests are most of a busy journal's events; each may leave one record. Capped so
  // a huge journal cannot make us reserve more than about 120 MiB up front (a record is 48
  // bytes in the table's pool, which is only allocated as records arrive, and ~13 bytes of slots).
  constexpr std::uint64_t kMostReserved = 1'000'000;
  if (keeps_request_ids_) requests_.reserve(requests_.size() + static_cast<std::size_t>(std::min(events, kMostReserved)));
}

UtcMillis Market::next_deadline() const {
  UtcMillis next = deadlines_.empty() ? 0 : deadlines_.earliest().first;
  for (std::size_t d = 0; d < closed_.size(); ++d) {
    const int days = dps_[d].windows.retain_closed_days;
    if (days <= 0 || closed_[d].empty()) continue;
    const UtcMillis due = closed_[d].begin()->first + static_cast<UtcMillis>(days) * kMillisPerDay;
    if (next == 0 || due < next) next = due;
  }
  // A dated early-warning entry leaving its look-back window may change a RAG (a RagChanged).
  if (rag_recheck_at_ != 0 && (next == 0 || rag_recheck_at_ < next)) next = rag_recheck_at_;
  return next;
}

void Market::retire_closed(Emitter& e) {
  for (std::size_t d = 0; d < closed_.size(); ++d) {
    const int days = dps_[d].windows.retain_closed_days;
    if (days <= 0) continue;
    const UtcMillis keep = static_cast<UtcMillis>(days) * kMillisPerDay;
    while (!closed_[d].empty() && closed_[d].begin()->first + keep <= now_) {
      const PackageId id = closed_[d].begin()->second;
      const Placement* placement = find_placement(id);
      e.emit(PackageRetired{id, now_, codec::encode_archive(packages_[id - 1], *people_[id - 1],
                                                            placement ? *placement : Placement{})});
    }
  }
}

std::optional<Market::ArchivedPackage> Market::read_archive(std::string_view bytes) {
  codec::DecodedArchive decoded = codec::decode_archive(bytes);  // either form: see archive_codec.h
  if (!decoded.ok()) return std::nullopt;
  return ArchivedPackage{std::move(decoded.package), std::move(decoded.person), std::move(decoded.placement)};
}

std::string Market::save_snapshot() const {
  assert(keeps_request_ids_ && "a market without its request ids cannot restore a writer");
  Encoder e;
  e.add(std::string(kSnapshotTag)).add(layout_fingerprint());
  e.add(now_).add(calendar_).add(categories_).add(dps_).add(providers_).add(locations_);
  e.add(packages_).add(people_);
  // The request table, written as the map of "provider id\nrequest id" → record it replaced
  // (serialize.h's encoding of a map), so the snapshot format is unchanged.
  e.u64(requests_.size());
  requests_.for_each([&](LocationIndex provider, std::string_view id, const RequestRecord& record) {
    e.joined(providers_[provider].id, '\n', id);  // = e.add(request_key(provider's id, id))
    e.add(record);
  });
  e.add(command_keys_);
  e.add(placements_).add(replaces_).add(cqc_imports_).add(retired_facts_);
  e.add(fsa_imports_);
  return e.take();
}

bool Market::load_requests(Decoder& d) {
  // Read as serialize.h reads a map (a count, then key and value pairs), straight into the
  // table: no map of strings in between.
  std::uint64_t count = 0;
  if (!d.length(count, 1)) return false;
  requests_ = RequestTable();
  if (keeps_request_ids_) requests_.reserve(static_cast<std::size_t>(count));
  std::string key;  // reused: one buffer for every key
  for (std::uint64_t i = 0; i < count; ++i) {
    RequestRecord record;
    if (!d.get(key) || !d.get(record)) return false;
    // Request ids are printable (no '\n'), so the id starts after the key's last newline.
    const std::size_t split = key.rfind('\n');
    if (split == std::string::npos) return d.fail_record("a request record without a provider");
    const auto provider = provider_index(std::string_view(key).substr(0, split));
    const std::string_view id = std::string_view(key).substr(split + 1);
    if (!provider || id.empty() || id.size() > kMaxRequestId) return d.fail_record("a request record of an unknown provider");
    // Packages come before the request records: a record's package is one of them, or 0.
    if (record.package > packages_.size()) return d.fail_record("a request record of an unknown package");
    if (keeps_request_ids_) requests_.insert(RequestKey(*provider, id), record);
  }
  return true;
}

SnapshotStatus Market::load_snapshot(std::string_view bytes) {
  Decoder d(bytes);
  std::string tag;
  std::uint64_t fingerprint = 0;
  if (!d.get(tag) || tag != kSnapshotTag) return {SnapshotCode::unreadable, "not a market snapshot"};
  if (!d.get(fingerprint) || fingerprint != layout_fingerprint())
    return {SnapshotCode::other_layout, "the snapshot was written by a build with another state layout"};
  // Providers come before the request records, which are keyed by the providers' indexes.
  const bool ok = d.get(now_) && d.get(calendar_) && d.get(categories_) && d.get(dps_) &&
                  d.get(providers_) && index_providers() && d.get(locations_) && d.get(packages_) &&
                  d.get(people_) && load_requests(d) && d.get(command_keys_) && d.get(placements_) &&
                  d.get(replaces_) && d.get(cqc_imports_) && d.get(retired_facts_) && d.get(fsa_imports_) &&
                  d.done();
  // Package N sits at index N-1: every per-package index (deadlines, people) relies on it.
  bool numbered = true;
  for (std::size_t i = 0; ok && numbered && i < packages_.size(); ++i)
    if (packages_[i].id != i + 1) numbered = d.fail_record("a package out of its place");
  if (!ok || !numbered || packages_.size() != people_.size()) {
    *this = Market();
    const DecodeError& error = d.error();
    return {error.ends_early() ? SnapshotCode::truncated : SnapshotCode::unreadable,
            "unreadable snapshot: " + (error.any() ? error.message() : std::string("trailing bytes"))};
  }
  rebuild_derived();
  return {};
}

bool Market::index_providers() {
  provider_by_id_.clear();
  for (LocationIndex i = 0; i < providers_.size(); ++i) provider_by_id_[providers_[i].id] = i;
  return true;
}

void Market::rebuild_derived() {
  today_ = london_date(now_);
  category_codes_.clear();
  for (const auto& c : categories_) category_codes_.push_back(c.code);
  index_providers();
  location_by_id_.clear();
  for (LocationIndex i = 0; i < locations_.size(); ++i) location_by_id_[locations_[i].id] = i;
  payload_prefix_.clear();
  for (const Location& l : locations_) payload_prefix_.push_back(payload_prefixes(l));
  index_ = EligibilityIndex();
  closed_.assign(dps_.size(), {});
  for (std::size_t d = 0; d < dps_.size(); ++d) index_.reset_dps(static_cast<int>(d), dps_[d].tiers.size(), dps_[d].zones.size());
  for (LocationIndex i = 0; i < locations_.size(); ++i)
    for (const auto& m : locations_[i].memberships) index_.update(i, m);
  command_keys_of_.clear();
  command_key_expiry_.clear();
  for (const auto& [key, record] : command_keys_) {  // views of the nodes' keys
    if (record.expires_at == 0)
      command_keys_of_[record.package].push_back(key);
    else
      command_key_expiry_.insert({record.expires_at, key});
  }
  deadlines_.reset(packages_.size());
  for (auto& p : packages_) {
    if (p.retired) continue;
    switch (p.status) {
      case PackageStatus::open:
      case PackageStatus::best_and_final: set_deadline(p, p.closes_at); break;
      case PackageStatus::award_pending: set_deadline(p, p.award_expires); break;
      default: break;
    }
    if (is_closed(p.status)) closed_[p.dps].insert({p.closed_at, p.id});
  }
  placed_load_.clear();
  for (const auto& [id, placement] : placements_) {
    add_load(placement, +1);
    if (packages_[id - 1].status == PackageStatus::placed) schedule_end(packages_[id - 1], placement);
  }
  recompute_rag_recheck();
}

}  // namespace carebroker::engine
