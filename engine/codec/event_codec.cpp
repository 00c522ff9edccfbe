// The journal's byte format for events and batches; see event_codec.h. How each event and value
// is encoded is not written here: engine/codec/table_codec.h pairs every C++ struct field with
// its journal.fbs table field at compile time (read its header comment for the decision).
#include "engine/codec/event_codec.h"

#include <array>
#include <cstring>
#include <memory>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "engine/codec/table_codec.h"

namespace carebroker::codec {

namespace {

using namespace detail;

// ---- the union -----------------------------------------------------------------------------------
// Alternative I of engine::Event is member I + 1 of union Event (0 is NONE): the journal records
// the member number, so both are only ever appended, in the same order.

template <std::size_t I>
using Alternative = std::variant_alternative_t<I, eng::Event>;

static_assert(static_cast<std::size_t>(fb::Event::MAX) == std::variant_size_v<eng::Event>,
              "engine::Event and union Event (journal.fbs) have different numbers of members");

template <std::size_t... I>
constexpr bool union_in_order(std::index_sequence<I...>) {
  return ((static_cast<std::size_t>(fb::EventTraits<typename TableOf<Alternative<I>>::type>::enum_value) ==
           I + 1) && ...);
}
static_assert(union_in_order(std::make_index_sequence<std::variant_size_v<eng::Event>>{}),
              "alternative I of engine::Event must be member I + 1 of union Event");

// ---- enums -----------------------------------------------------------------------------------
// The schema's enums mirror the C++ enums value for value (a decoded value is a cast). These
// checks fail to compile when the two drift apart; when appending a value to a C++ enum, append
// it to the schema enum and here.

template <typename A, typename B>
constexpr bool same(A a, B b) {
  return static_cast<int>(a) == static_cast<int>(b);
}

static_assert(same(eng::Urgency::urgent, fb::Urgency::urgent) &&
              same(eng::Urgency::standard, fb::Urgency::standard) &&
              same(eng::Urgency::planned, fb::Urgency::planned) &&
              fb::Urgency::planned == fb::Urgency::MAX);
static_assert(same(eng::Funder::council, fb::Funder::council) &&
              same(eng::Funder::nhs, fb::Funder::nhs) && same(eng::Funder::joint, fb::Funder::joint) &&
              same(eng::Funder::self_funder, fb::Funder::self_funder) &&
              fb::Funder::self_funder == fb::Funder::MAX);
static_assert(same(eng::Unit::hours, fb::Unit::hours) && same(eng::Unit::places, fb::Unit::places) &&
              same(eng::Unit::sessions, fb::Unit::sessions) && fb::Unit::sessions == fb::Unit::MAX);
static_assert(same(eng::CqcRating::none, fb::CqcRating::none) &&
              same(eng::CqcRating::outstanding, fb::CqcRating::outstanding) &&
              same(eng::CqcRating::good, fb::CqcRating::good) &&
              same(eng::CqcRating::requires_improvement, fb::CqcRating::requires_improvement) &&
              same(eng::CqcRating::inadequate, fb::CqcRating::inadequate) &&
              fb::CqcRating::inadequate == fb::CqcRating::MAX);
static_assert(same(eng::PammsRating::none, fb::PammsRating::none) &&
              same(eng::PammsRating::excellent, fb::PammsRating::excellent) &&
              same(eng::PammsRating::good, fb::PammsRating::good) &&
              same(eng::PammsRating::requires_improvement, fb::PammsRating::requires_improvement) &&
              same(eng::PammsRating::poor, fb::PammsRating::poor) &&
              fb::PammsRating::poor == fb::PammsRating::MAX);
static_assert(same(eng::FsaRating::not_applicable, fb::FsaRating::not_applicable) &&
              same(eng::FsaRating::r0, fb::FsaRating::r0) && same(eng::FsaRating::r1, fb::FsaRating::r1) &&
              same(eng::FsaRating::r2, fb::FsaRating::r2) && same(eng::FsaRating::r3, fb::FsaRating::r3) &&
              same(eng::FsaRating::r4, fb::FsaRating::r4) && same(eng::FsaRating::r5, fb::FsaRating::r5) &&
              same(eng::FsaRating::awaiting, fb::FsaRating::awaiting) &&
              fb::FsaRating::awaiting == fb::FsaRating::MAX);
static_assert(same(eng::MembershipStatus::under_assessment, fb::MembershipStatus::under_assessment) &&
              same(eng::MembershipStatus::admitted, fb::MembershipStatus::admitted) &&
              same(eng::MembershipStatus::refused, fb::MembershipStatus::refused) &&
              same(eng::MembershipStatus::suspended, fb::MembershipStatus::suspended) &&
              same(eng::MembershipStatus::exited, fb::MembershipStatus::exited) &&
              fb::MembershipStatus::exited == fb::MembershipStatus::MAX);
static_assert(same(eng::DistributionMode::cascade, fb::DistributionMode::cascade) &&
              same(eng::DistributionMode::all_at_once, fb::DistributionMode::all_at_once) &&
              fb::DistributionMode::all_at_once == fb::DistributionMode::MAX);
static_assert(same(eng::RankingScheme::price_quality_split, fb::RankingScheme::price_quality_split) &&
              same(eng::RankingScheme::quality_adjusted_price, fb::RankingScheme::quality_adjusted_price) &&
              fb::RankingScheme::quality_adjusted_price == fb::RankingScheme::MAX);
static_assert(same(eng::AuctionFormat::sealed_single_round, fb::AuctionFormat::sealed_single_round) &&
              same(eng::AuctionFormat::best_and_final, fb::AuctionFormat::best_and_final) &&
              fb::AuctionFormat::best_and_final == fb::AuctionFormat::MAX);

static_assert(same(eng::PackageStatus::open, fb::PackageStatus::open) &&
              same(eng::PackageStatus::best_and_final, fb::PackageStatus::best_and_final) &&
              same(eng::PackageStatus::evaluating, fb::PackageStatus::evaluating) &&
              same(eng::PackageStatus::awaiting_decision, fb::PackageStatus::awaiting_decision) &&
              same(eng::PackageStatus::award_pending, fb::PackageStatus::award_pending) &&
              same(eng::PackageStatus::on_hold, fb::PackageStatus::on_hold) &&
              same(eng::PackageStatus::placed, fb::PackageStatus::placed) &&
              same(eng::PackageStatus::unsourced, fb::PackageStatus::unsourced) &&
              same(eng::PackageStatus::cancelled, fb::PackageStatus::cancelled) &&
              same(eng::PackageStatus::direct_payment, fb::PackageStatus::direct_payment) &&
              same(eng::PackageStatus::ended, fb::PackageStatus::ended) &&
              fb::PackageStatus::ended == fb::PackageStatus::MAX);
static_assert(same(eng::AbnormallyLow::not_flagged, fb::AbnormallyLow::not_flagged) &&
              same(eng::AbnormallyLow::pending, fb::AbnormallyLow::pending) &&
              same(eng::AbnormallyLow::accepted, fb::AbnormallyLow::accepted) &&
              same(eng::AbnormallyLow::rejected, fb::AbnormallyLow::rejected) &&
              fb::AbnormallyLow::rejected == fb::AbnormallyLow::MAX);
// The one enum with a schema value and no C++ one: 0, `unrecorded` (a v1 record; see below).
static_assert(static_cast<int>(fb::TierEndReason::unrecorded) == 0 &&
              same(eng::TierEndReason::no_eligible_location, fb::TierEndReason::no_eligible_location) &&
              same(eng::TierEndReason::no_acceptable_offer, fb::TierEndReason::no_acceptable_offer) &&
              same(eng::TierEndReason::every_acceptable_offer_declined,
                   fb::TierEndReason::every_acceptable_offer_declined) &&
              same(eng::TierEndReason::unexpected_deadline, fb::TierEndReason::unexpected_deadline) &&
              fb::TierEndReason::unexpected_deadline == fb::TierEndReason::MAX);
static_assert(same(eng::ContractActionKind::improvement_plan, fb::ContractActionKind::improvement_plan) &&
              same(eng::ContractActionKind::default_notice, fb::ContractActionKind::default_notice) &&
              same(eng::ContractActionKind::special_measures_plan, fb::ContractActionKind::special_measures_plan) &&
              same(eng::ContractActionKind::suspension, fb::ContractActionKind::suspension) &&
              same(eng::ContractActionKind::termination, fb::ContractActionKind::termination) &&
              fb::ContractActionKind::termination == fb::ContractActionKind::MAX);
static_assert(same(eng::ContractActionStatus::in_force, fb::ContractActionStatus::in_force) &&
              same(eng::ContractActionStatus::complied, fb::ContractActionStatus::complied) &&
              same(eng::ContractActionStatus::escalated, fb::ContractActionStatus::escalated) &&
              same(eng::ContractActionStatus::withdrawn, fb::ContractActionStatus::withdrawn) &&
              fb::ContractActionStatus::withdrawn == fb::ContractActionStatus::MAX);
static_assert(same(eng::PlacementEndReason::planned_end, fb::PlacementEndReason::planned_end) &&
              same(eng::PlacementEndReason::handed_back, fb::PlacementEndReason::handed_back) &&
              same(eng::PlacementEndReason::needs_changed, fb::PlacementEndReason::needs_changed) &&
              same(eng::PlacementEndReason::moved, fb::PlacementEndReason::moved) &&
              same(eng::PlacementEndReason::hospital, fb::PlacementEndReason::hospital) &&
              same(eng::PlacementEndReason::residential_care, fb::PlacementEndReason::residential_care) &&
              same(eng::PlacementEndReason::died, fb::PlacementEndReason::died) &&
              same(eng::PlacementEndReason::terminated, fb::PlacementEndReason::terminated) &&
              same(eng::PlacementEndReason::replaced, fb::PlacementEndReason::replaced) &&
              fb::PlacementEndReason::replaced == fb::PlacementEndReason::MAX);
static_assert(same(eng::PlacementStatus::live, fb::PlacementStatus::live) &&
              same(eng::PlacementStatus::notice, fb::PlacementStatus::notice) &&
              same(eng::PlacementStatus::ended, fb::PlacementStatus::ended) &&
              fb::PlacementStatus::ended == fb::PlacementStatus::MAX);
static_assert(same(eng::CqcRowOutcome::rating_changed, fb::CqcRowOutcome::rating_changed) &&
              same(eng::CqcRowOutcome::history_added, fb::CqcRowOutcome::history_added) &&
              same(eng::CqcRowOutcome::record_updated, fb::CqcRowOutcome::record_updated) &&
              same(eng::CqcRowOutcome::already_known, fb::CqcRowOutcome::already_known) &&
              same(eng::CqcRowOutcome::no_rating_published, fb::CqcRowOutcome::no_rating_published) &&
              same(eng::CqcRowOutcome::not_registered, fb::CqcRowOutcome::not_registered) &&
              same(eng::CqcRowOutcome::rejected, fb::CqcRowOutcome::rejected) &&
              fb::CqcRowOutcome::rejected == fb::CqcRowOutcome::MAX);
static_assert(same(eng::FsaRowOutcome::rating_changed, fb::FsaRowOutcome::rating_changed) &&
              same(eng::FsaRowOutcome::rating_confirmed, fb::FsaRowOutcome::rating_confirmed) &&
              same(eng::FsaRowOutcome::already_known, fb::FsaRowOutcome::already_known) &&
              same(eng::FsaRowOutcome::older_than_held, fb::FsaRowOutcome::older_than_held) &&
              same(eng::FsaRowOutcome::no_rating, fb::FsaRowOutcome::no_rating) &&
              same(eng::FsaRowOutcome::not_registered, fb::FsaRowOutcome::not_registered) &&
              same(eng::FsaRowOutcome::rejected, fb::FsaRowOutcome::rejected) &&
              fb::FsaRowOutcome::rejected == fb::FsaRowOutcome::MAX);
static_assert(same(eng::Rag::green, fb::Rag::green) && same(eng::Rag::amber, fb::Rag::amber) &&
              same(eng::Rag::red, fb::Rag::red) && fb::Rag::red == fb::Rag::MAX);
static_assert(same(eng::KpiKind::staff, fb::KpiKind::staff) && same(eng::KpiKind::people, fb::KpiKind::people) &&
              fb::KpiKind::people == fb::KpiKind::MAX);

// ---- older schema versions -------------------------------------------------------------------
// What a record written by an older schema lacks is filled in here, after the generic decoding,
// for the events whose meaning moved into a new field. Everything else needs nothing.

/// FROZEN — schema v1's TierEnded carried its reason as words only (the field now called
/// `detail`). These are all the words a v1 engine ever wrote there (market_packages.cpp: the
/// cascade from an empty tier, the two at an award's end, and the unreachable deadline); a
/// record without `reason` is decoded by this table. Never edit or extend it: it describes
/// journals already written. Words not in it are an error, as an unknown enum value is.
constexpr std::pair<std::string_view, eng::TierEndReason> kV1TierEndWords[] = {
    {"no eligible location", eng::TierEndReason::no_eligible_location},
    {"no acceptable offer", eng::TierEndReason::no_acceptable_offer},
    {"every acceptable offer declined", eng::TierEndReason::every_acceptable_offer_declined},
    {"deadline in an unexpected state", eng::TierEndReason::unexpected_deadline},
};

template <typename E>
void upgrade(E&, DecodeErrors&) {}

void upgrade(eng::TierEnded& e, DecodeErrors& errors) {
  if (static_cast<fb::TierEndReason>(e.reason) != fb::TierEndReason::unrecorded) return;
  for (const auto& [words, reason] : kV1TierEndWords) {
    if (e.detail == words) {
      e.reason = reason;
      return;
    }
  }
  errors.fail("a TierEnded without a reason, and words schema v1 never wrote: \"" + e.detail + "\"");
}

// ---- events ------------------------------------------------------------------------------------

flatbuffers::Offset<fb::EventRecord> encode_record(Builder& b, const eng::Event& event) {
  return std::visit(
      [&b](const auto& e) {
        using Table = typename TableOf<std::decay_t<decltype(e)>>::type;
        const flatbuffers::uoffset_t body = encode_table(b, e);
        fb::EventRecordBuilder r(b);
        r.add_event_type(fb::EventTraits<Table>::enum_value);
        r.add_event(flatbuffers::Offset<void>(body));
        return r.Finish();
      },
      event);
}

template <std::size_t I>
std::optional<eng::Event> decode_alternative(const fb::EventRecord& record, DecodeErrors& errors) {
  const auto* body = static_cast<const flatbuffers::Table*>(record.event());
  if (!body) {
    errors.fail("the event has a type but no body");
    return std::nullopt;
  }
  Alternative<I> event = decode_table<Alternative<I>>(body, errors);
  upgrade(event, errors);
  return eng::Event(std::in_place_index<I>, std::move(event));
}

using DecodeAlternative = std::optional<eng::Event> (*)(const fb::EventRecord&, DecodeErrors&);

/// Indexed by union member number - 1.
constexpr auto kDecoders = []<std::size_t... I>(std::index_sequence<I...>) {
  return std::array<DecodeAlternative, sizeof...(I)>{&decode_alternative<I>...};
}(std::make_index_sequence<std::variant_size_v<eng::Event>>{});

/// nullopt with no error: a type this build does not know (or NONE).
std::optional<eng::Event> decode_record(const fb::EventRecord& r, DecodeErrors& errors) {
  const auto type = static_cast<std::size_t>(r.event_type());
  if (type == 0 || type > kDecoders.size()) return std::nullopt;
  return kDecoders[type - 1](r, errors);
}

// ---- batch limits ------------------------------------------------------------------------------

/// The schema nests tables at most 5 deep (JournalBatch > EventRecord > DpsConfigured >
/// DpsConfig > Zone); 16 leaves room for appended nesting and still stops hostile recursion.
constexpr flatbuffers::uoffset_t kMaxDepth = 16;
/// Tables are never shared by our encoder and each occupies at least 4 bytes, so a genuine batch
/// has at most size / 4 tables; the Verifier's default cap (one million) would refuse a
/// legitimate batch of some 200,000 events. The cap stops shared-table amplification (a buffer
/// whose offsets all point at the same table) from costing more than linear time.
constexpr std::size_t kMinTableBytes = 4;
/// Root offset, file identifier and the root table's vtable offset.
constexpr std::size_t kMinBatchBytes = sizeof(flatbuffers::uoffset_t) +
                                       flatbuffers::kFileIdentifierLength +
                                       sizeof(flatbuffers::soffset_t);
/// The buffer's largest scalar is 8 bytes, and encode_batch makes it a multiple of this.
constexpr std::size_t kBatchAlignment = 8;

/// "CBJ1" or, for damaged input, its bytes with the unprintable ones escaped.
std::string printable(std::string_view bytes) {
  std::string out;
  for (const char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f && c != '\\') {
      out += c;
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    }
  }
  return out;
}

}  // namespace

