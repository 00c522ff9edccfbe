// REST routes for care packages: post, list, the officer's view, and the officer's actions
// (hold, release, cancel, direct payment, abnormally-low decisions, the person's own choice).
// The officer recorded on each is the caller's token name, never a body field.
#include <cstdio>
#include <limits>

#include "gateway/error_codes.h"
#include "gateway/rest/route_context.h"

namespace carebroker::gateway::rest {
namespace {

using namespace carebroker::engine;

}  // namespace

bool package_id(RestContext& ctx, PackageId& id) {
  const std::string& text = ctx.param("id");
  if (std::int64_t n = 0; whole_number(text, 1, std::numeric_limits<std::int64_t>::max(), n)) {
    id = static_cast<PackageId>(n);
    return true;
  }
  ctx.respond(error_response(engine::Code::unknown_package, "no package " + text));
  return false;
}

void run_package_command(RestContext& ctx, Command c) {
  run_command(ctx, std::move(c), 200, [](const Reply& reply, json::object& body) { body["package"] = reply.package; });
}

void post_package(RestContext& ctx) {
  PostPackage c;
  PersonDetails details;
  if (JsonStatus s = package_from_json(ctx.body, c.spec, details); !s.ok()) return reply_error(ctx.respond, s);
  c.spec.officer = ctx.principal.name;
  // Sealed here, at the edge, with a new key of the person's own, stored durably first: the
  // market (and so the journal, snapshots, archive and backups) only ever holds the sealed form.
  // The key comes from the reserve (made ahead on its own thread, key_reserve.h): the I/O thread
  // never waits on the key store's disk. When a burst has used every key made ahead, the rest of
  // this posting runs on the reserve's thread once its key is made.
  MarketService& market = ctx.market;
  person::KeyReserve& reserve = market.key_reserve();
  reserve.take([&market, &reserve, key = ctx.key, respond = ctx.respond, c = std::move(c),
                details = std::move(details)](person::KeyReserve::Taken taken) mutable {
    std::string error = std::move(taken.error);
    std::optional<SealedPerson> sealed;
    if (taken.key) {
      sealed = person::seal(details, taken.key->key_id, taken.key->key, error);
      if (!sealed) reserve.discard(taken.key->key_id);
    }
    if (!sealed)
      return respond(error_response(GatewayCode::person_key_store_failed,
                                    "the person's details could not be sealed, so the package was not posted: " + error));
    c.person = std::move(*sealed);
    // A key no package came to use (refused, not saved, or a retry answered from the first
    // posting, which has its own) is destroyed again.
    auto unused = [&reserve, key_id = c.person.key_id] { reserve.discard(key_id); };
    run_command_with(
        market, key, respond, std::move(c),
        [unused](const Reply& reply) {
          if (reply.replayed) unused();
          return CommandSuccess{201, json::object{{"ok", true}, {"package", reply.package}},
                                {{"Location", "/api/v1/packages/" + std::to_string(reply.package)}}};
        },
        unused);
  });
}

void list_packages(RestContext& ctx) {
  Page page;
  if (JsonStatus s = read_page(ctx, page); !s.ok()) return reply_error(ctx.respond, s);
  auto filter = [&](std::string_view name) { const std::string* v = ctx.query_value(name); return v ? *v : std::string(); };
  const std::string status_text = filter("status"), dps = filter("dps"), zone = filter("zone"), officer = filter("officer");
  PackageStatus status = PackageStatus::open;
  if (!status_text.empty()) {
    bool found = false;
    for (PackageStatus s : all_package_statuses())
      if (to_string(s) == status_text) {
        status = s;
        found = true;
      }
    if (!found)
      return reply_error(ctx.respond, input_error(GatewayCode::invalid_query, "status '" + status_text + "' is not a package status"));
  }
  if (!zone.empty() && dps.empty())
    return reply_error(ctx.respond, input_error(GatewayCode::invalid_query, "filter zone needs dps"));
  run_read(ctx, [=](const Market& m) {
    int d = -1, z = -1;
    if (!dps.empty() && (d = m.find_dps(dps)) < 0) return error_response(GatewayCode::invalid_query, "no DPS '" + dps + "'");
    if (!zone.empty() && (z = m.dps(d).zone_index(zone)) < 0)
      return error_response(GatewayCode::invalid_query, "no zone '" + zone + "' in " + dps);
    json::array items;
    std::size_t total = 0;
    for (PackageId id = 1; id <= m.package_count(); ++id) {
      const Package* p = m.find_package(id);
      if (!p) continue;  // retired to the archive
      if (!status_text.empty() && p->status != status) continue;
      if (d >= 0 && p->dps != d) continue;
      if (z >= 0 && p->zone != z) continue;
      if (!officer.empty() && p->spec->officer != officer) continue;
      if (total++ < page.first() || items.size() >= static_cast<std::size_t>(page.size)) continue;
      items.push_back(package_row_json(m, *p));
    }
    return json_response(200, page_json(std::move(items), total, page));
  });
}

void get_package(RestContext& ctx) {
  PackageId id = 0;
  if (!package_id(ctx, id)) return;
  run_read(ctx, [id, &keys = ctx.market.person_keys()](const Market& m) {
    const auto view = m.officer_view(id);
    if (!view)
      return error_response(engine::Code::unknown_package,
                            m.is_retired(id) ? "package " + std::to_string(id) + " is closed and retired to the archive"
                                             : "no package " + std::to_string(id));
    const person::ReleasedPerson released = person::release(*view->person, keys);
    if (released.status == person::PersonStatus::key_missing || released.status == person::PersonStatus::tampered)
      std::fprintf(stderr, "carebroker: the person of package %llu cannot be opened: %s\n",
                   static_cast<unsigned long long>(id), std::string(person::to_string(released.status)).c_str());
    return json_response(200, officer_package_json(m, *view, released));
  });
}

void post_hold(RestContext& ctx) {
  HoldPackage c;
  c.by = ctx.principal.name;
  if (!package_id(ctx, c.package)) return;
  if (!read_body(ctx, [&](ObjectReader& r) { r.free_text("reason", c.reason, Need::required); })) return;
  run_package_command(ctx, std::move(c));
}

void post_release(RestContext& ctx) {
  ReleasePackage c;
  c.by = ctx.principal.name;
  if (!package_id(ctx, c.package)) return;
  if (!read_body(ctx, [](ObjectReader&) {})) return;
  run_package_command(ctx, c);
}

void post_cancel(RestContext& ctx) {
  CancelPackage c;
  c.by = ctx.principal.name;
  if (!package_id(ctx, c.package)) return;
  if (!read_body(ctx, [&](ObjectReader& r) { r.free_text("reason", c.reason, Need::required); })) return;
  run_package_command(ctx, std::move(c));
}

void post_direct_payment(RestContext& ctx) {
  CloseForDirectPayment c;
  c.by = ctx.principal.name;
  if (!package_id(ctx, c.package)) return;
  if (!read_body(ctx, [](ObjectReader&) {})) return;
  run_package_command(ctx, c);
}

void post_abnormally_low_decision(RestContext& ctx) {
  DecideAbnormallyLow c;
  if (!package_id(ctx, c.package)) return;
  if (!read_body(ctx, [&](ObjectReader& r) {
        r.text("location", c.location, Need::required);
        r.boolean("accept", c.accept, Need::required);
        r.free_text("reason", c.reason, Need::required);
      }))
    return;
  c.officer = ctx.principal.name;
  run_package_command(ctx, std::move(c));
}

void post_persons_choice(RestContext& ctx) {
  AwardToPersonsChoice c;
  if (!package_id(ctx, c.package)) return;
  if (!read_body(ctx, [&](ObjectReader& r) {
        r.text("location", c.location, Need::required);
        r.free_text("reason", c.reason, Need::required);
      }))
    return;
  c.officer = ctx.principal.name;
  run_package_command(ctx, std::move(c));
}

}  // namespace carebroker::gateway::rest
