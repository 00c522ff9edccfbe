// FSA (FHRS) files by header name, row by row.
#include "engine/cqc/fsa_file.h"

#include <cctype>

#include "engine/cqc/cells.h"
#include "engine/cqc/cqc_file.h"
#include "engine/cqc/csv.h"

namespace carebroker::cqc {
namespace {

using engine::FsaRating;

constexpr std::string_view kFhrsId = "FHRSID", kRatingValue = "RatingValue", kRatingDate = "RatingDate",
                           kBusinessName = "BusinessName", kLocationId = "location_id", kCqcLocationId = "Location ID";
/// The longest business name kept for the report (bytes).
constexpr std::size_t kMaxBusinessName = 100;

/// Lower case, without spaces, hyphens or underscores: "Awaiting Inspection" → "awaitinginspection".
std::string folded(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '-' && c != '_' && c != '\t') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// FHRS establishment ids are whole numbers.
bool is_fhrsid(std::string_view id) {
  if (id.empty() || id.size() > 12) return false;
  for (char c : id)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

bool parse_fsa_rating(std::string_view text, FsaRating& out, std::string& why) {
  const std::string_view digits = trim(text);  // a rating is one digit as written ("-1" is not 1)
  if (digits.size() == 1 && digits[0] >= '0' && digits[0] <= '5') {
    out = static_cast<FsaRating>(static_cast<int>(FsaRating::r0) + (digits[0] - '0'));
    return true;
  }
  const std::string t = folded(text);  // the words, without regard to case, spaces or hyphens
  if (t == "exempt") {
    out = FsaRating::not_applicable;
    return true;
  }
  if (t == "awaitinginspection" || t == "awaitingpublication") {
    out = FsaRating::awaiting;
    return true;
  }
  if (t == "pass" || t == "passandeatsafe" || t == "improvementrequired")
    why = std::string(kRatingValue) + " " + quoted(trim(text)) +
          " is a result of Scotland's FHIS, not a food hygiene rating 0 to 5: the FSA input takes FHRS ratings";
  else
    why = std::string(kRatingValue) + " " + quoted(trim(text)) +
          " is not a food hygiene rating (0 to 5, Exempt, AwaitingInspection or AwaitingPublication)";
  return false;
}

FsaFile read_fsa_file(std::string_view csv_text, int first_data_row) {
  FsaFile file;
  const CsvTable table = parse_csv(csv_text, RaggedRows::kept);
  if (!table.error.empty()) {
    file.error = table.error;
    return file;
  }
  if (table.header.empty() || (table.header.size() == 1 && table.header[0].empty())) {
    file.error = "the file is empty: an FSA file starts with a header row";
    return file;
  }
  const int c_plain = table.column(kLocationId), c_cqc = table.column(kCqcLocationId);
  if (c_plain >= 0 && c_cqc >= 0) {
    file.error = "both location_id and Location ID columns: keep one, naming the CQC location each establishment "
                 "was matched to";
    return file;
  }
  file.location_column = std::string(c_cqc >= 0 ? kCqcLocationId : kLocationId);
  for (std::string_view c : {kFhrsId, kRatingValue, kRatingDate})
    if (table.column(c) < 0) file.missing.emplace_back(c);
  if (c_plain < 0 && c_cqc < 0) file.missing.emplace_back(kLocationId);
  if (!file.missing.empty()) {
    std::string names;
    for (const auto& m : file.missing) names += (names.empty() ? "" : ", ") + m;
    file.error = "missing required column" + std::string(file.missing.size() > 1 ? "s " : " ") + names +
                 " (an FSA file has the FHRS columns FHRSID, RatingValue and RatingDate, and location_id — or "
                 "CQC's Location ID — naming the CQC location the council matched each establishment to)";
    return file;
  }
  const int c_location = c_cqc >= 0 ? c_cqc : c_plain, c_id = table.column(kFhrsId),
            c_rating = table.column(kRatingValue), c_date = table.column(kRatingDate),
            c_name = table.column(kBusinessName);
  const std::string& location_name = file.location_column;

  file.rows.reserve(table.rows.size());
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto& cells = table.rows[r];
    engine::FsaRow row;
    row.row = static_cast<std::int32_t>(table.row_lines[r]) - 2 + first_data_row;
    auto cell = [&](int c) { return static_cast<std::size_t>(c) < cells.size() ? trim(cells[c]) : std::string_view(); };
    row.location = std::string(cut_utf8(cell(c_location), 40));
    row.fhrsid = std::string(cut_utf8(cell(c_id), 40));
    if (c_name >= 0) row.business = std::string(cut_utf8(cell(c_name), kMaxBusinessName));
    std::string why;
    if (cells.size() != table.header.size()) {
      why = "the row has " + std::to_string(cells.size()) + " fields, the header has " +
            std::to_string(table.header.size());
    } else if (row.location.empty()) {
      why = "no " + location_name + ": the council matches each establishment to a CQC location (or leaves the row out)";
    } else if (!is_cqc_location_id(cell(c_location))) {
      why = location_name + " " + quoted(cell(c_location)) + " is not a CQC location ID (1-…)";
    } else if (row.fhrsid.empty()) {
      why = "no FHRSID";
    } else if (!is_fhrsid(cell(c_id))) {
      why = "FHRSID " + quoted(cell(c_id)) + " is not an FHRS establishment id (digits)";
    } else if (parse_fsa_rating(cell(c_rating), row.rating, why)) {
      const std::string_view date = cell(c_date);
      if (engine::is_hygiene_rating(row.rating) && date.empty())
        why = "a rating needs its date: RatingDate is blank";
      else if (!date.empty() && !parse_cqc_date(date, row.rated_on))
        why = "RatingDate " + quoted(date) + " is not a date (YYYY-MM-DD or DD/MM/YYYY)";
    }
    if (!why.empty()) {
      row.rejected = std::move(why);
      row.rating = FsaRating::not_applicable;
      row.rated_on = 0;
    }
    file.rows.push_back(std::move(row));
  }
  return file;
}

}  // namespace carebroker::cqc
