// Market::apply — the only code that changes market state. Each event carries everything its
// change needs, so replaying the journal rebuilds the market without re-deciding anything.
#include <algorithm>
#include <iterator>

#include "engine/market/market.h"
#include "engine/market/overloaded.h"

namespace carebroker::engine {
namespace {

/// An officer's decision joins the package's records (issue 13: who held, released, cancelled…).
void record_decision(Package& p, PackageDecision d) {
  PackageRecords records = *p.records;
  records.decisions.push_back(std::move(d));
  p.records = std::move(records);
}

}  // namespace

void Market::set_deadline(Package& p, UtcMillis when) { deadlines_.set(p.id, when); }

void Market::clear_deadline(Package& p) { deadlines_.clear(p.id); }

std::string Market::request_key(std::string_view provider, std::string_view request_id) {
  std::string key;
  key.reserve(provider.size() + 1 + request_id.size());
  key.append(provider).push_back('\n');  // never inside an id: ids are validated printable
  key.append(request_id);
  return key;
}

void Market::mark_closed(Package& p, PackageStatus status, UtcMillis at) {
  p.status = status;
  p.closed_at = at;
  clear_deadline(p);
  closed_[p.dps].insert({at, p.id});
}

void Market::remember_request(const RequestRef& ref, PackageId package, LocationIndex location) {
  if (ref.request_id.empty() || !keeps_request_ids_) return;
  // The request came from the event's location, whose provider provider_request checked, so
  // the location names the provider's index without a look-up by id; the look-up remains for
  // an event that says otherwise. The provider was registered when the command was validated
  // and is never removed, so it is found.
  const LocationIndex by_location = locations_[location].provider_index;
  const auto provider =
      providers_[by_location].id == ref.provider ? std::optional(by_location) : provider_index(ref.provider);
  if (!provider) return;
  requests_.insert(RequestKey(*provider, ref.request_id), RequestRecord{ref.payload_hash, package});
}

void Market::remember_command_key(const CommandKeyRecorded& e) {
  auto [it, inserted] = command_keys_.try_emplace(request_key(e.caller, e.key),
                                                  CommandKeyRecord{e.payload_hash, e.package, e.expires_at, e.number});
  if (!inserted) return;
  if (e.expires_at == 0)
    command_keys_of_[e.package].push_back(it->first);
  else
    command_key_expiry_.insert({e.expires_at, it->first});
}

void Market::expire_command_keys() {
  while (!command_key_expiry_.empty() && command_key_expiry_.begin()->first <= now_) {
    const std::string key(command_key_expiry_.begin()->second);  // a view of the node's key
    command_key_expiry_.erase(command_key_expiry_.begin());
    command_keys_.erase(key);
  }
}

void Market::apply(std::span<const Event> events) {
  // Far enough ahead for the slot to arrive (an event costs ~0.3 µs, a miss ~0.1 µs), near
  // enough that it is still cached when used.
  constexpr std::size_t kAhead = 4;
  const auto prefetch = [&](const Event& e) {
    std::visit(
        [&](const auto& ev) {
          if constexpr (requires { ev.request.request_id; ev.location; })
            if (ev.location < locations_.size())
              requests_.prefetch(RequestKey::hash_of(locations_[ev.location].provider_index, ev.request.request_id));
        },
        e);
  };
  for (std::size_t i = 0; i < events.size() && i < kAhead; ++i) prefetch(events[i]);
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (i + kAhead < events.size()) prefetch(events[i + kAhead]);
    apply(events[i]);
  }
}

