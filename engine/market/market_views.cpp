// Market: the derived views — eligibility, exclusions, rankings, and what a provider or an
// officer may see of a package.
#include <algorithm>

#include "engine/market/home_care_order.h"
#include "engine/market/market.h"

namespace carebroker::engine {

std::vector<LocationIndex> Market::eligible(const EligibilityQuery& q) const { return eligible(q, dps_[q.dps]); }

std::vector<LocationIndex> Market::eligible(const EligibilityQuery& q, const DpsConfig& config) const {
  std::vector<LocationIndex> out;
  index_.candidates(q, scratch_);
  out.reserve(scratch_.size());
  for (LocationIndex i : scratch_) {
    const Location& l = locations_[i];
    const Membership* m = l.membership_of(q.dps);
    if (!m || m->status != MembershipStatus::admitted) continue;
    if (!((m->lots >> q.lot) & 1U) || (q.categories & ~m->categories) != 0) continue;
    if (placement_bar(l, providers_[l.provider_index], q.dps, config, now_, false).barred()) continue;
    if (config.risk.at_capacity_excludes_from_broadcast && at_capacity(i, q.dps)) continue;
    if (q.handed_back == i) continue;
    out.push_back(i);
  }
  return out;
}

std::vector<Exclusion> Market::exclusions(PackageId id) const {
  std::vector<Exclusion> out;
  const Package* p = find_package(id);
  if (!p) return out;
  const EligibilityQuery q = query_for(*p, p->step);
  const DpsConfig& config = dps_[p->dps];
  for (LocationIndex i = 0; i < locations_.size(); ++i) {
    if (p->was_invited(i)) continue;
    const Location& l = locations_[i];
    if (auto why = exclusion_of(i, l, providers_[l.provider_index], config, q, now_, category_codes_))
      out.push_back(std::move(*why));
    else if (q.handed_back == i)
      out.push_back({i, ExclusionRule::handed_back, "handed back the placement this package re-procures"});
    else if (config.risk.at_capacity_excludes_from_broadcast && at_capacity(i, p->dps))
      out.push_back({i, ExclusionRule::at_capacity, "placed hours reach the declared capacity"});
    else
      out.push_back({i, ExclusionRule::joined_after_broadcast, "became eligible after this tier was broadcast"});
  }
  return out;
}

std::vector<RankingCandidate> Market::ranking_candidates(const Package& p) const {
  std::vector<RankingCandidate> out;
  out.reserve(p.offers.size());
  const DpsConfig& config = dps_[p.dps];
  const Lot& lot = config.lots[p.lot];
  for (const Offer& o : p.offers) {
    const Location& l = locations_[o.location];
    RankingCandidate c;
    c.location = o.location;
    c.location_id = l.id;
    c.price = o.price;
    c.amended_at = o.amended_at;
    if (const QualityAtClose* q = p.records->quality_at_close_of(o.location)) {
      c.quality = q->score();  // the score in force when the window closed, not today's
      c.quality_version = q->version;
      c.quality_closed_at = p.records->quality_closed_at;
    } else {
      c.quality = quality_of(o.location, p.dps);
      c.quality_version = l.quality_version;
    }
    c.abnormally_low = o.abnormally_low;
    c.declined = o.declined;
    if (o.withdrawn) {
      c.gate = OfferGate::withdrawn;
    } else if (const Membership* m = l.membership_of(p.dps); !m || m->status != MembershipStatus::admitted) {
      c.gate = OfferGate::no_longer_admitted;
    } else if (PlacementBar bar = placement_bar(l, providers_[l.provider_index], p.dps, config, now_, true);
               bar.barred()) {
      c.gate = OfferGate::placement_barred;
      c.gate_detail = std::move(bar.detail);
    } else if ((lot.rate_min > 0 && o.price < lot.rate_min) || (lot.rate_max > 0 && o.price > lot.rate_max)) {
      c.gate = OfferGate::outside_rate_band;
    }
    out.push_back(std::move(c));
  }
  return out;
}

Ranking Market::ranking(PackageId id, bool explain) const {
  const Package* p = find_package(id);
  if (!p) return {};
  return rank_offers(ranking_candidates(*p), dps_[p->dps].ranking, explain);
}

BroadcastView Market::broadcast_view(const Package& p) const {
  const DpsConfig& config = dps_[p.dps];
  BroadcastView v;
  v.package = p.id;
  v.dps = config.code;
  v.lot = config.lots[p.lot].code;
  v.categories = p.spec->categories;
  v.zone = config.zones[p.zone].code;
  v.postcode_district = p.spec->postcode_district;
  v.unit = config.lots[p.lot].unit;
  v.quantity = p.spec->quantity;
  v.visits = p.spec->visits;
  v.double_handed = p.spec->double_handed;
  v.start_date = p.spec->start_date;
  v.latest_start = p.latest_start;
  v.needs = p.spec->needs;
  v.outcomes = p.spec->outcomes;
  v.must_meet = p.spec->must_meet;
  v.urgency = p.urgency;
  v.funder = p.spec->funder;
  v.price_ceiling = p.spec->price_ceiling;
  v.tier = p.route_tiers.empty() ? "all" : config.tiers[p.route_tiers[std::min<std::size_t>(p.step, p.route_tiers.size() - 1)]];
  v.closes_at = p.closes_at;
  v.schedule = p.spec->schedule;
  v.end_date = p.spec->end_date;
  v.carer_minutes = v.unit == Unit::hours ? weekly_carer_minutes(*p.spec) : 0;
  v.person_minutes = v.unit == Unit::hours ? weekly_person_minutes(*p.spec) : 0;
  v.funding = p.spec->funding.empty() ? std::vector<FundingShare>{{p.spec->funder, 100}} : p.spec->funding;
  const PackageRecords& records = *p.records;
  if (!records.amendments.empty()) {
    v.amendments = static_cast<int>(records.amendments.size());
    v.amendment_notes = records.amendments.back().notes;
    v.amended_at = records.amendments.back().at;
  }
  for (std::size_t i = 0; i < records.questions.size(); ++i)
    if (records.questions[i].answered())
      v.clarifications.push_back({static_cast<int>(i) + 1, records.questions[i].question, records.questions[i].answer});
  return v;
}

std::optional<ProviderPackageView> Market::provider_view(PackageId id, std::string_view location) const {
  const Package* p = find_package(id);
  const auto loc = find_location(location);
  if (!p || !loc) return std::nullopt;
  if (!std::binary_search(p->ever_invited->begin(), p->ever_invited->end(), *loc) &&
      !(p->has_award && p->award_location == *loc) &&
      !(p->status == PackageStatus::placed && p->award_location == *loc))
    return std::nullopt;
  ProviderPackageView v;
  v.package = broadcast_view(*p);
  const bool invited_now = p->was_invited(*loc);
  const bool mine = p->award_location == *loc;
  const auto shortlisted = std::find_if(p->shortlist.begin(), p->shortlist.end(),
                                        [&](const ShortlistEntry& s) { return s.location == *loc; });
  switch (p->status) {
    case PackageStatus::open: v.standing = invited_now ? ProviderStanding::open : ProviderStanding::closed; break;
    case PackageStatus::best_and_final:
      v.standing = shortlisted != p->shortlist.end() ? ProviderStanding::best_and_final
                   : invited_now                     ? ProviderStanding::closed_for_bidding
                                                     : ProviderStanding::closed;
      break;
    case PackageStatus::award_pending:
      v.standing = mine ? ProviderStanding::award_offered
                   : invited_now ? ProviderStanding::closed_for_bidding
                                 : ProviderStanding::closed;
      break;
    case PackageStatus::placed:
      v.standing = mine ? ProviderStanding::placed_with_you : ProviderStanding::awarded_elsewhere;
      break;
    case PackageStatus::evaluating:
    case PackageStatus::awaiting_decision:
    case PackageStatus::on_hold:
      v.standing = invited_now ? ProviderStanding::closed_for_bidding : ProviderStanding::closed;
      break;
    default: v.standing = ProviderStanding::closed; break;
  }
  if (const Offer* o = p->offer_of(*loc))
    v.own_offer = OwnOfferView{o->price, o->start_date, o->must_meet_confirmed, *o->notes,
                               o->amended_at, o->version, o->withdrawn, made_before_amendment(*p, *o)};
  if (v.standing == ProviderStanding::best_and_final) v.own_rank = shortlisted->rank;
  const bool after_award = p->status == PackageStatus::placed || p->status == PackageStatus::award_pending;
  if (after_award && v.own_offer) {
    const Ranking r = ranking(id, false);
    if (const RankedOffer* mine_ranked = r.find(*loc); mine_ranked && mine_ranked->acceptable) {
      v.own_rank = mine_ranked->rank;
      v.own_score = mine_ranked->score;
    }
  }
  if (p->status == PackageStatus::placed && mine) v.person = *people_[id - 1];
  return v;
}

std::optional<OfficerPackageView> Market::officer_view(PackageId id) const {
  const Package* p = find_package(id);
  if (!p) return std::nullopt;
  const DpsConfig& config = dps_[p->dps];
  OfficerPackageView v;
  v.package = p;
  v.person = people_[id - 1].get();
  v.dps = config.code;
  v.lot = config.lots[p->lot].code;
  v.zone = config.zones[p->zone].code;
  v.tier = broadcast_view(*p).tier;
  v.ranking = ranking(id);
  v.invited = p->invited;
  v.exclusions = exclusions(id);
  for (LocationIndex i : p->invited)
    if (at_capacity(i, p->dps)) v.at_capacity.push_back(i);
  return v;
}

}  // namespace carebroker::engine
