// The journal's byte format for events and batches; see event_codec.h. The values events carry
// are encoded by value_codec.cpp.
#include "engine/codec/event_codec.h"

#include <cstring>
#include <memory>
#include <optional>
#include <type_traits>
#include <variant>

#include <boost/pfr/core.hpp>

#include "engine/codec/value_codec.h"

namespace carebroker::codec {

namespace {

using namespace detail;

// ---- field counts ------------------------------------------------------------------------------
// A field added to an event struct must be added to its schema table (at the end) and to its
// encode_event and decode_event below; these fail to compile until the count is updated with them.

template <typename T>
constexpr std::size_t fields = boost::pfr::tuple_size_v<T>;

static_assert(std::variant_size_v<eng::Event> == 29, "a new event type: append it to union Event");
static_assert(fields<eng::ClockAdvanced> == 1);
static_assert(fields<eng::CategoryDefined> == 1);
static_assert(fields<eng::DpsConfigured> == 1);
static_assert(fields<eng::CalendarSet> == 1);
static_assert(fields<eng::ProviderRegistered> == 2);
static_assert(fields<eng::LocationRegistered> == 5);
static_assert(fields<eng::ProviderStatusChanged> == 4);
static_assert(fields<eng::MembershipChanged> == 2);
static_assert(fields<eng::QualityInputsChanged> == 2);
static_assert(fields<eng::PackagePosted> == 11);
static_assert(fields<eng::TierOpened> == 5);
static_assert(fields<eng::TierEnded> == 4);
static_assert(fields<eng::PackageUnsourced> == 2);
static_assert(fields<eng::PackageHeld> == 3);
static_assert(fields<eng::PackageReleased> == 3);
static_assert(fields<eng::PackageCancelled> == 3);
static_assert(fields<eng::PackageClosedForDirectPayment> == 2);
static_assert(fields<eng::OfferPlaced> == 10);
static_assert(fields<eng::OfferWithdrawn> == 4);
static_assert(fields<eng::WindowClosed> == 2);
static_assert(fields<eng::ShortlistFormed> == 4);
static_assert(fields<eng::AwardHeld> == 3);
static_assert(fields<eng::AbnormallyLowDecided> == 6);
static_assert(fields<eng::AwardOffered> == 6);
static_assert(fields<eng::AwardAccepted> == 4);
static_assert(fields<eng::AwardDeclined> == 6);
static_assert(fields<eng::PackageHandedBack> == 5);
static_assert(fields<eng::PackageRetired> == 3);
static_assert(fields<eng::CommandKeyRecorded> == 5);

// ---- events: C++ → table ------------------------------------------------------------------------
// One overload per alternative of engine::Event (std::visit below fails to compile if one is
// missing). Strings, vectors and child tables are built before the event's own table.

Offset<fb::ClockAdvanced> encode_event(Builder& b, const eng::ClockAdvanced& e) {
  fb::ClockAdvancedBuilder t(b);
  t.add_now(e.now);
  return t.Finish();
}

Offset<fb::CategoryDefined> encode_event(Builder& b, const eng::CategoryDefined& e) {
  const auto category = encode(b, e.category);
  fb::CategoryDefinedBuilder t(b);
  t.add_category(category);
  return t.Finish();
}

Offset<fb::DpsConfigured> encode_event(Builder& b, const eng::DpsConfigured& e) {
  const auto config = encode(b, e.config);
  fb::DpsConfiguredBuilder t(b);
  t.add_config(config);
  return t.Finish();
}

Offset<fb::CalendarSet> encode_event(Builder& b, const eng::CalendarSet& e) {
  const auto calendar = encode(b, e.calendar);
  fb::CalendarSetBuilder t(b);
  t.add_calendar(calendar);
  return t.Finish();
}

Offset<fb::ProviderRegistered> encode_event(Builder& b, const eng::ProviderRegistered& e) {
  const auto provider = encode(b, e.provider);
  const auto name = encode(b, e.name);
  fb::ProviderRegisteredBuilder t(b);
  t.add_provider(provider);
  t.add_name(name);
  return t.Finish();
}

Offset<fb::LocationRegistered> encode_event(Builder& b, const eng::LocationRegistered& e) {
  const auto location = encode(b, e.location);
  const auto provider = encode(b, e.provider);
  const auto name = encode(b, e.name);
  const auto postcode = encode(b, e.postcode);
  const auto local_authority = encode(b, e.local_authority);
  fb::LocationRegisteredBuilder t(b);
  t.add_location(location);
  t.add_provider(provider);
  t.add_name(name);
  t.add_postcode(postcode);
  t.add_local_authority(local_authority);
  return t.Finish();
}

Offset<fb::ProviderStatusChanged> encode_event(Builder& b, const eng::ProviderStatusChanged& e) {
  const auto provider = encode(b, e.provider);
  const auto reason = encode(b, e.reason);
  fb::ProviderStatusChangedBuilder t(b);
  t.add_provider(provider);
  t.add_in_administration(e.in_administration);
  t.add_contract_terminated(e.contract_terminated);
  t.add_reason(reason);
  return t.Finish();
}

Offset<fb::MembershipChanged> encode_event(Builder& b, const eng::MembershipChanged& e) {
  const auto membership = encode(b, e.membership);
  fb::MembershipChangedBuilder t(b);
  t.add_location(e.location);
  t.add_membership(membership);
  return t.Finish();
}

Offset<fb::QualityInputsChanged> encode_event(Builder& b, const eng::QualityInputsChanged& e) {
  const auto inputs = encode(b, e.inputs);
  fb::QualityInputsChangedBuilder t(b);
  t.add_location(e.location);
  t.add_inputs(inputs);
  return t.Finish();
}

Offset<fb::PackagePosted> encode_event(Builder& b, const eng::PackagePosted& e) {
  const auto spec = encode(b, e.spec);
  const auto person = encode(b, e.person);
  fb::PackagePostedBuilder t(b);
  t.add_package(e.package);
  t.add_spec(spec);
  t.add_person(person);
  t.add_dps(e.dps);
  t.add_lot(e.lot);
  t.add_zone(e.zone);
  t.add_route(e.route);
  t.add_categories(e.categories);
  t.add_urgency(encode(e.urgency));
  t.add_latest_start(e.latest_start);
  t.add_at(e.at);
  return t.Finish();
}

Offset<fb::TierOpened> encode_event(Builder& b, const eng::TierOpened& e) {
  const auto invited = encode(b, e.invited);
  fb::TierOpenedBuilder t(b);
  t.add_package(e.package);
  t.add_step(e.step);
  t.add_at(e.at);
  t.add_closes_at(e.closes_at);
  t.add_invited(invited);
  return t.Finish();
}

Offset<fb::TierEnded> encode_event(Builder& b, const eng::TierEnded& e) {
  const auto reason = encode(b, e.reason);
  fb::TierEndedBuilder t(b);
  t.add_package(e.package);
  t.add_step(e.step);
  t.add_at(e.at);
  t.add_reason(reason);
  return t.Finish();
}

Offset<fb::PackageUnsourced> encode_event(Builder& b, const eng::PackageUnsourced& e) {
  fb::PackageUnsourcedBuilder t(b);
  t.add_package(e.package);
  t.add_at(e.at);
  return t.Finish();
}

Offset<fb::PackageHeld> encode_event(Builder& b, const eng::PackageHeld& e) {
  const auto reason = encode(b, e.reason);
  fb::PackageHeldBuilder t(b);
  t.add_package(e.package);
  t.add_at(e.at);
  t.add_reason(reason);
  return t.Finish();
}

Offset<fb::PackageReleased> encode_event(Builder& b, const eng::PackageReleased& e) {
  fb::PackageReleasedBuilder t(b);
  t.add_package(e.package);
  t.add_at(e.at);
  t.add_closes_at(e.closes_at);
  return t.Finish();
}

Offset<fb::PackageCancelled> encode_event(Builder& b, const eng::PackageCancelled& e) {
  const auto reason = encode(b, e.reason);
  fb::PackageCancelledBuilder t(b);
  t.add_package(e.package);
  t.add_at(e.at);
  t.add_reason(reason);
  return t.Finish();
}

Offset<fb::PackageClosedForDirectPayment> encode_event(Builder& b,
                                                       const eng::PackageClosedForDirectPayment& e) {
  fb::PackageClosedForDirectPaymentBuilder t(b);
  t.add_package(e.package);
  t.add_at(e.at);
  return t.Finish();
}

Offset<fb::OfferPlaced> encode_event(Builder& b, const eng::OfferPlaced& e) {
  const auto request = encode(b, e.request);
  const auto notes = encode(b, e.notes);
  fb::OfferPlacedBuilder t(b);
  t.add_package(e.package);
  t.add_location(e.location);
  t.add_request(request);
  t.add_price(e.price);
  t.add_start_date(e.start_date);
  t.add_must_meet_confirmed(e.must_meet_confirmed);
  t.add_notes(notes);
  t.add_at(e.at);
  t.add_amendment(e.amendment);
  t.add_abnormally_low(e.abnormally_low);
  return t.Finish();
}

Offset<fb::OfferWithdrawn> encode_event(Builder& b, const eng::OfferWithdrawn& e) {
  const auto request = encode(b, e.request);
  fb::OfferWithdrawnBuilder t(b);
  t.add_package(e.package);
  t.add_location(e.location);
  t.add_request(request);
  t.add_at(e.at);
  return t.Finish();
}

Offset<fb::WindowClosed> encode_event(Builder& b, const eng::WindowClosed& e) {
  fb::WindowClosedBuilder t(b);
  t.add_package(e.package);
  t.add_at(e.at);
  return t.Finish();
}

Offset<fb::ShortlistFormed> encode_event(Builder& b, const eng::ShortlistFormed& e) {
  const auto shortlist = encode_tables(b, e.shortlist);
  fb::ShortlistFormedBuilder t(b);
  t.add_package(e.package);
  t.add_at(e.at);
  t.add_closes_at(e.closes_at);
  t.add_shortlist(shortlist);
  return t.Finish();
}

Offset<fb::AwardHeld> encode_event(Builder& b, const eng::AwardHeld& e) {
  fb::AwardHeldBuilder t(b);
  t.add_package(e.package);
  t.add_location(e.location);
  t.add_at(e.at);
  return t.Finish();
}

Offset<fb::AbnormallyLowDecided> encode_event(Builder& b, const eng::AbnormallyLowDecided& e) {
  const auto officer = encode(b, e.officer);
  const auto reason = encode(b, e.reason);
  fb::AbnormallyLowDecidedBuilder t(b);
  t.add_package(e.package);
  t.add_location(e.location);
  t.add_accepted(e.accepted);
  t.add_officer(officer);
  t.add_reason(reason);
  t.add_at(e.at);
  return t.Finish();
}

Offset<fb::AwardOffered> encode_event(Builder& b, const eng::AwardOffered& e) {
  const auto reason = encode(b, e.reason);
  fb::AwardOfferedBuilder t(b);
  t.add_package(e.package);
  t.add_location(e.location);
  t.add_at(e.at);
  t.add_expires_at(e.expires_at);
  t.add_persons_choice(e.persons_choice);
  t.add_reason(reason);
  return t.Finish();
}

Offset<fb::AwardAccepted> encode_event(Builder& b, const eng::AwardAccepted& e) {
  const auto request = encode(b, e.request);
  fb::AwardAcceptedBuilder t(b);
  t.add_package(e.package);
  t.add_location(e.location);
  t.add_request(request);
  t.add_at(e.at);
  return t.Finish();
}

Offset<fb::AwardDeclined> encode_event(Builder& b, const eng::AwardDeclined& e) {
  const auto request = encode(b, e.request);
  const auto reason = encode(b, e.reason);
  fb::AwardDeclinedBuilder t(b);
  t.add_package(e.package);
  t.add_location(e.location);
  t.add_request(request);
  t.add_at(e.at);
  t.add_timed_out(e.timed_out);
  t.add_reason(reason);
  return t.Finish();
}

Offset<fb::PackageHandedBack> encode_event(Builder& b, const eng::PackageHandedBack& e) {
  const auto request = encode(b, e.request);
  const auto reason = encode(b, e.reason);
  fb::PackageHandedBackBuilder t(b);
  t.add_package(e.package);
  t.add_location(e.location);
  t.add_request(request);
  t.add_at(e.at);
  t.add_reason(reason);
  return t.Finish();
}

Offset<fb::PackageRetired> encode_event(Builder& b, const eng::PackageRetired& e) {
  const auto archive = encode_bytes(b, e.archive);
  fb::PackageRetiredBuilder t(b);
  t.add_package(e.package);
  t.add_at(e.at);
  t.add_archive(archive);
  return t.Finish();
}

Offset<fb::CommandKeyRecorded> encode_event(Builder& b, const eng::CommandKeyRecorded& e) {
  const auto caller = encode(b, e.caller);
  const auto key = encode(b, e.key);
  fb::CommandKeyRecordedBuilder t(b);
  t.add_caller(caller);
  t.add_key(key);
  t.add_payload_hash(e.payload_hash);
  t.add_package(e.package);
  t.add_expires_at(e.expires_at);
  return t.Finish();
}

template <typename T>
struct TableOf;
template <typename T>
struct TableOf<Offset<T>> {
  using type = T;
};

Offset<fb::EventRecord> encode_record(Builder& b, const eng::Event& event) {
  return std::visit(
      [&b](const auto& e) {
        const auto body = encode_event(b, e);
        using Table = typename TableOf<std::remove_const_t<decltype(body)>>::type;
        static_assert(fb::EventTraits<Table>::enum_value != fb::Event::NONE,
                      "every event table is a member of union Event");
        fb::EventRecordBuilder r(b);
        r.add_event_type(fb::EventTraits<Table>::enum_value);
        r.add_event(body.Union());
        return r.Finish();
      },
      event);
}

// ---- events: table → C++ ------------------------------------------------------------------------
// Designated initialisers name every field, in the struct's order; a field absent from the
// buffer reads as its schema default, which is the C++ default.

eng::ClockAdvanced decode_event(const fb::ClockAdvanced& t, DecodeErrors&) { return {.now = t.now()}; }

eng::CategoryDefined decode_event(const fb::CategoryDefined& t, DecodeErrors& errors) {
  return {.category = decode(t.category(), errors)};
}

eng::DpsConfigured decode_event(const fb::DpsConfigured& t, DecodeErrors& errors) {
  return {.config = decode(t.config(), errors)};
}

eng::CalendarSet decode_event(const fb::CalendarSet& t, DecodeErrors& errors) {
  return {.calendar = decode(t.calendar(), errors)};
}

eng::ProviderRegistered decode_event(const fb::ProviderRegistered& t, DecodeErrors&) {
  return {.provider = decode(t.provider()), .name = decode(t.name())};
}

eng::LocationRegistered decode_event(const fb::LocationRegistered& t, DecodeErrors&) {
  return {.location = decode(t.location()),
          .provider = decode(t.provider()),
          .name = decode(t.name()),
          .postcode = decode(t.postcode()),
          .local_authority = decode(t.local_authority())};
}

eng::ProviderStatusChanged decode_event(const fb::ProviderStatusChanged& t, DecodeErrors&) {
  return {.provider = decode(t.provider()),
          .in_administration = t.in_administration(),
          .contract_terminated = t.contract_terminated(),
          .reason = decode(t.reason())};
}

eng::MembershipChanged decode_event(const fb::MembershipChanged& t, DecodeErrors& errors) {
  return {.location = t.location(), .membership = decode(t.membership(), errors)};
}

eng::QualityInputsChanged decode_event(const fb::QualityInputsChanged& t, DecodeErrors& errors) {
  return {.location = t.location(), .inputs = decode(t.inputs(), errors)};
}

eng::PackagePosted decode_event(const fb::PackagePosted& t, DecodeErrors& errors) {
  return {.package = t.package(),
          .spec = decode(t.spec(), errors),
          .person = decode(t.person(), errors),
          .dps = t.dps(),
          .lot = t.lot(),
          .zone = t.zone(),
          .route = t.route(),
          .categories = t.categories(),
          .urgency = decode(t.urgency(), errors),
          .latest_start = t.latest_start(),
          .at = t.at()};
}

eng::TierOpened decode_event(const fb::TierOpened& t, DecodeErrors&) {
  return {.package = t.package(),
          .step = t.step(),
          .at = t.at(),
          .closes_at = t.closes_at(),
          .invited = decode(t.invited())};
}

eng::TierEnded decode_event(const fb::TierEnded& t, DecodeErrors&) {
  return {.package = t.package(), .step = t.step(), .at = t.at(), .reason = decode(t.reason())};
}

eng::PackageUnsourced decode_event(const fb::PackageUnsourced& t, DecodeErrors&) {
  return {.package = t.package(), .at = t.at()};
}

eng::PackageHeld decode_event(const fb::PackageHeld& t, DecodeErrors&) {
  return {.package = t.package(), .at = t.at(), .reason = decode(t.reason())};
}

eng::PackageReleased decode_event(const fb::PackageReleased& t, DecodeErrors&) {
  return {.package = t.package(), .at = t.at(), .closes_at = t.closes_at()};
}

eng::PackageCancelled decode_event(const fb::PackageCancelled& t, DecodeErrors&) {
  return {.package = t.package(), .at = t.at(), .reason = decode(t.reason())};
}

eng::PackageClosedForDirectPayment decode_event(const fb::PackageClosedForDirectPayment& t,
                                                DecodeErrors&) {
  return {.package = t.package(), .at = t.at()};
}

eng::OfferPlaced decode_event(const fb::OfferPlaced& t, DecodeErrors& errors) {
  return {.package = t.package(),
          .location = t.location(),
          .request = decode(t.request(), errors),
          .price = t.price(),
          .start_date = t.start_date(),
          .must_meet_confirmed = t.must_meet_confirmed(),
          .notes = decode(t.notes()),
          .at = t.at(),
          .amendment = t.amendment(),
          .abnormally_low = t.abnormally_low()};
}

eng::OfferWithdrawn decode_event(const fb::OfferWithdrawn& t, DecodeErrors& errors) {
  return {.package = t.package(),
          .location = t.location(),
          .request = decode(t.request(), errors),
          .at = t.at()};
}

eng::WindowClosed decode_event(const fb::WindowClosed& t, DecodeErrors&) {
  return {.package = t.package(), .at = t.at()};
}

eng::ShortlistFormed decode_event(const fb::ShortlistFormed& t, DecodeErrors& errors) {
  return {.package = t.package(),
          .at = t.at(),
          .closes_at = t.closes_at(),
          .shortlist = decode_tables<eng::ShortlistEntry>(t.shortlist(), errors)};
}

eng::AwardHeld decode_event(const fb::AwardHeld& t, DecodeErrors&) {
  return {.package = t.package(), .location = t.location(), .at = t.at()};
}

eng::AbnormallyLowDecided decode_event(const fb::AbnormallyLowDecided& t, DecodeErrors&) {
  return {.package = t.package(),
          .location = t.location(),
          .accepted = t.accepted(),
          .officer = decode(t.officer()),
          .reason = decode(t.reason()),
          .at = t.at()};
}

eng::AwardOffered decode_event(const fb::AwardOffered& t, DecodeErrors&) {
  return {.package = t.package(),
          .location = t.location(),
          .at = t.at(),
          .expires_at = t.expires_at(),
          .persons_choice = t.persons_choice(),
          .reason = decode(t.reason())};
}

eng::AwardAccepted decode_event(const fb::AwardAccepted& t, DecodeErrors& errors) {
  return {.package = t.package(),
          .location = t.location(),
          .request = decode(t.request(), errors),
          .at = t.at()};
}

eng::AwardDeclined decode_event(const fb::AwardDeclined& t, DecodeErrors& errors) {
  return {.package = t.package(),
          .location = t.location(),
          .request = decode(t.request(), errors),
          .at = t.at(),
          .timed_out = t.timed_out(),
          .reason = decode(t.reason())};
}

eng::PackageHandedBack decode_event(const fb::PackageHandedBack& t, DecodeErrors& errors) {
  return {.package = t.package(),
          .location = t.location(),
          .request = decode(t.request(), errors),
          .at = t.at(),
          .reason = decode(t.reason())};
}

eng::PackageRetired decode_event(const fb::PackageRetired& t, DecodeErrors&) {
  return {.package = t.package(), .at = t.at(), .archive = decode_bytes(t.archive())};
}

eng::CommandKeyRecorded decode_event(const fb::CommandKeyRecorded& t, DecodeErrors&) {
  return {.caller = decode(t.caller()),
          .key = decode(t.key()),
          .payload_hash = t.payload_hash(),
          .package = t.package(),
          .expires_at = t.expires_at()};
}

template <typename Table>
std::optional<eng::Event> decode_body(const fb::EventRecord& record, DecodeErrors& errors) {
  const auto* table = static_cast<const Table*>(record.event());
  if (!table) {
    errors.fail("the event has a type but no body");
    return std::nullopt;
  }
  return eng::Event{decode_event(*table, errors)};
}

/// nullopt with no error: a type this build does not know (or NONE).
std::optional<eng::Event> decode_record(const fb::EventRecord& r, DecodeErrors& errors) {
  using E = fb::Event;
  // No default: -Wswitch flags a union member appended to the schema but not decoded here.
  switch (r.event_type()) {
    case E::NONE: break;
    case E::ClockAdvanced: return decode_body<fb::ClockAdvanced>(r, errors);
    case E::CategoryDefined: return decode_body<fb::CategoryDefined>(r, errors);
    case E::DpsConfigured: return decode_body<fb::DpsConfigured>(r, errors);
    case E::CalendarSet: return decode_body<fb::CalendarSet>(r, errors);
    case E::ProviderRegistered: return decode_body<fb::ProviderRegistered>(r, errors);
    case E::LocationRegistered: return decode_body<fb::LocationRegistered>(r, errors);
    case E::ProviderStatusChanged: return decode_body<fb::ProviderStatusChanged>(r, errors);
    case E::MembershipChanged: return decode_body<fb::MembershipChanged>(r, errors);
    case E::QualityInputsChanged: return decode_body<fb::QualityInputsChanged>(r, errors);
    case E::PackagePosted: return decode_body<fb::PackagePosted>(r, errors);
    case E::TierOpened: return decode_body<fb::TierOpened>(r, errors);
    case E::TierEnded: return decode_body<fb::TierEnded>(r, errors);
    case E::PackageUnsourced: return decode_body<fb::PackageUnsourced>(r, errors);
    case E::PackageHeld: return decode_body<fb::PackageHeld>(r, errors);
    case E::PackageReleased: return decode_body<fb::PackageReleased>(r, errors);
    case E::PackageCancelled: return decode_body<fb::PackageCancelled>(r, errors);
    case E::PackageClosedForDirectPayment: return decode_body<fb::PackageClosedForDirectPayment>(r, errors);
    case E::OfferPlaced: return decode_body<fb::OfferPlaced>(r, errors);
    case E::OfferWithdrawn: return decode_body<fb::OfferWithdrawn>(r, errors);
    case E::WindowClosed: return decode_body<fb::WindowClosed>(r, errors);
    case E::ShortlistFormed: return decode_body<fb::ShortlistFormed>(r, errors);
    case E::AwardHeld: return decode_body<fb::AwardHeld>(r, errors);
    case E::AbnormallyLowDecided: return decode_body<fb::AbnormallyLowDecided>(r, errors);
    case E::AwardOffered: return decode_body<fb::AwardOffered>(r, errors);
    case E::AwardAccepted: return decode_body<fb::AwardAccepted>(r, errors);
    case E::AwardDeclined: return decode_body<fb::AwardDeclined>(r, errors);
    case E::PackageHandedBack: return decode_body<fb::PackageHandedBack>(r, errors);
    case E::PackageRetired: return decode_body<fb::PackageRetired>(r, errors);
    case E::CommandKeyRecorded: return decode_body<fb::CommandKeyRecorded>(r, errors);
  }
  return std::nullopt;
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
  std::vector<Offset<fb::EventRecord>> records;
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

DecodedBatch decode_batch(std::string_view bytes) {
  DecodedBatch out;
  const std::size_t size = bytes.size();
  if (size < kMinBatchBytes) {
    out.error = "journal batch of " + std::to_string(size) + " bytes is too short";
    return out;
  }
  if (size >= (FLATBUFFERS_MAX_BUFFER_SIZE)) {  // the Verifier asserts on such a buffer
    out.error = "journal batch of " + std::to_string(size) + " bytes exceeds the 2 GiB limit";
    return out;
  }
  const std::string_view identifier = bytes.substr(sizeof(flatbuffers::uoffset_t),
                                                   flatbuffers::kFileIdentifierLength);
  if (identifier != kJournalBatchIdentifier) {
    out.error = "not a journal batch: file identifier \"" + printable(identifier) +
                "\", expected \"" + std::string(kJournalBatchIdentifier) + "\"";
    return out;
  }
  if (size % kBatchAlignment != 0) {
    out.error = "journal batch of " + std::to_string(size) +
                " bytes is not a multiple of 8 (truncated?)";
    return out;
  }

  // The accessors read 8-byte scalars in place: give them an aligned copy if need be.
  std::unique_ptr<std::uint64_t[]> aligned;
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  if (reinterpret_cast<std::uintptr_t>(data) % kBatchAlignment != 0) {
    aligned = std::make_unique_for_overwrite<std::uint64_t[]>(size / kBatchAlignment);
    std::memcpy(aligned.get(), data, size);
    data = reinterpret_cast<const std::uint8_t*>(aligned.get());
  }

  flatbuffers::Verifier::Options options;
  options.max_depth = kMaxDepth;
  options.max_tables = static_cast<flatbuffers::uoffset_t>(size / kMinTableBytes);
  flatbuffers::Verifier verifier(data, size, options);
  if (!fb::VerifyJournalBatchBuffer(verifier)) {
    out.error = "journal batch fails verification";
    return out;
  }

  const fb::JournalBatch* batch = fb::GetJournalBatch(data);
  out.first_seq = batch->first_seq();
  out.last_seq = batch->last_seq();
  const auto* records = batch->events();
  const std::size_t count = records ? records->size() : 0;
  if (out.last_seq + 1 - out.first_seq != count) {  // modulo 2^64, as encode_batch writes it
    out.error = "batch says last_seq " + std::to_string(out.last_seq) + " but holds " +
                std::to_string(count) + " events from first_seq " + std::to_string(out.first_seq);
    return out;
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
    return out;
  }
  return out;
}

}  // namespace carebroker::codec
