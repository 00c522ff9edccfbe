// Result codes of market commands: `ok` or a rejection with a stable, machine-readable name.
// A rejection is a reply value, never journaled and never an exception; the gateway maps each
// code to an HTTP status or an error frame. Names are part of the public API: never rename one.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace carebroker::engine {

#define CAREBROKER_CODES(X)                                                                        \
  X(ok)                                                                                            \
  /* identity and idempotency */                                                                   \
  X(request_id_missing)                                                                            \
  X(request_id_reused)                                                                             \
  /* configuration */                                                                              \
  X(invalid_config)                                                                                \
  X(unknown_category)                                                                              \
  X(unknown_dps)                                                                                   \
  X(unknown_lot)                                                                                   \
  X(unknown_zone)                                                                                  \
  X(unknown_tier)                                                                                  \
  X(unknown_postcode_district)                                                                     \
  X(invalid_date)                                                                                  \
  X(clock_moved_backwards)                                                                         \
  /* providers, locations and DPS membership */                                                    \
  X(unknown_provider)                                                                              \
  X(unknown_location)                                                                              \
  X(provider_exists)                                                                               \
  X(location_exists)                                                                               \
  X(location_not_of_provider)                                                                      \
  X(provider_not_member_of_dps)                                                                    \
  X(already_applied)                                                                               \
  X(not_applied)                                                                                   \
  X(not_under_assessment)                                                                          \
  X(not_admitted)                                                                                  \
  X(not_suspended)                                                                                 \
  X(assessment_already_extended)                                                                   \
  X(invalid_quality_input)                                                                         \
  X(invalid_capacity)                                                                              \
  /* packages */                                                                                   \
  X(unknown_package)                                                                               \
  X(invalid_package)                                                                               \
  X(no_route_for_package)                                                                          \
  X(visit_pattern_mismatch)                                                                        \
  X(package_not_open)                                                                              \
  X(package_not_on_hold)                                                                           \
  X(package_closed)                                                                                \
  X(package_not_placed)                                                                            \
  /* offers */                                                                                     \
  X(not_broadcast_to_location)                                                                     \
  X(location_excluded)                                                                             \
  X(offer_after_close)                                                                             \
  X(price_not_positive)                                                                            \
  X(price_outside_rate_band)                                                                       \
  X(price_above_package_ceiling)                                                                   \
  X(must_meet_not_confirmed)                                                                       \
  X(start_date_infeasible)                                                                         \
  X(offer_exists)                                                                                  \
  X(no_offer)                                                                                      \
  X(not_shortlisted)                                                                               \
  X(best_and_final_must_improve)                                                                   \
  X(notes_too_long)                                                                                \
  /* award */                                                                                      \
  X(no_award_pending)                                                                              \
  X(award_not_for_location)                                                                        \
  X(not_abnormally_low)                                                                            \
  X(decision_already_made)                                                                         \
  X(reason_required)                                                                               \
  /* identity and idempotency (appended: REST Idempotency-Key) */                                  \
  X(invalid_idempotency_key)                                                                       \
  /* home-care orders (appended): schedule, end date, funding, must-meet one by one */            \
  X(schedule_invalid_call)                                                                         \
  X(schedule_call_length)                                                                          \
  X(schedule_call_past_midnight)                                                                   \
  X(schedule_calls_overlap)                                                                        \
  X(end_date_before_start)                                                                         \
  X(unknown_funder)                                                                                \
  X(funding_share_not_100)                                                                         \
  X(funder_mismatch)                                                                               \
  X(unknown_must_meet)                                                                             \
  /* abnormally low offers explained, and after unsourced (appended) */                           \
  X(explanation_required)                                                                          \
  X(package_not_unsourced)                                                                         \
  X(spot_purchase_already_recorded)                                                                \
  /* contract actions (appended) */                                                                \
  X(unknown_contract_action)                                                                       \
  X(contract_action_closed)                                                                        \
  X(invalid_status_change)                                                                         \
  X(contract_action_in_force)                                                                      \
  X(escalation_not_allowed)                                                                        \
  X(owner_required)                                                                                \
  X(review_date_required)                                                                          \
  X(review_date_in_past)                                                                           \
  /* live placements (appended) */                                                                 \
  X(no_placement)                                                                                  \
  X(placement_ended)                                                                               \
  X(placement_handed_back)                                                                         \
  X(invalid_end_reason)                                                                            \
  X(invalid_variation)                                                                             \
  X(variation_pending)                                                                             \
  X(no_variation_pending)                                                                          \
  /* during a mini-competition: amendments and clarification questions (appended) */             \
  X(nothing_to_amend)                                                                              \
  X(unknown_question)                                                                              \
  X(question_already_answered)                                                                     \
  X(too_many_questions)                                                                            \
  X(question_required)                                                                             \
  X(answer_required)                                                                               \
  /* market intelligence (appended, issue 12) */                                                   \
  X(invalid_cost_model)                                                                            \
  X(invalid_cqc_file)                                                                              \
  X(cqc_columns_missing)                                                                           \
  X(unknown_cqc_import)                                                                            \
  /* early-warning history (appended, issue 12 item 3) */                                         \
  X(entry_date_in_future)                                                                          \
  X(entry_before_registration)                                                                     \
  X(evidence_too_long)                                                                             \
  /* assessment cycles (appended, issue 12 item 1) */                                              \
  X(unknown_standard)                                                                              \
  X(standard_not_scored)                                                                           \
  X(invalid_assessment_score)                                                                      \
  X(unknown_assessment_domain)                                                                     \
  X(domain_not_scored)                                                                             \
  X(duplicate_assessment_item)                                                                     \
  X(unknown_self_assessment)                                                                       \
  X(self_assessment_already_validated)                                                             \
  X(assessment_date_in_future)                                                                     \
  /* KPIs (appended, issue 12 item 4) */                                                           \
  X(invalid_quarter)                                                                               \
  X(quarter_in_future)                                                                             \
  X(unknown_kpi)                                                                                   \
  X(kpi_not_reported)                                                                              \
  X(duplicate_kpi)                                                                                 \
  X(invalid_kpi_value)                                                                             \
  /* FSA hygiene-rating imports (appended, issue 12 item 2) */                                    \
  X(invalid_fsa_file)                                                                              \
  X(fsa_columns_missing)                                                                           \
  X(unknown_fsa_import)                                                                            \
  /* personal data (appended, issue 13) */                                                         \
  X(person_not_sealed)                                                                             \
  X(person_already_erased)

enum class Code : std::uint8_t {
#define CAREBROKER_CODE_ENUM(name) name,
  CAREBROKER_CODES(CAREBROKER_CODE_ENUM)
#undef CAREBROKER_CODE_ENUM
};

/// The stable name of a code, e.g. "offer_after_close".
std::string_view to_string(Code);

/// A command's answer at the engine boundary: ok, or a rejection code with a specific detail
/// that says what was wrong ("price 0 is not a positive number of pence").
struct [[nodiscard]] Status {
  Code code = Code::ok;
  std::string detail;

  bool ok() const { return code == Code::ok; }
  bool operator==(const Status&) const = default;
};

inline Status reject(Code code, std::string detail) { return Status{code, std::move(detail)}; }

}  // namespace carebroker::engine
