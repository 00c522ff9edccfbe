// KPI sets, quarters and the compliance of a KPI return (kpi.h).
#include "engine/market/kpi.h"

#include <set>

#include "engine/market/calendar.h"

namespace carebroker::engine {

std::string_view to_string(KpiKind k) { return k == KpiKind::people ? "people" : "staff"; }

std::optional<KpiKind> parse_kpi_kind(std::string_view s) {
  if (s == "staff") return KpiKind::staff;
  if (s == "people") return KpiKind::people;
  return std::nullopt;
}

const std::vector<Kpi>& default_home_care_kpis() {
  // The seed's four (DOMAIN.md "KPIs"), with its targets.
  static const std::vector<Kpi> kHomeCare = {
      {"assistive_technology",
       "Utilising assistive technology: customers reviewed in the period who were introduced to assistive "
       "technology or provided with options",
       75, KpiKind::people},
      {"strengths_based_training",
       "Strengths-based approaches training: care workers who completed the training and were deemed competent",
       100, KpiKind::staff},
      {"qualifications",
       "Level 2 qualifications and Level 5 manager qualification: care workers holding Level 2, and registered "
       "managers holding or studying towards Level 5",
       100, KpiKind::staff},
      {"care_certificate", "Care Certificate: care workers who completed the Care Certificate (or are exempt)", 100,
       KpiKind::staff},
  };
  return kHomeCare;
}

const std::vector<Kpi>& default_supported_living_kpis() {
  // Outcome measures in the style of Think Local Act Personal's "Making it Real" "I and We"
  // statements (the seed's supported-living KPIs): each the % of people surveyed in the quarter
  // who agree. Our choice of five and of their targets; a council configures its own.
  static const std::vector<Kpi> kSupportedLiving = {
      {"choice_control", "I have choice and control over my support and the way it is given", 90, KpiKind::people},
      {"people_who_matter", "I have people in my life who care about me: family, friends and my community", 80,
       KpiKind::people},
      {"safe_home", "I feel safe and secure in my home and my community", 95, KpiKind::people},
      {"living_well", "I am supported to stay healthy and to do the things I enjoy", 85, KpiKind::people},
      {"known_staff", "I am supported by people who know me, my story and what matters to me", 90, KpiKind::people},
  };
  return kSupportedLiving;
}

std::string validate_kpis(const std::vector<Kpi>& kpis) {
  std::set<std::string_view> ids;
  for (const Kpi& k : kpis) {
    if (k.id.empty() || k.id.size() > 64) return "KPI ids are 1..64 characters";
    if (!ids.insert(k.id).second) return "KPI '" + k.id + "' is given twice";
    if (k.name.empty()) return "KPI '" + k.id + "' needs a name";
    if (k.target_pct < 0 || k.target_pct > 100)
      return "KPI '" + k.id + "' has target " + std::to_string(k.target_pct) + "%: targets are 0..100";
  }
  return {};
}

std::optional<Quarter> parse_quarter(std::string_view s) {
  if (s.size() != 7 || s[4] != '-' || s[5] != 'Q' || s[6] < '1' || s[6] > '4') return std::nullopt;
  int year = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    year = year * 10 + (s[i] - '0');
  }
  if (year < 2000 || year > 2199) return std::nullopt;
  return year * 4 + (s[6] - '1');
}

std::string format_quarter(Quarter q) { return std::to_string(q / 4) + "-Q" + std::to_string(q % 4 + 1); }

Quarter quarter_of(Date d) {
  const CivilDate c = civil_from_days(d);
  return c.year * 4 + static_cast<int>((c.month - 1) / 3);
}

Date quarter_first_day(Quarter q) { return days_from_civil({q / 4, static_cast<unsigned>(q % 4 * 3 + 1), 1}); }

Date quarter_last_day(Quarter q) { return quarter_first_day(q + 1) - 1; }

KpiCompliance kpi_compliance(const KpiReturn& r) {
  KpiCompliance c;
  for (const Kpi& k : r.kpis) {
    KpiResult result{k, 0, false};
    for (const KpiValue& v : r.values)
      if (v.kpi == k.id) result.value_x100 = v.value_x100;
    result.met = result.value_x100 >= k.target_pct * 100;
    c.met += result.met ? 1 : 0;
    c.results.push_back(std::move(result));
  }
  const int n = static_cast<int>(c.results.size());
  c.compliance_x100 = n == 0 ? 0 : (c.met * 20000 + n) / (2 * n);  // met × 10000 / n, half up
  return c;
}

int kpi_points(const KpiCompliance& c) { return (c.compliance_x100 + 50) / 100; }

}  // namespace carebroker::engine
