// CQC ratings imported from CQC's own files (issue 12, item 2): a location's rating history, the
// rows of a CQC file as read (engine/cqc/cqc_file.h turns CSV text into them), and the outcome
// of each row when the market imports them (Market::handle(ImportCqcRatings), market_cqc.cpp).
// The newest rating in a location's history is its current CQC rating (QualityInputs::cqc);
// older ones stay as history. Plain values; not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/market/types.h"

namespace carebroker::engine {

/// One published CQC rating of a location: the overall rating and, when the file gives them, the
/// five key questions (none = not given).
struct CqcRatingRecord {
  Date published = 0;  ///< the rating's publication (or report) date
  CqcRating overall = CqcRating::none;
  CqcRating safe = CqcRating::none;
  CqcRating effective = CqcRating::none;
  CqcRating caring = CqcRating::none;
  CqcRating responsive = CqcRating::none;
  CqcRating well_led = CqcRating::none;
  std::uint32_t import = 0;  ///< the import that recorded it (1, 2, …)
  bool operator==(const CqcRatingRecord&) const = default;

  /// This rating says nothing `held` does not: the same date and overall rating, and each key
  /// question either not given here or the same (a file without key questions does not erase
  /// those another file gave).
  bool covered_by(const CqcRatingRecord& held) const {
    auto same = [](CqcRating mine, CqcRating theirs) { return mine == CqcRating::none || mine == theirs; };
    return published == held.published && overall == held.overall && same(safe, held.safe) &&
           same(effective, held.effective) && same(caring, held.caring) && same(responsive, held.responsive) &&
           same(well_led, held.well_led);
  }
  /// `held` updated by this rating of the same date: its overall rating, and each key question
  /// it gives (one it does not give keeps the held rating when the overall rating is unchanged).
  CqcRatingRecord merged_into(const CqcRatingRecord& held) const {
    if (held.overall != overall) return *this;
    CqcRatingRecord r = *this;
    auto keep = [](CqcRating& mine, CqcRating theirs) { if (mine == CqcRating::none) mine = theirs; };
    keep(r.safe, held.safe);
    keep(r.effective, held.effective);
    keep(r.caring, held.caring);
    keep(r.responsive, held.responsive);
    keep(r.well_led, held.well_led);
    return r;
  }
};

/// One data row of a CQC file, as read. A good row names a location and gives a rating (with its
/// date) or none (no rating published); a bad row says why (`rejected`) and is never applied.
struct CqcRow {
  std::int32_t row = 0;  ///< the row number in the file, the header being row 1
  std::string location;  ///< CQC location ID, e.g. "1-2375497294"
  CqcRatingRecord rating;
  std::string rejected;  ///< empty = a good row
  bool operator==(const CqcRow&) const = default;
};

/// What became of a row. Only ever appended (journaled).
enum class CqcRowOutcome : std::uint8_t {
  rating_changed,       ///< the newest rating of the location: its current rating now
  history_added,        ///< older than the location's newest rating: kept as history
  record_updated,       ///< the same date as a rating held: its ratings replaced by the file's
  already_known,        ///< exactly a rating held (or given by an earlier row of the file)
  no_rating_published,  ///< a registered location the file gives no rating for (not yet rated)
  not_registered,       ///< a location not registered here: counted, not an error
  rejected,             ///< a bad row: nothing of it applied
};
std::string_view to_string(CqcRowOutcome);
/// The outcomes that change the location's history.
inline bool changes_history(CqcRowOutcome o) {
  return o == CqcRowOutcome::rating_changed || o == CqcRowOutcome::history_added || o == CqcRowOutcome::record_updated;
}

/// A row's outcome in an import's journaled report.
struct CqcImportRow {
  std::int32_t row = 0;
  std::string location;
  CqcRowOutcome outcome = CqcRowOutcome::rejected;
  std::string detail;  ///< why rejected; which row or rating it repeats
  CqcRatingRecord rating;
  bool operator==(const CqcImportRow&) const = default;
};

/// Inserts `r` into a history sorted by date (replacing a record of the same date).
void record_rating(std::vector<CqcRatingRecord>& history, const CqcRatingRecord& r);

}  // namespace carebroker::engine
