// THE CODEC IS PAIRED, NOT COPIED. Every field of every journaled C++ struct lives in two places
// only: the struct (engine/*.h) and its table in schemas/journal.fbs, in the same order. Nothing
// names a field a third time (but a struct laid out for size, whose walk_order lists its fields
// in table order — checked at compile time to name each once). Decision (issue 8, item 4): rather than generate C++ from the
// schema, the codec pairs the two at compile time:
//   - each struct is walked with Boost.PFR (field N, its C++ type, its value), in declaration
//     order unless the struct declares its walking order (engine/market/reflect.h walk_order: a
//     struct laid out for size); a Shared<T>, Boxed<T> or CompactInt<T, N> field
//     (engine/market/shared.h, boxed.h, compact_int.h) is paired, encoded and decoded as its T;
//   - the schema's text is parsed at compile time (schema_fields.h) into tables whose fields are
//     in slot order with their types, defaults and (deprecated) marks;
//   - field N of the struct is the N-th live (not deprecated) field of its table. Its vtable
//     offset is FlatBuffers' layout rule 4 + 2 * slot, so a deprecated field keeps its slot and
//     fields appended to the schema (and struct) get the next slots: schema evolution works as
//     it always did;
//   - FieldPair<Struct, N> static_asserts that the two agree: the number of live fields, and
//     each field's type (bool/int/uint/long/ulong/… by width and sign, a registered enum by
//     name, string, [ubyte] for bytes held in a std::string, [scalar], [string], a registered
//     table by name, [table]). A field added to one and not the other fails the build.
//   - one generic encoder and decoder per kind of field (scalar, enum, string, bytes, vector of
//     scalars, vector of strings, table, vector of tables) reads and writes the slot through
//     FlatBuffers' untyped Table / FlatBufferBuilder API. Scalars use the SCHEMA's default (a
//     field holding it is not written; a missing field reads as it), so a C++ default changed
//     later never changes what old journals mean.
// The generated code (schemas/journal_generated.h) still provides the Verifier, which runs on
// every buffer before it is read, the enums and the union; it and this pairing come from the same
// journal.fbs. To journal a new struct: add its table to journal.fbs and one CAREBROKER_JOURNAL_
// TABLE line below (an enum: CAREBROKER_JOURNAL_ENUM, plus its value checks in event_codec.cpp).
// Internal to engine/codec and the archive; decoding reads only buffers the Verifier passed.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/pfr/core.hpp>
#include <flatbuffers/flatbuffers.h>

#include "engine/codec/schema_fields.h"
#include "engine/market/events.h"
#include "schemas/journal_generated.h"

namespace carebroker::codec::detail {

namespace fb = carebroker::journal;
namespace eng = carebroker::engine;
using Builder = flatbuffers::FlatBufferBuilder;

/// The first problem found while decoding (later ones would only be consequences).
class DecodeErrors {
 public:
  void fail(std::string what) {
    if (first_.empty()) first_ = std::move(what);
  }
  bool any() const { return !first_.empty(); }
  const std::string& first() const { return first_; }

