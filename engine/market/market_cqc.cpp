// Market command and apply for CQC imports (issue 12, item 2): each row of a CQC file is
// applied to its location's rating history, counted as not registered here, or reported
// rejected — in one CqcRatingsImported event, so an import is journaled, replayed and
// reported like any other change. A row is applied whole or not at all (its record is one value).
#include <unordered_map>

#include "engine/market/market.h"
#include "engine/market/market_emitter.h"

namespace carebroker::engine {
namespace {

constexpr std::size_t kMaxSource = 200;
/// More rows than any CQC extract a council would send at once (the national "HSCA Active
/// Locations" file has about 60,000): the command stays bounded.
constexpr std::size_t kMaxRows = 200'000;

}  // namespace

Reply Market::handle(const ImportCqcRatings& c, Emitter& e) {
  if (c.source.empty() || c.source.size() > kMaxSource)
    return {reject(Code::invalid_cqc_file, "a CQC import needs the file's name (at most 200 characters)")};
  if (c.rows.size() > kMaxRows)
    return {reject(Code::invalid_cqc_file, "a CQC import takes at most 200000 rows at once; send the file in parts")};
  CqcRatingsImported imported;
  imported.import = static_cast<std::uint32_t>(cqc_imports_.size() + 1);
  imported.source = c.source;
  imported.officer = c.officer;
  imported.at = now_;
  imported.rows.reserve(c.rows.size());
  // The history each touched location will have, as the rows before this one leave it, and
  // which row of this file gave each date.
  std::unordered_map<LocationIndex, std::vector<CqcRatingRecord>> histories;
  std::unordered_map<LocationIndex, std::unordered_map<Date, std::int32_t>> row_of_date;
  for (const CqcRow& row : c.rows) {
    CqcImportRow out{row.row, row.location, CqcRowOutcome::rejected, row.rejected, row.rating};
    out.rating.import = imported.import;
    const auto loc = row.rejected.empty() ? find_location(row.location) : std::nullopt;
    if (!row.rejected.empty()) {
      out.outcome = CqcRowOutcome::rejected;
    } else if (!loc) {
      out.outcome = CqcRowOutcome::not_registered;
    } else if (row.rating.overall == CqcRating::none) {
      out.outcome = CqcRowOutcome::no_rating_published;
    } else {
      auto [it, fresh] = histories.try_emplace(*loc);
      if (fresh) it->second = locations_[*loc].cqc_history;
      std::vector<CqcRatingRecord>& history = it->second;
      auto& rows_by_date = row_of_date[*loc];
      const auto same_date = std::find_if(history.begin(), history.end(), [&](const CqcRatingRecord& h) {
        return h.published == out.rating.published;
      });
      const auto earlier_row = rows_by_date.find(out.rating.published);
      if (same_date != history.end() && out.rating.covered_by(*same_date)) {
        out.outcome = CqcRowOutcome::already_known;
        out.detail = earlier_row != rows_by_date.end() ? "the same as row " + std::to_string(earlier_row->second)
                                                       : "recorded by import " + std::to_string(same_date->import);
      } else if (same_date != history.end() && earlier_row != rows_by_date.end()) {
        out.outcome = CqcRowOutcome::rejected;
        out.detail = "row " + std::to_string(earlier_row->second) + " gives another rating for " + row.location +
                     " on " + format_date(out.rating.published);
      } else {
        const bool newest = history.empty() || out.rating.published >= history.back().published;
        out.outcome = same_date != history.end() ? CqcRowOutcome::record_updated
                      : newest                   ? CqcRowOutcome::rating_changed
                                                 : CqcRowOutcome::history_added;
        if (same_date != history.end()) {
          out.detail = "updates the rating recorded by import " + std::to_string(same_date->import);
          out.rating = out.rating.merged_into(*same_date);
        }
        record_rating(history, out.rating);
        rows_by_date[out.rating.published] = row.row;
      }
    }
    imported.rows.push_back(std::move(out));
  }
  e.emit(std::move(imported));
  Reply reply;
  reply.number = cqc_imports_.size();
  return reply;
}

void Market::apply_cqc_import(const CqcRatingsImported& e) {
  for (const CqcImportRow& row : e.rows) {
    if (!changes_history(row.outcome)) continue;
    const auto loc = find_location(row.location);
    if (!loc) continue;  // a row the handler applied names a registered location
    Location& l = locations_[*loc];
    const CqcRating before = l.quality.cqc;
    record_rating(l.cqc_history, row.rating);
    if (l.cqc_history.back().published == row.rating.published) l.quality.cqc = row.rating.overall;
    // A change of the current rating is an early-warning entry like a PATCH's (early_warning.h).
    if (l.quality.cqc != before) ++l.quality_version;
    if (l.quality.cqc != before)
      l.quality_entries.push_back(QualityEntry{
          e.at, e.officer, "CQC rating published " + format_date(row.rating.published),
          "CQC import " + std::to_string(e.import) + ", row " + std::to_string(row.row),
          {InputChange{"cqc", std::string(to_string(before)), std::string(to_string(l.quality.cqc))}}});
  }
  cqc_imports_.push_back(e);
}

}  // namespace carebroker::engine
