// Engine values → JSON for REST responses: DPS configuration, the officer's package view,
// package and location rows, location detail; and the compact JSON writer.
#include <charconv>
#include <cmath>

#include "engine/market/calendar.h"
#include "engine/market/number_text.h"
#include "gateway/error_codes.h"
#include "gateway/rest/json_convert.h"
#include "gateway/rest/placement_json.h"

namespace carebroker::gateway::rest {
namespace {

using namespace carebroker::engine;

json::array strings(const std::vector<std::string>& items) {
  json::array out;
  out.reserve(items.size());
  for (const auto& s : items) out.emplace_back(s);
  return out;
}

json::value date_json(Date d) { return json::value(format_date(d)); }

std::string_view tier_code(const DpsConfig& c, int tier) {
  return tier >= 0 && tier < static_cast<int>(c.tiers.size()) ? std::string_view(c.tiers[tier]) : std::string_view();
}

std::string_view package_tier(const Market& m, const Package& p) {
  if (p.route_tiers.empty()) return "all";
  const std::size_t step = std::min<std::size_t>(static_cast<std::size_t>(p.step), p.route_tiers.size() - 1);
  return tier_code(m.dps(p.dps), p.route_tiers[step]);
}

json::object location_ref(const Market& m, LocationIndex i) {
  const Location& l = m.location(i);
  return {{"location", l.id}, {"name", l.name}, {"provider", l.provider_id}};
}

json::object membership_json(const Market& m, const Membership& mem) {
  const DpsConfig& c = m.dps(mem.dps);
  json::array lots, categories, zones;
  for (std::size_t i = 0; i < c.lots.size(); ++i)
    if ((mem.lots >> i) & 1U) lots.emplace_back(c.lots[i].code);
  for (std::size_t i = 0; i < m.category_codes().size(); ++i)
    if ((mem.categories >> i) & 1U) categories.emplace_back(m.category_codes()[i]);
  for (std::size_t i = 0; i < c.zones.size(); ++i)
    if ((mem.zones >> i) & 1U) zones.emplace_back(c.zones[i].code);
  json::object o{{"dps", c.code}, {"status", to_string(mem.status)}};
  put_time(o, "applied_at", mem.applied_at);
  put_time(o, "decision_due", mem.decision_due);
  o["extended"] = mem.extended;
  o["lots"] = std::move(lots);
  o["categories"] = std::move(categories);
  o["zones"] = std::move(zones);
  const std::string_view tier = tier_code(c, mem.tier);
  o["tier"] = tier.empty() ? json::value(nullptr) : json::value(tier);
  o["capacity"] = mem.capacity;
  o["reason"] = mem.reason;
  o["changed_by"] = mem.by;  // staff only: location_routes.cpp removes it for a provider
  return o;
}

json::object quality_json(const QualityScore& q, bool explain) {
  json::object o{{"score", q.score}, {"provisional", q.provisional}};
  if (!explain) return o;
  o.reserve(6);
  o["explanation"] = q.explain();
  json::array parts;
  for (const auto& p : q.parts)
    parts.push_back(json::object{{"input", p.input}, {"rating", p.rating}, {"points", p.points},
                                 {"weight_pct", p.weight_pct}, {"missing", p.missing}});
  o["parts"] = std::move(parts);
  return o;
}

json::object risk_json(const RiskRating& r) {
  return {{"rag", to_string(r.rag)}, {"reasons", strings(r.reasons)}};
}

json::object offer_json(const Market& m, const Package& p, const RankedOffer& r) {
  json::object o = location_ref(m, r.offer.location);
  o.reserve(48);  // every key below at once: growing key by key rehashed the table several times
  o["price"] = r.offer.price;
  o["price_display"] = format_pence(r.offer.price);
  if (const Offer* offer = p.offer_of(r.offer.location)) {
    o["start_date"] = date_json(offer->start_date);
    o["must_meet_confirmed"] = offer->must_meet_confirmed;
    o["notes"] = *offer->notes;
    put_time(o, "placed_at", offer->placed_at);
    o["version"] = offer->version;
    o["withdrawn"] = offer->withdrawn;
    o["made_before_amendment"] = made_before_amendment(p, *offer);
  }
  put_time(o, "amended_at", r.offer.amended_at);
  o["declined"] = r.offer.declined;
  o["abnormally_low"] = to_string(r.offer.abnormally_low);
  o["acceptable"] = r.acceptable;
  o["failed_gate"] = r.acceptable ? json::value(nullptr) : json::value(engine::to_string(r.failed_gate));
  o["not_acceptable_reason"] = r.not_acceptable_reason;
  // The location's early-warning rating under the package's DPS now, with its reasons: the flag
  // an officer sees on an offer whether a Red location is barred (placement_barred) or, under a
  // warn-only policy, still ranked.
  o["risk"] = risk_json(m.risk_of(r.offer.location, p.dps));
  o["rank"] = r.rank;
  o["score"] = r.score;
  o["quality"] = quality_json(r.offer.quality, true);
  // Which quality score ranks the offer: its version, and the close it was in force at (null:
  // the window is open, so it is the location's score now).
  o["quality"].as_object()["version"] = r.offer.quality_version;
  o["quality"].as_object()["in_force_at_close"] =
      r.offer.quality_closed_at == 0 ? json::value(nullptr) : json::value(iso_utc(r.offer.quality_closed_at));
  o["explanation"] = r.explanation;
  put_offer_order_terms(o, m, p, r.offer.location, r.offer.price);
  return o;
}

json::value award_json(const Market& m, const Package& p) {
  json::object o;
  switch (p.status) {
    case PackageStatus::award_pending:
      o = location_ref(m, p.award_location);
      o["state"] = "offered";
      put_time(o, "expires_at", p.award_expires);
      break;
    case PackageStatus::placed:
      o = location_ref(m, p.award_location);
      o["state"] = "placed";
      break;
    case PackageStatus::ended:  // its placement ended (see "placement")
      o = location_ref(m, p.award_location);
      o["state"] = "placement_ended";
      break;
    case PackageStatus::awaiting_decision:
      o = location_ref(m, p.award_location);
      o["state"] = "awaiting_abnormally_low_decision";
      return o;
    default: return nullptr;
  }
  o["persons_choice"] = p.persons_choice;
  o["reason"] = p.award_reason;
  return o;
}

void write(std::string& out, const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: out += "null"; return;
    case json::kind::bool_: out += v.get_bool() ? "true" : "false"; return;
    case json::kind::int64: return append_integer(out, v.get_int64());
    case json::kind::uint64: return append_integer(out, v.get_uint64());
    case json::kind::double_: {
      const double d = v.get_double();
      if (!std::isfinite(d)) {
        out += "null";
        return;
      }
      char buf[32];
      const auto end = std::to_chars(buf, buf + sizeof buf, d).ptr;
      out.append(buf, end);
      return;
    }
    case json::kind::string: return append_json_quoted(out, v.get_string());
    case json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : v.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        write(out, item);
      }
      out.push_back(']');
      return;
    }
    case json::kind::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& kv : v.get_object()) {
        if (!first) out.push_back(',');
        first = false;
        append_json_quoted(out, kv.key());
        out.push_back(':');
        write(out, kv.value());
      }
      out.push_back('}');
      return;
    }
  }
}

}  // namespace