 private:
  std::string first_;
};

// ---- registration: which schema table is a struct, which schema enum is an enum ------------------

template <typename T>
struct TableOf;  // { static constexpr std::string_view name; using type = fb::<name>; }
template <typename T>
struct EnumOf;  // { static constexpr std::string_view name; using type = fb::<name>; }

#define CAREBROKER_JOURNAL_TABLE(T)                \
  template <>                                      \
  struct TableOf<eng::T> {                         \
    static constexpr std::string_view name = #T;   \
    using type = fb::T;                            \
  };
#define CAREBROKER_JOURNAL_ENUM(T)                 \
  template <>                                      \
  struct EnumOf<eng::T> {                          \
    static constexpr std::string_view name = #T;   \
    using type = fb::T;                            \
  };

CAREBROKER_JOURNAL_ENUM(Urgency)
CAREBROKER_JOURNAL_ENUM(Funder)
CAREBROKER_JOURNAL_ENUM(Unit)
CAREBROKER_JOURNAL_ENUM(CqcRating)
CAREBROKER_JOURNAL_ENUM(PammsRating)
CAREBROKER_JOURNAL_ENUM(FsaRating)
CAREBROKER_JOURNAL_ENUM(MembershipStatus)
CAREBROKER_JOURNAL_ENUM(DistributionMode)
CAREBROKER_JOURNAL_ENUM(RankingScheme)
CAREBROKER_JOURNAL_ENUM(AuctionFormat)
CAREBROKER_JOURNAL_ENUM(PackageStatus)
CAREBROKER_JOURNAL_ENUM(AbnormallyLow)
CAREBROKER_JOURNAL_ENUM(TierEndReason)
CAREBROKER_JOURNAL_ENUM(ContractActionKind)
CAREBROKER_JOURNAL_ENUM(ContractActionStatus)
CAREBROKER_JOURNAL_ENUM(PlacementEndReason)
CAREBROKER_JOURNAL_ENUM(PlacementStatus)

// Values events (and archives) carry.
CAREBROKER_JOURNAL_TABLE(Category)
CAREBROKER_JOURNAL_TABLE(Lot)
CAREBROKER_JOURNAL_TABLE(Zone)
CAREBROKER_JOURNAL_TABLE(Route)
CAREBROKER_JOURNAL_TABLE(RankingPolicy)
CAREBROKER_JOURNAL_TABLE(QualityPolicy)
CAREBROKER_JOURNAL_TABLE(RiskPolicy)
CAREBROKER_JOURNAL_TABLE(WindowPolicy)
CAREBROKER_JOURNAL_TABLE(DpsConfig)
CAREBROKER_JOURNAL_TABLE(WorkingCalendar)
CAREBROKER_JOURNAL_TABLE(Membership)
CAREBROKER_JOURNAL_TABLE(QualityInputs)
CAREBROKER_JOURNAL_TABLE(VisitPattern)
CAREBROKER_JOURNAL_TABLE(VisitCall)
CAREBROKER_JOURNAL_TABLE(FundingShare)
CAREBROKER_JOURNAL_TABLE(PackageSpec)
CAREBROKER_JOURNAL_TABLE(SealedPerson)
CAREBROKER_JOURNAL_TABLE(RequestRef)
CAREBROKER_JOURNAL_TABLE(ShortlistEntry)
CAREBROKER_JOURNAL_TABLE(Offer)
CAREBROKER_JOURNAL_TABLE(OfferExplanation)
CAREBROKER_JOURNAL_TABLE(SpotPurchase)
CAREBROKER_JOURNAL_TABLE(PackageDecision)
CAREBROKER_JOURNAL_TABLE(PackageRecords)
CAREBROKER_JOURNAL_TABLE(Package)
CAREBROKER_JOURNAL_TABLE(ContractActionUpdate)
CAREBROKER_JOURNAL_TABLE(PendingVariation)
CAREBROKER_JOURNAL_TABLE(Placement)
// Events: every alternative of engine::Event (event_codec.cpp checks the union's order).
CAREBROKER_JOURNAL_TABLE(ClockAdvanced)
CAREBROKER_JOURNAL_TABLE(CategoryDefined)
CAREBROKER_JOURNAL_TABLE(DpsConfigured)
CAREBROKER_JOURNAL_TABLE(CalendarSet)
CAREBROKER_JOURNAL_TABLE(ProviderRegistered)
CAREBROKER_JOURNAL_TABLE(LocationRegistered)
CAREBROKER_JOURNAL_TABLE(ProviderStatusChanged)
CAREBROKER_JOURNAL_TABLE(MembershipChanged)
CAREBROKER_JOURNAL_TABLE(QualityInputsChanged)
CAREBROKER_JOURNAL_TABLE(PackagePosted)
CAREBROKER_JOURNAL_TABLE(TierOpened)
CAREBROKER_JOURNAL_TABLE(TierEnded)
CAREBROKER_JOURNAL_TABLE(PackageUnsourced)
CAREBROKER_JOURNAL_TABLE(PackageHeld)
CAREBROKER_JOURNAL_TABLE(PackageReleased)
CAREBROKER_JOURNAL_TABLE(PackageCancelled)
CAREBROKER_JOURNAL_TABLE(PackageClosedForDirectPayment)
CAREBROKER_JOURNAL_TABLE(OfferPlaced)
CAREBROKER_JOURNAL_TABLE(OfferWithdrawn)
CAREBROKER_JOURNAL_TABLE(WindowClosed)
CAREBROKER_JOURNAL_TABLE(ShortlistFormed)
CAREBROKER_JOURNAL_TABLE(AwardHeld)
CAREBROKER_JOURNAL_TABLE(AbnormallyLowDecided)
CAREBROKER_JOURNAL_TABLE(AwardOffered)
CAREBROKER_JOURNAL_TABLE(AwardAccepted)
CAREBROKER_JOURNAL_TABLE(AwardDeclined)
CAREBROKER_JOURNAL_TABLE(PackageHandedBack)
CAREBROKER_JOURNAL_TABLE(PackageRetired)
CAREBROKER_JOURNAL_TABLE(CommandKeyRecorded)
CAREBROKER_JOURNAL_TABLE(OfferExplained)
CAREBROKER_JOURNAL_TABLE(SpotPurchaseRecorded)
CAREBROKER_JOURNAL_TABLE(ContractActionIssued)
CAREBROKER_JOURNAL_TABLE(ContractActionUpdated)
CAREBROKER_JOURNAL_TABLE(PlacementHandedBack)
CAREBROKER_JOURNAL_TABLE(PlacementEndScheduled)
CAREBROKER_JOURNAL_TABLE(PlacementEnded)
CAREBROKER_JOURNAL_TABLE(VariationProposed)
CAREBROKER_JOURNAL_TABLE(VariationAccepted)
CAREBROKER_JOURNAL_TABLE(VariationSentToMarket)
CAREBROKER_JOURNAL_TABLE(PlacementReprocured)
CAREBROKER_JOURNAL_TABLE(PackageAmendment)
CAREBROKER_JOURNAL_TABLE(ClarificationQuestion)
CAREBROKER_JOURNAL_TABLE(PackageAmended)
CAREBROKER_JOURNAL_TABLE(QuestionAsked)
CAREBROKER_JOURNAL_TABLE(QuestionAnswered)
// Values appended later (issue 12).
CAREBROKER_JOURNAL_TABLE(CostModel)
CAREBROKER_JOURNAL_ENUM(CqcRowOutcome)
CAREBROKER_JOURNAL_TABLE(CqcRatingRecord)
CAREBROKER_JOURNAL_TABLE(CqcImportRow)
CAREBROKER_JOURNAL_TABLE(CqcRatingsImported)
// The early-warning history (issue 12 item 3).
CAREBROKER_JOURNAL_ENUM(Rag)
CAREBROKER_JOURNAL_TABLE(RagChange)
CAREBROKER_JOURNAL_TABLE(RagChanged)
// Assessment cycles (issue 12 item 1).
CAREBROKER_JOURNAL_TABLE(AssessmentStandard)
CAREBROKER_JOURNAL_TABLE(AssessmentDomain)
CAREBROKER_JOURNAL_TABLE(PammsRatingRule)
CAREBROKER_JOURNAL_TABLE(AssessmentFramework)
CAREBROKER_JOURNAL_TABLE(StandardScore)
CAREBROKER_JOURNAL_TABLE(DomainScore)
CAREBROKER_JOURNAL_TABLE(DomainChange)
CAREBROKER_JOURNAL_TABLE(SelfAssessment)
CAREBROKER_JOURNAL_TABLE(PammsAssessment)
CAREBROKER_JOURNAL_TABLE(SelfAssessmentSubmitted)
CAREBROKER_JOURNAL_TABLE(SelfAssessmentValidated)
CAREBROKER_JOURNAL_TABLE(PammsAssessed)
// KPIs (issue 12 item 4).
CAREBROKER_JOURNAL_ENUM(KpiKind)
CAREBROKER_JOURNAL_TABLE(Kpi)
CAREBROKER_JOURNAL_TABLE(KpiValue)
CAREBROKER_JOURNAL_TABLE(KpiReturn)
CAREBROKER_JOURNAL_TABLE(KpiReturnSubmitted)
// Personal data (issue 13).
CAREBROKER_JOURNAL_TABLE(PersonErased)
CAREBROKER_JOURNAL_TABLE(QualityPart)
CAREBROKER_JOURNAL_TABLE(QualityAtClose)
// FSA hygiene ratings imported (issue 12 item 2).
CAREBROKER_JOURNAL_ENUM(FsaRowOutcome)
CAREBROKER_JOURNAL_TABLE(FsaImportRow)
CAREBROKER_JOURNAL_TABLE(FsaRatingsImported)

#undef CAREBROKER_JOURNAL_TABLE
#undef CAREBROKER_JOURNAL_ENUM

// ---- pairing: struct field N <-> live table field N, checked at compile time ---------------------

template <typename T>
struct is_vector : std::false_type {};
template <typename T, typename A>
struct is_vector<std::vector<T, A>> : std::true_type {};

/// The schema's name of a C++ scalar type (by width and sign), or "" if it has none.
template <typename T>
constexpr std::string_view scalar_name() {
  if constexpr (std::is_same_v<T, bool>) return "bool";
  else if constexpr (!std::is_integral_v<T>) return "";
  else if constexpr (sizeof(T) == 1) return std::is_signed_v<T> ? "byte" : "ubyte";
  else if constexpr (sizeof(T) == 2) return std::is_signed_v<T> ? "short" : "ushort";
  else if constexpr (sizeof(T) == 4) return std::is_signed_v<T> ? "int" : "uint";
  else if constexpr (sizeof(T) == 8) return std::is_signed_v<T> ? "long" : "ulong";
  else return "";
}

template <typename E>
constexpr bool element_matches(std::string_view s) {
  if constexpr (std::is_same_v<E, std::string>) return s == "string";
  else if constexpr (std::is_arithmetic_v<E>) return s == scalar_name<E>();
  else return s == TableOf<E>::name;
}

template <typename F>
constexpr bool type_matches(std::string_view s) {
  if constexpr (eng::is_indirect<F>::value) {
    return type_matches<typename F::element_type>(s);
  } else if constexpr (std::is_enum_v<F>) {
    return s == EnumOf<F>::name;
  } else if constexpr (std::is_arithmetic_v<F>) {
    return !scalar_name<F>().empty() && s == scalar_name<F>();
  } else if constexpr (std::is_same_v<F, std::string>) {
    return s == "string" || s == "[ubyte]";
  } else if constexpr (is_vector<F>::value) {
    return s.size() > 2 && s.front() == '[' && s.back() == ']' &&
           element_matches<typename F::value_type>(s.substr(1, s.size() - 2));
  } else {
    return s == TableOf<F>::name;
  }
}

template <typename T>
struct Layout {
  static constexpr std::size_t index = schema::kJournalSchema.table_index(TableOf<T>::name);
  static_assert(index < schema::kJournalSchema.table_count, "a registered struct has no table of its name in journal.fbs");
  static constexpr const schema::TableDecl& decl = schema::kJournalSchema.tables[index];
  static constexpr std::size_t size = boost::pfr::tuple_size_v<T>;
  static_assert(schema::live_field_count(decl) == size,
                "the struct and its journal.fbs table have different numbers of live fields: "
                "add a field to both, in the same position (appended at the end of the table)");

