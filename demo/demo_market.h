// The demonstration market: Birmingham's and Solihull's real home-care locations (CQC data,
// Open Government Licence) admitted to two demonstration DPSs — home care in tiers and zones,
// and a strict all-at-once supported-living DPS — as the commands an administrator would send.
// Used by the demo program and, later, the server's first start. Pure: reads files only.
#pragma once

#include <string>
#include <vector>

#include "engine/market/commands.h"

namespace carebroker::demo {

inline constexpr const char* kHomeCareDps = "home-care";
inline constexpr const char* kSupportedLivingDps = "ld-autism-supported-living";

struct DemoMarket {
  std::vector<engine::Command> commands;  ///< configuration, then providers and admissions
  std::string error;                      ///< empty when the data was read
  int providers = 0;
  int locations = 0;
};

/// Builds the demonstration market from `data_dir` (holding cqc/…csv and zones.csv).
DemoMarket demo_market(const std::string& data_dir, engine::UtcMillis start);

/// CQC "service user bands" → our category codes ("Older People" → older_people); empty when
/// the band is not a category of these DPSs.
std::vector<std::string> categories_for_band(const std::string& band);
/// CQC overall rating text → rating ("Not Rated" and blank → none).
engine::CqcRating cqc_rating_from_text(const std::string& text);

}  // namespace carebroker::demo