std::string encode_batch(std::uint64_t first_seq, const std::vector<engine::Event>& events) {
  // An offer is ~160 bytes (two 36-character ids); the builder doubles beyond the estimate.
  Builder b(1024 + 192 * events.size());
  std::vector<flatbuffers::Offset<fb::EventRecord>> records;
  records.reserve(events.size());
  for (const engine::Event& e : events) records.push_back(encode_record(b, e));
  const auto vector = b.CreateVector(records);
  // Write the sequence range even when it holds defaults: the 8-byte fields make the finished
  // buffer a multiple of 8 bytes, which decode_batch checks.
  b.ForceDefaults(true);
  fb::JournalBatchBuilder batch(b);
  batch.add_first_seq(first_seq);
  batch.add_last_seq(first_seq + events.size() - 1);  // modulo 2^64: first_seq - 1 when empty
  batch.add_events(vector);
  fb::FinishJournalBatchBuffer(b, batch.Finish());
  return std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
}

namespace {

/// Decodes into `out` (cleared first, its capacity kept); `aligned` is scratch for a copy.
void decode_into(std::string_view bytes, DecodedBatch& out, std::vector<std::uint64_t>& aligned) {
  out.first_seq = out.last_seq = 0;
  out.events.clear();
  out.error.clear();
  const std::size_t size = bytes.size();
  if (size < kMinBatchBytes) {
    out.error = "journal batch of " + std::to_string(size) + " bytes is too short";
    return;
  }
  if (size >= (FLATBUFFERS_MAX_BUFFER_SIZE)) {  // the Verifier asserts on such a buffer
    out.error = "journal batch of " + std::to_string(size) + " bytes exceeds the 2 GiB limit";
    return;
  }
  const std::string_view identifier = bytes.substr(sizeof(flatbuffers::uoffset_t),
                                                   flatbuffers::kFileIdentifierLength);
  if (identifier != kJournalBatchIdentifier) {
    out.error = "not a journal batch: file identifier \"" + printable(identifier) +
                "\", expected \"" + std::string(kJournalBatchIdentifier) + "\"";
    return;
  }
  if (size % kBatchAlignment != 0) {
    out.error = "journal batch of " + std::to_string(size) +
                " bytes is not a multiple of 8 (truncated?)";
    return;
  }

  // The accessors read 8-byte scalars in place: give them an aligned copy if need be.
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  if (reinterpret_cast<std::uintptr_t>(data) % kBatchAlignment != 0) {
    if (aligned.size() < size / kBatchAlignment) aligned.resize(size / kBatchAlignment);
    std::memcpy(aligned.data(), data, size);
    data = reinterpret_cast<const std::uint8_t*>(aligned.data());
  }

  flatbuffers::Verifier::Options options;
  options.max_depth = kMaxDepth;
  options.max_tables = static_cast<flatbuffers::uoffset_t>(size / kMinTableBytes);
  flatbuffers::Verifier verifier(data, size, options);
  if (!fb::VerifyJournalBatchBuffer(verifier)) {
    out.error = "journal batch fails verification";
    return;
  }

  const fb::JournalBatch* batch = fb::GetJournalBatch(data);
  out.first_seq = batch->first_seq();
  out.last_seq = batch->last_seq();
  const auto* records = batch->events();
  const std::size_t count = records ? records->size() : 0;
  if (out.last_seq + 1 - out.first_seq != count) {  // modulo 2^64, as encode_batch writes it
    out.error = "batch says last_seq " + std::to_string(out.last_seq) + " but holds " +
                std::to_string(count) + " events from first_seq " + std::to_string(out.first_seq);
    return;
  }

  out.events.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const fb::EventRecord* record = records->Get(static_cast<flatbuffers::uoffset_t>(i));
    DecodeErrors errors;
    std::optional<eng::Event> event = decode_record(*record, errors);
    const auto type = record->event_type();
    if (errors.any()) {
      out.error = "event " + std::to_string(i) + " (" + fb::EnumNameEvent(type) + "): " + errors.first();
    } else if (!event) {
      out.error = type == fb::Event::NONE
                      ? "event at index " + std::to_string(i) + " has no type"
                      : "unknown event type " + std::to_string(static_cast<unsigned>(type)) +
                            " at index " + std::to_string(i);
    } else {
      out.events.push_back(std::move(*event));
      continue;
    }
    out.events.clear();
    return;
  }
}

}  // namespace

DecodedBatch decode_batch(std::string_view bytes) {
  DecodedBatch out;
  std::vector<std::uint64_t> aligned;
  decode_into(bytes, out, aligned);
  return out;
}

const DecodedBatch& BatchDecoder::decode(std::string_view bytes) {
  decode_into(bytes, batch_, aligned_);
  return batch_;
}

}  // namespace carebroker::codec
