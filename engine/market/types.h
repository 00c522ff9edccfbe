// The market's basic vocabulary: money, time, dates, identifiers and small enums.
// Used by every engine file. Plain values; no threads, no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace carebroker::engine {

/// Money is always integer pence (ARCHITECTURE.md: "Money is integer pence").
using Pence = std::int64_t;

/// A point in time: UTC milliseconds since the Unix epoch, as carried by tick commands.
using UtcMillis = std::int64_t;

/// A calendar date: days since 1970-01-01 (a civil date in Europe/London).
using Date = std::int32_t;

/// Engine-assigned package number; starts at 1, never reused.
using PackageId = std::uint64_t;

/// Internal dense index of a location (its position in the market's location table).
using LocationIndex = std::uint32_t;

/// Bit sets over the deployment's categories, or a DPS's lots / zones (at most 64 of each).
using CategoryMask = std::uint64_t;
using LotMask = std::uint64_t;
using ZoneMask = std::uint64_t;

inline constexpr UtcMillis kMillisPerMinute = 60'000;
inline constexpr UtcMillis kMillisPerHour = 60 * kMillisPerMinute;
inline constexpr UtcMillis kMillisPerDay = 24 * kMillisPerHour;
inline constexpr int kMaxMaskBits = 64;

enum class Urgency : std::uint8_t { urgent, standard, planned };
enum class Funder : std::uint8_t { council, nhs, joint, self_funder };
/// What a package's quantity counts and what an offer's price is for.
enum class Unit : std::uint8_t {
  hours,     ///< quantity in minutes per week; price is an hourly rate per carer
  places,    ///< quantity in places (a bed, a tenancy); price is per place per week
  sessions,  ///< quantity in sessions per week; price is per session
};

enum class CqcRating : std::uint8_t { none, outstanding, good, requires_improvement, inadequate };
enum class PammsRating : std::uint8_t { none, excellent, good, requires_improvement, poor };
/// Food Standards Agency hygiene rating: 0..5, or not applicable (most home care).
enum class FsaRating : std::uint8_t { not_applicable, r0, r1, r2, r3, r4, r5, awaiting };
enum class Rag : std::uint8_t { green, amber, red };

std::string_view to_string(Urgency);
std::string_view to_string(Funder);
std::string_view to_string(Unit);
std::string_view to_string(CqcRating);
std::string_view to_string(PammsRating);
std::string_view to_string(FsaRating);
std::string_view to_string(Rag);

/// Parses the stable names printed by to_string; false when the text names nothing.
bool parse(std::string_view, Urgency&);
bool parse(std::string_view, Funder&);
bool parse(std::string_view, Unit&);
bool parse(std::string_view, CqcRating&);
bool parse(std::string_view, PammsRating&);
bool parse(std::string_view, FsaRating&);

}  // namespace carebroker::engine