std::string to_text(const json::value& v) {
  // Written into this thread's scratch buffer, then copied out at its exact size. Grown by
  // doubling, a ~110 KB package view's body went past glibc's mmap threshold (128 KiB), so each
  // view mapped fresh pages, faulted them in and unmapped them: a quarter of its cost
  // (BM_OfficerPackageView). A buffer grown past kKeptScratch (a long page of locations, a
  // report) is freed, not kept: each thread that renders JSON holds at most this much between
  // responses (a view's 110 KB fits, in a buffer grown to 120 or 240 KiB).
  constexpr std::size_t kKeptScratch = 256 << 10;
  thread_local std::string scratch;
  scratch.clear();
  write(scratch, v);
  std::string out(scratch);
  if (scratch.capacity() > kKeptScratch) std::string().swap(scratch);
  return out;
}

std::string iso_utc(UtcMillis t) {
  if (t == 0) return "";
  return format_utc(t);
}

void put_time(json::object& o, std::string_view key, UtcMillis t) {
  const std::string london = std::string(key) + "_london";
  if (t == 0) {
    o[key] = nullptr;
    o[london] = nullptr;
    return;
  }
  o[key] = iso_utc(t);
  o[london] = format_london(t);
}

const std::vector<PackageStatus>& all_package_statuses() {
  static const std::vector<PackageStatus> all{
      PackageStatus::open,    PackageStatus::best_and_final, PackageStatus::evaluating,
      PackageStatus::awaiting_decision, PackageStatus::award_pending, PackageStatus::on_hold,
      PackageStatus::placed,  PackageStatus::unsourced,      PackageStatus::cancelled,
      PackageStatus::direct_payment, PackageStatus::ended};
  return all;
}

