// Reads a CQC CSV file by header name into rows for the market's import (ImportCqcRatings,
// engine/market/cqc_ratings.h). Four layouts are recognised by their columns:
//   locations             location_id, rating_as_published, rating_publication_date
//                         (data/cqc/cqc_birmingham_solihull_domiciliary_care_2026-09.csv)
//   rating_history        location_id, report_date, overall_rating
//                         (data/cqc/cqc_domcare_rating_history_bham_solihull.csv)
//   key_question_ratings  location_id, rating_overall, rating_safe, rating_effective,
//                         rating_caring, rating_responsive, rating_well_led, rating_date
//                         (data/cqc/cqc_birmingham_care_homes_kq_ratings.csv)
//   hsca_active_locations CQC's "HSCA Active Locations" file: Location ID,
//                         Location Latest Overall Rating, Publication Date
// Other columns are ignored. A file that lacks a layout's columns fails whole, naming the missing
// ones; a bad row (an unknown rating, a broken date, a rating without its date, a missing or
// malformed location ID, the wrong number of fields) is reported by its row number and the rest
// are read. Pure functions of text; not thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/market/cqc_ratings.h"

namespace carebroker::cqc {

struct CqcFile {
  std::string layout;                  ///< "locations", "rating_history", …
  std::vector<engine::CqcRow> rows;    ///< every data row, good or rejected, in file order
  std::vector<std::string> missing;    ///< required columns the file lacks (then `error` says so)
  std::string error;                   ///< empty when the file was read
};

/// Reads CSV text. Rows are numbered as a spreadsheet shows them, the header being row 1: the
/// line after the header is row `first_data_row` (2, unless the text is a later part of a file
/// sent in parts with its header repeated, which keeps the whole file's row numbers).
CqcFile read_cqc_file(std::string_view csv_text, int first_data_row = 2);

/// "Good", "good", "Requires Improvement", …: the CQC rating; blank or "Not Rated" = none.
/// False for anything else.
bool parse_cqc_rating(std::string_view text, engine::CqcRating& out);
/// "2024-01-04", "2024-01-04 00:00:00" or "04/01/2024" (CQC's spreadsheets): the date.
bool parse_cqc_date(std::string_view text, engine::Date& out);

}  // namespace carebroker::cqc
