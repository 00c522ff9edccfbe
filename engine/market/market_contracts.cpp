// Market: contract actions under a provider's contract for one DPS (contract_actions.h) — issued
// and updated by the council's officers, kept with their history by the provider.

#include "engine/market/market.h"
#include "engine/market/market_emitter.h"

namespace carebroker::engine {

Reply Market::handle(const IssueContractAction& c, Emitter& e) {
  const Provider* provider = find_provider(c.provider);
  if (!provider) return {reject(Code::unknown_provider, "no provider " + c.provider)};
  int dps = -1;
  if (Status s = contract_dps(*provider, c.dps, dps); !s.ok()) return {s};
  if (c.owner.empty()) return {reject(Code::owner_required, "a contract action needs an owner (the officer responsible)")};
  const bool termination = c.kind == ContractActionKind::termination;
  if (c.review_date == 0 && !termination)
    return {reject(Code::review_date_required, "a " + std::string(to_string(c.kind)) + " needs a review date")};
  if (c.review_date != 0 && c.review_date < today_)
    return {reject(Code::review_date_in_past, "the review date " + format_date(c.review_date) + " is before today")};
  if (c.start_date != 0 && c.start_date < today_)
    return {reject(Code::invalid_date, "the start date " + format_date(c.start_date) + " is before today")};
  if (c.transition_end != 0 && !termination)
    return {reject(Code::invalid_date, "only a termination has a transition period")};
  if (c.transition_end != 0 && (c.transition_end <= today_ || c.transition_end > today_ + 366))
    return {reject(Code::invalid_date, "the transition ends after today, within a year: " + format_date(c.transition_end))};
  if (const ContractAction* same = provider->contract_action_in_force(c.kind, dps))
    return {reject(Code::contract_action_in_force, "a " + std::string(to_string(c.kind)) + " under " + c.dps +
                                                       " is already in force (action " + std::to_string(same->id) + ")")};
  if (c.escalates != 0) {
    if (c.escalates < 0 || static_cast<std::size_t>(c.escalates) > provider->contract_actions.size())
      return {reject(Code::unknown_contract_action,
                     "provider " + c.provider + " has no contract action " + std::to_string(c.escalates))};
    const ContractAction& earlier = provider->contract_actions[static_cast<std::size_t>(c.escalates) - 1];
    if (earlier.dps != dps || !earlier.in_force() || earlier.kind >= c.kind)
      return {reject(Code::escalation_not_allowed,
                     "action " + std::to_string(c.escalates) + " (" + std::string(to_string(earlier.kind)) + ", " +
                         std::string(to_string(earlier.status)) +
                         ") cannot be escalated to this one: it must be in force, under the same DPS and of an earlier kind")};
  }
  const std::size_t number = provider->contract_actions.size() + 1;  // before the event adds it
  e.emit(ContractActionIssued{c.provider, dps, c.kind, c.start_date != 0 ? c.start_date : today_, c.review_date, c.owner,
                              c.notes, c.escalates, now_, c.by});
  if (termination && !provider->contract_terminated_in(dps))
    e.emit(ProviderStatusChanged{c.provider, provider->in_administration, true,
                                 "contract terminated (contract action " +
                                     std::to_string(number) + ")" +
                                     (c.notes.empty() ? std::string() : ": " + c.notes),
                                 dps, c.by});
  if (termination) return reprocure_terminated(*provider, dps, static_cast<int>(number), c.transition_end, c.owner, e);
  return {};
}

Reply Market::reprocure_terminated(const Provider& provider, int dps, int action, Date transition_end,
                                   const std::string& officer, Emitter& e) {
  // Which placements first (posting packages adds placements to nothing, but keep the walk apart
  // from the events it causes): live, under this DPS, with one of the provider's locations, and
  // not already being re-procured (a hand-back or a variation sent to market).
  const LocationIndex provider_index = provider_by_id_.at(provider.id);
  std::vector<PackageId> live;
  for (const auto& [id, placement] : placements_)
    if (placement.is_live() && placement.dps == dps && placement.replacement == 0 &&
        locations_[placement.location].provider_index == provider_index)
      live.push_back(id);
  for (const PackageId id : live) {
    const Package& p = packages_[id - 1];
    PackageSpec spec = *p.spec;
    spec.officer = officer;
    if (transition_end == 0) {  // at once: urgent, to start as soon as a provider can
      spec.start_date = today_;
      spec.urgency = Urgency::urgent;
    } else {  // to start by the transition's end
      spec.start_date = transition_end;
      spec.urgency = Urgency::standard;  // planned when the start is far off (PostPackage decides)
    }
    const Reply posted = post_replacement(std::move(spec), *people_[id - 1], e);
    if (!posted.ok()) return posted;
    e.emit(PlacementReprocured{id, posted.package, action, now_});
    if (transition_end != 0)
      e.emit(PlacementEndScheduled{id, transition_end, PlacementEndReason::terminated, officer, now_});
  }
  return {};
}

Reply Market::handle(const UpdateContractAction& c, Emitter& e) {
  const Provider* provider = find_provider(c.provider);
  if (!provider) return {reject(Code::unknown_provider, "no provider " + c.provider)};
  if (c.action <= 0 || static_cast<std::size_t>(c.action) > provider->contract_actions.size())
    return {reject(Code::unknown_contract_action, "provider " + c.provider + " has no contract action " + std::to_string(c.action))};
  const ContractAction& a = provider->contract_actions[static_cast<std::size_t>(c.action) - 1];
  if (const Code why = contract_status_change(a.kind, a.status, c.status); why != Code::ok)
    return {reject(why, "contract action " + std::to_string(c.action) + " (" + std::string(to_string(a.kind)) + ") is " +
                            std::string(to_string(a.status)) + ": it cannot become " + std::string(to_string(c.status)))};
  if (c.notes.empty()) return {reject(Code::reason_required, "an update needs notes: what changed and why")};
  if (c.review_date != 0 && c.review_date < today_)
    return {reject(Code::review_date_in_past, "the review date " + format_date(c.review_date) + " is before today")};
  ContractActionUpdate u{now_, c.status, c.review_date != 0 ? c.review_date : a.review_date,
                         c.owner.empty() ? a.owner : c.owner, c.notes, c.by};
  e.emit(ContractActionUpdated{c.provider, c.action, std::move(u)});
  if (a.kind == ContractActionKind::termination && c.status == ContractActionStatus::withdrawn)
    e.emit(ProviderStatusChanged{c.provider, provider->in_administration, false,
                                 "termination withdrawn (contract action " + std::to_string(c.action) + "): " + c.notes,
                                 a.dps, c.by});
  return {};
}

void Market::apply_contract_action(const ContractActionIssued& e) {
  Provider& p = providers_[provider_by_id_.at(e.provider)];
  const int id = static_cast<int>(p.contract_actions.size()) + 1;
  if (e.escalates > 0 && static_cast<std::size_t>(e.escalates) <= p.contract_actions.size()) {
    ContractAction& earlier = p.contract_actions[static_cast<std::size_t>(e.escalates) - 1];
    earlier.status = ContractActionStatus::escalated;
    earlier.history.push_back({e.at, ContractActionStatus::escalated, earlier.review_date, earlier.owner,
                               "escalated to action " + std::to_string(id) + " (" + std::string(to_string(e.kind)) + ")",
                               e.by});
  }
  p.contract_actions.push_back(ContractAction{.id = id,
                                              .dps = e.dps,
                                              .kind = e.kind,
                                              .status = ContractActionStatus::in_force,
                                              .issued_at = e.at,
                                              .start_date = e.start_date,
                                              .review_date = e.review_date,
                                              .owner = e.owner,
                                              .notes = e.notes,
                                              .escalates = e.escalates,
                                              .history = {},
                                              .issued_by = e.by});
}

void Market::apply_contract_action(const ContractActionUpdated& e) {
  ContractAction& a = providers_[provider_by_id_.at(e.provider)].contract_actions.at(static_cast<std::size_t>(e.action) - 1);
  a.status = e.update.status;
  a.review_date = e.update.review_date;
  a.owner = e.update.owner;
  a.history.push_back(e.update);
}

}  // namespace carebroker::engine
