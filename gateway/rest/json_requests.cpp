// Strict JSON reading (ObjectReader) and the request conversions: DPS configuration, category,
// package and person, quality-input patch, membership terms.
#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/market/calendar.h"
#include "gateway/error_codes.h"
#include "gateway/rest/json_convert.h"

namespace carebroker::gateway::rest {

JsonStatus input_error(int http, std::string code, std::string detail) {
  return JsonStatus{http, std::move(code), std::move(detail)};
}

JsonStatus input_error(GatewayCode code, std::string detail) {
  return input_error(http_status(code), std::string(to_string(code)), std::move(detail));
}

JsonStatus input_error(engine::Code code, std::string detail) {
  return input_error(http_status(code), std::string(engine::to_string(code)), std::move(detail));
}

JsonStatus parse_body(std::string_view text, json::value& out) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    out = json::object();
    return {};
  }
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = 32;
  out = json::parse(text, ec, json::storage_ptr(), options);
  if (ec) return input_error(GatewayCode::malformed_json, "the body is not valid JSON: " + ec.message());
  if (!out.is_object()) return input_error(GatewayCode::wrong_type, "the body must be a JSON object");
  return {};
}

// ---- ObjectReader ----

ObjectReader::ObjectReader(const json::value& value, std::string where, JsonStatus& status)
    : where_(std::move(where)), status_(status) {
  if (!status_.ok()) return;
  object_ = value.if_object();
  if (!object_) {
    const std::string what = where_.empty() ? "the body" : "field '" + where_.substr(0, where_.size() - 1) + "'";
    fail(GatewayCode::wrong_type, what + " must be an object");
  }
}

void ObjectReader::fail(int http, std::string code, std::string detail) {
  if (status_.ok()) status_ = input_error(http, std::move(code), std::move(detail));
}

void ObjectReader::fail(GatewayCode code, std::string detail) {
  if (status_.ok()) status_ = input_error(code, std::move(detail));
}

void ObjectReader::fail(engine::Code code, std::string detail) {
  if (status_.ok()) status_ = input_error(code, std::move(detail));
}

void ObjectReader::wrong_type(std::string_view key, std::string_view expected) {
  fail(GatewayCode::wrong_type, "field '" + name(key) + "' must be " + std::string(expected));
}

bool ObjectReader::has(std::string_view key) const {
  if (!object_) return false;
  const json::value* v = object_->if_contains(key);
  return v && !v->is_null();
}

const json::value* ObjectReader::field(std::string_view key, Need need) {
  if (!status_.ok() || !object_) return nullptr;
  auto it = object_->find(key);
  if (it != object_->end()) seen_.push_back(it->key());
  if (it == object_->end() || it->value().is_null()) {
    if (need == Need::required && missing_.empty()) missing_ = name(key);
    return nullptr;
  }
  return &it->value();
}

void ObjectReader::read_text(std::string_view key, std::string& out, Need need, std::size_t max_chars, TextForm form) {
  const json::value* v = field(key, need);
  if (!v) return;
  if (!v->is_string()) return wrong_type(key, "a string");
  const json::string& s = v->get_string();
  if (std::string problem = text_problem(s, form, max_chars); !problem.empty())
    return fail(GatewayCode::invalid_value, "field '" + name(key) + "' " + problem);
  out.assign(s.data(), s.size());
}

void ObjectReader::text(std::string_view key, std::string& out, Need need, std::size_t max_chars) {
  read_text(key, out, need, max_chars, TextForm::line);
}

void ObjectReader::raw_text(std::string_view key, std::string& out, Need need) {
  const json::value* v = field(key, need);
  if (!v) return;
  if (!v->is_string()) return wrong_type(key, "a string");
  out.assign(v->get_string().data(), v->get_string().size());
}

void ObjectReader::free_text(std::string_view key, std::string& out, Need need, std::size_t max_chars) {
  read_text(key, out, need, max_chars, TextForm::free);
}

