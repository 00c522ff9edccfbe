// The archive record of a retired package; see archive_codec.h. The current form is encoded by
// the compile-time pairing of table_codec.h (struct ArchiveRecord <-> table ArchivedPackage).
#include "engine/codec/archive_codec.h"

#include <cstring>
#include <memory>
#include <type_traits>

#include "engine/codec/table_codec.h"

namespace carebroker::codec {

namespace detail {

/// The C++ side of table ArchivedPackage.
struct ArchiveRecord {
  std::uint32_t version = 0;
  eng::Package package;
  eng::SealedPerson person;
  eng::Placement placement;
};

template <>
struct TableOf<ArchiveRecord> {
  static constexpr std::string_view name = "ArchivedPackage";
  using type = fb::ArchivedPackage;
};

}  // namespace detail

namespace {

using namespace detail;

/// Every archive record is a multiple of this many bytes long.
constexpr std::size_t kArchiveAlignment = 8;

// ---- the legacy form: FROZEN ----------------------------------------------------------------------
// Archive records written before ArchivedPackage existed hold engine/market/serialize.h's encoding of
// (Package, PersonDetails) as the structs were then. That encoding is not stable (it follows the
// structs), so the layout of that time is frozen here, with a reader of its own: every integer,
// enum and bool is 8 bytes little-endian (a bool 0 or 1), a string or vector is an 8-byte count
// and its bytes or items, a struct its fields in order. NEVER EDIT these structs or this reader;
// if engine::Package changes, change only `upgrade` so the old record still maps onto it.

namespace v0 {

struct VisitPattern {
  int visits_per_day, minutes_per_visit, days_per_week;
};
struct PersonDetails {
  std::string name, address, postcode, case_reference;
};
struct PackageSpec {
  std::string dps, lot;
  std::vector<std::string> categories;
  std::string zone, postcode_district;
  std::int64_t quantity;
  VisitPattern visits;
  bool double_handed;
  std::int32_t start_date;
  std::vector<std::string> needs, outcomes, must_meet;
  engine::Urgency urgency;
  engine::Funder funder;
  std::int64_t price_ceiling, window;
  std::string officer;
};
struct Offer {
  std::uint32_t location;
  std::int64_t price;
  std::int32_t start_date;
  bool must_meet_confirmed;
  std::string notes;
  std::int64_t placed_at, amended_at;
  int version;
  bool withdrawn, declined;
  engine::AbnormallyLow abnormally_low;
};
struct ShortlistEntry {
  std::uint32_t location;
  int rank;
};
struct Package {
  std::uint64_t id;
  PackageSpec spec;
  int dps, lot, zone;
  std::uint64_t categories;
  int route;
  std::vector<int> route_tiers;
  engine::Urgency urgency;
  std::int32_t latest_start;
  std::int64_t posted_at;
  engine::PackageStatus status, held_from;
  std::int64_t hold_remaining;
  int step, round;
  std::int64_t opened_at, closes_at;
  std::vector<std::uint32_t> invited, ever_invited;
  std::vector<Offer> offers;
  std::vector<ShortlistEntry> shortlist;
  std::uint32_t award_location;
  bool has_award;
  std::int64_t award_expires;
  bool persons_choice;
  std::string award_reason;
  int tiers_tried, declines, hand_backs;
  std::int64_t closed_at;
  bool retired;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool done() const { return pos_ == in_.size(); }

  template <typename T>
  bool read(T& v) {
    if constexpr (std::is_same_v<T, bool>) {
      std::uint64_t raw = 0;
      if (!u64(raw) || raw > 1) return false;
      v = raw == 1;
      return true;
    } else if constexpr (std::is_enum_v<T>) {
      std::uint64_t raw = 0;
      if (!u64(raw) || raw > 0xff) return false;
      v = static_cast<T>(raw);
      return true;
    } else if constexpr (std::is_integral_v<T>) {
      std::uint64_t raw = 0;
      if (!u64(raw)) return false;
      v = static_cast<T>(raw);
      return true;
    } else if constexpr (std::is_same_v<T, std::string>) {
      std::uint64_t n = 0;
      if (!u64(n) || n > in_.size() - pos_) return false;
      v.assign(in_.data() + pos_, n);
      pos_ += n;
      return true;
    } else if constexpr (is_vector<T>::value) {
      std::uint64_t n = 0;
      if (!u64(n) || n > (in_.size() - pos_) / 8) return false;  // every item is >= 8 bytes
      v.assign(n, typename T::value_type{});
      for (auto& item : v)
        if (!read(item)) return false;
      return true;
    } else {
      bool ok = true;
      boost::pfr::for_each_field(v, [&](auto& field) { ok = ok && read(field); });
      return ok;
    }
  }

 private:
  bool u64(std::uint64_t& v) {
    if (in_.size() - pos_ < 8) return false;
    v = 0;
    for (int i = 0; i < 8; ++i) v |= std::uint64_t{static_cast<unsigned char>(in_[pos_ + i])} << (8 * i);
    pos_ += 8;
    return true;
  }

