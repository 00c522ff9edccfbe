// Engine rejection codes → HTTP statuses, and the JSON error body. No Boost.JSON here: the
// WebSocket side links this too, and the error body is two strings.
#include "gateway/error_codes.h"

#include "gateway/http_types.h"

namespace carebroker::gateway {

int http_status(engine::Code code) {
  using engine::Code;
  // No default: a new code fails to compile cleanly (-Wswitch) until it is given a status here.
  switch (code) {
    case Code::ok: return 200;

    case Code::unknown_category:
    case Code::unknown_dps:
    case Code::unknown_lot:
    case Code::unknown_zone:
    case Code::unknown_tier:
    case Code::unknown_postcode_district:
    case Code::unknown_provider:
    case Code::unknown_location:
    case Code::unknown_package:
    case Code::unknown_contract_action:
    case Code::unknown_cqc_import: return 404;

    case Code::location_not_of_provider:
    case Code::not_broadcast_to_location:
    case Code::location_excluded:
    case Code::not_shortlisted:
    case Code::award_not_for_location: return 403;

    case Code::request_id_reused:
    case Code::clock_moved_backwards:
    case Code::provider_exists:
    case Code::location_exists:
    case Code::already_applied:
    case Code::provider_not_member_of_dps:
    case Code::not_applied:
    case Code::not_under_assessment:
    case Code::not_admitted:
    case Code::not_suspended:
    case Code::assessment_already_extended:
    case Code::package_not_open:
    case Code::package_not_on_hold:
    case Code::package_closed:
    case Code::package_not_placed:
    case Code::offer_after_close:
    case Code::offer_exists:
    case Code::no_offer:
    case Code::no_award_pending:
    case Code::not_abnormally_low:
    case Code::decision_already_made:
    case Code::package_not_unsourced:
    case Code::spot_purchase_already_recorded:
    case Code::contract_action_closed:
    case Code::invalid_status_change:
    case Code::contract_action_in_force:
    case Code::escalation_not_allowed: return 409;

    case Code::request_id_missing:
    case Code::invalid_idempotency_key:
    case Code::invalid_config:
    case Code::invalid_date:
    case Code::invalid_quality_input:
    case Code::invalid_capacity:
    case Code::invalid_package:
    case Code::no_route_for_package:
    case Code::visit_pattern_mismatch:
    case Code::price_not_positive:
    case Code::price_outside_rate_band:
    case Code::price_above_package_ceiling:
    case Code::must_meet_not_confirmed:
    case Code::start_date_infeasible:
    case Code::best_and_final_must_improve:
    case Code::notes_too_long:
    case Code::reason_required:
    case Code::schedule_invalid_call:
    case Code::schedule_call_length:
    case Code::schedule_call_past_midnight:
    case Code::schedule_calls_overlap:
    case Code::end_date_before_start:
    case Code::unknown_funder:
    case Code::funding_share_not_100:
    case Code::funder_mismatch:
    case Code::unknown_must_meet:
    case Code::explanation_required:
    case Code::owner_required:
    case Code::review_date_required:
    case Code::review_date_in_past: return 422;
    // Live placements.
    case Code::no_placement:
    case Code::placement_ended:
    case Code::placement_handed_back:
    case Code::variation_pending:
    case Code::no_variation_pending: return 409;
    case Code::invalid_end_reason:
    case Code::invalid_variation: return 422;
    // During a mini-competition.
    case Code::unknown_question: return 404;
    case Code::question_already_answered:
    case Code::too_many_questions: return 409;
    case Code::nothing_to_amend:
    case Code::question_required:
    case Code::answer_required: return 422;
    // Market intelligence.
    case Code::invalid_cost_model:
    case Code::invalid_cqc_file:
    case Code::cqc_columns_missing: return 422;
    // The early-warning history.
    case Code::entry_date_in_future:
    case Code::entry_before_registration:
    case Code::evidence_too_long: return 422;
    // Assessment cycles.
    case Code::unknown_self_assessment: return 404;
    case Code::self_assessment_already_validated: return 409;
    case Code::unknown_standard:
    case Code::standard_not_scored:
    case Code::invalid_assessment_score:
    case Code::unknown_assessment_domain:
    case Code::domain_not_scored:
    case Code::duplicate_assessment_item:
    case Code::assessment_date_in_future: return 422;
    // KPIs.
    case Code::invalid_quarter:
    case Code::quarter_in_future:
    case Code::unknown_kpi:
    case Code::kpi_not_reported:
    case Code::duplicate_kpi:
    case Code::invalid_kpi_value: return 422;
    // FSA hygiene-rating imports.
    case Code::unknown_fsa_import: return 404;
    case Code::invalid_fsa_file:
    case Code::fsa_columns_missing: return 422;
    case Code::person_not_sealed: return 422;
    case Code::person_already_erased: return 409;
  }
  return 500;
}

std::string json_quote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  append_json_quoted(out, text);
  return out;
}

void append_json_quoted(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  // Runs of characters that need no escape (nearly all text) are appended whole.
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;  // UTF-8 passes through unchanged
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        out += "\\u00";
        out.push_back(hex[c >> 4]);
        out.push_back(hex[c & 15]);
    }
  }
  out.append(text.data() + run, text.size() - run);
  out.push_back('"');
}

HttpResponse error_response(int status, std::string_view code, std::string_view detail) {
  HttpResponse r;
  r.status = status;
  r.body = "{\"error\":{\"code\":" + json_quote(code) + ",\"detail\":" + json_quote(detail) + "}}";
  return r;
}

HttpResponse error_response(GatewayCode code, std::string_view detail) { return error_response(http_status(code), to_string(code), detail); }

HttpResponse error_response(engine::Code code, std::string_view detail) {
  return error_response(http_status(code), engine::to_string(code), detail);
}

}  // namespace carebroker::gateway
