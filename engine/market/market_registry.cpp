// Market command handlers for configuration, providers, locations, DPS membership and quality
// inputs: the admin and compliance side of the market.
#include <algorithm>

#include "engine/market/admission.h"
#include "engine/market/cost_model.h"
#include "engine/market/market.h"
#include "engine/market/market_emitter.h"

namespace carebroker::engine {
namespace {

constexpr std::size_t kMaxText = 200;

bool bad_text(const std::string& s) { return s.empty() || s.size() > kMaxText; }

/// A lot with a cost model gets its fair cost from it (cost_model.h); a fair cost given as well
/// must be the model's (a GET of the configuration sent back is accepted unchanged).
Status derive_fair_costs(DpsConfig& config) {
  for (Lot& lot : config.lots) {
    if (lot.cost_model == CostModel{}) continue;  // no model: fair_cost as given
    const std::string where = "lot '" + lot.code + "': ";
    if (std::string problem = cost_model_problem(lot.cost_model); !problem.empty())
      return reject(Code::invalid_cost_model, where + problem);
    if (lot.unit != Unit::hours)
      return reject(Code::invalid_cost_model, where + "a cost model prices contact hours; this lot buys " +
                                                  std::string(to_string(lot.unit)));
    const Pence cost = cost_per_contact_hour(lot.cost_model).total;
    if (lot.fair_cost != 0 && lot.fair_cost != cost)
      return reject(Code::invalid_cost_model, where + "fair_cost " + std::to_string(lot.fair_cost) +
                                                  " is not its cost model's " + std::to_string(cost) +
                                                  " pence: give the model alone");
    lot.fair_cost = cost;
  }
  return {};
}

}  // namespace

Reply Market::handle(const DefineCategory& c, Emitter& e) {
  if (bad_text(c.category.code) || bad_text(c.category.name))
    return {reject(Code::invalid_config, "a category needs a code and a name of at most 200 characters")};
  const bool exists = std::find(category_codes_.begin(), category_codes_.end(), c.category.code) !=
                      category_codes_.end();
  if (!exists && categories_.size() >= kMaxMaskBits)
    return {reject(Code::invalid_config, "a deployment has at most 64 categories")};
  e.emit(CategoryDefined{c.category});
  return {};
}

Reply Market::handle(const ConfigureDps& c, Emitter& e) {
  if (std::string problem = validate_config(c.config, categories_); !problem.empty())
    return {reject(Code::invalid_config, problem)};
  if (const int existing = find_dps(c.config.code); existing >= 0) {
    // Enrolments index lots, zones and tiers by position: a change may add, never reorder or drop.
    const DpsConfig& old = dps_[existing];
    auto prefix = [](const auto& before, const auto& after, auto key) {
      if (after.size() < before.size()) return false;
      for (std::size_t i = 0; i < before.size(); ++i)
        if (key(before[i]) != key(after[i])) return false;
      return true;
    };
    if (!prefix(old.lots, c.config.lots, [](const Lot& l) { return l.code; }) ||
        !prefix(old.zones, c.config.zones, [](const Zone& z) { return z.code; }) ||
        !prefix(old.tiers, c.config.tiers, [](const std::string& t) { return t; }))
      return {reject(Code::invalid_config,
                     "a reconfiguration may add lots, zones and tiers but not remove or reorder them")};
  }
  DpsConfig config = c.config;
  if (Status s = derive_fair_costs(config); !s.ok()) return {s};
  e.emit(DpsConfigured{std::move(config)});
  return {};
}

Reply Market::handle(const SetCalendar& c, Emitter& e) {
  WorkingCalendar cal;
  cal.bank_holidays = c.bank_holidays;
  std::sort(cal.bank_holidays.begin(), cal.bank_holidays.end());
  cal.bank_holidays.erase(std::unique(cal.bank_holidays.begin(), cal.bank_holidays.end()),
                          cal.bank_holidays.end());
  e.emit(CalendarSet{std::move(cal)});
  return {};
}

Reply Market::handle(const RegisterProvider& c, Emitter& e) {
  if (bad_text(c.provider) || bad_text(c.name))
    return {reject(Code::invalid_config, "a provider needs an id and a name of at most 200 characters")};
  if (find_provider(c.provider))
    return {reject(Code::provider_exists, "provider " + c.provider + " is already registered")};
  e.emit(ProviderRegistered{c.provider, c.name});
  return {};
}

Reply Market::handle(const RegisterLocation& c, Emitter& e) {
  if (bad_text(c.location) || bad_text(c.name))
    return {reject(Code::invalid_config, "a location needs an id and a name of at most 200 characters")};
  if (!find_provider(c.provider))
    return {reject(Code::unknown_provider, "no provider " + c.provider)};
  if (find_location(c.location))
    return {reject(Code::location_exists, "location " + c.location + " is already registered")};
  e.emit(LocationRegistered{c.location, c.provider, c.name, c.postcode, c.local_authority});
  return {};
}

Reply Market::handle(const SetProviderStatus& c, Emitter& e) {
  const Provider* provider = find_provider(c.provider);
  if (!provider) return {reject(Code::unknown_provider, "no provider " + c.provider)};
  if ((c.in_administration || c.contract_terminated) && c.reason.empty())
    return {reject(Code::reason_required, "administration or termination needs a reason")};
  int dps = -1;
  if (!c.dps.empty())
    if (Status s = contract_dps(*provider, c.dps, dps); !s.ok()) return {s};
  e.emit(ProviderStatusChanged{c.provider, c.in_administration, c.contract_terminated, c.reason, dps, c.by});
  return {};
}

Status Market::contract_dps(const Provider& provider, const std::string& code, int& dps) const {
  dps = find_dps(code);
  if (dps < 0) return reject(Code::unknown_dps, "no DPS " + code);
  const bool member = std::any_of(provider.locations.begin(), provider.locations.end(),
                                  [&](LocationIndex l) { return locations_[l].membership_of(dps) != nullptr; });
  if (!member)
    return reject(Code::provider_not_member_of_dps, "provider " + provider.id + " has no contract under " + code +
                                                        ": none of its locations is a member of it");
  return {};
}

Status Market::find_membership(const std::string& location, const std::string& dps,
                               Membership_ref& out) const {
  const auto loc = find_location(location);
  if (!loc) return reject(Code::unknown_location, "no location " + location);
  const int d = find_dps(dps);
  if (d < 0) return reject(Code::unknown_dps, "no DPS " + dps);
  out = {*loc, d, locations_[*loc].membership_of(d)};
  return {};
}

Status Market::find_own_membership(const std::string& provider, const std::string& location, const std::string& dps,
                                   Membership_ref& out) const {
  if (Status s = find_membership(location, dps, out); !s.ok()) return s;
  if (locations_[out.location].provider_id != provider)
    return reject(Code::location_not_of_provider, location + " is not a location of " + provider);
  return {};
}

Status Market::find_own_admitted_membership(const std::string& provider, const std::string& location,
                                            const std::string& dps, Membership_ref& out) const {
  if (Status s = find_own_membership(provider, location, dps, out); !s.ok()) return s;
  if (!out.membership || out.membership->status != MembershipStatus::admitted)
    return reject(Code::not_admitted, location + " is not admitted to " + dps);
  return {};
}

Reply Market::handle(const ApplyToDps& c, Emitter& e) {
  Membership_ref ref{};
  // A provider applies for its own location; the council (no provider) for any.
  if (Status s = c.provider.empty() ? find_membership(c.location, c.dps, ref)
                                    : find_own_membership(c.provider, c.location, c.dps, ref);
      !s.ok())
    return {s};
  if (Status s = admission_allows(AdmissionAction::apply, ref.membership, c.location, c.dps); !s.ok()) return {s};
  Membership m;
  m.dps = ref.dps;
  m.status = *admission_transition(AdmissionAction::apply).to;
  m.applied_at = now_;
  m.decision_due = calendar_.add_working_days(now_, dps_[ref.dps].windows.admission_working_days);
  m.by = c.by;
  e.emit(MembershipChanged{ref.location, m});
  return {};
}

Reply Market::handle(const ExtendAssessment& c, Emitter& e) {
  Membership_ref ref{};
  if (Status s = find_membership(c.location, c.dps, ref); !s.ok()) return {s};
  if (Status s = admission_allows(AdmissionAction::extend, ref.membership, c.location, c.dps); !s.ok()) return {s};
  if (ref.membership->extended)
    return {reject(Code::assessment_already_extended, "the assessment was already extended")};
  Membership m = *ref.membership;
  m.extended = true;
  m.decision_due =
      calendar_.add_working_days(m.applied_at, dps_[ref.dps].windows.admission_extended_working_days);
  m.by = c.by;
  e.emit(MembershipChanged{ref.location, m});
  return {};
}

Status Market::membership_terms(const DpsConfig& dps, int /*dps_index*/,
                                const std::vector<std::string>& lots,
                                const std::vector<std::string>& categories,
                                const std::vector<std::string>& zones, const std::string& tier,
                                int capacity, Membership& m) const {
  m.lots = 0;
  m.categories = 0;
  m.zones = 0;
  if (lots.empty()) return reject(Code::unknown_lot, "enrol the location in at least one lot");
  for (const auto& l : lots) {
    const int i = dps.lot_index(l);
    if (i < 0) return reject(Code::unknown_lot, "no lot " + l + " in " + dps.code);
    m.lots |= LotMask{1} << i;
  }
  if (categories.empty()) return reject(Code::unknown_category, "declare at least one category");
  for (const auto& cat : categories) {
    if (std::find(dps.categories.begin(), dps.categories.end(), cat) == dps.categories.end())
      return reject(Code::unknown_category, dps.code + " does not buy category " + cat);
    const auto bit = std::find(category_codes_.begin(), category_codes_.end(), cat) - category_codes_.begin();
    m.categories |= CategoryMask{1} << bit;
  }
  if (zones.empty()) return reject(Code::unknown_zone, "serve at least one zone");
  for (const auto& z : zones) {
    const int i = dps.zone_index(z);
    if (i < 0) return reject(Code::unknown_zone, "no zone " + z + " in " + dps.code);
    m.zones |= ZoneMask{1} << i;
  }
  m.tier = dps.tier_index(tier);
  if (m.tier < 0) return reject(Code::unknown_tier, "no tier '" + tier + "' in " + dps.code);
  if (capacity < 0) return reject(Code::invalid_config, "capacity cannot be negative");
  m.capacity = capacity;
  return {};
}

Reply Market::handle(const AdmitToDps& c, Emitter& e) {
  Membership_ref ref{};
  if (Status s = find_membership(c.location, c.dps, ref); !s.ok()) return {s};
  if (Status s = admission_allows(AdmissionAction::admit, ref.membership, c.location, c.dps); !s.ok()) return {s};
  Membership m = *ref.membership;
  if (Status s = membership_terms(dps_[ref.dps], ref.dps, c.lots, c.categories, c.zones, c.tier,
                                  c.capacity, m);
      !s.ok())
    return {s};
  m.status = *admission_transition(AdmissionAction::admit).to;
  m.reason.clear();
  m.by = c.by;
  e.emit(MembershipChanged{ref.location, m});
  return {};
}

Reply Market::handle(const UpdateMembership& c, Emitter& e) {
  Membership_ref ref{};
  if (Status s = find_membership(c.location, c.dps, ref); !s.ok()) return {s};
  if (Status s = admission_allows(AdmissionAction::update_terms, ref.membership, c.location, c.dps); !s.ok())
    return {s};
  Membership m = *ref.membership;
  if (Status s = membership_terms(dps_[ref.dps], ref.dps, c.lots, c.categories, c.zones, c.tier,
                                  c.capacity, m);
      !s.ok())
    return {s};
  m.by = c.by;
  e.emit(MembershipChanged{ref.location, m});
  return {};
}

Reply Market::handle(const DeclareCapacity& c, Emitter& e) {
  Membership_ref ref{};
  if (Status s = find_own_membership(c.provider, c.location, c.dps, ref); !s.ok()) return {s};
  if (Status s = admission_allows(AdmissionAction::update_terms, ref.membership, c.location, c.dps); !s.ok())
    return {s};
  if (c.capacity < 0 || c.capacity > kMaxDeclaredCapacity)
    return {reject(Code::invalid_capacity, "capacity is hours a week from 0 (not declared) to " +
                                               std::to_string(kMaxDeclaredCapacity))};
  Membership m = *ref.membership;
  m.capacity = c.capacity;
  m.by = c.by;
  e.emit(MembershipChanged{ref.location, m});
  return {};
}

Reply Market::handle(const RefuseApplication& c, Emitter& e) {
  Membership_ref ref{};
  if (Status s = find_membership(c.location, c.dps, ref); !s.ok()) return {s};
  if (Status s = admission_allows(AdmissionAction::refuse, ref.membership, c.location, c.dps); !s.ok()) return {s};
  if (c.reason.empty()) return {reject(Code::reason_required, "a refusal needs a reason")};
  Membership m = *ref.membership;
  m.status = *admission_transition(AdmissionAction::refuse).to;
  m.reason = c.reason;
  m.by = c.by;
  e.emit(MembershipChanged{ref.location, m});
  return {};
}

Reply Market::handle(const SuspendMembership& c, Emitter& e) {
  Membership_ref ref{};
  if (Status s = find_membership(c.location, c.dps, ref); !s.ok()) return {s};
  if (Status s = admission_allows(AdmissionAction::suspend, ref.membership, c.location, c.dps); !s.ok()) return {s};
  if (c.reason.empty()) return {reject(Code::reason_required, "a suspension needs a reason")};
  Membership m = *ref.membership;
  m.status = *admission_transition(AdmissionAction::suspend).to;
  m.reason = c.reason;
  m.by = c.by;
  e.emit(MembershipChanged{ref.location, m});
  return {};
}

Reply Market::handle(const ReinstateMembership& c, Emitter& e) {
  Membership_ref ref{};
  if (Status s = find_membership(c.location, c.dps, ref); !s.ok()) return {s};
  if (Status s = admission_allows(AdmissionAction::reinstate, ref.membership, c.location, c.dps); !s.ok())
    return {s};
  Membership m = *ref.membership;
  m.status = *admission_transition(AdmissionAction::reinstate).to;
  m.reason.clear();
  m.by = c.by;
  e.emit(MembershipChanged{ref.location, m});
  return {};
}

Reply Market::handle(const ExitDps& c, Emitter& e) {
  Membership_ref ref{};
  if (Status s = find_membership(c.location, c.dps, ref); !s.ok()) return {s};
  if (Status s = admission_allows(AdmissionAction::exit, ref.membership, c.location, c.dps); !s.ok()) return {s};
  if (c.reason.empty()) return {reject(Code::reason_required, "an exit needs a reason")};
  Membership m = *ref.membership;
  m.status = *admission_transition(AdmissionAction::exit).to;
  m.reason = c.reason;
  m.by = c.by;
  e.emit(MembershipChanged{ref.location, m});
  return {};
}

Reply Market::handle(const UpdateQualityInputs& c, Emitter& e) {
  const auto loc = find_location(c.location);
  if (!loc) return {reject(Code::unknown_location, "no location " + c.location)};
  if (c.self_assessment && (*c.self_assessment < -1 || *c.self_assessment > 100))
    return {reject(Code::invalid_quality_input, "self-assessment must be 0..100 (or -1 to clear)")};
  if (c.unexpected_deaths_under_investigation && *c.unexpected_deaths_under_investigation < 0)
    return {reject(Code::invalid_quality_input, "unexpected deaths cannot be negative")};
  if (c.record_safeguarding_decisions < 0 || c.record_substantiated_concerns < 0 ||
      c.record_safeguarding_decisions > 100 || c.record_substantiated_concerns > 100)
    return {reject(Code::invalid_quality_input, "record 0..100 new decisions or concerns at a time")};
  if (c.embargo == true && c.embargo_reason.empty() && c.reason.empty())
    return {reject(Code::reason_required, "an embargo needs a reason")};
  const Location& location = locations_[*loc];
  const QualityInputs& was = location.quality;
  // The early-warning entry: a reason for raising a risk input, evidence of bounded length, and
  // a date for the decisions and concerns recorded (today unless given).
  const bool raises_risk =
      (c.embargo == true && !was.embargo) || (c.default_notice == true && !was.default_notice) ||
      (c.unexpected_deaths_under_investigation &&
       *c.unexpected_deaths_under_investigation > was.unexpected_deaths_under_investigation) ||
      c.record_safeguarding_decisions > 0 || c.record_substantiated_concerns > 0;
  const std::string& reason = c.reason.empty() && c.embargo == true ? c.embargo_reason : c.reason;
  if (raises_risk && reason.empty())
    return {reject(Code::reason_required,
                   "an embargo, a default notice, an unexpected death or a safeguarding decision or "
                   "substantiated concern recorded needs a reason")};
  if (c.evidence.size() > kMaxEvidenceChars)
    return {reject(Code::evidence_too_long, "evidence is a reference of at most " +
                                                std::to_string(kMaxEvidenceChars) + " characters, not " +
                                                std::to_string(c.evidence.size()))};
  UtcMillis dated = now_;
  if (c.entries_on != 0 && c.entries_on != today_) {
    if (c.entries_on > today_)
      return {reject(Code::entry_date_in_future,
                     "decisions and concerns are dated today or earlier, not " + format_date(c.entries_on))};
    if (c.entries_on < london_date(location.registered_at))
      return {reject(Code::entry_before_registration,
                     format_date(c.entries_on) + " is before location " + c.location + " was registered (" +
                         format_date(london_date(location.registered_at)) + ")")};
    dated = london_to_utc(c.entries_on, 0);  // an earlier day counts from its start
  }
  QualityInputs q = was;
  if (c.cqc) q.cqc = *c.cqc;
  if (c.pamms) q.pamms = *c.pamms;
  if (c.self_assessment) {
    q.self_assessment = *c.self_assessment;
    q.self_assessment_on = *c.self_assessment >= 0 ? today_ : 0;  // due again self_assessment_due_days on
  }
  if (c.fsa) q.fsa = *c.fsa;
  if (c.embargo) {
    q.embargo = *c.embargo;
    // Its own reason, else the entry's.
    q.embargo_reason = !*c.embargo ? std::string() : c.embargo_reason.empty() ? c.reason : c.embargo_reason;
  }
  if (c.default_notice) q.default_notice = *c.default_notice;
  if (c.unexpected_deaths_under_investigation)
    q.unexpected_deaths_under_investigation = *c.unexpected_deaths_under_investigation;
  if (c.registered_manager_vacancy) q.registered_manager_vacancy = *c.registered_manager_vacancy;
  q.safeguarding_decisions.insert(q.safeguarding_decisions.end(), c.record_safeguarding_decisions, dated);
  q.substantiated_concerns.insert(q.substantiated_concerns.end(), c.record_substantiated_concerns, dated);
  if (q == was) return {};
  e.emit(QualityInputsChanged{*loc, std::move(q), c.officer, reason, c.evidence, now_});
  return {};
}

}  // namespace carebroker::engine
