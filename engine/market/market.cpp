// Market: command dispatch, the clock and its deadlines, and look-ups.
#include "engine/market/market.h"

#include "engine/market/digest.h"
#include "engine/market/market_emitter.h"

#include <algorithm>

namespace carebroker::engine {

Market::Market() = default;

bool valid_command_key(std::string_view key) {
  return !key.empty() && key.size() <= 64 &&
         std::all_of(key.begin(), key.end(), [](char c) { return c >= 0x21 && c <= 0x7e; });
}

Reply Market::execute(const Command& command, std::vector<Event>& out, const CommandKey& key) {
  Emitter emitter(*this, out);
  // A Tick that reaches a dated entry's expiry re-rates (decided before its clock moves).
  const auto* tick = std::get_if<Tick>(&command);
  const bool recheck_due = tick && rag_recheck_at_ != 0 && tick->now >= rag_recheck_at_;
  auto run = [&] {
    Reply reply = std::visit([&](const auto& c) { return handle(c, emitter); }, command);
    if (reply.ok() && !reply.replayed) rerate_after(command, recheck_due, emitter);
    return reply;
  };
  if (key.key.empty()) return run();
  if (!valid_command_key(key.key))
    return {reject(Code::invalid_idempotency_key,
                   "an idempotency key is 1..64 printable ASCII characters without spaces")};
  // The payload is the command itself, as parsed (its type and every field): the same request
  // written with other spacing or member order is the same payload.
  // But a posting's sealed person: its key, nonce and ciphertext are new random bytes at every
  // sealing, so a retry would never match; a posting's payload is its spec.
  Digest payload;
  if (const auto* post = std::get_if<PostPackage>(&command))
    payload.add(Command(PostPackage{post->spec, SealedPerson{}}));
  else
    payload.add(command);
  const std::uint64_t hash = payload.value();
  const std::string record_key = request_key(key.caller, key.key);
  if (auto seen = command_keys_.find(record_key); seen != command_keys_.end()) {
    if (seen->second.payload_hash != hash)
      return {reject(Code::request_id_reused,
                     "idempotency key " + key.key + " was already used for a different request")};
    return Reply{Status{}, seen->second.package, true, seen->second.number};
  }
  Reply reply = run();
  if (!reply.ok()) return reply;
  // A command about a package keeps its key while the package is in memory; others for a while.
  const bool package_scoped = reply.package != 0 && find_package(reply.package) != nullptr;
  emitter.emit(CommandKeyRecorded{key.caller, key.key, hash, reply.package,
                                  package_scoped ? 0 : now_ + kKeyedCommandRetentionDays * kMillisPerDay,
                                  reply.number});
  return reply;
}

Reply Market::handle(const Tick& tick, Emitter& e) {
  if (tick.now < now_)
    return {reject(Code::clock_moved_backwards,
                   "tick at " + std::to_string(tick.now) + " is before the market clock " +
                       std::to_string(now_))};
  if (tick.now == now_) return {};
  e.emit(ClockAdvanced{tick.now});
  // Fire every deadline that has passed, earliest first (package id breaks ties). Each firing
  // moves or clears that package's deadline, so the loop ends.
  while (!deadlines_.empty() && deadlines_.earliest().first <= now_) {
    on_deadline(deadlines_.earliest().second, e);
  }
  retire_closed(e);
  return {};
}

int Market::find_dps(std::string_view code) const {
  for (std::size_t i = 0; i < dps_.size(); ++i)
    if (dps_[i].code == code) return static_cast<int>(i);
  return -1;
}

std::optional<LocationIndex> Market::find_location(std::string_view id) const {
  auto it = location_by_id_.find(id);
  if (it == location_by_id_.end()) return std::nullopt;
  return it->second;
}

std::optional<LocationIndex> Market::provider_index(std::string_view id) const {
  auto it = provider_by_id_.find(id);
  if (it == provider_by_id_.end()) return std::nullopt;
  return it->second;
}

const Provider* Market::find_provider(std::string_view id) const {
  const auto index = provider_index(id);
  return index ? &providers_[*index] : nullptr;
}

const Package* Market::find_package(PackageId id) const {
  if (id == 0 || id > packages_.size() || packages_[id - 1].retired) return nullptr;
  return &packages_[id - 1];
}

const SealedPerson* Market::person(PackageId id) const {
  if (id == 0 || id > people_.size()) return nullptr;
  return people_[id - 1].get();
}

QualityScore Market::quality_of(LocationIndex loc, int dps) const {
  const QualityPolicy& policy = dps_[dps].quality;
  const Membership* m = locations_[loc].membership_of(dps);
  const Date first_due = m && m->applied_at != 0 ? london_date(m->applied_at) + policy.self_assessment_due_days : 0;
  if (policy.kpi_weight_pct == 0) return quality_score(locations_[loc].quality, policy, today_, first_due);
  return quality_score(locations_[loc].quality, policy, today_, first_due, kpi_standing(loc, dps));
}

RiskRating Market::risk_of(LocationIndex loc, int dps) const {
  const Location& l = locations_[loc];
  const Provider& p = provider_of(l);
  return risk_rating(l.quality, p.in_administration, dps_[dps].risk, now_,
                     p.contract_action_in_force(ContractActionKind::default_notice) != nullptr);
}

std::uint64_t Market::digest() const { return digests().for_market(keeps_request_ids_); }

MarketDigests Market::digests() const {
  // One pass over the state; the request table's part is the only difference between the two.
  Digest d;
  d.add(now_).add(calendar_).add(categories_).add(dps_).add(providers_).add(locations_);
  d.add(packages_).add(people_).add(placements_).add(replaces_).add(cqc_imports_).add(retired_facts_);
  d.add(fsa_imports_);
  Digest without = d;
  without.add(command_keys_);
  if (!keeps_request_ids_) return {0, without.value()};
  digest_requests(d);
  d.add(command_keys_);
  return {d.value(), without.value()};
}

void Market::digest_requests(Digest& d) const {
  // Exactly as add_value digests an unordered_map<std::string, RequestRecord> (digest.h): the
  // count, then the sum of each entry's own digest, the entry keyed by its old key string. So the
  // state digest means what it meant before the table was flattened.
  std::uint64_t sum = 0;
  requests_.for_each([&](LocationIndex provider, std::string_view id, const RequestRecord& record) {
    Digest entry;
    entry.joined(providers_[provider].id, '\n', id);  // = entry.add(request_key(provider's id, id))
    entry.add(record);
    sum += entry.value();
  });
  d.u64(requests_.size());
  d.u64(sum);
}

std::string_view command_name(const Command& c) {
  static constexpr std::string_view kNames[] = {
      "tick", "define_category", "configure_dps", "set_calendar", "register_provider",
      "register_location", "set_provider_status", "apply_to_dps", "extend_assessment",
      "admit_to_dps", "update_membership", "refuse_application", "suspend_membership",
      "reinstate_membership", "exit_dps", "update_quality_inputs", "post_package", "hold_package",
      "release_package", "cancel_package", "close_for_direct_payment", "decide_abnormally_low",
      "award_to_persons_choice", "place_offer", "amend_offer", "withdraw_offer", "accept_award",
      "decline_award", "hand_back_package", "explain_offer", "record_spot_purchase", "issue_contract_action",
      "update_contract_action", "set_planned_end", "end_placement", "propose_variation", "accept_variation",
      "send_variation_to_market", "amend_package", "ask_question", "answer_question", "import_cqc_ratings", "declare_capacity",
      "submit_self_assessment", "validate_self_assessment", "record_pamms_assessment",
      "submit_kpi_return", "import_fsa_ratings", "erase_person"};
  static_assert(std::size(kNames) == std::variant_size_v<Command>);
  return kNames[c.index()];
}

std::string_view event_name(const Event& e) {
  static constexpr std::string_view kNames[] = {
      "clock_advanced", "category_defined", "dps_configured", "calendar_set",
      "provider_registered", "location_registered", "provider_status_changed",
      "membership_changed", "quality_inputs_changed", "package_posted", "tier_opened",
      "tier_ended", "package_unsourced", "package_held", "package_released", "package_cancelled",
      "package_closed_for_direct_payment", "offer_placed", "offer_withdrawn", "window_closed",
      "shortlist_formed", "award_held", "abnormally_low_decided", "award_offered",
      "award_accepted", "award_declined", "package_handed_back", "package_retired",
      "command_key_recorded", "offer_explained", "spot_purchase_recorded", "contract_action_issued",
      "contract_action_updated", "placement_handed_back", "placement_end_scheduled", "placement_ended",
      "variation_proposed", "variation_accepted", "variation_sent_to_market", "placement_reprocured",
      "package_amended", "question_asked", "question_answered", "cqc_ratings_imported",
      "rag_changed", "self_assessment_submitted", "self_assessment_validated", "pamms_assessed",
      "kpi_return_submitted", "fsa_ratings_imported", "person_erased"};
  static_assert(std::size(kNames) == std::variant_size_v<Event>);
  return kNames[e.index()];
}

std::string_view to_string(TierEndReason r) {
  switch (r) {
    case TierEndReason::no_eligible_location: return "no_eligible_location";
    case TierEndReason::no_acceptable_offer: return "no_acceptable_offer";
    case TierEndReason::every_acceptable_offer_declined: return "every_acceptable_offer_declined";
    case TierEndReason::unexpected_deadline: return "unexpected_deadline";
  }
  return "unknown";
}

std::string_view to_string(MembershipStatus s) {
  switch (s) {
    case MembershipStatus::under_assessment: return "under_assessment";
    case MembershipStatus::admitted: return "admitted";
    case MembershipStatus::refused: return "refused";
    case MembershipStatus::suspended: return "suspended";
    case MembershipStatus::exited: return "exited";
  }
  return "unknown";
}

std::string_view to_string(PackageStatus s) {
  switch (s) {
    case PackageStatus::open: return "open";
    case PackageStatus::best_and_final: return "best_and_final";
    case PackageStatus::evaluating: return "evaluating";
    case PackageStatus::awaiting_decision: return "awaiting_decision";
    case PackageStatus::award_pending: return "award_pending";
    case PackageStatus::on_hold: return "on_hold";
    case PackageStatus::placed: return "placed";
    case PackageStatus::unsourced: return "unsourced";
    case PackageStatus::cancelled: return "cancelled";
    case PackageStatus::direct_payment: return "direct_payment";
    case PackageStatus::ended: return "ended";
  }
  return "unknown";
}

bool is_closed(PackageStatus s) {
  // A placed package is live (its placement runs until it ends): not closed.
  return s == PackageStatus::unsourced || s == PackageStatus::cancelled ||
         s == PackageStatus::direct_payment || s == PackageStatus::ended;
}

std::string_view to_string(AbnormallyLow a) {
  switch (a) {
    case AbnormallyLow::not_flagged: return "not_flagged";
    case AbnormallyLow::pending: return "pending";
    case AbnormallyLow::accepted: return "accepted";
    case AbnormallyLow::rejected: return "rejected";
  }
  return "unknown";
}

std::string_view to_string(ProviderStanding s) {
  switch (s) {
    case ProviderStanding::open: return "open";
    case ProviderStanding::best_and_final: return "best_and_final";
    case ProviderStanding::closed_for_bidding: return "closed_for_bidding";
    case ProviderStanding::award_offered: return "award_offered";
    case ProviderStanding::placed_with_you: return "placed_with_you";
    case ProviderStanding::awarded_elsewhere: return "awarded_elsewhere";
    case ProviderStanding::closed: return "closed";
  }
  return "unknown";
}

bool Package::was_invited(LocationIndex loc) const {
  return std::binary_search(invited.begin(), invited.end(), loc);
}

}  // namespace carebroker::engine