const std::vector<MembershipStatus>& all_membership_statuses() {
  static const std::vector<MembershipStatus> all{MembershipStatus::under_assessment, MembershipStatus::admitted,
                                                 MembershipStatus::refused, MembershipStatus::suspended,
                                                 MembershipStatus::exited};
  return all;
}

// ---- DPS configuration ----

json::object assessment_framework_json(const AssessmentFramework& f) {
  json::array domains;
  for (const AssessmentDomain& d : domains_of(f)) {
    json::array standards;
    for (const AssessmentStandard& s : d.standards) standards.push_back(json::object{{"code", s.code}, {"name", s.name}});
    domains.push_back(json::object{{"code", d.code}, {"name", d.name}, {"standards", std::move(standards)}});
  }
  const PammsRatingRule& r = f.rating;
  return {{"domains", std::move(domains)},
          {"default_framework", f.domains.empty()},
          {"rating", json::object{{"excellent_from_x100", r.excellent_from_x100},
                                  {"good_from_x100", r.good_from_x100},
                                  {"requires_improvement_from_x100", r.requires_improvement_from_x100},
                                  {"domain_scored_1_caps", r.domain_scored_1_caps}}}};
}

json::array kpis_json(const std::vector<Kpi>& kpis) {
  json::array a;
  for (const Kpi& k : kpis)
    a.push_back(json::object{{"id", k.id}, {"name", k.name}, {"target_pct", k.target_pct}, {"kind", to_string(k.kind)}});
  return a;
}