  /// Live field i of the table, and its vtable offset (FlatBuffers: 4 + 2 * slot).
  static constexpr schema::FieldDecl field(std::size_t i) {
    return decl.fields[schema::slot_of_live_field(decl, i)];
  }
  static constexpr flatbuffers::voffset_t voffset(std::size_t i) {
    return static_cast<flatbuffers::voffset_t>(4 + 2 * schema::slot_of_live_field(decl, i));
  }
  static constexpr bool is_bytes(std::size_t i) { return field(i).type == "[ubyte]"; }
};

/// Field I of struct T and live field I of its table: same kind and type.
template <typename T, std::size_t I>
struct FieldPair {
  using F = eng::walked_field_t<T, I>;
  static_assert(type_matches<F>(Layout<T>::field(I).type),
                "struct field I and table field I disagree in type (see FieldPair<Struct, I>)");
  static constexpr bool ok = true;
};

template <typename T>
constexpr bool paired() {
  return []<std::size_t... I>(std::index_sequence<I...>) {
    return (FieldPair<T, I>::ok && ... && true);
  }(std::make_index_sequence<Layout<T>::size>{});
}

// ---- encoding ---------------------------------------------------------------------------------
// Strings, vectors and child tables are built first (FlatBuffers cannot nest the building of two
// tables), then the table, its fields added in slot order. Empty strings and vectors are not
// written (they read back as empty); child tables always are.

template <typename T>
flatbuffers::uoffset_t encode_table(Builder& b, const T& value);

template <typename F>
flatbuffers::uoffset_t encode_child(Builder& b, const F& f, bool bytes) {
  if constexpr (eng::is_indirect<F>::value) {
    return encode_child(b, *f, bytes);
  } else if constexpr (std::is_same_v<F, std::string>) {
    if (f.empty()) return 0;
    return bytes ? b.CreateVector(reinterpret_cast<const std::uint8_t*>(f.data()), f.size()).o
                 : b.CreateString(f).o;
  } else if constexpr (is_vector<F>::value) {
    using E = typename F::value_type;
    if (f.empty()) return 0;
    if constexpr (std::is_arithmetic_v<E>) {
      return b.CreateVector(f).o;
    } else {
      std::vector<flatbuffers::Offset<void>> offsets;
      offsets.reserve(f.size());
      for (const E& e : f) {
        if constexpr (std::is_same_v<E, std::string>)
          offsets.emplace_back(b.CreateString(e).o);
        else
          offsets.emplace_back(encode_table(b, e));
      }
      return b.CreateVector(offsets).o;
    }
  } else {
    return encode_table(b, f);
  }
}

/// A field's scalar: itself, or the T a CompactInt<T, N> holds (journaled as a T).
template <typename F>
struct field_scalar {
  using type = F;
};
template <typename T, std::size_t N>
struct field_scalar<eng::CompactInt<T, N>> {
  using type = T;
};

template <typename F>
constexpr bool is_scalar_field = std::is_arithmetic_v<typename field_scalar<F>::type> || std::is_enum_v<F>;

template <typename F, typename S = typename field_scalar<F>::type>
using wire_type = typename std::conditional_t<std::is_same_v<S, bool>, std::type_identity<std::uint8_t>,
                                              std::conditional_t<std::is_enum_v<S>, std::underlying_type<S>,
                                                                 std::type_identity<S>>>::type;

template <typename T>
flatbuffers::uoffset_t encode_table(Builder& b, const T& value) {
  static_assert(paired<T>());
  using L = Layout<T>;
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    std::array<flatbuffers::uoffset_t, L::size> children{};
    (
        [&] {
          using F = eng::walked_field_t<T, I>;
          if constexpr (!is_scalar_field<F>)
            children[I] = encode_child(b, eng::walked_field<I>(value), L::is_bytes(I));
        }(),
        ...);
    const flatbuffers::uoffset_t start = b.StartTable();
    (
        [&] {
          using F = eng::walked_field_t<T, I>;
          constexpr flatbuffers::voffset_t vo = L::voffset(I);
          if constexpr (is_scalar_field<F>) {
            using W = wire_type<F>;
            constexpr W def = static_cast<W>(schema::parse_default(L::field(I)));
            b.AddElement<W>(vo, static_cast<W>(eng::walked_field<I>(value)), def);
          } else if (children[I] != 0) {
            b.AddOffset(vo, flatbuffers::Offset<void>(children[I]));
          }
        }(),
        ...);
    return b.EndTable(start);
  }(std::make_index_sequence<L::size>{});
}

