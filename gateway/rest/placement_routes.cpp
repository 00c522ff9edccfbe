// REST routes for live placements: who is affected (live placements by provider, location, zone,
// DPS and category, with totals per provider), declared capacity against placed hours, one
// package's placement, and the officer's actions on it (plan its end, end it, vary it, send a
// variation to market). Reads run on a replica; the officer recorded on each action is the
// caller's token name, never a body field.
#include <charconv>

#include "gateway/error_codes.h"
#include "gateway/rest/placement_json.h"
#include "gateway/rest/route_context.h"

namespace carebroker::gateway::rest {
namespace {

using namespace carebroker::engine;

std::string query_or_empty(const RestContext& ctx, std::string_view name) {
  const std::string* v = ctx.query_value(name);
  return v ? *v : std::string();
}

}  // namespace

void list_placements(RestContext& ctx) {
  Page page;
  if (JsonStatus s = read_page(ctx, page); !s.ok()) return reply_error(ctx.respond, s);
  PlacementFilter filter{query_or_empty(ctx, "provider"), query_or_empty(ctx, "location"), query_or_empty(ctx, "dps"),
                         query_or_empty(ctx, "zone"), query_or_empty(ctx, "category")};
  run_read(ctx, [filter, page](const Market& m) {
    if (!filter.dps.empty() && m.find_dps(filter.dps) < 0)
      return error_response(GatewayCode::invalid_query, "no DPS '" + filter.dps + "'");
    const AffectedPlacements affected = m.affected(filter);
    json::array items;
    for (std::size_t i = page.first(); i < affected.rows.size() && items.size() < static_cast<std::size_t>(page.size); ++i)
      items.push_back(placement_row_json(affected.rows[i]));
    json::object body = page_json(std::move(items), affected.rows.size(), page);
    json::array providers;
    for (const auto& p : affected.providers) providers.push_back(provider_exposure_json(p));
    body["providers"] = std::move(providers);
    return json_response(200, body);
  });
}

void list_capacity(RestContext& ctx) {
  const std::string dps = query_or_empty(ctx, "dps");
  const bool only_at_capacity = query_or_empty(ctx, "at_capacity") == "true";
  if (const std::string flag = query_or_empty(ctx, "at_capacity"); !flag.empty() && flag != "true" && flag != "false")
    return reply_error(ctx.respond, input_error(GatewayCode::invalid_query, "at_capacity is true or false"));
  run_read(ctx, [dps, only_at_capacity](const Market& m) {
    int d = -1;
    if (!dps.empty() && (d = m.find_dps(dps)) < 0) return error_response(GatewayCode::invalid_query, "no DPS '" + dps + "'");
    json::array items;
    for (const auto& row : m.capacity(d))
      if (!only_at_capacity || row.at_capacity) items.push_back(capacity_row_json(row));
    return json_response(200, json::object{{"items", std::move(items)}});
  });
}

void get_placement(RestContext& ctx) {
  PackageId id = 0;
  if (!package_id(ctx, id)) return;
  run_read(ctx, [id](const Market& m) {
    if (!m.find_package(id))
      return error_response(engine::Code::unknown_package,
                            m.is_retired(id) ? "package " + std::to_string(id) + " is closed and retired to the archive"
                                             : "no package " + std::to_string(id));
    const Placement* p = m.find_placement(id);
    if (!p) return error_response(engine::Code::no_placement, "package " + std::to_string(id) + " has no placement");
    return json_response(200, placement_json(m, *p));
  });
}

void post_planned_end(RestContext& ctx) {
  SetPlannedEnd c;
  if (!package_id(ctx, c.package)) return;
  if (!read_body(ctx, [&](ObjectReader& r) { r.date("planned_end", c.planned_end, Need::required); })) return;
  c.officer = ctx.principal.name;
  run_package_command(ctx, std::move(c));
}

void post_placement_end(RestContext& ctx) {
  EndPlacement c;
  if (!package_id(ctx, c.package)) return;
  if (!read_body(ctx, [&](ObjectReader& r) {
        r.choice("reason", c.reason, Need::required,
                 {PlacementEndReason::needs_changed, PlacementEndReason::moved, PlacementEndReason::hospital,
                  PlacementEndReason::residential_care, PlacementEndReason::died, PlacementEndReason::terminated});
        r.date("on", c.on, Need::optional);
      }))
    return;
  c.officer = ctx.principal.name;
  run_package_command(ctx, std::move(c));
}

void post_variation(RestContext& ctx) {
  ProposeVariation c;
  if (!package_id(ctx, c.package)) return;
  if (!read_body(ctx, [&](ObjectReader& r) {
        // Hours by the quantity (and the visits summary), or by a schedule of calls, which
        // gives the quantity (a quantity beside it must agree).
        JsonStatus calls;
        read_schedule(r, c.schedule, calls);
        if (!calls.ok()) r.fail(calls.http, calls.code, calls.detail);
        r.integer("quantity", c.quantity, c.schedule.empty() ? Need::required : Need::optional, -1'000'000'000,
                  1'000'000'000);
        if (const json::value* visits = r.object("visits", Need::optional)) {
          JsonStatus nested;
          ObjectReader vr(*visits, "visits.", nested);
          vr.integer("visits_per_day", c.visits.visits_per_day, Need::required, 0, 1000);
          vr.integer("minutes_per_visit", c.visits.minutes_per_visit, Need::required, 0, 100'000);
          vr.integer("days_per_week", c.visits.days_per_week, Need::required, 0, 1000);
          vr.finish();
          if (!nested.ok()) r.fail(nested.http, nested.code, nested.detail);
        }
        r.date("effective", c.effective, Need::required);
        r.free_text("reason", c.reason, Need::required);
      }))
    return;
  c.officer = ctx.principal.name;
  run_package_command(ctx, std::move(c));
}

void post_variation_to_market(RestContext& ctx) {
  SendVariationToMarket c;
  if (!package_id(ctx, c.package)) return;
  if (!read_body(ctx, [](ObjectReader&) {})) return;
  c.officer = ctx.principal.name;
  run_command(ctx, std::move(c), 200, [](const Reply& reply, json::object& body) { body["package"] = reply.package; });
}

}  // namespace carebroker::gateway::rest