void ObjectReader::integer(std::string_view key, std::int64_t& out, Need need, std::int64_t min,
                           std::int64_t max) {
  const json::value* v = field(key, need);
  if (!v) return;
  const std::string range = std::to_string(min) + ".." + std::to_string(max);
  if (v->is_int64() || v->is_uint64()) {
    if (v->is_uint64() || v->get_int64() < min || v->get_int64() > max)
      return fail(GatewayCode::invalid_value, "field '" + name(key) + "' must be " + range);
    out = v->get_int64();
    return;
  }
  if (v->is_double())
    return fail(GatewayCode::wrong_type, "field '" + name(key) + "' must be an integer (" + range + ")");
  wrong_type(key, "an integer");
}

void ObjectReader::integer(std::string_view key, int& out, Need need, int min, int max) {
  std::int64_t wide = out;
  integer(key, wide, need, min, max);
  if (status_.ok()) out = static_cast<int>(wide);
}

void ObjectReader::pence(std::string_view key, engine::Pence& out, Need need) {
  const json::value* v = field(key, need);
  if (!v) return;
  const std::string what = "field '" + name(key) + "'";
  const std::string too_much = what + " is more than 1000000000000 pence (£10,000,000,000)";
  if (v->is_uint64()) return fail(GatewayCode::invalid_money, too_much);
  if (v->is_int64()) {
    const std::int64_t p = v->get_int64();
    if (p < 0) return fail(GatewayCode::invalid_money, what + " must not be negative");
    if (p > kMaxPence) return fail(GatewayCode::invalid_money, too_much);
    out = p;
    return;
  }
  if (v->is_double()) {
    const double d = v->get_double();
    if (d < 0) return fail(GatewayCode::invalid_money, what + " must not be negative");
    if (d > static_cast<double>(kMaxPence)) return fail(GatewayCode::invalid_money, too_much);
    return fail(GatewayCode::invalid_money,
                what + " must be a whole number of pence (e.g. 2850 for £28.50), without a decimal point");
  }
  wrong_type(key, "a whole number of pence (e.g. 2850 for £28.50)");
}

void ObjectReader::boolean(std::string_view key, bool& out, Need need) {
  const json::value* v = field(key, need);
  if (!v) return;
  if (!v->is_bool()) return wrong_type(key, "true or false");
  out = v->get_bool();
}

void ObjectReader::date(std::string_view key, engine::Date& out, Need need) {
  const json::value* v = field(key, need);
  if (!v) return;
  if (!v->is_string()) return wrong_type(key, "a date \"YYYY-MM-DD\"");
  const auto d = engine::parse_date(std::string_view(v->get_string()));
  if (!d) return fail(engine::Code::invalid_date, "field '" + name(key) + "' is not a calendar date \"YYYY-MM-DD\"");
  out = *d;
}

const json::array* ObjectReader::array(std::string_view key, Need need, std::size_t max_items) {
  const json::value* v = field(key, need);
  if (!v) return nullptr;
  if (!v->is_array()) {
    wrong_type(key, "a list");
    return nullptr;
  }
  if (v->get_array().size() > max_items) {
    fail(GatewayCode::invalid_value, "field '" + name(key) + "' has more than " + std::to_string(max_items) + " items");
    return nullptr;
  }
  return &v->get_array();
}

void ObjectReader::dates(std::string_view key, std::vector<engine::Date>& out, Need need) {
  const json::array* a = array(key, need, 5000);
  if (!a) return;
  out.clear();
  for (std::size_t i = 0; i < a->size(); ++i) {
    const json::value& v = (*a)[i];
    const auto d = v.is_string() ? engine::parse_date(std::string_view(v.get_string())) : std::nullopt;
    if (!d) {
      std::string problem = "field '" + name(key) + "[" + std::to_string(i) + "]' must be a date \"YYYY-MM-DD\"";
      return v.is_string() ? fail(engine::Code::invalid_date, std::move(problem)) : fail(GatewayCode::wrong_type, std::move(problem));
    }
    out.push_back(*d);
  }
}

