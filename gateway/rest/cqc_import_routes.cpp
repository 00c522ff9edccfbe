// REST routes for CQC imports (issue 12, item 2): compliance uploads a CQC CSV file
// (POST /api/v1/cqc-imports, the file's text in a JSON body: {"source", "csv", "first_data_row"}); it
// is read by header name on the I/O thread (engine/cqc/cqc_file.h), then imported by the market
// as one journaled event, and the answer accounts for every row: applied (with what it changed),
// not registered here, or rejected with its reason. Past imports and their reports are read back
// at GET /api/v1/cqc-imports and /api/v1/cqc-imports/{n}.
#include "engine/cqc/cqc_file.h"
#include "gateway/error_codes.h"
#include "gateway/rest/rating_imports.h"

namespace carebroker::gateway::rest {

using namespace carebroker::engine;

namespace {

json::object rating_json(const CqcRatingRecord& r) {
  json::object o{{"published", r.published == 0 ? json::value(nullptr) : json::value(format_date(r.published))},
                 {"overall", to_string(r.overall)}};
  const std::pair<const char*, CqcRating> questions[] = {{"safe", r.safe},
                                                         {"effective", r.effective},
                                                         {"caring", r.caring},
                                                         {"responsive", r.responsive},
                                                         {"well_led", r.well_led}};
  for (const auto& [name, rating] : questions) o[name] = to_string(rating);
  return o;
}

json::object summary_json(const CqcRatingsImported& imp) {
  return rating_import_summary(imp,
                               {CqcRowOutcome::rating_changed, CqcRowOutcome::history_added, CqcRowOutcome::record_updated,
                                CqcRowOutcome::already_known, CqcRowOutcome::no_rating_published,
                                CqcRowOutcome::not_registered, CqcRowOutcome::rejected},
                               CqcRowOutcome::not_registered, CqcRowOutcome::rejected);
}

json::object report_json(const CqcRatingsImported& imp) {
  json::object o = summary_json(imp);
  json::array rows;
  rows.reserve(imp.rows.size());
  for (const CqcImportRow& r : imp.rows) {
    json::object row{{"row", r.row}, {"location", r.location}, {"outcome", to_string(r.outcome)}, {"detail", r.detail}};
    row["rating"] = changes_history(r.outcome) || r.outcome == CqcRowOutcome::already_known ||
                            (r.outcome == CqcRowOutcome::not_registered && r.rating.overall != CqcRating::none)
                        ? json::value(rating_json(r.rating))
                        : json::value(nullptr);
    rows.push_back(std::move(row));
  }
  o["items"] = std::move(rows);
  return o;
}

constexpr RatingImportKind kCqc{"CQC", "/api/v1/cqc-imports/", Code::unknown_cqc_import, Code::invalid_cqc_file,
                                Code::cqc_columns_missing};

}  // namespace

json::value cqc_history_json(const std::vector<CqcRatingRecord>& history) {
  json::array out;
  for (const CqcRatingRecord& r : history) {
    json::object o = rating_json(r);
    o["import"] = r.import;
    out.push_back(std::move(o));
  }
  return out;
}

void post_cqc_import(RestContext& ctx) {
  RatingImportBody body;
  if (!read_rating_import_body(ctx, kCqc, body)) return;
  cqc::CqcFile file = cqc::read_cqc_file(body.csv, body.first_data_row);
  if (!rating_file_read(ctx, kCqc, body.source, file.missing, file.error)) return;
  ImportCqcRatings c;
  c.source = std::move(body.source);
  c.rows = std::move(file.rows);
  c.officer = ctx.principal.name;
  run_rating_import(ctx, kCqc, std::move(c), [layout = file.layout](const Market& m, std::uint64_t n, json::object& out) {
    if (n > m.cqc_imports().size()) return false;
    out = report_json(m.cqc_imports()[n - 1]);
    out["layout"] = layout;
    return true;
  });
}

void list_cqc_imports(RestContext& ctx) {
  list_rating_imports(ctx, [](const Market& m) { return m.cqc_imports().size(); },
                      [](const Market& m, std::size_t i) { return summary_json(m.cqc_imports()[i]); });
}

void get_cqc_import(RestContext& ctx) {
  get_rating_import(ctx, kCqc, [](const Market& m, std::uint64_t n, json::object& out) {
    if (n > m.cqc_imports().size()) return false;
    out = report_json(m.cqc_imports()[n - 1]);
    return true;
  });
}

}  // namespace carebroker::gateway::rest