void Market::apply(const Event& event) {
  std::visit(
      overloaded{
          [&](const ClockAdvanced& e) {
            now_ = e.now;
            today_ = london_date(now_);
            expire_command_keys();
            if (rag_recheck_at_ != 0 && now_ >= rag_recheck_at_) recompute_rag_recheck();
          },
          [&](const CategoryDefined& e) {
            auto it = std::find(category_codes_.begin(), category_codes_.end(), e.category.code);
            if (it != category_codes_.end()) {
              categories_[it - category_codes_.begin()] = e.category;
            } else {
              categories_.push_back(e.category);
              category_codes_.push_back(e.category.code);
            }
          },
          [&](const DpsConfigured& e) {
            int index = find_dps(e.config.code);
            if (index < 0) {
              dps_.push_back(e.config);
              index = static_cast<int>(dps_.size()) - 1;
            } else {
              // The score's policy or KPI set changed: every member's quality score has a new version.
              const bool rescored = dps_[index].quality != e.config.quality || kpis_of(dps_[index]) != kpis_of(e.config);
              dps_[index] = e.config;
              if (rescored)
                for (Location& l : locations_)
                  if (l.membership_of(index)) ++l.quality_version;
            }
            index_.reset_dps(index, e.config.tiers.size(), e.config.zones.size());
            closed_.resize(dps_.size());
            for (LocationIndex i = 0; i < locations_.size(); ++i)
              if (const Membership* m = locations_[i].membership_of(index)) index_.update(i, *m);
            recompute_rag_recheck();  // the look-back may have changed
          },
          [&](const CalendarSet& e) { calendar_ = e.calendar; },
          [&](const ProviderRegistered& e) {
            provider_by_id_[e.provider] = static_cast<LocationIndex>(providers_.size());
            providers_.push_back(Provider{e.provider, e.name, false, {}, {}, {}});
          },
          [&](const LocationRegistered& e) {
            const LocationIndex index = static_cast<LocationIndex>(locations_.size());
            const LocationIndex provider = provider_by_id_.at(e.provider);
            Location loc;
            loc.id = e.location;
            loc.provider_id = e.provider;
            loc.provider_index = provider;
            loc.name = e.name;
            loc.postcode = e.postcode;
            loc.local_authority = e.local_authority;
            loc.registered_at = now_;
            payload_prefix_.push_back(payload_prefixes(loc));
            locations_.push_back(std::move(loc));
            location_by_id_[e.location] = index;
            providers_[provider].locations.push_back(index);
          },
          [&](const ProviderStatusChanged& e) {
            Provider& p = providers_[provider_by_id_.at(e.provider)];
            p.in_administration = e.in_administration;
            p.status_reason = e.reason;
            p.status_by = e.by;
            const std::vector<int> terminated_before = p.terminated_in;
            auto& in = p.terminated_in;
            if (e.dps >= 0) {
              const auto it = std::lower_bound(in.begin(), in.end(), e.dps);
              const bool present = it != in.end() && *it == e.dps;
              if (e.contract_terminated && !present) in.insert(it, e.dps);
              if (!e.contract_terminated && present) in.erase(it);
            } else {
              // No DPS named (and every journal from before per-DPS contracts): the flag is the
              // contract under every DPS the provider's locations are members of now.
              in.clear();
              if (e.contract_terminated)
                for (LocationIndex l : p.locations)
                  for (const Membership& m : locations_[l].memberships) in.push_back(m.dps);
              std::sort(in.begin(), in.end());
              in.erase(std::unique(in.begin(), in.end()), in.end());
            }
            if (in != terminated_before) note_contract_moves(p, terminated_before);
          },
          [&](const MembershipChanged& e) {
            auto& memberships = locations_[e.location].memberships;
            auto it = std::find_if(memberships.begin(), memberships.end(),
                                   [&](const Membership& m) { return m.dps == e.membership.dps; });
            note_membership_move(e.location, it == memberships.end() ? nullptr : &*it, e.membership);
            if (it == memberships.end())
              memberships.push_back(e.membership);
            else
              *it = e.membership;
            index_.update(e.location, e.membership);
            note_entry_expiries(e.location);
          },
          [&](const QualityInputsChanged& e) { apply_quality(e); },
          [&](const PackagePosted& e) {
            Package p;
            p.id = e.package;
            p.spec = e.spec;
            p.dps = e.dps;
            p.lot = e.lot;
            p.zone = e.zone;
            p.route = e.route;
            if (const DpsConfig& config = dps_[e.dps]; config.mode == DistributionMode::cascade)
              for (const auto& tier : config.routes[e.route].tiers) p.route_tiers.push_back(config.tier_index(tier));
            p.categories = e.categories;
            p.urgency = e.urgency;
            p.latest_start = e.latest_start;
            p.posted_at = e.at;
            p.status = PackageStatus::evaluating;
            packages_.push_back(std::move(p));
            people_.push_back(e.person);
            deadlines_.add_package();
          },
          [&](const TierOpened& e) {
            Package& p = package_mut(e.package);
            p.step = e.step;
            p.round = 1;
            p.status = PackageStatus::open;
            p.opened_at = e.at;
            p.closes_at = e.closes_at;
            p.invited = *e.invited;
            if (p.ever_invited->empty()) {
              p.ever_invited = e.invited;
            } else {
              std::vector<LocationIndex> merged;
              merged.reserve(p.ever_invited->size() + e.invited->size());
              std::set_union(p.ever_invited->begin(), p.ever_invited->end(), e.invited->begin(),
                             e.invited->end(), std::back_inserter(merged));
              p.ever_invited = std::move(merged);
            }
            p.offers.clear();
            forget_explanations(p);
            p.shortlist.clear();
            p.has_award = false;
            p.persons_choice = false;
            p.award_reason.clear();
            ++p.tiers_tried;
            set_deadline(p, e.closes_at);
          },
          [&](const TierEnded& e) {
            Package& p = package_mut(e.package);
            p.status = PackageStatus::evaluating;
            clear_deadline(p);
          },
          [&](const PackageUnsourced& e) {
            mark_closed(package_mut(e.package), PackageStatus::unsourced, e.at);
          },
          [&](const PackageHeld& e) {
            Package& p = package_mut(e.package);
            p.held_from = p.status;
            p.hold_remaining = std::max<UtcMillis>(0, p.closes_at - e.at);
            p.status = PackageStatus::on_hold;
            clear_deadline(p);
            record_decision(p, {"held", e.at, e.by, e.reason});
          },
          [&](const PackageReleased& e) {
            Package& p = package_mut(e.package);
            p.status = p.held_from;
            p.closes_at = e.closes_at;
            p.hold_remaining = 0;
            set_deadline(p, e.closes_at);
            record_decision(p, {"released", e.at, e.by, {}});
          },
          [&](const PackageCancelled& e) {
            Package& p = package_mut(e.package);
            mark_closed(p, PackageStatus::cancelled, e.at);
            record_decision(p, {"cancelled", e.at, e.by, e.reason});
          },
          [&](const PackageClosedForDirectPayment& e) {
            Package& p = package_mut(e.package);
            mark_closed(p, PackageStatus::direct_payment, e.at);
            record_decision(p, {"direct_payment", e.at, e.by, {}});
          },
          [&](const OfferPlaced& e) {
            Package& p = package_mut(e.package);
            Offer* o = p.offer_of(e.location);
            if (!o) {
              // Grown one at a time while small, then by a quarter, never past the invited (one
              // offer per location): a vector's doubling left up to half of every package's
              // offers empty, in each of the process's three markets.
              if (p.offers.size() == p.offers.capacity())
                p.offers.reserve(std::max(p.offers.size() + 1,
                                          std::min(p.offers.size() + p.offers.size() / 4, p.invited.size())));
              p.offers.push_back(Offer{});
              o = &p.offers.back();
              o->location = e.location;
              o->placed_at = e.at;
              o->version = 0;
            }
            o->price = e.price;
            o->start_date = e.start_date;
            o->must_meet_confirmed = e.must_meet_confirmed;
            o->notes = e.notes;
            o->amended_at = e.at;
            o->withdrawn = false;
            ++o->version;
            o->abnormally_low = e.abnormally_low ? AbnormallyLow::pending : AbnormallyLow::not_flagged;
            forget_explanations(p, e.location);
            remember_request(e.request, e.package, e.location);
          },
          [&](const OfferWithdrawn& e) {
            Package& p = package_mut(e.package);
            if (Offer* o = p.offer_of(e.location)) {
              o->withdrawn = true;
              o->amended_at = e.at;
            }
            remember_request(e.request, e.package, e.location);
          },
          [&](const WindowClosed& e) {
            Package& p = package_mut(e.package);
            p.status = PackageStatus::evaluating;
            clear_deadline(p);
            capture_quality_at_close(p, e.at);
          },
          [&](const ShortlistFormed& e) {
            Package& p = package_mut(e.package);
            p.status = PackageStatus::best_and_final;
            p.round = 2;
            p.shortlist = e.shortlist;
            p.closes_at = e.closes_at;
            set_deadline(p, e.closes_at);
          },
          [&](const AwardHeld& e) {
            Package& p = package_mut(e.package);
            p.status = PackageStatus::awaiting_decision;
            p.award_location = e.location;
            p.has_award = false;
            clear_deadline(p);
          },
          [&](const AbnormallyLowDecided& e) {
            Package& p = package_mut(e.package);
            if (Offer* o = p.offer_of(e.location))
              o->abnormally_low = e.accepted ? AbnormallyLow::accepted : AbnormallyLow::rejected;
            if (p.status == PackageStatus::awaiting_decision) p.status = PackageStatus::evaluating;
          },
          [&](const AwardOffered& e) {
            Package& p = package_mut(e.package);
            p.status = PackageStatus::award_pending;
            p.award_location = e.location;
            p.has_award = true;
            p.award_expires = e.expires_at;
            p.persons_choice = e.persons_choice;
            p.award_reason = e.reason;
            set_deadline(p, e.expires_at);
            if (e.persons_choice) record_decision(p, {"persons_choice", e.at, e.by, e.reason});
          },
          [&](const AwardAccepted& e) {
            // A live state, not a closed one: the placement runs until an event ends it.
            Package& p = package_mut(e.package);
            p.status = PackageStatus::placed;
            p.closed_at = e.at;  // closed for bidding; retention counts from its placement's end
            clear_deadline(p);
            open_placement(p, e.location, e.at);
            remember_request(e.request, e.package, e.location);
          },
          [&](const AwardDeclined& e) {
            Package& p = package_mut(e.package);
            if (Offer* o = p.offer_of(e.location)) o->declined = true;
            p.status = PackageStatus::evaluating;
            p.has_award = false;
            ++p.declines;
            clear_deadline(p);
            remember_request(e.request, e.package, e.location);
          },
          [&](const PackageHandedBack& e) {
            Package& p = package_mut(e.package);
            closed_[p.dps].erase({p.closed_at, p.id});
            p.status = PackageStatus::evaluating;
            p.has_award = false;
            p.closed_at = 0;
            ++p.hand_backs;
            // The old immediate hand-back (journals before live placements): the placement
            // goes with it, and the same package is procured again.
            if (auto it = placements_.find(p.id); it != placements_.end()) {
              add_load(it->second, -1);
              placements_.erase(it);
            }
            remember_request(e.request, e.package, e.location);
          },
          [&](const PackageRetired& e) {
            Package& p = package_mut(e.package);
            closed_[p.dps].erase({p.closed_at, p.id});
            clear_deadline(p);
            requests_.erase_package(p.id);
            if (auto keys = command_keys_of_.find(p.id); keys != command_keys_of_.end()) {
              for (const auto key : keys->second) command_keys_.erase(std::string(key));
              command_keys_of_.erase(keys);
            }
            retired_facts_.push_back(report_facts_of(p, find_placement(p.id), dps_[p.dps].lots[p.lot].unit));
            retired_facts_.back().retired = true;
            Package retired;
            retired.id = p.id;
            retired.dps = p.dps;
            retired.status = p.status;
            retired.closed_at = p.closed_at;
            retired.retired = true;
            p = std::move(retired);
            people_[e.package - 1] = retired_person(*people_[e.package - 1]);  // its key id, to erase it
            if (auto it = placements_.find(e.package); it != placements_.end()) {
              add_load(it->second, -1);  // nothing when it ended (or was placed by an old journal)
              placements_.erase(it);
            }
            replaces_.erase(e.package);
          },
          [&](const CommandKeyRecorded& e) { remember_command_key(e); },
          [&](const OfferExplained& e) { apply_explained(e); },
          [&](const SpotPurchaseRecorded& e) { apply_spot_purchase(e); },
          [&](const ContractActionIssued& e) { apply_contract_action(e); },
          [&](const ContractActionUpdated& e) { apply_contract_action(e); },
          // Live placements: market_placements.cpp.
          [&](const PlacementHandedBack&) { apply_placement_event(event); },
          [&](const PlacementEndScheduled&) { apply_placement_event(event); },
          [&](const PlacementEnded&) { apply_placement_event(event); },
          [&](const VariationProposed&) { apply_placement_event(event); },
          [&](const VariationAccepted&) { apply_placement_event(event); },
          [&](const VariationSentToMarket&) { apply_placement_event(event); },
          [&](const PlacementReprocured&) { apply_placement_event(event); },
          // During a mini-competition: market_amendments.cpp.
          [&](const PackageAmended& e) { apply_amended(e); },
          [&](const QuestionAsked& e) { apply_question(e); },
          [&](const QuestionAnswered& e) { apply_answer(e); },
          [&](const CqcRatingsImported& e) { apply_cqc_import(e); },
          [&](const RagChanged& e) { apply_rag(e); },
          [&](const SelfAssessmentSubmitted& e) { apply_assessment(e); },
          [&](const SelfAssessmentValidated& e) { apply_assessment(e); },
          [&](const PammsAssessed& e) { apply_assessment(e); },
          [&](const KpiReturnSubmitted& e) { apply_kpi_return(e); },
          [&](const FsaRatingsImported& e) { apply_fsa_import(e); },
          [&](const PersonErased& e) { apply_person_erased(e); },
      },
      event);
}

}  // namespace carebroker::engine
