// What a REST route handler gets (the request, the caller, path and query parameters, the parsed
// body) and the shared ways to answer: run a command, run a read, reply JSON or an error.
// Internal to gateway/rest (router.cpp, location_routes.cpp, package_routes.cpp,
// placement_routes.cpp).
// A RestContext lives for one synchronous call of a handler on the I/O thread; callbacks given
// to MarketService capture only values (never the context).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/rest/json_convert.h"
#include "gateway/rest/router.h"

namespace carebroker::gateway::rest {

struct RestContext {
  const HttpRequest& request;
  TokenStore& tokens;
  MarketService& market;
  Respond respond;
  Principal principal;  ///< the caller (default for unauthenticated routes)
  std::vector<std::pair<std::string, std::string>> params;  ///< from the path template
  std::vector<std::pair<std::string, std::string>> query;
  json::value body;  ///< the parsed body ({} when empty or for GET)
  engine::CommandKey key;  ///< the caller and its Idempotency-Key (key empty: none sent)

  const std::string& param(std::string_view name) const;
  /// The query parameter's value; nullptr when absent.
  const std::string* query_value(std::string_view name) const;
};

HttpResponse json_response(int status, const json::value& body);
/// 503 overloaded with Retry-After: the command or read queue is full.
HttpResponse overloaded();
void reply_error(const Respond&, const JsonStatus&);

/// Runs a command, with the request's Idempotency-Key when it sent one. Rejected → its
/// http_status and code; not persisted → 503 store_unavailable; queue full → 503 overloaded;
/// ok → `success_status` with {"ok":true} plus what `fill` adds. A keyed retry answered from the
/// market's record gets the same status and body, plus "replayed": true.
void run_command(RestContext&, engine::Command, int success_status,
                 std::function<void(const engine::Reply&, json::object&)> fill = {});
/// A success response of a command: status, JSON body and extra headers.
struct CommandSuccess {
  int status = 200;
  json::object body;
  std::vector<std::pair<std::string, std::string>> headers;
};
/// The same, with the whole success response built by `success`. `not_done`, when given, is
/// called when the command did not happen (refused, not persisted, or the queue full).
void run_command_with(RestContext&, engine::Command, std::function<CommandSuccess(const engine::Reply&)> success,
                      std::function<void()> not_done = {});
/// The same, after the handler has returned (its context gone): what it needs, by value.
void run_command_with(MarketService&, const engine::CommandKey&, const Respond&, engine::Command,
                      std::function<CommandSuccess(const engine::Reply&)> success, std::function<void()> not_done = {});
/// Runs `read` with the market on a replica (never the writer) and replies what it built once everything
/// it saw is durable (503 not_durable otherwise).
void run_read(RestContext&, std::function<HttpResponse(const engine::Market&)> read);

/// `text` as a whole decimal number in [min, max]: digits only — no sign, space, fraction,
/// exponent or leading zero (so a resource has one URL, and "01", "+1", "1.0" and "1e3" are not
/// numbers here); false when it is not one or is out of range (overflow included).
bool whole_number(std::string_view text, std::int64_t min, std::int64_t max, std::int64_t& out);

/// Runs `read` on the location {id} on a replica. A provider reads its own locations only: any
/// other, existing or not, is 403 forbidden (it learns nothing of other providers' locations);
/// staff get 404 unknown_location for one that does not exist. `staff`: the caller is not a
/// provider (location_routes.cpp).
void read_location(RestContext&,
                   std::function<HttpResponse(const engine::Market&, engine::LocationIndex, bool staff)> read);

/// The {id} of /packages/{id}/…; false (and a 404 unknown_package sent) when it is not a package
/// number.
bool package_id(RestContext&, engine::PackageId&);
/// Runs a command about a package: 200 with {"ok":true,"package":N}.
void run_package_command(RestContext&, engine::Command);

/// ?page= and ?page_size=.
struct Page {
  int page = 1;
  int size = kDefaultPageSize;
  std::size_t first() const { return static_cast<std::size_t>(page - 1) * static_cast<std::size_t>(size); }
};
JsonStatus read_page(const RestContext&, Page&);
/// {"items":[…], "page", "page_size", "total"}.
json::object page_json(json::array items, std::size_t total, const Page&);

/// Reads a body of plain fields with `read`, then refuses unknown fields; replies the error and
/// returns false when the body is wrong.
bool read_body(RestContext&, const std::function<void(ObjectReader&)>& read);

// Handlers (one per route).
void get_healthz(RestContext&);
void get_readyz(RestContext&);
void get_me(RestContext&);
void post_token(RestContext&);           // token_routes.cpp
void list_tokens(RestContext&);
void delete_token(RestContext&);
void post_token_rotation(RestContext&);
void list_dps(RestContext&);
void get_dps(RestContext&);
void put_dps(RestContext&);
void post_category(RestContext&);
void put_calendar(RestContext&);
void post_provider(RestContext&);
void put_provider_status(RestContext&);
void post_backup(RestContext&);

void post_location(RestContext&);
void list_locations(RestContext&);
void get_location(RestContext&);
void post_application(RestContext&);
void post_assessment_extension(RestContext&);
void post_admission(RestContext&);
void put_membership(RestContext&);
void put_declared_capacity(RestContext&);
void post_refusal(RestContext&);
void post_suspension(RestContext&);
void post_reinstatement(RestContext&);
void post_exit(RestContext&);
void patch_quality(RestContext&);

void post_package(RestContext&);
void list_packages(RestContext&);
void get_package(RestContext&);
void post_hold(RestContext&);
void post_release(RestContext&);
void post_cancel(RestContext&);
void post_direct_payment(RestContext&);
void post_abnormally_low_decision(RestContext&);
void post_persons_choice(RestContext&);
void post_person_erasure(RestContext&);  // person_routes.cpp
void post_spot_purchase(RestContext&);   // spot_purchase_routes.cpp
void list_spot_purchases(RestContext&);  // spot_purchase_routes.cpp
void post_amendment(RestContext&);       // competition_routes.cpp
void list_questions(RestContext&);       // competition_routes.cpp
void post_answer(RestContext&);          // competition_routes.cpp
void get_what_if(RestContext&);          // what_if_routes.cpp

void post_contract_action(RestContext&);
void post_contract_action_update(RestContext&);
void list_provider_contract_actions(RestContext&);
void list_contract_actions(RestContext&);

// Live placements (placement_routes.cpp).
void list_placements(RestContext&);
void list_capacity(RestContext&);
void get_placement(RestContext&);
void post_planned_end(RestContext&);
void post_placement_end(RestContext&);
void post_variation(RestContext&);
void post_variation_to_market(RestContext&);

// Market intelligence (issue 12).
void get_fair_cost(RestContext&);  // fair_cost_routes.cpp
void post_cqc_import(RestContext&);   // cqc_import_routes.cpp
void list_cqc_imports(RestContext&);  // cqc_import_routes.cpp
void get_cqc_import(RestContext&);    // cqc_import_routes.cpp
void post_fsa_import(RestContext&);   // fsa_import_routes.cpp
void list_fsa_imports(RestContext&);  // fsa_import_routes.cpp
void get_fsa_import(RestContext&);    // fsa_import_routes.cpp
void get_early_warning(RestContext&);  // early_warning_routes.cpp
/// A location's early-warning record (early_warning_routes.cpp): its RAG and reasons under each
/// DPS it belongs to (`dps` only, when >= 0), and its RAG changes and input entries dated
/// `from`..`to` (London dates; 0 = unbounded). `staff` adds who made each entry and its evidence.
json::object early_warning_json(const engine::Market&, engine::LocationIndex, int dps, engine::Date from,
                                engine::Date to, bool staff);
void get_report(RestContext&);        // report_routes.cpp
// Assessment cycles (assessment_routes.cpp).
void post_self_assessment(RestContext&);
void get_self_assessments(RestContext&);
void post_self_assessment_validation(RestContext&);
void post_pamms_assessment(RestContext&);
void list_dps_self_assessments(RestContext&);
// KPIs (kpi_routes.cpp).
void post_kpi_return(RestContext&);
void get_kpi_returns(RestContext&);
void list_dps_kpi_returns(RestContext&);
void get_kpi_compliance(RestContext&);

}  // namespace carebroker::gateway::rest