void ObjectReader::texts(std::string_view key, std::vector<std::string>& out, Need need,
                         std::size_t max_items, std::size_t max_chars) {
  const json::array* a = array(key, need, max_items);
  if (!a) return;
  out.clear();
  for (std::size_t i = 0; i < a->size(); ++i) {
    const json::value& v = (*a)[i];
    const std::string item = name(key) + "[" + std::to_string(i) + "]";
    if (!v.is_string()) return fail(GatewayCode::wrong_type, "field '" + item + "' must be a string");
    if (std::string problem = text_problem(v.get_string(), TextForm::line, max_chars); !problem.empty())
      return fail(GatewayCode::invalid_value, "field '" + item + "' " + problem);
    out.emplace_back(v.get_string().data(), v.get_string().size());
  }
}

const json::value* ObjectReader::object(std::string_view key, Need need) {
  const json::value* v = field(key, need);
  if (v && !v->is_object()) {
    wrong_type(key, "an object");
    return nullptr;
  }
  return v;
}

void ObjectReader::finish() {
  if (!status_.ok() || !object_) return;
  for (const auto& kv : *object_)
    if (std::find(seen_.begin(), seen_.end(), kv.key()) == seen_.end())
      return fail(GatewayCode::unknown_field, "unknown field '" + name(kv.key()) + "'");
  if (!missing_.empty()) fail(GatewayCode::missing_field, "field '" + missing_ + "' is required");
}

