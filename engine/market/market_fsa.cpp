// Market command and apply for FSA imports (issue 12, item 2): each row of an FSA (FHRS) file
// becomes its location's FSA rating when it is the newest the location has, or is counted (no
// rating, older than the rating held, already known, not registered here) or reported rejected —
// in one FsaRatingsImported event, so an import is journaled, replayed and reported like any
// other change. A row is applied whole or not at all (its rating, date and establishment are one
// value); a change of a location's FSA input is an early-warning entry, as a PATCH's is.
#include <unordered_map>

#include "engine/market/market.h"
#include "engine/market/market_emitter.h"

namespace carebroker::engine {
namespace {

constexpr std::size_t kMaxSource = 200;
/// More rows than any council's matched FHRS extract: the command stays bounded.
constexpr std::size_t kMaxRows = 200'000;

/// "FSA import 2, row 7" or "row 7" when it is a row of the import being read.
std::string where(const FsaRatingRecord& held, std::uint32_t this_import) {
  return held.import == this_import ? "row " + std::to_string(held.row)
                                    : "FSA import " + std::to_string(held.import) + ", row " + std::to_string(held.row);
}

std::string rating_words(FsaRating r, Date on) {
  return "rating " + std::string(to_string(r)) + " of " + format_date(on);
}

}  // namespace

Reply Market::handle(const ImportFsaRatings& c, Emitter& e) {
  if (c.source.empty() || c.source.size() > kMaxSource)
    return {reject(Code::invalid_fsa_file, "an FSA import needs the file's name (at most 200 characters)")};
  if (c.rows.size() > kMaxRows)
    return {reject(Code::invalid_fsa_file, "an FSA import takes at most 200000 rows at once; send the file in parts")};
  FsaRatingsImported imported;
  imported.import = static_cast<std::uint32_t>(fsa_imports_.size() + 1);
  imported.source = c.source;
  imported.officer = c.officer;
  imported.at = now_;
  imported.rows.reserve(c.rows.size());
  // Each touched location's held rating and FSA input as the rows before this one leave them.
  struct Working {
    FsaRatingRecord held;
    FsaRating input = FsaRating::not_applicable;
  };
  std::unordered_map<LocationIndex, Working> working;
  for (const FsaRow& row : c.rows) {
    FsaImportRow out{row.row, row.location, row.fhrsid, row.business, FsaRowOutcome::rejected, row.rejected,
                     row.rating, row.rated_on};
    const auto loc = row.rejected.empty() ? find_location(row.location) : std::nullopt;
    if (!row.rejected.empty()) {
      out.outcome = FsaRowOutcome::rejected;
    } else if (!loc) {
      out.outcome = FsaRowOutcome::not_registered;
    } else if (!is_hygiene_rating(row.rating)) {
      out.outcome = FsaRowOutcome::no_rating;
      out.detail = row.rating == FsaRating::awaiting ? "awaiting inspection or publication: no rating yet"
                                                     : "exempt from rating";
    } else if (row.rated_on == 0 || row.rated_on > today_) {
      out.outcome = FsaRowOutcome::rejected;
      out.detail = row.rated_on == 0 ? "a rating needs its date: RatingDate is blank"
                                     : "RatingDate " + format_date(row.rated_on) + " is after today";
    } else {
      auto [it, fresh] = working.try_emplace(*loc);
      if (fresh) it->second = {locations_[*loc].fsa_rating, locations_[*loc].quality.fsa};
      Working& w = it->second;
      const FsaRatingRecord& held = w.held;
      const bool holds = held.rated_on != 0;
      if (holds && row.rated_on < held.rated_on) {
        out.outcome = FsaRowOutcome::older_than_held;
        out.detail = "older than the " + rating_words(held.rating, held.rated_on) + " held (" +
                     where(held, imported.import) + ")";
      } else if (holds && row.rated_on == held.rated_on && row.rating == held.rating) {
        out.outcome = FsaRowOutcome::already_known;
        out.detail = held.import == imported.import ? "the same as row " + std::to_string(held.row)
                                                    : "recorded by FSA import " + std::to_string(held.import) +
                                                          ", row " + std::to_string(held.row);
      } else if (holds && row.rated_on == held.rated_on && held.import == imported.import) {
        out.outcome = FsaRowOutcome::rejected;
        out.detail = "row " + std::to_string(held.row) + " gives another rating for " + row.location + " on " +
                     format_date(row.rated_on);
      } else {
        // The newest rating (or a correction of the held one of the same date, from an earlier
        // import): the location's FSA rating now.
        if (holds && row.rated_on == held.rated_on)
          out.detail = "replaces the " + rating_words(held.rating, held.rated_on) + " (" +
                       where(held, imported.import) + ")";
        out.outcome = row.rating != w.input ? FsaRowOutcome::rating_changed : FsaRowOutcome::rating_confirmed;
        w.held = {row.rated_on, row.rating, row.fhrsid, imported.import, row.row};
        w.input = row.rating;
      }
    }
    imported.rows.push_back(std::move(out));
  }
  e.emit(std::move(imported));
  Reply reply;
  reply.number = fsa_imports_.size();
  return reply;
}

void Market::apply_fsa_import(const FsaRatingsImported& e) {
  for (const FsaImportRow& row : e.rows) {
    if (!holds_rating(row.outcome)) continue;
    const auto loc = find_location(row.location);
    if (!loc) continue;  // a row the handler applied names a registered location
    Location& l = locations_[*loc];
    l.fsa_rating = {row.rated_on, row.rating, row.fhrsid, e.import, row.row};
    const FsaRating before = l.quality.fsa;
    if (before == row.rating) continue;
    l.quality.fsa = row.rating;
    // A change of the input is an early-warning entry like a PATCH's (early_warning.h): FSA is a
    // risk input only, so the quality score's version stays.
    l.quality_entries.push_back(QualityEntry{
        e.at, e.officer,
        "FSA import " + std::to_string(e.import) + ", row " + std::to_string(row.row) + ": food hygiene " +
            rating_words(row.rating, row.rated_on),
        "FHRSID " + row.fhrsid,
        {InputChange{"fsa", std::string(to_string(before)), std::string(to_string(row.rating))}}});
  }
  fsa_imports_.push_back(e);
}

}  // namespace carebroker::engine
