// REST routes for FSA food hygiene rating imports (issue 12, item 2): compliance uploads an FSA
// (FHRS) CSV file with a CQC location column (POST /api/v1/fsa-imports, the file's text in a JSON
// body as the CQC import takes it: {"source", "csv", "first_data_row"}); it is read by header name
// on the I/O thread (engine/cqc/fsa_file.h), then imported by the market as one journaled event,
// and the answer accounts for every row: applied, counted (no rating, older than the rating held,
// already known, not registered here) or rejected with its reason. Past imports and their
// reports are read back at GET /api/v1/fsa-imports and /api/v1/fsa-imports/{n}.
#include <limits>

#include "engine/cqc/fsa_file.h"
#include "gateway/error_codes.h"
#include "gateway/rest/route_context.h"
#include "gateway/text_checks.h"

namespace carebroker::gateway::rest {

using namespace carebroker::engine;

namespace {

/// The layout name the report carries (carebroker-cqc-import prints it).
constexpr const char* kLayout = "fhrs";

/// Counts per outcome, and the three every import reports: applied, not registered, rejected.
json::object summary_json(const FsaRatingsImported& imp) {
  json::object by_outcome;
  for (auto o : {FsaRowOutcome::rating_changed, FsaRowOutcome::rating_confirmed, FsaRowOutcome::already_known,
                 FsaRowOutcome::older_than_held, FsaRowOutcome::no_rating, FsaRowOutcome::not_registered,
                 FsaRowOutcome::rejected})
    by_outcome[to_string(o)] = 0;
  std::int64_t applied = 0, not_registered = 0, rejected = 0;
  for (const FsaImportRow& r : imp.rows) {
    by_outcome[to_string(r.outcome)] = by_outcome[to_string(r.outcome)].as_int64() + 1;
    if (r.outcome == FsaRowOutcome::not_registered) ++not_registered;
    else if (r.outcome == FsaRowOutcome::rejected) ++rejected;
    else ++applied;
  }
  json::object o{{"import", imp.import}, {"layout", kLayout}, {"source", imp.source}, {"officer", imp.officer}};
  put_time(o, "at", imp.at);
  o["rows"] = imp.rows.size();
  o["applied"] = applied;
  o["not_registered"] = not_registered;
  o["rejected"] = rejected;
  o["by_outcome"] = std::move(by_outcome);
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

bool import_number(RestContext& ctx, std::uint64_t& n) {
  const std::string& text = ctx.param("n");
  std::int64_t number = 0;
  if (!whole_number(text, 1, std::numeric_limits<std::int64_t>::max(), number)) {
    ctx.respond(error_response(http_status(Code::unknown_fsa_import), to_string(Code::unknown_fsa_import),
                               "no FSA import " + text));
    return false;
  }
  n = static_cast<std::uint64_t>(number);
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
  ImportFsaRatings c;
  std::string csv;
  int first_data_row = 2;
  if (!read_body(ctx, [&](ObjectReader& r) {
        r.text("source", c.source, Need::required);
        r.raw_text("csv", csv, Need::required);
        r.integer("first_data_row", first_data_row, Need::optional, 2, 100'000'000);
      }))
    return;
  // Free text (line breaks, tabs), valid UTF-8, no other control character: what a record may hold.
  if (std::string problem = text_problem(csv, TextForm::free, kMaxRestBodyBytes); !problem.empty())
    return ctx.respond(error_response(http_status(Code::invalid_fsa_file), to_string(Code::invalid_fsa_file),
                                      c.source + ": the CSV text " + problem));
  cqc::FsaFile file = cqc::read_fsa_file(csv, first_data_row);
  if (!file.missing.empty())
    return ctx.respond(error_response(http_status(Code::fsa_columns_missing), to_string(Code::fsa_columns_missing),
                                      c.source + ": " + file.error));
  if (!file.error.empty())
    return ctx.respond(error_response(http_status(Code::invalid_fsa_file), to_string(Code::invalid_fsa_file),
                                      c.source + ": " + file.error));
  c.rows = std::move(file.rows);
  c.officer = ctx.principal.name;
  Respond respond = ctx.respond;
  MarketService* market = &ctx.market;
  const bool queued = ctx.market.execute(std::move(c), ctx.key, [respond, market](sequencer::CommandResult&& r) {
    if (!r.durable)
      return respond(error_response(GatewayCode::store_unavailable,
                                    "the import could not be saved, so it did not happen: retry shortly"));
    if (!r.reply.ok())
      return respond(error_response(http_status(r.reply.status.code), to_string(r.reply.status.code), r.reply.status.detail));
    // The report is the journaled import, read back from a replica that has it.
    const std::uint64_t n = r.reply.number;
    const bool replayed = r.reply.replayed;  // a retry with the same Idempotency-Key: the same report
    auto body = std::make_shared<json::object>();
    const bool read = market->read(
        [body, n, replayed](const Market& m, std::uint64_t) {
          if (n == 0 || n > m.fsa_imports().size()) return;
          *body = report_json(m.fsa_imports()[n - 1]);
          if (replayed) (*body)["replayed"] = true;
        },
        [respond, body, n](bool durable) {
          if (!durable || body->empty())
            return respond(error_response(GatewayCode::not_durable, "FSA import " + std::to_string(n) +
                                                                  " was saved; read its report at /api/v1/fsa-imports/" +
                                                                  std::to_string(n)));
          respond(json_response(201, *body));
        });
    if (!read) respond(error_response(GatewayCode::overloaded, "FSA import " + std::to_string(n) + " was saved; read its report later"));
  });
  if (!queued)
    respond(error_response(GatewayCode::overloaded, "the market is busy: retry shortly"));
}

void list_fsa_imports(RestContext& ctx) {
  Page page;
  if (JsonStatus s = read_page(ctx, page); !s.ok()) return reply_error(ctx.respond, s);
  run_read(ctx, [page](const Market& m) {
    const auto& imports = m.fsa_imports();
    json::array items;
    // Newest first.
    for (std::size_t i = page.first(); i < imports.size() && items.size() < static_cast<std::size_t>(page.size); ++i)
      items.push_back(summary_json(imports[imports.size() - 1 - i]));
    return json_response(200, page_json(std::move(items), imports.size(), page));
  });
}

void get_fsa_import(RestContext& ctx) {
  std::uint64_t n = 0;
  if (!import_number(ctx, n)) return;
  run_read(ctx, [n](const Market& m) {
    if (n > m.fsa_imports().size())
      return error_response(http_status(Code::unknown_fsa_import), to_string(Code::unknown_fsa_import),
                            "no FSA import " + std::to_string(n));
    return json_response(200, report_json(m.fsa_imports()[n - 1]));
  });
}

}  // namespace carebroker::gateway::rest
