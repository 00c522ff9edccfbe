// REST: what-if re-ranking of one package (GET /api/v1/packages/{id}/what-if). The query names
// the policy to try — scheme, price_weight_pct (quality_weight_pct follows, or give both),
// min_quality, abnormally_low_pct; anything not given is the DPS's — and the answer sets each
// offer's rank, score and acceptability under the DPS's policy beside the same under the one
// tried, with the top offer and its weekly value under each, and the award actually made. Among
// the offers actually made only (engine/market/what_if.h); a read on a replica.
#include <limits>

#include "engine/market/home_care_order.h"
#include "gateway/error_codes.h"
#include "gateway/rest/json_convert.h"
#include "gateway/rest/route_context.h"

namespace carebroker::gateway::rest {
namespace {

using namespace carebroker::engine;

json::object policy_json(const RankingPolicy& k) {
  return {{"scheme", to_string(k.scheme)},
          {"price_weight_pct", k.price_weight_pct},
          {"quality_weight_pct", k.quality_weight_pct},
          {"min_quality", k.min_quality},
          {"abnormally_low_pct", k.abnormally_low_pct}};
}

/// The top acceptable offer of a ranking: its location, price and weekly value; null when none.
json::value top_json(const Market& m, const Package& p, const Ranking& r) {
  const RankedOffer* o = r.top();
  if (!o) return nullptr;
  const Pence weekly = weekly_value(*p.spec, m.dps(p.dps).lots[p.lot].unit, o->offer.price);
  return json::object{{"location", o->offer.location_id},
                      {"provider", m.location(o->offer.location).provider_id},
                      {"price", o->offer.price},
                      {"weekly_value", weekly},
                      {"weekly_value_display", format_pence(weekly)}};
}

json::object ranked_json(const RankedOffer& r) {
  return {{"rank", r.rank},
          {"acceptable", r.acceptable},
          {"score", r.score},
          {"abnormally_low", to_string(r.offer.abnormally_low)},
          {"not_acceptable_reason", r.not_acceptable_reason},
          {"explanation", r.explanation}};
}

/// 0..100 from the query, or the policy's value when absent; false (and a 422 sent) when bad.
bool read_percent(RestContext& ctx, std::string_view name, int& out) {
  const std::string* v = ctx.query_value(name);
  if (!v) return true;
  std::int64_t n = -1;
  if (!whole_number(*v, 0, 100, n)) {
    reply_error(ctx.respond, input_error(GatewayCode::invalid_query, "query parameter '" + std::string(name) + "' must be 0..100"));
    return false;
  }
  out = static_cast<int>(n);
  return true;
}

}  // namespace

void get_what_if(RestContext& ctx) {
  PackageId id = 0;
  if (!package_id(ctx, id)) return;
  // The policy tried is the DPS's with what the query changes; read here, checked on the replica.
  std::optional<RankingScheme> scheme;
  if (const std::string* s = ctx.query_value("scheme")) {
    if (*s == to_string(RankingScheme::price_quality_split))
      scheme = RankingScheme::price_quality_split;
    else if (*s == to_string(RankingScheme::quality_adjusted_price))
      scheme = RankingScheme::quality_adjusted_price;
    else
      return reply_error(ctx.respond, input_error(GatewayCode::invalid_query,
                                                  "scheme '" + *s + "' is not price_quality_split or quality_adjusted_price"));
  }
  int price = -1, quality = -1, min_quality = -1, low = -1;
  if (!read_percent(ctx, "price_weight_pct", price) || !read_percent(ctx, "quality_weight_pct", quality) ||
      !read_percent(ctx, "min_quality", min_quality) || !read_percent(ctx, "abnormally_low_pct", low))
    return;
  run_read(ctx, [=](const Market& m) {
    const Package* p = m.find_package(id);
    if (!p || p->retired)
      return error_response(engine::Code::unknown_package, "no package " + std::to_string(id) + " in memory (a retired package keeps no offers)");
    RankingPolicy policy = m.dps(p->dps).ranking;
    if (scheme) policy.scheme = *scheme;
    if (price >= 0) policy.price_weight_pct = price;
    if (quality >= 0) policy.quality_weight_pct = quality;
    if (price >= 0 && quality < 0) policy.quality_weight_pct = 100 - price;  // one weight given: the other follows
    if (quality >= 0 && price < 0) policy.price_weight_pct = 100 - quality;
    if (min_quality >= 0) policy.min_quality = min_quality;
    if (low >= 0) policy.abnormally_low_pct = low;
    if (const std::string problem = ranking_policy_problem(policy); !problem.empty())
      return error_response(GatewayCode::invalid_query, problem);
    const std::optional<WhatIfRanking> w = m.what_if(id, policy);
    if (!w) return error_response(engine::Code::unknown_package, "no package " + std::to_string(id));
    json::array offers;
    for (const RankedOffer& now : w->now.offers) {
      const RankedOffer* then = w->then.find(now.offer.location);
      json::object o{{"location", now.offer.location_id},
                     {"provider", m.location(now.offer.location).provider_id},
                     {"price", now.offer.price},
                     {"quality", now.offer.quality.score},
                     {"now", ranked_json(now)},
                     {"what_if", then ? json::value(ranked_json(*then)) : json::value(nullptr)}};
      o["rank_changes"] = then && (then->rank != now.rank || then->acceptable != now.acceptable);
      offers.push_back(std::move(o));
    }
    json::value top_now = top_json(m, *p, w->now), top_then = top_json(m, *p, w->then);
    const bool top_changes = top_now.is_null() != top_then.is_null() ||
                             (!top_now.is_null() && top_now.at("location") != top_then.at("location"));
    json::object body{{"package", id},
                      {"status", to_string(p->status)},
                      {"policy_now", policy_json(w->policy_now)},
                      {"policy_what_if", policy_json(w->policy_then)},
                      {"top_now", std::move(top_now)},
                      {"top_what_if", std::move(top_then)},
                      {"top_changes", top_changes},
                      {"offers", std::move(offers)},
                      {"note", "both rankings use today's quality scores and gates, among the offers actually made"}};
    const bool awarded = p->status == PackageStatus::award_pending || p->status == PackageStatus::placed ||
                         p->status == PackageStatus::ended;
    body["awarded_to"] = awarded ? json::value(m.location(p->award_location).id) : json::value(nullptr);
    return json_response(200, body);
  });
}

}  // namespace carebroker::gateway::rest
