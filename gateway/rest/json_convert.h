// JSON ⇄ engine values for the REST API. Requests: strict conversions of request bodies into
// commands' values (DPS configuration, categories, packages and the person, quality-input
// patches, membership terms), problems returned as JsonStatus values. Responses: the officer's
// package view with every explanation, package and location list rows, location detail (quality
// score and RAG, from Market::quality_of / risk_of) and DPS configuration. Field names follow
// schemas/journal.fbs; money is integer pence, durations milliseconds, dates "YYYY-MM-DD",
// instants ISO-8601 UTC plus a Europe/London display string.
//
// Called by the REST router: request conversions on the I/O thread; response conversions inside
// a MarketService read, on a replica's thread (they read the Market). Pure functions; the
// Market they read must not change meanwhile (the sequencer guarantees it).
#pragma once

#include <string>
#include <vector>

#include "engine/market/commands.h"
#include "engine/market/market.h"
#include "engine/person/person_access.h"
#include "gateway/rest/json_reader.h"

namespace carebroker::gateway::rest {

// ---- requests: JSON → engine values ----

/// A whole DPS configuration; absent policies and fields take the documented defaults
/// (engine/market/config.h). `code` may be absent (the router fills it from the path).
JsonStatus dps_config_from_json(const json::value&, engine::DpsConfig&);
/// {code, name}.
JsonStatus category_from_json(const json::value&, engine::Category&);
/// The package spec fields plus "person": {name, address, postcode, case_reference} (in clear:
/// the route seals it before the market sees it). The officer
/// is not a field: the router fills it from the caller's token.
JsonStatus package_from_json(const json::value&, engine::PackageSpec&, engine::PersonDetails&);
/// The UpdateQualityInputs patch (the location comes from the path); absent fields stay as they
/// are. self_assessment -1 clears it.
JsonStatus quality_patch_from_json(const json::value&, engine::UpdateQualityInputs&);

/// An enrolment: lots, categories, zones, tier and capacity (and the DPS, when `with_dps`).
struct MembershipTerms {
  std::string dps;
  std::vector<std::string> lots, categories, zones;
  std::string tier;
  int capacity = 0;
};
JsonStatus membership_terms_from_json(const json::value&, bool with_dps, MembershipTerms&);

// ---- responses: engine values → JSON ----

/// "2026-11-23T09:00:00.000Z"; "" for 0.
std::string iso_utc(engine::UtcMillis);
/// Adds `key` (ISO-8601 UTC) and `key`_london ("2026-11-23 09:00 GMT"); both null when 0.
void put_time(json::object&, std::string_view key, engine::UtcMillis);

json::object dps_config_json(const engine::DpsConfig&);
/// A DPS's assessment framework: its domains and standards (the default PAMMS ones when it names
/// none, with "default_framework": true) and the PAMMS rating rule.
json::object assessment_framework_json(const engine::AssessmentFramework&);
/// A KPI set: [{"id", "name", "target_pct", "kind"}, …] (json_views.cpp).
json::array kpis_json(const std::vector<engine::Kpi>&);
/// A lot's cost model inputs, or null when the lot has none (fair_cost_routes.cpp).
json::value cost_model_json(const engine::CostModel&);
/// A lot's fair cost: its source, the figure, the abnormally-low threshold, and with a cost model
/// the suggested ceiling and the breakdown line by line (fair_cost_routes.cpp).
json::object fair_cost_json(const engine::DpsConfig&, const engine::Lot&);
/// A location's CQC rating history, oldest first (cqc_import_routes.cpp).
json::value cqc_history_json(const std::vector<engine::CqcRatingRecord>&);
/// A location's imported FSA rating: {rating, rated_on, fhrsid, import, row}, or null when none
/// was imported (fsa_import_routes.cpp).
json::value fsa_rating_json(const engine::FsaRatingRecord&);
/// The officer's view: the package, status, tier, closes_at, person, the ranking with every
/// offer's explanation, exclusions with rule and detail, invited locations, shortlist, award.
/// `person`: the package's person as released (person_access.h): "person" is {"status", and the
/// details when available}.
json::object officer_package_json(const engine::Market&, const engine::OfficerPackageView&,
                                  const person::ReleasedPerson& released);
/// One row of the package list.
json::object package_row_json(const engine::Market&, const engine::Package&);
/// One row of the location list; with `dps` >= 0 it carries that membership, quality and RAG.
json::object location_row_json(const engine::Market&, engine::LocationIndex, int dps);
/// A location with its provider, quality inputs and, per DPS, membership, quality score (with
/// explanation and provisional flag) and RAG with reasons.
json::object location_detail_json(const engine::Market&, engine::LocationIndex);

// ---- a package's home-care order terms (json_home_care_order.cpp) ----

/// "schedule" (calls per weekday), "end_date", "funder" (422 unknown_funder for a name that is
/// none) and "funding" shares; with shares and no "funder", the funder is their summary.
void read_order_terms(ObjectReader&, engine::PackageSpec&, JsonStatus&);
/// {"monday": [{"at": "07:30", "minutes": 45, "carers": 2}], …}: only days with calls.
json::object schedule_json(const std::vector<engine::VisitCall>&);
/// The package's schedule (null without one), end_date, funding shares (100% `funder` when
/// posted without shares) and weekly_hours {carer, person} (null outside an hours lot).
void put_order_terms(json::object&, const engine::Market&, const engine::Package&);
/// An offer's weekly_value at `price`, its must-meet confirmations and the location's
/// explanation of an abnormally low offer (provider_explanation, or null).
void put_offer_order_terms(json::object&, const engine::Market&, const engine::Package&, engine::LocationIndex,
                           engine::Pence price);
/// "schedule": {"monday": [{"at": "07:30", "minutes": 45, "carers": 2}], …} into `calls` (left as
/// it is when the field is absent).
void read_schedule(ObjectReader&, std::vector<engine::VisitCall>& calls, JsonStatus&);
/// The officer's amendments of the package, in order: number, previous and new start date and
/// weekly quantity, whether the schedule changed, notes, officer, at.
json::array amendments_json(const engine::Package&);
/// The officer's decisions on the package, in order (issue 13): what (held, released, cancelled,
/// direct_payment, persons_choice), at, by (the token's user), reason.
json::array decisions_json(const engine::Package&);
/// The package's clarification questions, in order, with who asked (staff only) and the answer.
json::array questions_json(const engine::Market&, const engine::Package&);
/// The spot purchase recorded after the package went unsourced, or null.
json::value spot_purchase_json(const engine::Market&, const engine::Package&);

/// Compact JSON text, with numbers as people write them ("66.5", not Boost's "6.65E1").
std::string to_text(const json::value&);

/// Stable names of every value of the enums the API filters on.
const std::vector<engine::PackageStatus>& all_package_statuses();
const std::vector<engine::MembershipStatus>& all_membership_statuses();

}  // namespace carebroker::gateway::rest
