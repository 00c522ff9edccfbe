// The JSON bodies the REST tests (rest_harness.h) and the HTTP fuzz target
// (fuzz/fuzz_http_request.cpp) set a small home-care market up with. No dependencies.
#pragma once

namespace carebroker::testing {

/// The home-care DPS of market_fixture.h (home_care_config()), as an administrator sends it.
inline const char* const kHomeCareJson = R"({
  "name": "Home Care and Support", "council": "Test Council",
  "lots": [{"code": "hc", "name": "Home care", "unit": "hours", "rate_min": 1800, "rate_max": 4000, "fair_cost": 3214}],
  "categories": ["older_people", "dementia", "learning_disability", "mental_health", "physical_disability"],
  "zones": [{"code": "north", "name": "North", "postcode_districts": ["B23", "B44"]},
            {"code": "central", "name": "Central", "postcode_districts": ["B11", "B12"]},
            {"code": "south", "name": "South", "postcode_districts": ["B13", "B14"]}],
  "tiers": ["tier1", "tier2", "specialist"],
  "routes": [{"name": "specialist", "when_any_category": ["learning_disability", "mental_health"], "tiers": ["specialist", "tier2"]},
             {"name": "standard", "tiers": ["tier1", "tier2"]}]
})";

/// A standard package: four 30-minute visits a day in B13 from Wednesday 25 November 2026.
inline const char* const kPackageJson = R"({
  "dps": "home-care", "lot": "hc", "categories": ["older_people"], "postcode_district": "B13",
  "quantity": 840, "visits": {"visits_per_day": 4, "minutes_per_visit": 30, "days_per_week": 7},
  "start_date": "2026-11-25", "needs": ["personal care", "medication prompts"],
  "outcomes": ["remain independent at home"],
  "person": {"name": "Ada Example", "address": "1 Test Street", "postcode": "B13 9ZZ", "case_reference": "CASE-1"}
})";

}  // namespace carebroker::testing
