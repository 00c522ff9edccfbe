// REST routes for locations: registration, the list and the detail view, the admission life
// cycle (apply, extend, admit, change terms, refuse, suspend, reinstate, exit) and quality inputs.
#include "gateway/error_codes.h"
#include "gateway/rest/route_context.h"

namespace carebroker::gateway::rest {
namespace {

using namespace carebroker::engine;

void ok_with_location(RestContext& ctx, Command c, int status, std::string dps = {}) {
  run_command(ctx, std::move(c), status, [location = ctx.param("id"), dps](const Reply&, json::object& body) {
    body["location"] = location;
    if (!dps.empty()) body["dps"] = dps;
  });
}

/// {dps} or {dps, reason}: the body of most membership steps.
bool read_dps_reason(RestContext& ctx, std::string& dps, std::string* reason) {
  return read_body(ctx, [&](ObjectReader& r) {
    r.text("dps", dps, Need::required);
    if (reason) r.free_text("reason", *reason, Need::required);
  });
}

bool parse_rag(std::string_view s, Rag& out) {
  for (Rag r : {Rag::green, Rag::amber, Rag::red})
    if (to_string(r) == s) {
      out = r;
      return true;
    }
  return false;
}

}  // namespace

void post_location(RestContext& ctx) {
  RegisterLocation c;
  if (!read_body(ctx, [&](ObjectReader& r) {
        r.text("id", c.location, Need::required);
        r.text("provider", c.provider, Need::required);
        r.text("name", c.name, Need::required);
        r.text("postcode", c.postcode, Need::optional, 16);
        r.text("local_authority", c.local_authority, Need::optional);
      }))
    return;
  const std::string id = c.location;
  run_command(ctx, std::move(c), 201, [id](const Reply&, json::object& body) { body["location"] = id; });
}

void list_locations(RestContext& ctx) {
  Page page;
  if (JsonStatus s = read_page(ctx, page); !s.ok()) return reply_error(ctx.respond, s);
  auto filter = [&](std::string_view name) { const std::string* v = ctx.query_value(name); return v ? *v : std::string(); };
  const std::string dps = filter("dps"), tier = filter("tier"), zone = filter("zone"), rag_text = filter("rag"),
                    status_text = filter("status");
  std::string provider = filter("provider");
  if (ctx.principal.role == Role::provider) {
    // A provider reads its own locations only.
    if (!provider.empty() && provider != ctx.principal.subject)
      return reply_error(ctx.respond, input_error(GatewayCode::forbidden, "a provider may list only its own locations"));
    provider = ctx.principal.subject;
  }
  if (dps.empty() && !(tier.empty() && zone.empty() && rag_text.empty() && status_text.empty()))
    return reply_error(ctx.respond, input_error(GatewayCode::invalid_query, "filters tier, zone, rag and status need dps"));
  Rag rag = Rag::green;
  if (!rag_text.empty() && !parse_rag(rag_text, rag))
    return reply_error(ctx.respond, input_error(GatewayCode::invalid_query, "rag must be green, amber or red"));
  MembershipStatus status = MembershipStatus::admitted;
  if (!status_text.empty()) {
    bool found = false;
    for (MembershipStatus s : all_membership_statuses())
      if (to_string(s) == status_text) {
        status = s;
        found = true;
      }
    if (!found)
      return reply_error(ctx.respond, input_error(GatewayCode::invalid_query, "status '" + status_text + "' is not a membership status"));
  }
  const bool staff = ctx.principal.role != Role::provider;
  run_read(ctx, [=](const Market& m) {
    int d = -1, tier_index = -1, zone_index = -1;
    if (!dps.empty()) {
      d = m.find_dps(dps);
      if (d < 0) return error_response(GatewayCode::invalid_query, "no DPS '" + dps + "'");
      if (!tier.empty() && (tier_index = m.dps(d).tier_index(tier)) < 0)
        return error_response(GatewayCode::invalid_query, "no tier '" + tier + "' in " + dps);
      if (!zone.empty() && (zone_index = m.dps(d).zone_index(zone)) < 0)
        return error_response(GatewayCode::invalid_query, "no zone '" + zone + "' in " + dps);
    }
    json::array items;
    std::size_t total = 0;
    for (LocationIndex i = 0; i < m.location_count(); ++i) {
      const Location& l = m.location(i);
      if (!provider.empty() && l.provider_id != provider) continue;
      if (d >= 0) {
        const Membership* mem = l.membership_of(d);
        if (!mem) continue;
        if (!status_text.empty() && mem->status != status) continue;
        if (tier_index >= 0 && mem->tier != tier_index) continue;
        if (zone_index >= 0 && !((mem->zones >> zone_index) & 1U)) continue;
        if (!rag_text.empty() && m.risk_of(i, d).rag != rag) continue;
      }
      if (total++ < page.first() || items.size() >= static_cast<std::size_t>(page.size)) continue;
      json::object row = location_row_json(m, i, d);
      if (json::value* mem = row.if_contains("membership"); mem && !staff) mem->as_object().erase("changed_by");
      items.push_back(std::move(row));
    }
    return json_response(200, page_json(std::move(items), total, page));
  });
}

void read_location(RestContext& ctx,
                   std::function<HttpResponse(const Market&, LocationIndex, bool staff)> read) {
  const std::string own = ctx.principal.role == Role::provider ? ctx.principal.subject : std::string();
  run_read(ctx, [id = ctx.param("id"), own, read = std::move(read)](const Market& m) {
    const auto loc = m.find_location(id);
    // A provider learns nothing about other providers' locations, not even whether they exist.
    if (!own.empty() && (!loc || m.location(*loc).provider_id != own))
      return error_response(GatewayCode::forbidden, "location " + id + " is not one of your locations");
    if (!loc) return error_response(engine::Code::unknown_location, "no location " + id);
    return read(m, *loc, own.empty());
  });
}

void get_location(RestContext& ctx) {
  read_location(ctx, [](const Market& m, LocationIndex loc, bool staff) {
    json::object detail = location_detail_json(m, loc);
    // The early-warning history; a provider reads its own without who entered it or the evidence,
    // and its memberships and status without the council's users who changed them.
    detail["early_warning"] = early_warning_json(m, loc, -1, 0, 0, staff);
    if (!staff) {
      detail["provider"].as_object().erase("status_by");
      for (json::value& mem : detail["memberships"].as_array()) mem.as_object().erase("changed_by");
    }
    return json_response(200, detail);
  });
}

void post_application(RestContext& ctx) {
  ApplyToDps c{ctx.param("id"), {}, {}, ctx.principal.name};
  if (!read_dps_reason(ctx, c.dps, nullptr)) return;
  // A provider applies for its own locations only (the market checks: 403 location_not_of_provider).
  if (ctx.principal.role == Role::provider) c.provider = ctx.principal.subject;
  std::string dps = c.dps;
  ok_with_location(ctx, std::move(c), 201, std::move(dps));
}

/// A provider's own declaration of an admitted location's capacity: {"capacity": hours a week}.
void put_declared_capacity(RestContext& ctx) {
  DeclareCapacity c{ctx.principal.subject, ctx.param("id"), ctx.param("dps"), 0, ctx.principal.name};
  // The range is the market's rule (422 invalid_capacity); here only the type.
  if (!read_body(ctx, [&](ObjectReader& r) { r.integer("capacity", c.capacity, Need::required, INT32_MIN, INT32_MAX); }))
    return;
  run_command(ctx, std::move(c), 200, [location = ctx.param("id"), dps = ctx.param("dps")](const Reply&, json::object& body) {
    body["location"] = location;
    body["dps"] = dps;
  });
}

void post_assessment_extension(RestContext& ctx) {
  ExtendAssessment c{ctx.param("id"), {}, ctx.principal.name};
  if (!read_dps_reason(ctx, c.dps, nullptr)) return;
  std::string dps = c.dps;
  ok_with_location(ctx, std::move(c), 200, std::move(dps));
}

void post_admission(RestContext& ctx) {
  MembershipTerms t;
  if (JsonStatus s = membership_terms_from_json(ctx.body, true, t); !s.ok()) return reply_error(ctx.respond, s);
  std::string dps = t.dps;
  ok_with_location(ctx, AdmitToDps{ctx.param("id"), t.dps, t.lots, t.categories, t.zones, t.tier, t.capacity, ctx.principal.name}, 200,
                   std::move(dps));
}

void put_membership(RestContext& ctx) {
  MembershipTerms t;
  if (JsonStatus s = membership_terms_from_json(ctx.body, false, t); !s.ok()) return reply_error(ctx.respond, s);
  ok_with_location(ctx,
                   UpdateMembership{ctx.param("id"), ctx.param("dps"), t.lots, t.categories, t.zones, t.tier, t.capacity,
                                    ctx.principal.name},
                   200, ctx.param("dps"));
}

void post_refusal(RestContext& ctx) {
  RefuseApplication c{ctx.param("id"), {}, {}, ctx.principal.name};
  if (!read_dps_reason(ctx, c.dps, &c.reason)) return;
  std::string dps = c.dps;
  ok_with_location(ctx, std::move(c), 200, std::move(dps));
}

void post_suspension(RestContext& ctx) {
  SuspendMembership c{ctx.param("id"), {}, {}, ctx.principal.name};
  if (!read_dps_reason(ctx, c.dps, &c.reason)) return;
  std::string dps = c.dps;
  ok_with_location(ctx, std::move(c), 200, std::move(dps));
}

void post_reinstatement(RestContext& ctx) {
  ReinstateMembership c{ctx.param("id"), {}, ctx.principal.name};
  if (!read_dps_reason(ctx, c.dps, nullptr)) return;
  std::string dps = c.dps;
  ok_with_location(ctx, std::move(c), 200, std::move(dps));
}

void post_exit(RestContext& ctx) {
  ExitDps c{ctx.param("id"), {}, {}, ctx.principal.name};
  if (!read_dps_reason(ctx, c.dps, &c.reason)) return;
  std::string dps = c.dps;
  ok_with_location(ctx, std::move(c), 200, std::move(dps));
}

void patch_quality(RestContext& ctx) {
  UpdateQualityInputs c;
  if (JsonStatus s = quality_patch_from_json(ctx.body, c); !s.ok()) return reply_error(ctx.respond, s);
  c.location = ctx.param("id");
  c.officer = ctx.principal.name;  // who made the early-warning entry
  ok_with_location(ctx, std::move(c), 200);
}

}  // namespace carebroker::gateway::rest