// ---- decoding ---------------------------------------------------------------------------------
// An absent table decodes to the default-constructed value; a missing scalar to its schema
// default; a missing string or vector to empty. Enum values this build does not know are errors.

template <typename T>
T decode_table(const flatbuffers::Table* t, DecodeErrors& errors);

/// Field I of a struct, read from its slot; returned by value so that decode_table initialises
/// every field in place (aggregate initialisation), as hand-written designated initialisers did.
template <typename F, typename L, std::size_t I>
[[gnu::always_inline]] inline F decode_value(const flatbuffers::Table& t, DecodeErrors& errors) {
  constexpr flatbuffers::voffset_t vo = L::voffset(I);
  if constexpr (eng::is_compact_int<F>::value) {
    const typename F::element_type value = decode_value<typename F::element_type, L, I>(t, errors);
    if (F::holds(value)) return F(value);
    errors.fail("value " + std::to_string(value) + " is out of its field's range");
    return F();
  } else if constexpr (eng::is_indirect<F>::value) {
    return F(decode_value<typename F::element_type, L, I>(t, errors));
  } else if constexpr (is_scalar_field<F>) {
    using W = wire_type<F>;
    constexpr W def = static_cast<W>(schema::parse_default(L::field(I)));
    const W raw = t.GetField<W>(vo, def);
    if constexpr (std::is_same_v<F, bool>) {
      return raw != 0;
    } else if constexpr (std::is_enum_v<F>) {
      using Fb = typename EnumOf<F>::type;
      if (static_cast<unsigned>(raw) > static_cast<unsigned>(Fb::MAX)) {
        errors.fail("unknown " + std::string(EnumOf<F>::name) + " " +
                    std::to_string(static_cast<unsigned>(raw)));
        return F{};
      }
      return static_cast<F>(raw);
    } else {
      return raw;
    }
  } else if constexpr (std::is_same_v<F, std::string>) {
    if constexpr (L::is_bytes(I)) {
      const auto* v = t.GetPointer<const flatbuffers::Vector<std::uint8_t>*>(vo);
      return v ? std::string(reinterpret_cast<const char*>(v->data()), v->size()) : std::string();
    } else {
      const auto* s = t.GetPointer<const flatbuffers::String*>(vo);
      return s ? std::string(s->c_str(), s->size()) : std::string();
    }
  } else if constexpr (is_vector<F>::value) {
    using E = typename F::value_type;
    F out;
    if constexpr (std::is_arithmetic_v<E>) {
      if (const auto* v = t.GetPointer<const flatbuffers::Vector<E>*>(vo)) out.assign(v->begin(), v->end());
    } else if constexpr (std::is_same_v<E, std::string>) {
      if (const auto* v = t.GetPointer<const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>*>(vo)) {
        out.reserve(v->size());
        for (const flatbuffers::String* s : *v) out.emplace_back(s->c_str(), s->size());
      }
    } else {
      if (const auto* v = t.GetPointer<const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::Table>>*>(vo)) {
        out.reserve(v->size());
        for (const flatbuffers::Table* child : *v) out.push_back(decode_table<E>(child, errors));
      }
    }
    return out;
  } else {
    return decode_table<F>(t.GetPointer<const flatbuffers::Table*>(vo), errors);
  }
}

template <typename T>
T decode_table(const flatbuffers::Table* t, DecodeErrors& errors) {
  static_assert(paired<T>());
  if (!t) return T{};
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    if constexpr (eng::has_walk_order<T>) {
      // Declared in another order than walked: each field assigned in walking order.
      T out{};
      ((eng::walked_field<I>(out) = decode_value<eng::walked_field_t<T, I>, Layout<T>, I>(*t, errors)), ...);
      return out;
    } else {
      // Braced initialisation evaluates the fields in order, each straight into its place.
      return T{decode_value<boost::pfr::tuple_element_t<I, T>, Layout<T>, I>(*t, errors)...};
    }
  }(std::make_index_sequence<Layout<T>::size>{});
}

/// The untyped view of a generated table (they inherit flatbuffers::Table privately).
template <typename Generated>
const flatbuffers::Table* as_table(const Generated* t) {
  return reinterpret_cast<const flatbuffers::Table*>(t);
}

}  // namespace carebroker::codec::detail
