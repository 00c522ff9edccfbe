// The market carebroker-load's server starts with: one DPS ("load", lot "hc"), one provider and
// one location per offer connection (P<i>/L<i>), and --packages open packages that every offer
// location is invited to (ids 1..packages: the offers target exactly these, so they are open
// for the whole run). When posting, zone "post" (district B2) is served by the first
// --post-locations locations — the offer locations first, then listening-only ones — so a
// package posted there is broadcast to exactly post_locations locations. Builds commands; each
// package's person is sealed with a new key of `keys` (the server's key store, opened on its data
// directory before the server starts), as the gateway would.
#pragma once

#include <string>
#include <vector>

#include "engine/market/commands.h"
#include "engine/person/person_keys.h"
#include "sim/load_options.h"

namespace carebroker::sim {

inline constexpr const char* kLoadDps = "load";
inline constexpr const char* kPostZone = "post";
inline constexpr const char* kPostDistrict = "B2";

inline std::string provider_id(int i) { return "P" + std::to_string(i); }
inline std::string location_id(int i) { return "L" + std::to_string(i); }

/// The first-start commands of the load server, its clock reading `now`.
std::vector<engine::Command> synthetic_market(const LoadOptions& options, engine::UtcMillis now,
                                             person::PersonKeys& keys);

}  // namespace carebroker::sim
