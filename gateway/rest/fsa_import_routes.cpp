// REST routes for FSA food hygiene rating imports (issue 12, item 2): compliance uploads an FSA
// (FHRS) CSV file with a CQC location column (POST /api/v1/fsa-imports, the file's text in a JSON
// body as the CQC import takes it: {"source", "csv", "first_data_row"}); it is read by header name
// on the I/O thread (engine/cqc/fsa_file.h), then imported by the market as one journaled event,
// and the answer accounts for every row: applied, counted (no rating, older than the rating held,
// already known, not registered here) or rejected with its reason. Past imports and their
// reports are read back at GET /api/v1/fsa-imports and /api/v1/fsa-imports/{n}.
#include "engine/cqc/fsa_file.h"
#include "gateway/error_codes.h"
#include "gateway/rest/rating_imports.h"

namespace carebroker::gateway::rest {

using namespace carebroker::engine;

namespace {

/// The layout name the report carries (carebroker-cqc-import prints it).
constexpr const char* kLayout = "fhrs";

json::object summary_json(const FsaRatingsImported& imp) {
  json::object o = rating_import_summary(imp,
                                         {FsaRowOutcome::rating_changed, FsaRowOutcome::rating_confirmed,
                                          FsaRowOutcome::already_known, FsaRowOutcome::older_than_held,
                                          FsaRowOutcome::no_rating, FsaRowOutcome::not_registered, FsaRowOutcome::rejected},
                                         FsaRowOutcome::not_registered, FsaRowOutcome::rejected);
  o["layout"] = kLayout;
  return o;
}

json::object report_json(const FsaRatingsImported& imp) {
  json::object o = summary_json(imp);
  json::array rows;
  rows.reserve(imp.rows.size());
  for (const FsaImportRow& r : imp.rows) {
    json::object row{{"row", r.row},           {"location", r.location},
                     {"fhrsid", r.fhrsid},     {"business", r.business},
                     {"outcome", to_string(r.outcome)}, {"detail", r.detail}};
    const bool rated = r.outcome != FsaRowOutcome::rejected && is_hygiene_rating(r.rating);
    row["rating"] = rated ? json::value(to_string(r.rating)) : json::value(nullptr);
    row["rated_on"] = r.outcome != FsaRowOutcome::rejected && r.rated_on != 0 ? json::value(format_date(r.rated_on))
                                                                               : json::value(nullptr);
    rows.push_back(std::move(row));
  }
  o["items"] = std::move(rows);
  return o;
}

constexpr RatingImportKind kFsa{"FSA", "/api/v1/fsa-imports/", Code::unknown_fsa_import, Code::invalid_fsa_file,
                                Code::fsa_columns_missing};

bool fsa_report(const Market& m, std::uint64_t n, json::object& out) {
  if (n > m.fsa_imports().size()) return false;
  out = report_json(m.fsa_imports()[n - 1]);
  return true;
}

}  // namespace

json::value fsa_rating_json(const FsaRatingRecord& r) {
  if (r.rated_on == 0) return nullptr;
  return json::object{{"rating", to_string(r.rating)},
                      {"rated_on", format_date(r.rated_on)},
                      {"fhrsid", r.fhrsid},
                      {"import", r.import},
                      {"row", r.row}};
}

void post_fsa_import(RestContext& ctx) {
  RatingImportBody body;
  if (!read_rating_import_body(ctx, kFsa, body)) return;
  cqc::FsaFile file = cqc::read_fsa_file(body.csv, body.first_data_row);
  if (!rating_file_read(ctx, kFsa, body.source, file.missing, file.error)) return;
  ImportFsaRatings c;
  c.source = std::move(body.source);
  c.rows = std::move(file.rows);
  c.officer = ctx.principal.name;
  run_rating_import(ctx, kFsa, std::move(c), fsa_report);
}

void list_fsa_imports(RestContext& ctx) {
  list_rating_imports(ctx, [](const Market& m) { return m.fsa_imports().size(); },
                      [](const Market& m, std::size_t i) { return summary_json(m.fsa_imports()[i]); });
}

void get_fsa_import(RestContext& ctx) { get_rating_import(ctx, kFsa, fsa_report); }

}  // namespace carebroker::gateway::rest
