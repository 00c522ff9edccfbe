// REST routes for the spot purchase after an unsourced package: an officer records it
// (POST /api/v1/packages/{id}/spot-purchase), and reports list every one still in memory
// (GET /api/v1/spot-purchases, filtered by DPS and by off-framework). The officer recorded is the
// caller's token name, never a body field.
#include <limits>

#include "gateway/error_codes.h"
#include "gateway/rest/route_context.h"

namespace carebroker::gateway::rest {

using namespace carebroker::engine;

void post_spot_purchase(RestContext& ctx) {
  RecordSpotPurchase c;
  if (!package_id(ctx, c.package)) return;
  if (!read_body(ctx, [&](ObjectReader& r) {
        r.text("provider", c.provider, Need::optional);
        r.text("location", c.location, Need::optional);
        r.pence("rate", c.rate, Need::required);
        r.free_text("reason", c.reason, Need::required);
      }))
    return;
  c.officer = ctx.principal.name;
  run_command(ctx, std::move(c), 200, [](const Reply& reply, json::object& body) { body["package"] = reply.package; });
}

void list_spot_purchases(RestContext& ctx) {
  Page page;
  if (JsonStatus s = read_page(ctx, page); !s.ok()) return reply_error(ctx.respond, s);
  const std::string* dps_filter = ctx.query_value("dps");
  const std::string* off_filter = ctx.query_value("off_framework");
  const std::string dps = dps_filter ? *dps_filter : std::string();
  if (off_filter && *off_filter != "true" && *off_filter != "false")
    return reply_error(ctx.respond, input_error(GatewayCode::invalid_query, "off_framework is true or false"));
  const int off_framework = !off_filter ? -1 : *off_filter == "true" ? 1 : 0;
  run_read(ctx, [=](const Market& m) {
    int d = -1;
    if (!dps.empty() && (d = m.find_dps(dps)) < 0) return error_response(GatewayCode::invalid_query, "no DPS '" + dps + "'");
    json::array items;
    std::size_t total = 0, off = 0;
    for (PackageId id = 1; id <= m.package_count(); ++id) {
      const Package* p = m.find_package(id);
      if (!p || !p->records->spot_purchase.recorded()) continue;
      if (d >= 0 && p->dps != d) continue;
      const bool is_off = p->records->spot_purchase.off_framework;
      if (off_framework >= 0 && is_off != (off_framework == 1)) continue;
      off += is_off ? 1 : 0;
      if (total++ < page.first() || items.size() >= static_cast<std::size_t>(page.size)) continue;
      json::object row = package_row_json(m, *p);
      row["spot_purchase"] = spot_purchase_json(m, *p);
      items.push_back(std::move(row));
    }
    json::object body = page_json(std::move(items), total, page);
    body["off_framework"] = off;
    return json_response(200, body);
  });
}

}  // namespace carebroker::gateway::rest