json::object dps_config_json(const DpsConfig& c) {
  json::array lots, zones, routes;
  for (const auto& l : c.lots)
    lots.push_back(json::object{{"code", l.code}, {"name", l.name}, {"unit", to_string(l.unit)},
                                {"rate_min", l.rate_min}, {"rate_max", l.rate_max}, {"fair_cost", l.fair_cost},
                                {"cost_model", cost_model_json(l.cost_model)}, {"baseline_rate", l.baseline_rate}});
  for (const auto& z : c.zones)
    zones.push_back(json::object{{"code", z.code}, {"name", z.name}, {"postcode_districts", strings(z.postcode_districts)}});
  for (const auto& r : c.routes)
    routes.push_back(json::object{{"name", r.name}, {"when_any_category", strings(r.when_any_category)},
                                  {"tiers", strings(r.tiers)}});
  const RankingPolicy& k = c.ranking;
  const QualityPolicy& q = c.quality;
  const RiskPolicy& r = c.risk;
  const WindowPolicy& w = c.windows;
  return {
      {"code", c.code},
      {"name", c.name},
      {"council", c.council},
      {"mode", to_string(c.mode)},
      {"zones_part_of_lots", c.zones_part_of_lots},
      {"lots", std::move(lots)},
      {"categories", strings(c.categories)},
      {"zones", std::move(zones)},
      {"tiers", strings(c.tiers)},
      {"routes", std::move(routes)},
      {"ranking", json::object{{"scheme", to_string(k.scheme)},
                               {"price_weight_pct", k.price_weight_pct},
                               {"quality_weight_pct", k.quality_weight_pct},
                               {"min_quality", k.min_quality},
                               {"abnormally_low_pct", k.abnormally_low_pct},
                               {"auction", to_string(k.auction)},
                               {"shortlist_size", k.shortlist_size},
                               {"first_acceptable_wins_urgent", k.first_acceptable_wins_urgent}}},
      {"quality", json::object{{"pamms_weight_pct", q.pamms_weight_pct},
                               {"cqc_weight_pct", q.cqc_weight_pct},
                               {"self_assessment_weight_pct", q.self_assessment_weight_pct},
                               {"neutral_points", q.neutral_points},
                               {"self_assessment_due_days", q.self_assessment_due_days},
                               {"kpi_weight_pct", q.kpi_weight_pct},
                               {"kpi_return_due_days", q.kpi_return_due_days},
                               {"cqc_outstanding", q.cqc_outstanding},
                               {"cqc_good", q.cqc_good},
                               {"cqc_requires_improvement", q.cqc_requires_improvement},
                               {"cqc_inadequate", q.cqc_inadequate},
                               {"pamms_excellent", q.pamms_excellent},
                               {"pamms_good", q.pamms_good},
                               {"pamms_requires_improvement", q.pamms_requires_improvement},
                               {"pamms_poor", q.pamms_poor}}},
      {"risk", json::object{{"red_excludes_from_broadcast", r.red_excludes_from_broadcast},
                            {"amber_excludes_from_broadcast", r.amber_excludes_from_broadcast},
                            {"lookback_days", r.lookback_days},
                            {"amber_safeguarding_decisions", r.amber_safeguarding_decisions},
                            {"amber_substantiated_concerns", r.amber_substantiated_concerns},
                            {"at_capacity_excludes_from_broadcast", r.at_capacity_excludes_from_broadcast}}},
      {"windows", json::object{{"urgent_window", w.urgent_window},
                               {"standard_working_days", w.standard_working_days},
                               {"planned_working_days", w.planned_working_days},
                               {"planned_after_days", w.planned_after_days},
                               {"urgent_acceptance", w.urgent_acceptance},
                               {"acceptance_working_days", w.acceptance_working_days},
                               {"best_and_final_window", w.best_and_final_window},
                               {"start_slack_days", w.start_slack_days},
                               {"admission_working_days", w.admission_working_days},
                               {"admission_extended_working_days", w.admission_extended_working_days},
                               {"retain_closed_days", w.retain_closed_days},
                               {"hand_back_notice_days", w.hand_back_notice_days}}},
      {"assessment", assessment_framework_json(c.assessment)},
      {"kpis", kpis_json(kpis_of(c))},
      {"default_kpis", c.kpis.empty()},
  };
}

// ---- packages ----

json::object package_row_json(const Market& m, const Package& p) {
  const DpsConfig& c = m.dps(p.dps);
  int live_offers = 0;
  for (const auto& o : p.offers) live_offers += o.withdrawn ? 0 : 1;
  json::object o{{"package", p.id},
                 {"status", to_string(p.status)},
                 {"dps", c.code},
                 {"lot", c.lots[p.lot].code},
                 {"unit", to_string(c.lots[p.lot].unit)},
                 {"zone", c.zones[p.zone].code},
                 {"postcode_district", p.spec->postcode_district},
                 {"categories", strings(p.spec->categories)},
                 {"tier", package_tier(m, p)},
                 {"urgency", to_string(p.urgency)},
                 {"quantity", p.spec->quantity},
                 {"start_date", date_json(p.spec->start_date)},
                 {"officer", p.spec->officer}};
  put_time(o, "posted_at", p.posted_at);
  put_time(o, "closes_at", p.closes_at);
  o["invited_count"] = p.invited.size();
  o["offer_count"] = live_offers;
  o["declines"] = p.declines;
  const bool awarded = p.status == PackageStatus::award_pending || p.status == PackageStatus::placed;
  o["award_location"] = awarded ? json::value(m.location(p.award_location).id) : json::value(nullptr);
  return o;
}