// ---- DPS configuration ----
namespace {

constexpr int kIntMax = std::numeric_limits<int>::max();
constexpr int kIntMin = std::numeric_limits<int>::min();

template <typename Item, typename ReadItem>
void read_list(ObjectReader& r, std::string_view key, Need need, std::vector<Item>& out, JsonStatus& status,
               ReadItem read_item) {
  const json::array* a = r.array(key, need, 64);
  if (!a) return;
  out.clear();
  for (std::size_t i = 0; i < a->size() && status.ok(); ++i) {
    Item item;
    ObjectReader ir((*a)[i], r.name(key) + "[" + std::to_string(i) + "].", status);
    read_item(ir, item);
    ir.finish();
    out.push_back(std::move(item));
  }
}

void read_ranking(const json::value& v, const std::string& where, engine::RankingPolicy& k, JsonStatus& status) {
  using engine::AuctionFormat;
  using engine::RankingScheme;
  ObjectReader r(v, where, status);
  r.choice("scheme", k.scheme, Need::optional,
           {RankingScheme::price_quality_split, RankingScheme::quality_adjusted_price});
  r.integer("price_weight_pct", k.price_weight_pct, Need::optional, kIntMin, kIntMax);
  r.integer("quality_weight_pct", k.quality_weight_pct, Need::optional, kIntMin, kIntMax);
  r.integer("min_quality", k.min_quality, Need::optional, kIntMin, kIntMax);
  r.integer("abnormally_low_pct", k.abnormally_low_pct, Need::optional, kIntMin, kIntMax);
  r.choice("auction", k.auction, Need::optional,
           {AuctionFormat::sealed_single_round, AuctionFormat::best_and_final});
  r.integer("shortlist_size", k.shortlist_size, Need::optional, kIntMin, kIntMax);
  r.boolean("first_acceptable_wins_urgent", k.first_acceptable_wins_urgent, Need::optional);
  r.finish();
}

void read_quality(const json::value& v, const std::string& where, engine::QualityPolicy& q, JsonStatus& status) {
  ObjectReader r(v, where, status);
  const std::pair<const char*, int*> fields[] = {
      {"pamms_weight_pct", &q.pamms_weight_pct},
      {"cqc_weight_pct", &q.cqc_weight_pct},
      {"self_assessment_weight_pct", &q.self_assessment_weight_pct},
      {"neutral_points", &q.neutral_points},
      {"self_assessment_due_days", &q.self_assessment_due_days},
      {"kpi_weight_pct", &q.kpi_weight_pct},
      {"kpi_return_due_days", &q.kpi_return_due_days},
      {"cqc_outstanding", &q.cqc_outstanding},
      {"cqc_good", &q.cqc_good},
      {"cqc_requires_improvement", &q.cqc_requires_improvement},
      {"cqc_inadequate", &q.cqc_inadequate},
      {"pamms_excellent", &q.pamms_excellent},
      {"pamms_good", &q.pamms_good},
      {"pamms_requires_improvement", &q.pamms_requires_improvement},
      {"pamms_poor", &q.pamms_poor},
  };
  for (const auto& [key, field] : fields) r.integer(key, *field, Need::optional, kIntMin, kIntMax);
  r.finish();
}

void read_risk(const json::value& v, const std::string& where, engine::RiskPolicy& k, JsonStatus& status) {
  ObjectReader r(v, where, status);
  r.boolean("red_excludes_from_broadcast", k.red_excludes_from_broadcast, Need::optional);
  r.boolean("amber_excludes_from_broadcast", k.amber_excludes_from_broadcast, Need::optional);
  r.integer("lookback_days", k.lookback_days, Need::optional, kIntMin, kIntMax);
  r.integer("amber_safeguarding_decisions", k.amber_safeguarding_decisions, Need::optional, kIntMin, kIntMax);
  r.integer("amber_substantiated_concerns", k.amber_substantiated_concerns, Need::optional, kIntMin, kIntMax);
  r.boolean("at_capacity_excludes_from_broadcast", k.at_capacity_excludes_from_broadcast, Need::optional);
  r.finish();
}

/// A lot's cost model (engine/market/cost_model.h): the wage and the ceiling are required; the
/// market checks the ranges (invalid_cost_model).
void read_cost_model(const json::value& v, const std::string& where, engine::CostModel& m, JsonStatus& status) {
  ObjectReader r(v, where, status);
  r.pence("wage_per_hour", m.wage_per_hour, Need::required);
  r.integer("travel_minutes_per_contact_hour", m.travel_minutes_per_contact_hour, Need::optional, kIntMin, kIntMax);
  r.integer("miles_per_100_contact_hours", m.miles_per_100_contact_hours, Need::optional, kIntMin, kIntMax);
  r.pence("pence_per_mile", m.pence_per_mile, Need::optional);
  const std::pair<const char*, int*> shares[] = {
      {"holiday_bp", &m.holiday_bp},         {"training_bp", &m.training_bp}, {"supervision_bp", &m.supervision_bp},
      {"employer_ni_bp", &m.employer_ni_bp}, {"pension_bp", &m.pension_bp},   {"surplus_bp", &m.surplus_bp},
  };
  for (const auto& [key, field] : shares) r.integer(key, *field, Need::optional, kIntMin, kIntMax);
  r.pence("office_per_contact_hour", m.office_per_contact_hour, Need::optional);
  r.pence("management_per_contact_hour", m.management_per_contact_hour, Need::optional);
  r.integer("ceiling_pct", m.ceiling_pct, Need::required, kIntMin, kIntMax);
  r.finish();
}

void read_windows(const json::value& v, const std::string& where, engine::WindowPolicy& w, JsonStatus& status) {
  ObjectReader r(v, where, status);
  r.integer("urgent_window", w.urgent_window, Need::optional, 0, kMaxMillis);
  r.integer("standard_working_days", w.standard_working_days, Need::optional, kIntMin, kIntMax);
  r.integer("planned_working_days", w.planned_working_days, Need::optional, kIntMin, kIntMax);
  r.integer("planned_after_days", w.planned_after_days, Need::optional, kIntMin, kIntMax);
  r.integer("urgent_acceptance", w.urgent_acceptance, Need::optional, 0, kMaxMillis);
  r.integer("acceptance_working_days", w.acceptance_working_days, Need::optional, kIntMin, kIntMax);
  r.integer("best_and_final_window", w.best_and_final_window, Need::optional, 0, kMaxMillis);
  r.integer("start_slack_days", w.start_slack_days, Need::optional, kIntMin, kIntMax);
  r.integer("admission_working_days", w.admission_working_days, Need::optional, kIntMin, kIntMax);
  r.integer("admission_extended_working_days", w.admission_extended_working_days, Need::optional, kIntMin, kIntMax);
  r.integer("retain_closed_days", w.retain_closed_days, Need::optional, kIntMin, kIntMax);
  r.integer("hand_back_notice_days", w.hand_back_notice_days, Need::optional, kIntMin, kIntMax);
  r.finish();
}

/// The assessment framework (engine/market/assessment.h): its domains with their standards (none
/// = the default PAMMS framework) and the PAMMS rating rule. The market checks codes and
/// thresholds (invalid_config naming the field).
void read_assessment(const json::value& v, const std::string& where, engine::AssessmentFramework& f, JsonStatus& status) {
  ObjectReader r(v, where, status);
  read_list(r, "domains", Need::optional, f.domains, status, [&status](ObjectReader& dr, engine::AssessmentDomain& d) {
    dr.text("code", d.code, Need::required, 64);
    dr.text("name", d.name, Need::optional);
    read_list(dr, "standards", Need::required, d.standards, status, [](ObjectReader& sr, engine::AssessmentStandard& st) {
      sr.text("code", st.code, Need::required, 64);
      sr.text("name", st.name, Need::optional);
    });
  });
  // As GET writes it: "default_framework": true with the default domains listed (or none) = the
  // default framework, kept as no domains of its own.
  bool default_framework = false;
  r.boolean("default_framework", default_framework, Need::optional);
  if (r.ok() && default_framework) {
    if (!f.domains.empty() && f.domains != engine::default_assessment_domains())
      return r.fail(GatewayCode::invalid_value, "field '" + r.name("default_framework") +
                                               "' is true, but the domains are not the default framework's");
    f.domains.clear();
  }
  if (const json::value* rule = r.object("rating", Need::optional)) {
    ObjectReader rr(*rule, r.name("rating") + ".", status);
    rr.integer("excellent_from_x100", f.rating.excellent_from_x100, Need::optional, kIntMin, kIntMax);
    rr.integer("good_from_x100", f.rating.good_from_x100, Need::optional, kIntMin, kIntMax);
    rr.integer("requires_improvement_from_x100", f.rating.requires_improvement_from_x100, Need::optional, kIntMin, kIntMax);
    rr.boolean("domain_scored_1_caps", f.rating.domain_scored_1_caps, Need::optional);
    rr.finish();
  }
  r.finish();
}

/// The KPI set (engine/market/kpi.h): none = the default for the DPS's lots. The market checks
/// ids and targets (invalid_config naming the problem). As GET writes it, "default_kpis": true
/// with the default set listed (or none) = the default, kept as no set of its own.
void read_kpis(ObjectReader& r, engine::DpsConfig& c, JsonStatus& status) {
  read_list(r, "kpis", Need::optional, c.kpis, status, [](ObjectReader& kr, engine::Kpi& k) {
    kr.text("id", k.id, Need::required, 64);
    kr.text("name", k.name, Need::required, 500);
    kr.integer("target_pct", k.target_pct, Need::required, kIntMin, kIntMax);
    kr.choice("kind", k.kind, Need::optional, {engine::KpiKind::staff, engine::KpiKind::people});
  });
  bool default_kpis = false;
  r.boolean("default_kpis", default_kpis, Need::optional);
  if (r.ok() && default_kpis) {
    engine::DpsConfig as_default = c;
    as_default.kpis.clear();
    if (!c.kpis.empty() && c.kpis != engine::kpis_of(as_default))
      return r.fail(GatewayCode::invalid_value, "field '" + r.name("default_kpis") +
                                               "' is true, but the KPIs are not the default set for the DPS's lots");
    c.kpis.clear();
  }
}

}  // namespace

