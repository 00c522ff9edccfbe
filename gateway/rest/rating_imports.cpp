// The CQC and FSA imports' shared route steps (rating_imports.h).
#include "gateway/rest/rating_imports.h"

#include <limits>

#include "gateway/error_codes.h"
#include "gateway/text_checks.h"

namespace carebroker::gateway::rest {

using engine::Code;

namespace {

HttpResponse code_error(Code code, std::string detail) {
  return error_response(http_status(code), to_string(code), std::move(detail));
}

}  // namespace

bool read_rating_import_body(RestContext& ctx, const RatingImportKind& kind, RatingImportBody& body) {
  if (!read_body(ctx, [&](ObjectReader& r) {
        r.text("source", body.source, Need::required);
        r.raw_text("csv", body.csv, Need::required);
        r.integer("first_data_row", body.first_data_row, Need::optional, 2, 100'000'000);
      }))
    return false;
  // Free text (line breaks, tabs), valid UTF-8, no other control character: what a record may hold.
  if (std::string problem = text_problem(body.csv, TextForm::free, kMaxRestBodyBytes); !problem.empty()) {
    ctx.respond(code_error(kind.invalid_file, body.source + ": the CSV text " + problem));
    return false;
  }
  return true;
}

bool rating_file_read(RestContext& ctx, const RatingImportKind& kind, const std::string& source,
                      const std::vector<std::string>& missing, const std::string& error) {
  if (!missing.empty()) {
    ctx.respond(code_error(kind.columns_missing, source + ": " + error));
    return false;
  }
  if (!error.empty()) {
    ctx.respond(code_error(kind.invalid_file, source + ": " + error));
    return false;
  }
  return true;
}

void run_rating_import(RestContext& ctx, const RatingImportKind& kind, engine::Command command, ImportReport report) {
  Respond respond = ctx.respond;
  MarketService* market = &ctx.market;
  const std::string name = kind.name, route = kind.route;
  const bool queued = ctx.market.execute(std::move(command), ctx.key,
                                         [respond, market, name, route, report](sequencer::CommandResult&& r) {
    if (!r.durable)
      return respond(error_response(GatewayCode::store_unavailable,
                                    "the import could not be saved, so it did not happen: retry shortly"));
    if (!r.reply.ok()) return respond(code_error(r.reply.status.code, r.reply.status.detail));
    // The report is the journaled import, read back from a replica that has it.
    const std::uint64_t n = r.reply.number;
    const bool replayed = r.reply.replayed;  // a retry with the same Idempotency-Key: the same report
    auto body = std::make_shared<json::object>();
    const bool read = market->read(
        [body, n, replayed, report](const engine::Market& m, std::uint64_t) {
          if (n == 0 || !report(m, n, *body)) return body->clear();
          if (replayed) (*body)["replayed"] = true;
        },
        [respond, body, n, name, route](bool durable) {
          if (!durable || body->empty())
            return respond(error_response(GatewayCode::not_durable, name + " import " + std::to_string(n) +
                                                                  " was saved; read its report at " + route +
                                                                  std::to_string(n)));
          respond(json_response(201, *body));
        });
    if (!read) respond(error_response(GatewayCode::overloaded, name + " import " + std::to_string(n) + " was saved; read its report later"));
  });
  if (!queued) respond(error_response(GatewayCode::overloaded, "the market is busy: retry shortly"));
}

bool rating_import_number(RestContext& ctx, const RatingImportKind& kind, std::uint64_t& n) {
  const std::string& text = ctx.param("n");
  std::int64_t number = 0;
  if (!whole_number(text, 1, std::numeric_limits<std::int64_t>::max(), number)) {
    ctx.respond(code_error(kind.unknown_import, std::string("no ") + kind.name + " import " + text));
    return false;
  }
  n = static_cast<std::uint64_t>(number);
  return true;
}

void list_rating_imports(RestContext& ctx, std::function<std::size_t(const engine::Market&)> count,
                         std::function<json::object(const engine::Market&, std::size_t i)> summary) {
  Page page;
  if (JsonStatus s = read_page(ctx, page); !s.ok()) return reply_error(ctx.respond, s);
  run_read(ctx, [page, count, summary](const engine::Market& m) {
    const std::size_t total = count(m);
    json::array items;
    // Newest first.
    for (std::size_t i = page.first(); i < total && items.size() < static_cast<std::size_t>(page.size); ++i)
      items.push_back(summary(m, total - 1 - i));
    return json_response(200, page_json(std::move(items), total, page));
  });
}

void get_rating_import(RestContext& ctx, const RatingImportKind& kind, ImportReport report) {
  std::uint64_t n = 0;
  if (!rating_import_number(ctx, kind, n)) return;
  const Code unknown = kind.unknown_import;
  const std::string name = kind.name;
  run_read(ctx, [n, report, unknown, name](const engine::Market& m) {
    json::object body;
    if (!report(m, n, body)) return code_error(unknown, "no " + name + " import " + std::to_string(n));
    return json_response(200, body);
  });
}

}  // namespace carebroker::gateway::rest
