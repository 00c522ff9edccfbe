// Broadcast eligibility: the index and the exclusion reasons.
#include "engine/market/eligibility.h"

#include <algorithm>

#include "engine/market/quality.h"

namespace carebroker::engine {
namespace {

bool has_bit(std::uint64_t mask, int bit) { return bit >= 0 && (mask >> bit) & 1U; }

std::string join_missing(CategoryMask missing, const std::vector<std::string>& codes) {
  std::string out;
  for (std::size_t i = 0; i < codes.size() && i < kMaxMaskBits; ++i) {
    if (!has_bit(missing, static_cast<int>(i))) continue;
    if (!out.empty()) out += ", ";
    out += codes[i];
  }
  return out;
}

}  // namespace

std::string_view to_string(ExclusionRule rule) {
  switch (rule) {
    case ExclusionRule::not_applied: return "not_applied";
    case ExclusionRule::not_admitted: return "not_admitted";
    case ExclusionRule::lot: return "lot";
    case ExclusionRule::categories: return "categories";
    case ExclusionRule::zone: return "zone";
    case ExclusionRule::tier: return "tier";
    case ExclusionRule::suspended: return "suspended";
    case ExclusionRule::contract_terminated: return "contract_terminated";
    case ExclusionRule::handed_back: return "handed_back";
    case ExclusionRule::contract_suspended: return "contract_suspended";
    case ExclusionRule::embargo: return "embargo";
    case ExclusionRule::red: return "red";
    case ExclusionRule::amber: return "amber";
    case ExclusionRule::joined_after_broadcast: return "joined_after_broadcast";
    case ExclusionRule::at_capacity: return "at_capacity";
  }
  return "unknown";
}

PlacementBar placement_bar(const Location& loc, const Provider& provider, int dps_index, const DpsConfig& dps,
                           UtcMillis now, bool want_detail) {
  if (provider.contract_terminated_in(dps_index))
    return {ExclusionRule::contract_terminated,
            want_detail ? "provider's contract under " + dps.code + " terminated: " + provider.status_reason : ""};
  if (const ContractAction* a = provider.contract_action_in_force(ContractActionKind::suspension, dps_index))
    return {ExclusionRule::contract_suspended,
            want_detail ? "provider's contract under " + dps.code + " suspended (contract action " +
                              std::to_string(a->id) + ")" + (a->notes.empty() ? std::string() : ": " + a->notes)
                        : ""};
  if (loc.quality.embargo)
    return {ExclusionRule::embargo, want_detail ? "embargo on new placements" + (loc.quality.embargo_reason.empty() ? std::string() : ": " + loc.quality.embargo_reason) : ""};
  const bool red_bars = dps.risk.red_excludes_from_broadcast;
  const bool amber_bars = dps.risk.amber_excludes_from_broadcast;
  if (!red_bars && !amber_bars) return {};
  // The common case — not barred — allocates nothing; reasons are built only for a bar.
  const bool default_notice = provider.contract_action_in_force(ContractActionKind::default_notice) != nullptr;
  const Rag rag = risk_level(loc.quality, provider.in_administration, dps.risk, now, default_notice);
  const bool red = rag == Rag::red && red_bars;
  if (!red && !(rag != Rag::green && amber_bars)) return {};
  PlacementBar bar{red ? ExclusionRule::red : ExclusionRule::amber, ""};
  if (!want_detail) return bar;
  const RiskRating rating = risk_rating(loc.quality, provider.in_administration, dps.risk, now, default_notice);
  bar.detail = std::string("early-warning rating ") + (rag == Rag::red ? "Red" : "Amber") + ": ";
  for (std::size_t i = 0; i < rating.reasons.size(); ++i) bar.detail += (i ? "; " : "") + rating.reasons[i];
  return bar;
}

std::optional<Exclusion> exclusion_of(LocationIndex index, const Location& loc,
                                      const Provider& provider, const DpsConfig& dps,
                                      const EligibilityQuery& q, UtcMillis now,
                                      const std::vector<std::string>& category_codes) {
  auto out = [&](ExclusionRule rule, std::string detail) {
    return std::optional<Exclusion>(Exclusion{index, rule, std::move(detail)});
  };
  const Membership* m = loc.membership_of(q.dps);
  if (!m) return out(ExclusionRule::not_applied, "has not applied to " + dps.code);
  switch (m->status) {
    case MembershipStatus::admitted: break;
    case MembershipStatus::suspended: return out(ExclusionRule::suspended, "membership suspended: " + m->reason);
    default: return out(ExclusionRule::not_admitted, "membership is " + std::string(to_string(m->status)));
  }
  if (!has_bit(m->lots, q.lot)) return out(ExclusionRule::lot, "not enrolled in lot " + dps.lots[q.lot].code);
  if (const CategoryMask missing = q.categories & ~m->categories; missing != 0)
    return out(ExclusionRule::categories, "does not offer " + join_missing(missing, category_codes));
  if (q.zone >= 0 && !has_bit(m->zones, q.zone)) return out(ExclusionRule::zone, "does not serve zone " + dps.zones[q.zone].code);
  if (q.tier >= 0 && m->tier != q.tier)
    return out(ExclusionRule::tier, "is in " + (m->tier >= 0 ? dps.tiers[m->tier] : std::string("no tier")) +
                           ", the package is at " + dps.tiers[q.tier]);
  if (PlacementBar bar = placement_bar(loc, provider, q.dps, dps, now, true); bar.barred())
    return out(*bar.rule, bar.detail);
  return std::nullopt;
}

void EligibilityIndex::reset_dps(int dps, std::size_t tiers, std::size_t zones) {
  if (buckets_.size() <= static_cast<std::size_t>(dps)) buckets_.resize(dps + 1);
  buckets_[dps].assign(tiers, std::vector<std::vector<LocationIndex>>(zones));
}

void EligibilityIndex::remove(int dps, LocationIndex loc) {
  for (auto& tier : buckets_[dps])
    for (auto& zone : tier) {
      auto it = std::lower_bound(zone.begin(), zone.end(), loc);
      if (it != zone.end() && *it == loc) zone.erase(it);
    }
}

void EligibilityIndex::update(LocationIndex loc, const Membership& m) {
  if (m.dps < 0 || static_cast<std::size_t>(m.dps) >= buckets_.size()) return;
  remove(m.dps, loc);
  if (m.status != MembershipStatus::admitted || m.tier < 0) return;
  auto& tiers = buckets_[m.dps];
  if (static_cast<std::size_t>(m.tier) >= tiers.size()) return;
  auto& zones = tiers[m.tier];
  for (std::size_t z = 0; z < zones.size() && z < kMaxMaskBits; ++z) {
    if (!has_bit(m.zones, static_cast<int>(z))) continue;
    auto& bucket = zones[z];
    bucket.insert(std::lower_bound(bucket.begin(), bucket.end(), loc), loc);
  }
}

void EligibilityIndex::candidates(const EligibilityQuery& q, std::vector<LocationIndex>& out) const {
  out.clear();
  if (q.dps < 0 || static_cast<std::size_t>(q.dps) >= buckets_.size()) return;
  const auto& tiers = buckets_[q.dps];
  for (std::size_t t = 0; t < tiers.size(); ++t) {
    if (q.tier >= 0 && static_cast<int>(t) != q.tier) continue;
    for (std::size_t z = 0; z < tiers[t].size(); ++z) {
      if (q.zone >= 0 && static_cast<int>(z) != q.zone) continue;
      const auto& bucket = tiers[t][z];
      out.insert(out.end(), bucket.begin(), bucket.end());
    }
  }
  // A location is in one tier but may serve several zones: sort, and drop repeats across zones.
  if (q.tier < 0 || q.zone < 0) {
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
  }
}

}  // namespace carebroker::engine
