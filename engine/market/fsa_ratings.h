// Food hygiene ratings imported from the Food Standards Agency's FHRS files (issue 12, item 2):
// the rows of an FSA file as read (engine/cqc/fsa_file.h turns CSV text into them), the outcome
// of each row when the market imports them (Market::handle(ImportFsaRatings), market_fsa.cpp),
// and the rating a location holds from an import. A location's FSA rating is one early-warning
// input (QualityInputs::fsa, FSA 0–2 counts towards Amber); the newest imported rating sets it,
// an older one than the rating held is kept out. Plain values; not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/market/types.h"

namespace carebroker::engine {

/// The FSA rating a location holds from an import: which establishment's rating, of what date,
/// and the import and row that brought it. rated_on 0 = none imported yet.
struct FsaRatingRecord {
  Date rated_on = 0;
  FsaRating rating = FsaRating::not_applicable;
  std::string fhrsid;        ///< the FSA's establishment id (its evidence reference)
  std::uint32_t import = 0;  ///< the FSA import that recorded it (1, 2, …)
  std::int32_t row = 0;      ///< its row in that import's file
  bool operator==(const FsaRatingRecord&) const = default;
};

/// One data row of an FSA file, as read. A good row names a location and an establishment and
/// gives a rating 0–5 with its date, or no rating (`awaiting`: awaiting inspection or
/// publication; `not_applicable`: exempt); a bad row says why (`rejected`) and is never applied.
struct FsaRow {
  std::int32_t row = 0;       ///< the row number in the file, the header being row 1
  std::string location;       ///< CQC location ID the council matched the establishment to
  std::string fhrsid;         ///< FHRSID
  std::string business;       ///< BusinessName (at most 100 bytes; "" when the file has none)
  FsaRating rating = FsaRating::not_applicable;
  Date rated_on = 0;          ///< RatingDate; 0 = none given
  std::string rejected;       ///< empty = a good row
  bool operator==(const FsaRow&) const = default;
};

/// A rating 0–5, as opposed to exempt or awaiting (no rating).
inline bool is_hygiene_rating(FsaRating r) {
  return r == FsaRating::r0 || r == FsaRating::r1 || r == FsaRating::r2 || r == FsaRating::r3 ||
         r == FsaRating::r4 || r == FsaRating::r5;
}

/// What became of a row. Only ever appended (journaled).
enum class FsaRowOutcome : std::uint8_t {
  rating_changed,    ///< the location's newest rating, another value than its FSA input: the input now
  rating_confirmed,  ///< the location's newest rating, the value its FSA input has: its date recorded
  already_known,     ///< the rating held already (or given by an earlier row of the file)
  older_than_held,   ///< older than the rating the location holds: kept out
  no_rating,         ///< exempt, or awaiting inspection or publication: nothing changes
  not_registered,    ///< a location not registered here: counted, not an error
  rejected,          ///< a bad row: nothing of it applied
};
std::string_view to_string(FsaRowOutcome);
/// The outcomes that make the row the location's held rating.
inline bool holds_rating(FsaRowOutcome o) {
  return o == FsaRowOutcome::rating_changed || o == FsaRowOutcome::rating_confirmed;
}

/// A row's outcome in an FSA import's journaled report.
struct FsaImportRow {
  std::int32_t row = 0;
  std::string location;
  std::string fhrsid;
  std::string business;
  FsaRowOutcome outcome = FsaRowOutcome::rejected;
  std::string detail;  ///< why rejected or kept out; which row or import it repeats
  FsaRating rating = FsaRating::not_applicable;
  Date rated_on = 0;
  bool operator==(const FsaImportRow&) const = default;
};

}  // namespace carebroker::engine
