// The journal encoding of the values events carry (configuration, calendar, membership, quality
// inputs, package spec, person, request reference, shortlist entry): one encode/decode pair per
// type between the engine's C++ values and the tables of schemas/journal.fbs.
// Internal to engine/codec: event_codec.cpp calls these while encoding or decoding a batch;
// nothing else should (use event_codec.h). Decoding reads only buffers that have passed the
// FlatBuffers Verifier. A missing table, string or vector decodes to the C++ default, so journals
// written before a field was appended still decode.
// Pure functions: thread-safe, they share nothing (a Builder or DecodeErrors is the caller's own).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "engine/events.h"
#include "schemas/journal_generated.h"

namespace carebroker::codec::detail {

namespace fb = carebroker::journal;
namespace eng = carebroker::engine;
using Builder = flatbuffers::FlatBufferBuilder;
template <typename T>
using Offset = flatbuffers::Offset<T>;

/// The first problem found while decoding a batch (later ones would only be consequences).
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

// ---- strings and vectors: empty values are not written (they read back as empty) -----------

Offset<flatbuffers::String> encode(Builder&, const std::string&);
Offset<flatbuffers::Vector<Offset<flatbuffers::String>>> encode(Builder&,
                                                                 const std::vector<std::string>&);
/// Bytes (not text) as [ubyte].
Offset<flatbuffers::Vector<std::uint8_t>> encode_bytes(Builder&, const std::string&);

template <typename T>
Offset<flatbuffers::Vector<T>> encode(Builder& b, const std::vector<T>& v) {
  static_assert(std::is_arithmetic_v<T>);
  return v.empty() ? Offset<flatbuffers::Vector<T>>() : b.CreateVector(v);
}

std::string decode(const flatbuffers::String*);
std::vector<std::string> decode(const flatbuffers::Vector<Offset<flatbuffers::String>>*);
std::string decode_bytes(const flatbuffers::Vector<std::uint8_t>*);

template <typename T>
std::vector<T> decode(const flatbuffers::Vector<T>* v) {
  static_assert(std::is_arithmetic_v<T>);
  return v ? std::vector<T>(v->begin(), v->end()) : std::vector<T>();
}

// ---- enums: identical numbering on both sides (static_asserted in value_codec.cpp) ---------

fb::Urgency encode(eng::Urgency);
fb::Funder encode(eng::Funder);
fb::Unit encode(eng::Unit);
fb::CqcRating encode(eng::CqcRating);
fb::PammsRating encode(eng::PammsRating);
fb::FsaRating encode(eng::FsaRating);
fb::MembershipStatus encode(eng::MembershipStatus);
fb::DistributionMode encode(eng::DistributionMode);
fb::RankingScheme encode(eng::RankingScheme);
fb::AuctionFormat encode(eng::AuctionFormat);

/// A value the schema does not know (a newer writer, or damage the Verifier cannot see) is an
/// error, never an out-of-range C++ enum.
eng::Urgency decode(fb::Urgency, DecodeErrors&);
eng::Funder decode(fb::Funder, DecodeErrors&);
eng::Unit decode(fb::Unit, DecodeErrors&);
eng::CqcRating decode(fb::CqcRating, DecodeErrors&);
eng::PammsRating decode(fb::PammsRating, DecodeErrors&);
eng::FsaRating decode(fb::FsaRating, DecodeErrors&);
eng::MembershipStatus decode(fb::MembershipStatus, DecodeErrors&);
eng::DistributionMode decode(fb::DistributionMode, DecodeErrors&);
eng::RankingScheme decode(fb::RankingScheme, DecodeErrors&);
eng::AuctionFormat decode(fb::AuctionFormat, DecodeErrors&);

// ---- tables: a null pointer (table absent) decodes to the default-constructed value ----------

Offset<fb::Category> encode(Builder&, const eng::Category&);
eng::Category decode(const fb::Category*, DecodeErrors&);

Offset<fb::Lot> encode(Builder&, const eng::Lot&);
eng::Lot decode(const fb::Lot*, DecodeErrors&);

Offset<fb::Zone> encode(Builder&, const eng::Zone&);
eng::Zone decode(const fb::Zone*, DecodeErrors&);

Offset<fb::Route> encode(Builder&, const eng::Route&);
eng::Route decode(const fb::Route*, DecodeErrors&);

Offset<fb::RankingPolicy> encode(Builder&, const eng::RankingPolicy&);
eng::RankingPolicy decode(const fb::RankingPolicy*, DecodeErrors&);

Offset<fb::QualityPolicy> encode(Builder&, const eng::QualityPolicy&);
eng::QualityPolicy decode(const fb::QualityPolicy*, DecodeErrors&);

Offset<fb::RiskPolicy> encode(Builder&, const eng::RiskPolicy&);
eng::RiskPolicy decode(const fb::RiskPolicy*, DecodeErrors&);

Offset<fb::WindowPolicy> encode(Builder&, const eng::WindowPolicy&);
eng::WindowPolicy decode(const fb::WindowPolicy*, DecodeErrors&);

Offset<fb::DpsConfig> encode(Builder&, const eng::DpsConfig&);
eng::DpsConfig decode(const fb::DpsConfig*, DecodeErrors&);

Offset<fb::WorkingCalendar> encode(Builder&, const eng::WorkingCalendar&);
eng::WorkingCalendar decode(const fb::WorkingCalendar*, DecodeErrors&);

Offset<fb::Membership> encode(Builder&, const eng::Membership&);
eng::Membership decode(const fb::Membership*, DecodeErrors&);

Offset<fb::QualityInputs> encode(Builder&, const eng::QualityInputs&);
eng::QualityInputs decode(const fb::QualityInputs*, DecodeErrors&);

Offset<fb::VisitPattern> encode(Builder&, const eng::VisitPattern&);
eng::VisitPattern decode(const fb::VisitPattern*, DecodeErrors&);

Offset<fb::PackageSpec> encode(Builder&, const eng::PackageSpec&);
eng::PackageSpec decode(const fb::PackageSpec*, DecodeErrors&);

Offset<fb::PersonDetails> encode(Builder&, const eng::PersonDetails&);
eng::PersonDetails decode(const fb::PersonDetails*, DecodeErrors&);

Offset<fb::RequestRef> encode(Builder&, const eng::RequestRef&);
eng::RequestRef decode(const fb::RequestRef*, DecodeErrors&);

Offset<fb::ShortlistEntry> encode(Builder&, const eng::ShortlistEntry&);
eng::ShortlistEntry decode(const fb::ShortlistEntry*, DecodeErrors&);

/// [Table] from a std::vector of values, and back (absent vector = empty).
template <typename Value>
auto encode_tables(Builder& b, const std::vector<Value>& values) {
  std::vector<decltype(encode(b, std::declval<const Value&>()))> offsets;
  using Result = decltype(b.CreateVector(offsets));
  if (values.empty()) return Result();
  offsets.reserve(values.size());
  for (const Value& v : values) offsets.push_back(encode(b, v));
  return b.CreateVector(offsets);
}

template <typename Value, typename Table>
std::vector<Value> decode_tables(const flatbuffers::Vector<Offset<Table>>* v, DecodeErrors& errors) {
  std::vector<Value> out;
  if (!v) return out;
  out.reserve(v->size());
  for (const Table* t : *v) out.push_back(decode(t, errors));
  return out;
}

}  // namespace carebroker::codec::detail
