// JSON for live placements (REST): one placement, the "who is affected" list with totals per
// provider, and declared capacity against placed hours. Field names follow
// engine/market/placement.h; money is integer pence, hours as numbers of hours (minutes / 60),
// dates "YYYY-MM-DD". Called inside a MarketService read, on a replica's thread.
#pragma once

#include "engine/market/market.h"
#include "gateway/rest/json_reader.h"

namespace carebroker::gateway::rest {

/// A placement: location, rate, start, hours and visits, status, scheduled end and why, the
/// hand-back and its replacement, a pending variation, and how it ended.
json::object placement_json(const engine::Market&, const engine::Placement&);
/// One row of "who is affected": where, what, hours a week (the person's and carers') and value.
json::object placement_row_json(const engine::PlacementRow&);
/// A provider's totals: people, hours a week, weekly value.
json::object provider_exposure_json(const engine::ProviderExposure&);
/// A location's declared capacity, hours placed, and whether it is at capacity.
json::object capacity_row_json(const engine::CapacityRow&);

}  // namespace carebroker::gateway::rest