json::object officer_package_json(const Market& m, const OfficerPackageView& v, const person::ReleasedPerson& released) {
  const Package& p = *v.package;
  const DpsConfig& c = m.dps(p.dps);
  json::object o = package_row_json(m, p);
  o.reserve(72);
  o["tier"] = v.tier;
  json::array route;
  for (int t : p.route_tiers) route.emplace_back(tier_code(c, t));
  o["route"] = std::move(route);
  o["step"] = p.step;
  o["round"] = p.round;
  o["funder"] = to_string(p.spec->funder);
  o["visits"] = json::object{{"visits_per_day", p.spec->visits.visits_per_day},
                             {"minutes_per_visit", p.spec->visits.minutes_per_visit},
                             {"days_per_week", p.spec->visits.days_per_week}};
  o["double_handed"] = p.spec->double_handed;
  o["latest_start"] = date_json(p.latest_start);
  o["needs"] = strings(p.spec->needs);
  o["outcomes"] = strings(p.spec->outcomes);
  o["must_meet"] = strings(p.spec->must_meet);
  o["price_ceiling"] = p.spec->price_ceiling;
  o["window"] = p.spec->window;
  put_order_terms(o, m, p);
  o["spot_purchase"] = spot_purchase_json(m, p);
  put_time(o, "opened_at", p.opened_at);
  o["hold_remaining"] = p.status == PackageStatus::on_hold ? json::value(p.hold_remaining) : json::value(nullptr);
  put_time(o, "closed_at", p.closed_at);
  o["tiers_tried"] = p.tiers_tried;
  o["hand_backs"] = p.hand_backs;
  if (released.status == person::PersonStatus::available)
    o["person"] = json::object{{"status", "available"},
                               {"name", released.details.name},
                               {"address", released.details.address},
                               {"postcode", released.details.postcode},
                               {"case_reference", released.details.case_reference}};
  else
    o["person"] = json::object{{"status", person::to_string(released.status)}};
  json::array offers;
  for (const auto& r : v.ranking.offers) offers.push_back(offer_json(m, p, r));
  o["ranking"] = json::object{{"scheme", to_string(v.ranking.scheme)},
                              {"lowest", v.ranking.lowest},
                              {"acceptable", v.ranking.acceptable_count()},
                              {"offers", std::move(offers)}};
  json::array shortlist;
  for (const auto& s : p.shortlist) {
    json::object e = location_ref(m, s.location);
    e["rank"] = s.rank;
    shortlist.push_back(std::move(e));
  }
  o["shortlist"] = std::move(shortlist);
  json::array invited;
  for (LocationIndex i : v.invited) invited.push_back(location_ref(m, i));
  o["invited"] = std::move(invited);
  // Only the locations that applied to (or are members of) the package's DPS are listed; the
  // summary counts every rule, not_applied included, so nothing is hidden from the totals.
  json::array exclusions;
  json::object by_rule;
  for (const auto& x : v.exclusions) {
    const std::string_view rule = engine::to_string(x.rule);
    if (json::value* n = by_rule.if_contains(rule))
      *n = n->as_int64() + 1;
    else
      by_rule[rule] = 1;
    if (!m.location(x.location).membership_of(p.dps)) continue;
    json::object e = location_ref(m, x.location);
    e["rule"] = rule;
    e["detail"] = x.detail;
    exclusions.push_back(std::move(e));
  }
  o["exclusions_by_rule"] = std::move(by_rule);
  o["exclusions"] = std::move(exclusions);
  o["award"] = award_json(m, p);
  // Live placements (placement_json.h): the placement, the placement it re-procures, and invited
  // locations whose placed hours reach their declared capacity (a warning: they were broadcast).
  const Placement* placement = m.find_placement(p.id);
  o["placement"] = placement ? json::value(placement_json(m, *placement)) : json::value(nullptr);
  const PackageId replaces = m.replaces_placement(p.id);
  o["replaces_placement"] = replaces ? json::value(replaces) : json::value(nullptr);
  json::array at_capacity;
  for (LocationIndex i : v.at_capacity) at_capacity.push_back(location_ref(m, i));
  o["at_capacity_warnings"] = std::move(at_capacity);
  o["amendments"] = amendments_json(p);
  o["questions"] = questions_json(m, p);
  o["decisions"] = decisions_json(p);
  return o;
}

