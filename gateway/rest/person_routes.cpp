// REST route for personal data: an admin erases a package's person (UK GDPR). The market
// journals PersonErased (who, why, when) and holds the person as erased from then on; then the
// person's key is destroyed (engine/person/person_keys.h), so every sealed copy — journal,
// snapshots, archive records, backups — is unreadable, while the audit chain, which covers the
// unchanged ciphertext, stays valid. Erasing an erased person again is 409
// person_already_erased (a retry with the same Idempotency-Key gets the first answer again).
// The key id is read after the erasure (a read sees its caller's writes) and the key destroyed
// on the thread that completes the read: one small file, and erasures are rare. A process that
// stops between the two destroys the key when it next starts (person::sweep_erased).
#include <memory>

#include "gateway/error_codes.h"
#include "gateway/rest/route_context.h"

namespace carebroker::gateway::rest {

void post_person_erasure(RestContext& ctx) {
  engine::ErasePerson c;
  if (!package_id(ctx, c.package)) return;
  if (!read_body(ctx, [&](ObjectReader& r) { r.free_text("reason", c.reason, Need::required); })) return;
  c.by = ctx.principal.name;
  MarketService& market = ctx.market;
  const Respond respond = ctx.respond;
  const engine::PackageId id = c.package;
  const bool queued = market.execute(std::move(c), ctx.key, [&market, respond, id](sequencer::CommandResult&& r) {
    if (!r.durable)
      return respond(error_response(GatewayCode::store_unavailable,
                                    "the erasure could not be saved, so it did not happen: retry shortly"));
    if (!r.reply.ok())
      return respond(error_response(http_status(r.reply.status.code), engine::to_string(r.reply.status.code),
                                    r.reply.status.detail));
    const bool replayed = r.reply.replayed;
    auto key_id = std::make_shared<std::string>();
    const bool read = market.read(
        [key_id, id](const engine::Market& m, std::uint64_t) {
          if (const engine::SealedPerson* p = m.person(id)) *key_id = p->key_id;
        },
        [&market, respond, key_id, id, replayed](bool) {
          // The erasure is durable whatever the read says; the key id of a package never changes.
          std::string error;
          if (!key_id->empty() && !market.person_keys().destroy(*key_id, error))
            return respond(error_response(GatewayCode::person_key_store_failed,
                                          "the erasure is recorded, but the person's key could not be destroyed yet (the "
                                          "server destroys it when it next starts): " + error));
          json::object body{{"ok", true}, {"package", id}, {"person", "erased"}};
          if (replayed) body["replayed"] = true;
          respond(json_response(200, body));
        });
    if (!read)
      respond(error_response(GatewayCode::person_key_store_failed,
                             "the erasure is recorded, but the market is too busy to destroy the person's key now (the "
                             "server destroys it when it next starts): retry the erasure to confirm"));
  });
  if (!queued) respond(overloaded());
}

}  // namespace carebroker::gateway::rest
