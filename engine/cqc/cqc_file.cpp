// CQC files by header name: layout detection, then row by row.
#include "engine/cqc/cqc_file.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "engine/cqc/cells.h"
#include "engine/cqc/csv.h"
#include "engine/market/calendar.h"

namespace carebroker::cqc {
namespace {

using engine::CqcRating;

/// The columns a layout reads: the location, the overall rating, its date, and optionally the
/// five key questions (safe, effective, caring, responsive, well-led).
struct Layout {
  std::string_view name;
  std::string_view location, overall, date;
  std::array<std::string_view, 5> key_questions{};
};

constexpr std::array<Layout, 4> kLayouts{{
    {"locations", "location_id", "rating_as_published", "rating_publication_date", {}},
    {"rating_history", "location_id", "overall_rating", "report_date", {}},
    {"key_question_ratings", "location_id", "rating_overall", "rating_date",
     {"rating_safe", "rating_effective", "rating_caring", "rating_responsive", "rating_well_led"}},
    {"hsca_active_locations", "Location ID", "Location Latest Overall Rating", "Publication Date", {}},
}};

std::vector<std::string_view> required(const Layout& l) {
  std::vector<std::string_view> out{l.location, l.overall, l.date};
  for (std::string_view k : l.key_questions)
    if (!k.empty()) out.push_back(k);
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

bool parse_cqc_rating(std::string_view text, CqcRating& out) {
  const std::string t = lower(trim(text));
  if (t.empty() || t == "not rated" || t == "not yet rated") out = CqcRating::none;
  else if (t == "outstanding") out = CqcRating::outstanding;
  else if (t == "good") out = CqcRating::good;
  else if (t == "requires improvement") out = CqcRating::requires_improvement;
  else if (t == "inadequate") out = CqcRating::inadequate;
  else return false;
  return true;
}

bool parse_cqc_date(std::string_view text, engine::Date& out) {
  text = trim(text);
  if (text.size() == 10 && text[2] == '/' && text[5] == '/') {  // DD/MM/YYYY
    const std::string iso = std::string(text.substr(6, 4)) + "-" + std::string(text.substr(3, 2)) + "-" +
                            std::string(text.substr(0, 2));
    return parse_cqc_date(iso, out);
  }
  if (text.size() > 10 && (text[10] == ' ' || text[10] == 'T')) text = text.substr(0, 10);  // a time of day
  const auto d = engine::parse_date(text);
  if (!d) return false;
  out = *d;
  return true;
}

CqcFile read_cqc_file(std::string_view csv_text, int first_data_row) {
  CqcFile file;
  const CsvTable table = parse_csv(csv_text, RaggedRows::kept);
  if (!table.error.empty()) {
    file.error = table.error;
    return file;
  }
  if (table.header.empty() || (table.header.size() == 1 && table.header[0].empty())) {
    file.error = "the file is empty: a CQC file starts with a header row";
    return file;
  }
  // The layout with most of its columns present; it must have them all.
  const Layout* best = &kLayouts[0];
  std::size_t best_present = 0;
  for (const Layout& l : kLayouts) {
    std::size_t present = 0;
    for (std::string_view c : required(l)) present += table.column(c) >= 0 ? 1 : 0;
    if (present > best_present) {
      best = &l;
      best_present = present;
    }
  }
  file.layout = best->name;
  for (std::string_view c : required(*best))
    if (table.column(c) < 0) file.missing.emplace_back(c);
  if (!file.missing.empty()) {
    std::string names;
    for (const auto& m : file.missing) names += (names.empty() ? "" : ", ") + m;
    file.error = "missing required column" + std::string(file.missing.size() > 1 ? "s " : " ") + names +
                 " (the file looks like CQC's " + std::string(best->name) +
                 " layout; known layouts: locations, rating_history, key_question_ratings, hsca_active_locations)";
    return file;
  }
  const int c_location = table.column(best->location), c_overall = table.column(best->overall),
            c_date = table.column(best->date);
  std::array<int, 5> c_kq{-1, -1, -1, -1, -1};
  for (std::size_t k = 0; k < 5; ++k)
    if (!best->key_questions[k].empty()) c_kq[k] = table.column(best->key_questions[k]);

  file.rows.reserve(table.rows.size());
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto& cells = table.rows[r];
    engine::CqcRow row;
    row.row = static_cast<std::int32_t>(table.row_lines[r]) - 2 + first_data_row;
    auto reject = [&](std::string why) {
      row.rejected = std::move(why);
      row.rating = {};
    };
    if (cells.size() != table.header.size()) {
      if (static_cast<std::size_t>(c_location) < cells.size()) row.location = std::string(trim(cells[c_location]));
      reject("the row has " + std::to_string(cells.size()) + " fields, the header has " +
             std::to_string(table.header.size()));
      file.rows.push_back(std::move(row));
      continue;
    }
    row.location = std::string(trim(cells[c_location]));
    if (row.location.empty()) {
      reject("no " + std::string(best->location));
    } else if (!is_cqc_location_id(row.location)) {
      reject(std::string(best->location) + " " + quoted(row.location) + " is not a CQC location ID (1-…)");
      row.location = row.location.substr(0, 40);
    } else if (!parse_cqc_rating(cells[c_overall], row.rating.overall)) {
      reject(std::string(best->overall) + " " + quoted(cells[c_overall]) +
             " is not a CQC rating (Outstanding, Good, Requires improvement, Inadequate, or blank)");
    } else {
      engine::CqcRating* kq[5] = {&row.rating.safe, &row.rating.effective, &row.rating.caring,
                                  &row.rating.responsive, &row.rating.well_led};
      for (std::size_t k = 0; k < 5 && row.rejected.empty(); ++k)
        if (c_kq[k] >= 0 && !parse_cqc_rating(cells[c_kq[k]], *kq[k]))
          reject(std::string(best->key_questions[k]) + " " + quoted(cells[c_kq[k]]) + " is not a CQC rating");
      const std::string_view date = trim(cells[c_date]);
      if (row.rejected.empty()) {
        if (row.rating.overall != CqcRating::none && date.empty())
          reject("a rating needs its date: " + std::string(best->date) + " is blank");
        else if (!date.empty() && !parse_cqc_date(date, row.rating.published))
          reject(std::string(best->date) + " " + quoted(date) + " is not a date (YYYY-MM-DD or DD/MM/YYYY)");
        else if (row.rating.overall == CqcRating::none)
          row.rating = {};  // no rating published: key questions alone are not a rating
      }
    }
    file.rows.push_back(std::move(row));
  }
  return file;
}

}  // namespace carebroker::cqc