JsonStatus dps_config_from_json(const json::value& v, engine::DpsConfig& c) {
  using engine::DistributionMode;
  JsonStatus status;
  ObjectReader r(v, "", status);
  c = engine::DpsConfig{};
  r.text("code", c.code, Need::optional);
  r.text("name", c.name, Need::optional);
  r.text("council", c.council, Need::optional);
  r.choice("mode", c.mode, Need::optional, {DistributionMode::cascade, DistributionMode::all_at_once});
  r.boolean("zones_part_of_lots", c.zones_part_of_lots, Need::optional);
  read_list(r, "lots", Need::required, c.lots, status, [&status](ObjectReader& ir, engine::Lot& lot) {
    ir.text("code", lot.code, Need::required);
    ir.text("name", lot.name, Need::optional);
    ir.choice("unit", lot.unit, Need::optional,
              {engine::Unit::hours, engine::Unit::places, engine::Unit::sessions});
    ir.pence("rate_min", lot.rate_min, Need::optional);
    ir.pence("rate_max", lot.rate_max, Need::optional);
    ir.pence("fair_cost", lot.fair_cost, Need::optional);
    ir.pence("baseline_rate", lot.baseline_rate, Need::optional);
    if (const json::value* m = ir.object("cost_model", Need::optional))
      read_cost_model(*m, ir.name("cost_model") + ".", lot.cost_model, status);
  });
  r.texts("categories", c.categories, Need::required, 64);
  read_list(r, "zones", Need::required, c.zones, status, [](ObjectReader& ir, engine::Zone& zone) {
    ir.text("code", zone.code, Need::required);
    ir.text("name", zone.name, Need::optional);
    ir.texts("postcode_districts", zone.postcode_districts, Need::optional, 5000, 16);
  });
  r.texts("tiers", c.tiers, Need::required, 64);
  read_list(r, "routes", Need::required, c.routes, status, [](ObjectReader& ir, engine::Route& route) {
    ir.text("name", route.name, Need::required);
    ir.texts("when_any_category", route.when_any_category, Need::optional, 64);
    ir.texts("tiers", route.tiers, Need::required, 64);
  });
  if (const json::value* k = r.object("ranking", Need::optional)) read_ranking(*k, "ranking.", c.ranking, status);
  if (const json::value* q = r.object("quality", Need::optional)) read_quality(*q, "quality.", c.quality, status);
  if (const json::value* k = r.object("risk", Need::optional)) read_risk(*k, "risk.", c.risk, status);
  if (const json::value* w = r.object("windows", Need::optional)) read_windows(*w, "windows.", c.windows, status);
  if (const json::value* a = r.object("assessment", Need::optional)) read_assessment(*a, "assessment.", c.assessment, status);
  read_kpis(r, c, status);  // after the lots: the default set follows them
  r.finish();
  return status;
}

