// Reads a Food Standards Agency food hygiene rating (FHRS) file by header name into rows for the
// market's FSA import (ImportFsaRatings, engine/market/fsa_ratings.h). The columns are FHRS's
// open-data names — FHRSID, RatingValue, RatingDate (BusinessName kept for the report when
// present; PostCode, LocalAuthorityName and the rest ignored) — plus the column the council adds
// when it matches establishments to CQC locations: `location_id` (as in data/cqc) or CQC's own
// `Location ID`, exactly one of them. RatingValue:
//   0 … 5                                   a rating; its RatingDate is required
//   Exempt, AwaitingInspection,             no rating (FsaRating::not_applicable for exempt,
//   AwaitingPublication                     ::awaiting for the two others): counted, not an error
//   Pass, Pass and Eat Safe,                Scotland's FHIS results: rejected (not a rating 0–5)
//   Improvement Required
//   anything else                           rejected
// Values are read without regard to case, spaces or hyphens ("Awaiting Inspection" =
// "AwaitingInspection"). A file that lacks a required column fails whole, naming it; a bad row (a
// missing or malformed location ID or FHRSID, a rating out of range, a broken or missing date,
// the wrong number of fields) is reported by its row number and the rest are read. Pure
// functions of text; not thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/market/fsa_ratings.h"

namespace carebroker::cqc {

struct FsaFile {
  std::string location_column;         ///< "location_id" or "Location ID"
  std::vector<engine::FsaRow> rows;    ///< every data row, good or rejected, in file order
  std::vector<std::string> missing;    ///< required columns the file lacks (then `error` says so)
  std::string error;                   ///< empty when the file was read
};

/// Reads CSV text; rows are numbered as read_cqc_file numbers them (the header is row 1; a later
/// part of a file sent in parts starts at `first_data_row`).
FsaFile read_fsa_file(std::string_view csv_text, int first_data_row = 2);

/// A RatingValue: true with the rating (r0..r5, awaiting, or not_applicable for exempt), or false
/// with why it is refused in `why` (which names the value).
bool parse_fsa_rating(std::string_view text, engine::FsaRating& out, std::string& why);

}  // namespace carebroker::cqc
