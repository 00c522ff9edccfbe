// Look-ups and validation of DPS configuration.
#include "engine/market/config.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace carebroker::engine {
namespace {

template <typename T, typename Key>
int index_by_code(const std::vector<T>& items, std::string_view code, Key key) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (key(items[i]) == code) return static_cast<int>(i);
  }
  return -1;
}

template <typename T, typename Key>
std::string unique_codes(const std::vector<T>& items, Key key, std::string_view what) {
  std::set<std::string_view> seen;
  if (items.size() > kMaxMaskBits) return "more than 64 " + std::string(what);
  for (const auto& item : items) {
    std::string_view code = key(item);
    if (code.empty()) return std::string(what) + " with an empty code";
    if (!seen.insert(code).second) return "duplicate " + std::string(what) + " '" + std::string(code) + "'";
  }
  return {};
}

bool pct(int v) { return v >= 0 && v <= 100; }

}  // namespace

int DpsConfig::lot_index(std::string_view c) const {
  return index_by_code(lots, c, [](const Lot& l) -> std::string_view { return l.code; });
}
int DpsConfig::zone_index(std::string_view c) const {
  return index_by_code(zones, c, [](const Zone& z) -> std::string_view { return z.code; });
}
int DpsConfig::tier_index(std::string_view c) const {
  return index_by_code(tiers, c, [](const std::string& t) -> std::string_view { return t; });
}
int DpsConfig::zone_of_district(std::string_view district) const {
  for (std::size_t i = 0; i < zones.size(); ++i) {
    const auto& d = zones[i].postcode_districts;
    if (std::find(d.begin(), d.end(), district) != d.end()) return static_cast<int>(i);
  }
  return -1;
}

std::string_view to_string(DistributionMode m) {
  return m == DistributionMode::cascade ? "cascade" : "all_at_once";
}
std::string_view to_string(RankingScheme s) {
  return s == RankingScheme::price_quality_split ? "price_quality_split" : "quality_adjusted_price";
}
std::string_view to_string(AuctionFormat f) {
  return f == AuctionFormat::sealed_single_round ? "sealed_single_round" : "best_and_final";
}

std::string validate_config(const DpsConfig& c, const std::vector<Category>& known) {
  if (c.code.empty()) return "the DPS code is empty";
  auto self = [](const auto& s) -> std::string_view { return s; };
  if (auto e = unique_codes(c.lots, [](const Lot& l) -> std::string_view { return l.code; }, "lots");
      !e.empty())
    return e;
  if (auto e = unique_codes(c.zones, [](const Zone& z) -> std::string_view { return z.code; }, "zones");
      !e.empty())
    return e;
  if (auto e = unique_codes(c.tiers, self, "tiers"); !e.empty()) return e;
  if (auto e = unique_codes(c.categories, self, "categories"); !e.empty()) return e;
  if (c.lots.empty()) return "a DPS needs at least one lot";
  if (c.zones.empty()) return "a DPS needs at least one zone";
  if (c.tiers.empty()) return "a DPS needs at least one tier";
  if (c.routes.empty()) return "a DPS needs at least one route";
  std::set<std::string_view> districts;
  for (const auto& z : c.zones)
    for (const auto& d : z.postcode_districts)
      if (!districts.insert(d).second) return "postcode district '" + d + "' is in two zones";
  auto known_category = [&](std::string_view code) {
    return std::any_of(known.begin(), known.end(), [&](const Category& k) { return k.code == code; });
  };
  for (const auto& cat : c.categories)
    if (!known_category(cat)) return "unknown category '" + cat + "'";
  for (const auto& lot : c.lots) {
    if (lot.rate_min < 0 || lot.rate_max < 0 || lot.fair_cost < 0 || lot.baseline_rate < 0)
      return "lot '" + lot.code + "' has a negative price";
    if (lot.rate_max != 0 && lot.rate_min > lot.rate_max)
      return "lot '" + lot.code + "' has rate_min above rate_max";
  }
  for (const auto& r : c.routes) {
    if (r.tiers.empty()) return "route '" + r.name + "' has no tiers";
    for (const auto& t : r.tiers)
      if (c.tier_index(t) < 0) return "route '" + r.name + "' names unknown tier '" + t + "'";
    for (const auto& cat : r.when_any_category)
      if (!known_category(cat)) return "route '" + r.name + "' names unknown category '" + cat + "'";
  }
  const auto& k = c.ranking;
  if (!pct(k.price_weight_pct) || !pct(k.quality_weight_pct) ||
      k.price_weight_pct + k.quality_weight_pct != 100)
    return "price and quality weights must be percentages adding up to 100";
  if (!pct(k.min_quality) || !pct(k.abnormally_low_pct)) return "ranking thresholds must be 0..100";
  if (k.shortlist_size < 1) return "the best-and-final shortlist needs at least one place";
  const auto& q = c.quality;
  if (!pct(q.pamms_weight_pct) || !pct(q.cqc_weight_pct) || !pct(q.self_assessment_weight_pct) ||
      !pct(q.kpi_weight_pct) ||
      q.pamms_weight_pct + q.cqc_weight_pct + q.self_assessment_weight_pct + q.kpi_weight_pct != 100)
    return "quality weights (PAMMS, CQC, self-assessment and KPI) must be percentages adding up to 100";
  for (int p : {q.neutral_points, q.cqc_outstanding, q.cqc_good, q.cqc_requires_improvement,
                q.cqc_inadequate, q.pamms_excellent, q.pamms_good, q.pamms_requires_improvement,
                q.pamms_poor})
    if (!pct(p)) return "rating points must be 0..100";
  if (q.self_assessment_due_days < 0 || q.self_assessment_due_days > 366)
    return "self_assessment_due_days must be 0 (never overdue) .. 366";
  if (q.kpi_return_due_days < 1 || q.kpi_return_due_days > 366) return "kpi_return_due_days must be 1..366";
  const auto& r = c.risk;
  if (r.lookback_days < 1 || r.amber_safeguarding_decisions < 1 || r.amber_substantiated_concerns < 1)
    return "risk thresholds must be at least 1";
  const auto& w = c.windows;
  if (w.urgent_window <= 0 || w.standard_working_days < 1 || w.planned_working_days < 1 ||
      w.planned_after_days < 0 || w.urgent_acceptance <= 0 || w.acceptance_working_days < 1 ||
      w.best_and_final_window <= 0 || w.start_slack_days < 0 || w.admission_working_days < 1 ||
      w.admission_extended_working_days < w.admission_working_days || w.retain_closed_days < 0 ||
      w.hand_back_notice_days < 0 || w.hand_back_notice_days > 366)
    return "windows must be positive (and the extended admission clock no shorter)";
  if (auto e = validate_framework(c.assessment); !e.empty()) return e;
  if (auto e = validate_kpis(c.kpis); !e.empty()) return e;
  return {};
}

bool buys_supported_living(const DpsConfig& c) {
  auto says = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) -> char {
      return ch == '-' || ch == '_' ? ' ' : static_cast<char>(std::tolower(ch));
    });
    return s.find("supported living") != std::string::npos;
  };
  return std::any_of(c.lots.begin(), c.lots.end(), [&](const Lot& l) { return says(l.code) || says(l.name); });
}

const std::vector<Kpi>& kpis_of(const DpsConfig& c) {
  if (!c.kpis.empty()) return c.kpis;
  return buys_supported_living(c) ? default_supported_living_kpis() : default_home_care_kpis();
}

}  // namespace carebroker::engine