JsonStatus category_from_json(const json::value& v, engine::Category& c) {
  JsonStatus status;
  ObjectReader r(v, "", status);
  r.text("code", c.code, Need::required);
  r.text("name", c.name, Need::required);
  r.finish();
  return status;
}

// ---- packages ----

JsonStatus package_from_json(const json::value& v, engine::PackageSpec& s, engine::PersonDetails& person) {
  using engine::Urgency;
  JsonStatus status;
  ObjectReader r(v, "", status);
  s = engine::PackageSpec{};
  person = engine::PersonDetails{};
  r.text("dps", s.dps, Need::required);
  r.text("lot", s.lot, Need::required);
  r.texts("categories", s.categories, Need::required, 64);
  r.text("zone", s.zone, Need::optional);
  r.text("postcode_district", s.postcode_district, Need::optional, 16);
  // With a schedule the quantity may be left out: the schedule's minutes a week.
  r.integer("quantity", s.quantity, r.has("schedule") ? Need::optional : Need::required, 0, kMaxMillis);
  if (const json::value* visits = r.object("visits", Need::optional)) {
    ObjectReader vr(*visits, "visits.", status);
    vr.integer("visits_per_day", s.visits.visits_per_day, Need::required, 0, 1000);
    vr.integer("minutes_per_visit", s.visits.minutes_per_visit, Need::required, 0, 100'000);
    vr.integer("days_per_week", s.visits.days_per_week, Need::required, 0, 1000);
    vr.finish();
  }
  r.boolean("double_handed", s.double_handed, Need::optional);
  r.date("start_date", s.start_date, Need::required);
  r.texts("needs", s.needs, Need::optional);
  r.texts("outcomes", s.outcomes, Need::optional);
  r.texts("must_meet", s.must_meet, Need::optional);
  r.choice("urgency", s.urgency, Need::optional, {Urgency::urgent, Urgency::standard, Urgency::planned});
  read_order_terms(r, s, status);  // schedule, end_date, funder, funding
  r.pence("price_ceiling", s.price_ceiling, Need::optional);
  r.integer("window", s.window, Need::optional, 0, kMaxMillis);
  if (const json::value* p = r.object("person", Need::required)) {
    ObjectReader pr(*p, "person.", status);
    pr.text("name", person.name, Need::required);
    pr.free_text("address", person.address, Need::optional);
    pr.text("postcode", person.postcode, Need::optional, 16);
    pr.text("case_reference", person.case_reference, Need::optional);
    pr.finish();
  }
  r.finish();
  if (status.ok() && person.name.empty())
    return input_error(GatewayCode::invalid_value, "field 'person.name' must not be empty");
  return status;
}

// ---- quality inputs ----

JsonStatus quality_patch_from_json(const json::value& v, engine::UpdateQualityInputs& q) {
  using engine::CqcRating;
  using engine::FsaRating;
  using engine::PammsRating;
  JsonStatus status;
  ObjectReader r(v, "", status);
  auto optional_int = [&](std::string_view key, std::optional<int>& out, int min, int max) {
    int value = 0;
    r.integer(key, value, Need::optional, min, max);
    if (r.ok() && r.has(key)) out = value;
  };
  auto optional_bool = [&](std::string_view key, std::optional<bool>& out) {
    bool value = false;
    r.boolean(key, value, Need::optional);
    if (r.ok() && r.has(key)) out = value;
  };
  auto optional_choice = [&](std::string_view key, auto& out, auto... values) {
    typename std::decay_t<decltype(out)>::value_type value{};
    r.choice(key, value, Need::optional, {values...});
    if (r.ok() && r.has(key)) out = value;
  };
  optional_choice("cqc", q.cqc, CqcRating::none, CqcRating::outstanding, CqcRating::good,
                  CqcRating::requires_improvement, CqcRating::inadequate);
  optional_choice("pamms", q.pamms, PammsRating::none, PammsRating::excellent, PammsRating::good,
                  PammsRating::requires_improvement, PammsRating::poor);
  optional_choice("fsa", q.fsa, FsaRating::not_applicable, FsaRating::r0, FsaRating::r1, FsaRating::r2,
                  FsaRating::r3, FsaRating::r4, FsaRating::r5, FsaRating::awaiting);
  optional_int("self_assessment", q.self_assessment, -1, 100);
  optional_bool("embargo", q.embargo);
  r.free_text("embargo_reason", q.embargo_reason, Need::optional);
  optional_bool("default_notice", q.default_notice);
  optional_int("unexpected_deaths_under_investigation", q.unexpected_deaths_under_investigation, 0, 1000);
  optional_bool("registered_manager_vacancy", q.registered_manager_vacancy);
  r.integer("record_safeguarding_decisions", q.record_safeguarding_decisions, Need::optional, 0, 100);
  r.integer("record_substantiated_concerns", q.record_substantiated_concerns, Need::optional, 0, 100);
  // The early-warning entry: why, the evidence reference (the market limits its length:
  // evidence_too_long) and the date of the decisions and concerns recorded (default today).
  r.free_text("reason", q.reason, Need::optional);
  r.text("evidence", q.evidence, Need::optional, kMaxTextChars);
  r.date("entries_on", q.entries_on, Need::optional);
  r.finish();
  return status;
}

// ---- membership terms ----

JsonStatus membership_terms_from_json(const json::value& v, bool with_dps, MembershipTerms& t) {
  JsonStatus status;
  ObjectReader r(v, "", status);
  if (with_dps) r.text("dps", t.dps, Need::required);
  r.texts("lots", t.lots, Need::required, 64);
  r.texts("categories", t.categories, Need::required, 64);
  r.texts("zones", t.zones, Need::required, 64);
  r.text("tier", t.tier, Need::required);
  r.integer("capacity", t.capacity, Need::optional, 0, 10'000'000);
  r.finish();
  return status;
}

}  // namespace carebroker::gateway::rest