  std::string_view in_;
  std::size_t pos_ = 0;
};

}  // namespace v0

/// A frozen v0 value onto today's struct, field by field in walking order (today the walked
/// layouts are the same, a Shared<T> or Boxed<T> taking its T; when the engine's struct changes, give this
/// the mapping by hand). A value that does not fit today's field (a CompactInt's range) clears
/// `fits`.
template <typename To, typename From>
void upgrade(const From& from, To& to, bool& fits) {
  if constexpr (std::is_same_v<To, From>) {
    to = from;
  } else if constexpr (eng::is_compact_int<To>::value) {
    if (To::holds(from)) to = To(from);
    else fits = false;
  } else if constexpr (eng::is_indirect<To>::value) {
    typename To::element_type value{};
    upgrade(from, value, fits);
    to = std::move(value);
  } else if constexpr (is_vector<To>::value) {
    to.resize(from.size());
    for (std::size_t i = 0; i < from.size(); ++i) upgrade(from[i], to[i], fits);
  } else {
    // Fields appended to the engine's struct since v0 (PackageSpec's schedule, end date and
    // funding; Package's records) keep their defaults, which mean what a v0 record meant.
    static_assert(boost::pfr::tuple_size_v<To> >= boost::pfr::tuple_size_v<From>,
                  "engine struct changed: map the frozen v0 archive layout onto it by hand");
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (upgrade(boost::pfr::get<I>(from), eng::walked_field<I>(to), fits), ...);
    }(std::make_index_sequence<boost::pfr::tuple_size_v<From>>{});
  }
}

DecodedArchive decode_legacy(std::string_view bytes) {
  DecodedArchive out;
  v0::Package package{};
  v0::PersonDetails person{};
  v0::Reader reader(bytes);
  if (!reader.read(package) || !reader.read(person) || !reader.done()) {
    out.error = "unreadable archive record (neither an ArchivedPackage nor a legacy record)";
    return out;
  }
  bool fits = true;
  upgrade(package, out.package, fits);
  upgrade(person, out.person, fits);
  if (!fits) {
    out.error = "legacy archive record holds a value out of its field's range";
    return out;
  }
  out.legacy = true;
  return out;
}

}  // namespace

std::string encode_archive(const engine::Package& package, const engine::SealedPerson& person,
                           const engine::Placement& placement) {
  Builder b(1024);
  const ArchiveRecord record{kArchiveVersion, package, person, placement};
  const flatbuffers::uoffset_t root = encode_table(b, record);
  b.Align(kArchiveAlignment);  // makes Finish pad the whole record to a multiple of 8 bytes
  b.Finish(flatbuffers::Offset<void>(root), kArchiveIdentifier.data());
  return std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
}

DecodedArchive decode_archive(std::string_view bytes) {
  constexpr std::size_t kIdAt = sizeof(flatbuffers::uoffset_t);
  if (bytes.size() < kIdAt + flatbuffers::kFileIdentifierLength ||
      bytes.substr(kIdAt, flatbuffers::kFileIdentifierLength) != kArchiveIdentifier)
    return decode_legacy(bytes);

  DecodedArchive out;
  if (bytes.size() >= FLATBUFFERS_MAX_BUFFER_SIZE) {
    out.error = "archive record exceeds the 2 GiB limit";
    return out;
  }
  // The Verifier cannot see lost trailing padding (a string's, at the end): the length can.
  if (bytes.size() % kArchiveAlignment != 0) {
    out.error = "archive record of " + std::to_string(bytes.size()) + " bytes is not a multiple of 8 (truncated?)";
    return out;
  }
  // The accessors read 8-byte scalars in place: an aligned copy (archives are read rarely).
  auto aligned = std::make_unique_for_overwrite<std::uint64_t[]>(bytes.size() / 8 + 1);
  std::memcpy(aligned.get(), bytes.data(), bytes.size());
  const auto* data = reinterpret_cast<const std::uint8_t*>(aligned.get());
  flatbuffers::Verifier::Options options;
  options.max_depth = 16;
  options.max_tables = static_cast<flatbuffers::uoffset_t>(bytes.size() / 4);
  flatbuffers::Verifier verifier(data, bytes.size(), options);
  if (!verifier.VerifyBuffer<fb::ArchivedPackage>(kArchiveIdentifier.data())) {
    out.error = "archive record fails verification";
    return out;
  }
  DecodeErrors errors;
  ArchiveRecord record = decode_table<ArchiveRecord>(
      as_table(flatbuffers::GetRoot<fb::ArchivedPackage>(data)), errors);
  if (errors.any()) {
    out.error = "archive record: " + errors.first();
  } else if (record.version == 0 || record.version > kArchiveVersion) {
    out.error = "archive record version " + std::to_string(record.version) +
                " is not one this build reads (1.." + std::to_string(kArchiveVersion) + ")";
  } else {
    out.package = std::move(record.package);
    out.person = std::move(record.person);
    out.placement = std::move(record.placement);
  }
  return out;
}

}  // namespace carebroker::codec