// ---- locations ----

json::object location_row_json(const Market& m, LocationIndex i, int dps) {
  const Location& l = m.location(i);
  json::object o{{"location", l.id}, {"name", l.name}, {"provider", l.provider_id},
                 {"postcode", l.postcode}, {"local_authority", l.local_authority}};
  if (dps < 0) {
    json::array memberships;
    for (const auto& mem : l.memberships)
      memberships.push_back(json::object{{"dps", m.dps(mem.dps).code}, {"status", to_string(mem.status)}});
    o["memberships"] = std::move(memberships);
    return o;
  }
  if (const Membership* mem = l.membership_of(dps)) o["membership"] = membership_json(m, *mem);
  o["quality"] = quality_json(m.quality_of(i, dps), false);
  const RiskRating risk = m.risk_of(i, dps);
  o["rag"] = to_string(risk.rag);
  o["rag_reasons"] = strings(risk.reasons);
  return o;
}

json::object location_detail_json(const Market& m, LocationIndex i) {
  const Location& l = m.location(i);
  const Provider& pr = m.provider_of(l);
  json::array terminated_in;  // the DPSs whose contract with the provider is terminated
  for (int d : pr.terminated_in) terminated_in.emplace_back(m.dps(d).code);
  json::array actions_in_force;  // GET /api/v1/providers/{id}/contract-actions has them in full
  for (const ContractAction& a : pr.contract_actions)
    if (a.in_force())
      actions_in_force.push_back(json::object{{"id", a.id}, {"dps", m.dps(a.dps).code}, {"kind", to_string(a.kind)}});
  const QualityInputs& q = l.quality;
  json::array safeguarding, concerns;
  for (UtcMillis t : q.safeguarding_decisions) safeguarding.emplace_back(iso_utc(t));
  for (UtcMillis t : q.substantiated_concerns) concerns.emplace_back(iso_utc(t));
  json::object o{{"location", l.id}, {"name", l.name}, {"postcode", l.postcode}, {"local_authority", l.local_authority}};
  o["provider"] = json::object{{"id", pr.id},
                               {"name", pr.name},
                               {"in_administration", pr.in_administration},
                               {"contract_terminated_in", terminated_in},
                               {"contract_actions_in_force", std::move(actions_in_force)},
                               {"status_reason", pr.status_reason},
                               {"status_by", pr.status_by}};  // staff only, as changed_by
  o["quality_inputs"] = json::object{
      {"cqc", to_string(q.cqc)},
      {"pamms", to_string(q.pamms)},
      {"self_assessment", q.self_assessment < 0 ? json::value(nullptr) : json::value(q.self_assessment)},
      {"fsa", to_string(q.fsa)},
      {"embargo", q.embargo},
      {"embargo_reason", q.embargo_reason},
      {"default_notice", q.default_notice},
      {"unexpected_deaths_under_investigation", q.unexpected_deaths_under_investigation},
      {"registered_manager_vacancy", q.registered_manager_vacancy},
      {"safeguarding_decisions", std::move(safeguarding)},
      {"substantiated_concerns", std::move(concerns)}};
  o["cqc_history"] = cqc_history_json(l.cqc_history);
  o["fsa_rating"] = fsa_rating_json(l.fsa_rating);
  json::array memberships;
  for (const auto& mem : l.memberships) {
    json::object e = membership_json(m, mem);
    e["quality"] = quality_json(m.quality_of(i, mem.dps), true);
    e["risk"] = risk_json(m.risk_of(i, mem.dps));
    memberships.push_back(std::move(e));
  }
  o["memberships"] = std::move(memberships);
  return o;
}

}  // namespace carebroker::gateway::rest
