// Key performance indicators (issue 12 item 4): a DPS's KPI set (each KPI a percentage with a
// target), the quarters providers report them for, a location's quarterly KPI returns, whether
// each KPI met its target and the compliance they add up to, and where a location stands in its
// return cycle (the quarter due, its due date, overdue). Defaults: the seed's four home-care KPIs,
// or for a supported-living DPS five outcome measures in the style of Think Local Act Personal's
// "I and We" statements. The market's commands live in market_kpis.cpp.
// Plain values and pure functions; not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/market/types.h"

namespace carebroker::engine {

/// What a KPI's percentage counts.
enum class KpiKind : std::uint8_t {
  staff,   ///< % of care workers (or managers) — training, qualifications
  people,  ///< % of people supported — reviewed, or surveyed and agreeing
};
std::string_view to_string(KpiKind);
std::optional<KpiKind> parse_kpi_kind(std::string_view);

/// One KPI of a DPS: a stable id (what returns name), its name, and the target a return's value
/// meets when it is at least the target.
struct Kpi {
  std::string id;  ///< e.g. "care_certificate"; 1..64 characters
  std::string name;
  int target_pct = 100;  ///< 0..100
  KpiKind kind = KpiKind::staff;
  bool operator==(const Kpi&) const = default;
};

/// The seed's four home-care KPIs: assistive technology 75%, strengths-based training 100%,
/// Level 2 / Level 5 qualifications 100%, Care Certificate 100%.
const std::vector<Kpi>& default_home_care_kpis();
/// Supported living's outcome measures: "I and We" statements, each the % of people surveyed
/// who agree, with their targets.
const std::vector<Kpi>& default_supported_living_kpis();
/// Checks a KPI set on its own: ids 1..64 characters and unique, names given, targets 0..100.
/// Empty = valid.
std::string validate_kpis(const std::vector<Kpi>&);

/// A quarter of a calendar year: year × 4 + (quarter − 1), so consecutive quarters are
/// consecutive integers. Q1 is January to March.
using Quarter = std::int32_t;
/// "2026-Q3" → its Quarter; nullopt unless exactly YYYY-Qn with a year 2000..2199 and n 1..4.
std::optional<Quarter> parse_quarter(std::string_view);
std::string format_quarter(Quarter);
Quarter quarter_of(Date);
Date quarter_first_day(Quarter);
Date quarter_last_day(Quarter);

/// A percentage reported for one KPI, in hundredths (72.5% = 7250).
struct KpiValue {
  std::string kpi;
  int value_x100 = 0;
  bool operator==(const KpiValue&) const = default;
};

/// One quarterly KPI return of a location under a DPS, as the provider submitted it. A later
/// return for the same DPS and quarter amends it: the latest counts, every one is kept.
struct KpiReturn {
  int dps = -1;
  Quarter quarter = 0;
  std::vector<KpiValue> values;  ///< every KPI of the DPS's set then, in its order
  std::vector<Kpi> kpis;         ///< the set as it was: targets are judged as submitted
  std::string notes;
  std::string submitted_by;  ///< the provider's principal name
  UtcMillis submitted_at = 0;
  Date submitted_on = 0;
  int amends = 0;  ///< the number of the return (per location, 1-based) it replaces; 0 = none
  bool operator==(const KpiReturn&) const = default;
};

/// One KPI of a return judged against its target.
struct KpiResult {
  Kpi kpi;
  int value_x100 = 0;
  bool met = false;  ///< value ≥ target
  bool operator==(const KpiResult&) const = default;
};
/// A return judged: each KPI met or missed, and compliance = % of KPIs met, in hundredths
/// rounded half up (3 of 4 = 7500; 2 of 3 = 6667).
struct KpiCompliance {
  std::vector<KpiResult> results;
  int met = 0;
  int compliance_x100 = 0;
  bool operator==(const KpiCompliance&) const = default;
};
KpiCompliance kpi_compliance(const KpiReturn&);
/// Compliance as the quality score takes it: whole points 0..100, rounded half up (66.67 → 67).
int kpi_points(const KpiCompliance&);

/// Where a location stands in its KPI return cycle under a DPS on a day. A quarter's return is
/// due `due_days` after the quarter ends; the quarters owed are those ending on or after the day
/// the location applied to the DPS.
struct KpiReturnDue {
  Quarter last_returned = 0;   ///< the latest quarter with a return; 0 = none
  int last_number = 0;         ///< that quarter's counting return (per location, 1-based); 0 = none
  Quarter owed = 0;            ///< the latest quarter whose due date has passed; 0 = none yet
  Date owed_due = 0;           ///< its due date
  bool overdue = false;        ///< `owed` has no return
  Quarter next = 0;            ///< the next quarter to return (the earliest without a return that is not yet due)
  Date next_due = 0;
  bool operator==(const KpiReturnDue&) const = default;
};

}  // namespace carebroker::engine
