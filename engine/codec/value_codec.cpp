// The journal encoding of the values events carry; see value_codec.h.
// Every encoder first builds the strings, vectors and child tables, then the table itself
// (FlatBuffers cannot nest the building of two tables). Fields are set by name, in schema order.
#include "engine/codec/value_codec.h"

#include <cstddef>

#include <boost/pfr/core.hpp>

namespace carebroker::codec::detail {

namespace {

// ---- enums -----------------------------------------------------------------------------------
// The schema's enums mirror the C++ enums value for value, so conversion is a cast. These checks
// fail to compile when the two drift apart; when appending a value to a C++ enum, append it to
// the schema enum and here.

template <typename A, typename B>
constexpr bool same(A a, B b) {
  return static_cast<int>(a) == static_cast<int>(b);
}

static_assert(same(eng::Urgency::urgent, fb::Urgency::urgent) &&
              same(eng::Urgency::standard, fb::Urgency::standard) &&
              same(eng::Urgency::planned, fb::Urgency::planned) &&
              fb::Urgency::planned == fb::Urgency::MAX);
static_assert(same(eng::Funder::council, fb::Funder::council) &&
              same(eng::Funder::nhs, fb::Funder::nhs) && same(eng::Funder::joint, fb::Funder::joint) &&
              same(eng::Funder::self_funder, fb::Funder::self_funder) &&
              fb::Funder::self_funder == fb::Funder::MAX);
static_assert(same(eng::Unit::hours, fb::Unit::hours) && same(eng::Unit::places, fb::Unit::places) &&
              same(eng::Unit::sessions, fb::Unit::sessions) && fb::Unit::sessions == fb::Unit::MAX);
static_assert(same(eng::CqcRating::none, fb::CqcRating::none) &&
              same(eng::CqcRating::outstanding, fb::CqcRating::outstanding) &&
              same(eng::CqcRating::good, fb::CqcRating::good) &&
              same(eng::CqcRating::requires_improvement, fb::CqcRating::requires_improvement) &&
              same(eng::CqcRating::inadequate, fb::CqcRating::inadequate) &&
              fb::CqcRating::inadequate == fb::CqcRating::MAX);
static_assert(same(eng::PammsRating::none, fb::PammsRating::none) &&
              same(eng::PammsRating::excellent, fb::PammsRating::excellent) &&
              same(eng::PammsRating::good, fb::PammsRating::good) &&
              same(eng::PammsRating::requires_improvement, fb::PammsRating::requires_improvement) &&
              same(eng::PammsRating::poor, fb::PammsRating::poor) &&
              fb::PammsRating::poor == fb::PammsRating::MAX);
static_assert(same(eng::FsaRating::not_applicable, fb::FsaRating::not_applicable) &&
              same(eng::FsaRating::r0, fb::FsaRating::r0) && same(eng::FsaRating::r1, fb::FsaRating::r1) &&
              same(eng::FsaRating::r2, fb::FsaRating::r2) && same(eng::FsaRating::r3, fb::FsaRating::r3) &&
              same(eng::FsaRating::r4, fb::FsaRating::r4) && same(eng::FsaRating::r5, fb::FsaRating::r5) &&
              same(eng::FsaRating::awaiting, fb::FsaRating::awaiting) &&
              fb::FsaRating::awaiting == fb::FsaRating::MAX);
static_assert(same(eng::MembershipStatus::under_assessment, fb::MembershipStatus::under_assessment) &&
              same(eng::MembershipStatus::admitted, fb::MembershipStatus::admitted) &&
              same(eng::MembershipStatus::refused, fb::MembershipStatus::refused) &&
              same(eng::MembershipStatus::suspended, fb::MembershipStatus::suspended) &&
              same(eng::MembershipStatus::exited, fb::MembershipStatus::exited) &&
              fb::MembershipStatus::exited == fb::MembershipStatus::MAX);
static_assert(same(eng::DistributionMode::cascade, fb::DistributionMode::cascade) &&
              same(eng::DistributionMode::all_at_once, fb::DistributionMode::all_at_once) &&
              fb::DistributionMode::all_at_once == fb::DistributionMode::MAX);
static_assert(same(eng::RankingScheme::price_quality_split, fb::RankingScheme::price_quality_split) &&
              same(eng::RankingScheme::quality_adjusted_price, fb::RankingScheme::quality_adjusted_price) &&
              fb::RankingScheme::quality_adjusted_price == fb::RankingScheme::MAX);
static_assert(same(eng::AuctionFormat::sealed_single_round, fb::AuctionFormat::sealed_single_round) &&
              same(eng::AuctionFormat::best_and_final, fb::AuctionFormat::best_and_final) &&
              fb::AuctionFormat::best_and_final == fb::AuctionFormat::MAX);

template <typename Fb, typename Eng>
Fb to_schema(Eng v) {
  static_assert(sizeof(Eng) == sizeof(Fb));
  return static_cast<Fb>(static_cast<std::underlying_type_t<Eng>>(v));
}

template <typename Eng, typename Fb>
Eng from_schema(Fb v, std::string_view name, DecodeErrors& errors) {
  const auto raw = static_cast<unsigned>(v);
  if (raw > static_cast<unsigned>(Fb::MAX)) {
    errors.fail("unknown " + std::string(name) + " " + std::to_string(raw));
    return Eng{};
  }
  return static_cast<Eng>(static_cast<std::underlying_type_t<Eng>>(raw));
}

}  // namespace

fb::Urgency encode(eng::Urgency v) { return to_schema<fb::Urgency>(v); }
fb::Funder encode(eng::Funder v) { return to_schema<fb::Funder>(v); }
fb::Unit encode(eng::Unit v) { return to_schema<fb::Unit>(v); }
fb::CqcRating encode(eng::CqcRating v) { return to_schema<fb::CqcRating>(v); }
fb::PammsRating encode(eng::PammsRating v) { return to_schema<fb::PammsRating>(v); }
fb::FsaRating encode(eng::FsaRating v) { return to_schema<fb::FsaRating>(v); }
fb::MembershipStatus encode(eng::MembershipStatus v) { return to_schema<fb::MembershipStatus>(v); }
fb::DistributionMode encode(eng::DistributionMode v) { return to_schema<fb::DistributionMode>(v); }
fb::RankingScheme encode(eng::RankingScheme v) { return to_schema<fb::RankingScheme>(v); }
fb::AuctionFormat encode(eng::AuctionFormat v) { return to_schema<fb::AuctionFormat>(v); }

eng::Urgency decode(fb::Urgency v, DecodeErrors& e) { return from_schema<eng::Urgency>(v, "Urgency", e); }
eng::Funder decode(fb::Funder v, DecodeErrors& e) { return from_schema<eng::Funder>(v, "Funder", e); }
eng::Unit decode(fb::Unit v, DecodeErrors& e) { return from_schema<eng::Unit>(v, "Unit", e); }
eng::CqcRating decode(fb::CqcRating v, DecodeErrors& e) {
  return from_schema<eng::CqcRating>(v, "CqcRating", e);
}
eng::PammsRating decode(fb::PammsRating v, DecodeErrors& e) {
  return from_schema<eng::PammsRating>(v, "PammsRating", e);
}
eng::FsaRating decode(fb::FsaRating v, DecodeErrors& e) {
  return from_schema<eng::FsaRating>(v, "FsaRating", e);
}
eng::MembershipStatus decode(fb::MembershipStatus v, DecodeErrors& e) {
  return from_schema<eng::MembershipStatus>(v, "MembershipStatus", e);
}
eng::DistributionMode decode(fb::DistributionMode v, DecodeErrors& e) {
  return from_schema<eng::DistributionMode>(v, "DistributionMode", e);
}
eng::RankingScheme decode(fb::RankingScheme v, DecodeErrors& e) {
  return from_schema<eng::RankingScheme>(v, "RankingScheme", e);
}
eng::AuctionFormat decode(fb::AuctionFormat v, DecodeErrors& e) {
  return from_schema<eng::AuctionFormat>(v, "AuctionFormat", e);
}

// ---- field counts ------------------------------------------------------------------------------
// A field added to one of these C++ structs must be added to its schema table (at the end) and
// to its encode and decode below; these fail to compile until the count is updated with them.

template <typename T>
constexpr std::size_t fields = boost::pfr::tuple_size_v<T>;

static_assert(fields<eng::Category> == 2);
static_assert(fields<eng::Lot> == 6);
static_assert(fields<eng::Zone> == 3);
static_assert(fields<eng::Route> == 3);
static_assert(fields<eng::RankingPolicy> == 8);
static_assert(fields<eng::QualityPolicy> == 12);
static_assert(fields<eng::RiskPolicy> == 5);
static_assert(fields<eng::WindowPolicy> == 11);
static_assert(fields<eng::DpsConfig> == 13);
static_assert(fields<eng::WorkingCalendar> == 1);
static_assert(fields<eng::Membership> == 11);
static_assert(fields<eng::QualityInputs> == 11);
static_assert(fields<eng::VisitPattern> == 3);
static_assert(fields<eng::PackageSpec> == 17);
static_assert(fields<eng::PersonDetails> == 4);
static_assert(fields<eng::RequestRef> == 3);
static_assert(fields<eng::ShortlistEntry> == 2);

// ---- strings and vectors -----------------------------------------------------------------------

Offset<flatbuffers::String> encode(Builder& b, const std::string& s) {
  return s.empty() ? Offset<flatbuffers::String>() : b.CreateString(s.data(), s.size());
}

Offset<flatbuffers::Vector<Offset<flatbuffers::String>>> encode(Builder& b,
                                                                 const std::vector<std::string>& v) {
  if (v.empty()) return {};
  std::vector<Offset<flatbuffers::String>> offsets;
  offsets.reserve(v.size());
  // An empty string inside a vector must still be an element: write it (8 bytes).
  for (const std::string& s : v) offsets.push_back(b.CreateString(s.data(), s.size()));
  return b.CreateVector(offsets);
}

Offset<flatbuffers::Vector<std::uint8_t>> encode_bytes(Builder& b, const std::string& bytes) {
  if (bytes.empty()) return {};
  return b.CreateVector(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

std::string decode(const flatbuffers::String* s) { return s ? s->str() : std::string(); }

std::vector<std::string> decode(const flatbuffers::Vector<Offset<flatbuffers::String>>* v) {
  std::vector<std::string> out;
  if (!v) return out;
  out.reserve(v->size());
  for (const flatbuffers::String* s : *v) out.push_back(decode(s));
  return out;
}

std::string decode_bytes(const flatbuffers::Vector<std::uint8_t>* v) {
  return v ? std::string(reinterpret_cast<const char*>(v->data()), v->size()) : std::string();
}

// ---- configuration -----------------------------------------------------------------------------

Offset<fb::Category> encode(Builder& b, const eng::Category& v) {
  const auto code = encode(b, v.code);
  const auto name = encode(b, v.name);
  fb::CategoryBuilder t(b);
  t.add_code(code);
  t.add_name(name);
  return t.Finish();
}

eng::Category decode(const fb::Category* t, DecodeErrors&) {
  if (!t) return {};
  return {decode(t->code()), decode(t->name())};
}

Offset<fb::Lot> encode(Builder& b, const eng::Lot& v) {
  const auto code = encode(b, v.code);
  const auto name = encode(b, v.name);
  fb::LotBuilder t(b);
  t.add_code(code);
  t.add_name(name);
  t.add_unit(encode(v.unit));
  t.add_rate_min(v.rate_min);
  t.add_rate_max(v.rate_max);
  t.add_fair_cost(v.fair_cost);
  return t.Finish();
}

eng::Lot decode(const fb::Lot* t, DecodeErrors& errors) {
  eng::Lot v;
  if (!t) return v;
  v.code = decode(t->code());
  v.name = decode(t->name());
  v.unit = decode(t->unit(), errors);
  v.rate_min = t->rate_min();
  v.rate_max = t->rate_max();
  v.fair_cost = t->fair_cost();
  return v;
}

Offset<fb::Zone> encode(Builder& b, const eng::Zone& v) {
  const auto code = encode(b, v.code);
  const auto name = encode(b, v.name);
  const auto districts = encode(b, v.postcode_districts);
  fb::ZoneBuilder t(b);
  t.add_code(code);
  t.add_name(name);
  t.add_postcode_districts(districts);
  return t.Finish();
}

eng::Zone decode(const fb::Zone* t, DecodeErrors&) {
  if (!t) return {};
  return {decode(t->code()), decode(t->name()), decode(t->postcode_districts())};
}

Offset<fb::Route> encode(Builder& b, const eng::Route& v) {
  const auto name = encode(b, v.name);
  const auto when = encode(b, v.when_any_category);
  const auto tiers = encode(b, v.tiers);
  fb::RouteBuilder t(b);
  t.add_name(name);
  t.add_when_any_category(when);
  t.add_tiers(tiers);
  return t.Finish();
}

eng::Route decode(const fb::Route* t, DecodeErrors&) {
  if (!t) return {};
  return {decode(t->name()), decode(t->when_any_category()), decode(t->tiers())};
}

Offset<fb::RankingPolicy> encode(Builder& b, const eng::RankingPolicy& v) {
  fb::RankingPolicyBuilder t(b);
  t.add_scheme(encode(v.scheme));
  t.add_price_weight_pct(v.price_weight_pct);
  t.add_quality_weight_pct(v.quality_weight_pct);
  t.add_min_quality(v.min_quality);
  t.add_abnormally_low_pct(v.abnormally_low_pct);
  t.add_auction(encode(v.auction));
  t.add_shortlist_size(v.shortlist_size);
  t.add_first_acceptable_wins_urgent(v.first_acceptable_wins_urgent);
  return t.Finish();
}

eng::RankingPolicy decode(const fb::RankingPolicy* t, DecodeErrors& errors) {
  eng::RankingPolicy v;
  if (!t) return v;
  v.scheme = decode(t->scheme(), errors);
  v.price_weight_pct = t->price_weight_pct();
  v.quality_weight_pct = t->quality_weight_pct();
  v.min_quality = t->min_quality();
  v.abnormally_low_pct = t->abnormally_low_pct();
  v.auction = decode(t->auction(), errors);
  v.shortlist_size = t->shortlist_size();
  v.first_acceptable_wins_urgent = t->first_acceptable_wins_urgent();
  return v;
}

Offset<fb::QualityPolicy> encode(Builder& b, const eng::QualityPolicy& v) {
  fb::QualityPolicyBuilder t(b);
  t.add_pamms_weight_pct(v.pamms_weight_pct);
  t.add_cqc_weight_pct(v.cqc_weight_pct);
  t.add_self_assessment_weight_pct(v.self_assessment_weight_pct);
  t.add_neutral_points(v.neutral_points);
  t.add_cqc_outstanding(v.cqc_outstanding);
  t.add_cqc_good(v.cqc_good);
  t.add_cqc_requires_improvement(v.cqc_requires_improvement);
  t.add_cqc_inadequate(v.cqc_inadequate);
  t.add_pamms_excellent(v.pamms_excellent);
  t.add_pamms_good(v.pamms_good);
  t.add_pamms_requires_improvement(v.pamms_requires_improvement);
  t.add_pamms_poor(v.pamms_poor);
  return t.Finish();
}

eng::QualityPolicy decode(const fb::QualityPolicy* t, DecodeErrors&) {
  eng::QualityPolicy v;
  if (!t) return v;
  v.pamms_weight_pct = t->pamms_weight_pct();
  v.cqc_weight_pct = t->cqc_weight_pct();
  v.self_assessment_weight_pct = t->self_assessment_weight_pct();
  v.neutral_points = t->neutral_points();
  v.cqc_outstanding = t->cqc_outstanding();
  v.cqc_good = t->cqc_good();
  v.cqc_requires_improvement = t->cqc_requires_improvement();
  v.cqc_inadequate = t->cqc_inadequate();
  v.pamms_excellent = t->pamms_excellent();
  v.pamms_good = t->pamms_good();
  v.pamms_requires_improvement = t->pamms_requires_improvement();
  v.pamms_poor = t->pamms_poor();
  return v;
}

Offset<fb::RiskPolicy> encode(Builder& b, const eng::RiskPolicy& v) {
  fb::RiskPolicyBuilder t(b);
  t.add_red_excludes_from_broadcast(v.red_excludes_from_broadcast);
  t.add_amber_excludes_from_broadcast(v.amber_excludes_from_broadcast);
  t.add_lookback_days(v.lookback_days);
  t.add_amber_safeguarding_decisions(v.amber_safeguarding_decisions);
  t.add_amber_substantiated_concerns(v.amber_substantiated_concerns);
  return t.Finish();
}

eng::RiskPolicy decode(const fb::RiskPolicy* t, DecodeErrors&) {
  eng::RiskPolicy v;
  if (!t) return v;
  v.red_excludes_from_broadcast = t->red_excludes_from_broadcast();
  v.amber_excludes_from_broadcast = t->amber_excludes_from_broadcast();
  v.lookback_days = t->lookback_days();
  v.amber_safeguarding_decisions = t->amber_safeguarding_decisions();
  v.amber_substantiated_concerns = t->amber_substantiated_concerns();
  return v;
}

Offset<fb::WindowPolicy> encode(Builder& b, const eng::WindowPolicy& v) {
  fb::WindowPolicyBuilder t(b);
  t.add_urgent_window(v.urgent_window);
  t.add_standard_working_days(v.standard_working_days);
  t.add_planned_working_days(v.planned_working_days);
  t.add_planned_after_days(v.planned_after_days);
  t.add_urgent_acceptance(v.urgent_acceptance);
  t.add_acceptance_working_days(v.acceptance_working_days);
  t.add_best_and_final_window(v.best_and_final_window);
  t.add_start_slack_days(v.start_slack_days);
  t.add_admission_working_days(v.admission_working_days);
  t.add_admission_extended_working_days(v.admission_extended_working_days);
  t.add_retain_closed_days(v.retain_closed_days);
  return t.Finish();
}

eng::WindowPolicy decode(const fb::WindowPolicy* t, DecodeErrors&) {
  eng::WindowPolicy v;
  if (!t) return v;
  v.urgent_window = t->urgent_window();
  v.standard_working_days = t->standard_working_days();
  v.planned_working_days = t->planned_working_days();
  v.planned_after_days = t->planned_after_days();
  v.urgent_acceptance = t->urgent_acceptance();
  v.acceptance_working_days = t->acceptance_working_days();
  v.best_and_final_window = t->best_and_final_window();
  v.start_slack_days = t->start_slack_days();
  v.admission_working_days = t->admission_working_days();
  v.admission_extended_working_days = t->admission_extended_working_days();
  v.retain_closed_days = t->retain_closed_days();
  return v;
}

Offset<fb::DpsConfig> encode(Builder& b, const eng::DpsConfig& v) {
  const auto code = encode(b, v.code);
  const auto name = encode(b, v.name);
  const auto council = encode(b, v.council);
  const auto lots = encode_tables(b, v.lots);
  const auto categories = encode(b, v.categories);
  const auto zones = encode_tables(b, v.zones);
  const auto tiers = encode(b, v.tiers);
  const auto routes = encode_tables(b, v.routes);
  const auto ranking = encode(b, v.ranking);
  const auto quality = encode(b, v.quality);
  const auto risk = encode(b, v.risk);
  const auto windows = encode(b, v.windows);
  fb::DpsConfigBuilder t(b);
  t.add_code(code);
  t.add_name(name);
  t.add_council(council);
  t.add_mode(encode(v.mode));
  t.add_lots(lots);
  t.add_categories(categories);
  t.add_zones(zones);
  t.add_tiers(tiers);
  t.add_routes(routes);
  t.add_ranking(ranking);
  t.add_quality(quality);
  t.add_risk(risk);
  t.add_windows(windows);
  return t.Finish();
}

eng::DpsConfig decode(const fb::DpsConfig* t, DecodeErrors& errors) {
  eng::DpsConfig v;
  if (!t) return v;
  v.code = decode(t->code());
  v.name = decode(t->name());
  v.council = decode(t->council());
  v.mode = decode(t->mode(), errors);
  v.lots = decode_tables<eng::Lot>(t->lots(), errors);
  v.categories = decode(t->categories());
  v.zones = decode_tables<eng::Zone>(t->zones(), errors);
  v.tiers = decode(t->tiers());
  v.routes = decode_tables<eng::Route>(t->routes(), errors);
  v.ranking = decode(t->ranking(), errors);
  v.quality = decode(t->quality(), errors);
  v.risk = decode(t->risk(), errors);
  v.windows = decode(t->windows(), errors);
  return v;
}

Offset<fb::WorkingCalendar> encode(Builder& b, const eng::WorkingCalendar& v) {
  const auto holidays = encode(b, v.bank_holidays);
  fb::WorkingCalendarBuilder t(b);
  t.add_bank_holidays(holidays);
  return t.Finish();
}

eng::WorkingCalendar decode(const fb::WorkingCalendar* t, DecodeErrors&) {
  eng::WorkingCalendar v;
  if (t) v.bank_holidays = decode(t->bank_holidays());
  return v;
}

// ---- locations ---------------------------------------------------------------------------------

Offset<fb::Membership> encode(Builder& b, const eng::Membership& v) {
  const auto reason = encode(b, v.reason);
  fb::MembershipBuilder t(b);
  t.add_dps(v.dps);
  t.add_status(encode(v.status));
  t.add_applied_at(v.applied_at);
  t.add_decision_due(v.decision_due);
  t.add_extended(v.extended);
  t.add_lots(v.lots);
  t.add_categories(v.categories);
  t.add_zones(v.zones);
  t.add_tier(v.tier);
  t.add_capacity(v.capacity);
  t.add_reason(reason);
  return t.Finish();
}

eng::Membership decode(const fb::Membership* t, DecodeErrors& errors) {
  eng::Membership v;
  if (!t) return v;
  v.dps = t->dps();
  v.status = decode(t->status(), errors);
  v.applied_at = t->applied_at();
  v.decision_due = t->decision_due();
  v.extended = t->extended();
  v.lots = t->lots();
  v.categories = t->categories();
  v.zones = t->zones();
  v.tier = t->tier();
  v.capacity = t->capacity();
  v.reason = decode(t->reason());
  return v;
}

Offset<fb::QualityInputs> encode(Builder& b, const eng::QualityInputs& v) {
  const auto safeguarding = encode(b, v.safeguarding_decisions);
  const auto concerns = encode(b, v.substantiated_concerns);
  const auto embargo_reason = encode(b, v.embargo_reason);
  fb::QualityInputsBuilder t(b);
  t.add_cqc(encode(v.cqc));
  t.add_pamms(encode(v.pamms));
  t.add_self_assessment(v.self_assessment);
  t.add_fsa(encode(v.fsa));
  t.add_safeguarding_decisions(safeguarding);
  t.add_substantiated_concerns(concerns);
  t.add_embargo(v.embargo);
  t.add_embargo_reason(embargo_reason);
  t.add_default_notice(v.default_notice);
  t.add_unexpected_deaths_under_investigation(v.unexpected_deaths_under_investigation);
  t.add_registered_manager_vacancy(v.registered_manager_vacancy);
  return t.Finish();
}

eng::QualityInputs decode(const fb::QualityInputs* t, DecodeErrors& errors) {
  eng::QualityInputs v;
  if (!t) return v;
  v.cqc = decode(t->cqc(), errors);
  v.pamms = decode(t->pamms(), errors);
  v.self_assessment = t->self_assessment();
  v.fsa = decode(t->fsa(), errors);
  v.safeguarding_decisions = decode(t->safeguarding_decisions());
  v.substantiated_concerns = decode(t->substantiated_concerns());
  v.embargo = t->embargo();
  v.embargo_reason = decode(t->embargo_reason());
  v.default_notice = t->default_notice();
  v.unexpected_deaths_under_investigation = t->unexpected_deaths_under_investigation();
  v.registered_manager_vacancy = t->registered_manager_vacancy();
  return v;
}

// ---- packages ----------------------------------------------------------------------------------

Offset<fb::VisitPattern> encode(Builder& b, const eng::VisitPattern& v) {
  fb::VisitPatternBuilder t(b);
  t.add_visits_per_day(v.visits_per_day);
  t.add_minutes_per_visit(v.minutes_per_visit);
  t.add_days_per_week(v.days_per_week);
  return t.Finish();
}

eng::VisitPattern decode(const fb::VisitPattern* t, DecodeErrors&) {
  if (!t) return {};
  return {t->visits_per_day(), t->minutes_per_visit(), t->days_per_week()};
}

Offset<fb::PackageSpec> encode(Builder& b, const eng::PackageSpec& v) {
  const auto dps = encode(b, v.dps);
  const auto lot = encode(b, v.lot);
  const auto categories = encode(b, v.categories);
  const auto zone = encode(b, v.zone);
  const auto district = encode(b, v.postcode_district);
  const auto visits = encode(b, v.visits);
  const auto needs = encode(b, v.needs);
  const auto outcomes = encode(b, v.outcomes);
  const auto must_meet = encode(b, v.must_meet);
  const auto officer = encode(b, v.officer);
  fb::PackageSpecBuilder t(b);
  t.add_dps(dps);
  t.add_lot(lot);
  t.add_categories(categories);
  t.add_zone(zone);
  t.add_postcode_district(district);
  t.add_quantity(v.quantity);
  t.add_visits(visits);
  t.add_double_handed(v.double_handed);
  t.add_start_date(v.start_date);
  t.add_needs(needs);
  t.add_outcomes(outcomes);
  t.add_must_meet(must_meet);
  t.add_urgency(encode(v.urgency));
  t.add_funder(encode(v.funder));
  t.add_price_ceiling(v.price_ceiling);
  t.add_window(v.window);
  t.add_officer(officer);
  return t.Finish();
}

eng::PackageSpec decode(const fb::PackageSpec* t, DecodeErrors& errors) {
  eng::PackageSpec v;
  if (!t) return v;
  v.dps = decode(t->dps());
  v.lot = decode(t->lot());
  v.categories = decode(t->categories());
  v.zone = decode(t->zone());
  v.postcode_district = decode(t->postcode_district());
  v.quantity = t->quantity();
  v.visits = decode(t->visits(), errors);
  v.double_handed = t->double_handed();
  v.start_date = t->start_date();
  v.needs = decode(t->needs());
  v.outcomes = decode(t->outcomes());
  v.must_meet = decode(t->must_meet());
  v.urgency = decode(t->urgency(), errors);
  v.funder = decode(t->funder(), errors);
  v.price_ceiling = t->price_ceiling();
  v.window = t->window();
  v.officer = decode(t->officer());
  return v;
}

Offset<fb::PersonDetails> encode(Builder& b, const eng::PersonDetails& v) {
  const auto name = encode(b, v.name);
  const auto address = encode(b, v.address);
  const auto postcode = encode(b, v.postcode);
  const auto case_reference = encode(b, v.case_reference);
  fb::PersonDetailsBuilder t(b);
  t.add_name(name);
  t.add_address(address);
  t.add_postcode(postcode);
  t.add_case_reference(case_reference);
  return t.Finish();
}

eng::PersonDetails decode(const fb::PersonDetails* t, DecodeErrors&) {
  if (!t) return {};
  return {decode(t->name()), decode(t->address()), decode(t->postcode()), decode(t->case_reference())};
}

Offset<fb::RequestRef> encode(Builder& b, const eng::RequestRef& v) {
  const auto provider = encode(b, v.provider);
  const auto request_id = encode(b, v.request_id);
  fb::RequestRefBuilder t(b);
  t.add_provider(provider);
  t.add_request_id(request_id);
  t.add_payload_hash(v.payload_hash);
  return t.Finish();
}

eng::RequestRef decode(const fb::RequestRef* t, DecodeErrors&) {
  if (!t) return {};
  return {decode(t->provider()), decode(t->request_id()), t->payload_hash()};
}

Offset<fb::ShortlistEntry> encode(Builder& b, const eng::ShortlistEntry& v) {
  fb::ShortlistEntryBuilder t(b);
  t.add_location(v.location);
  t.add_rank(v.rank);
  return t.Finish();
}

eng::ShortlistEntry decode(const fb::ShortlistEntry* t, DecodeErrors&) {
  if (!t) return {};
  return {t->location(), t->rank()};
}

}  // namespace carebroker::codec::detail
