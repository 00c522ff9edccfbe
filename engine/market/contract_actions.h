// Contract actions: what a council does under a provider's contract for one DPS when the service
// falls short — improvement plan, default notice, special-measures plan, suspension, termination
// (DOMAIN.md: "actions escalate") — each with its start, review date, owner, status and notes,
// and every later change kept as history. They are held by the provider (Provider::
// contract_actions), numbered 1, 2, … per provider, so they travel in its snapshot and digest.
//
// What they do: a default notice in force under any contract makes every location of the
// provider Red in the early warning (quality.cpp); a suspension in force excludes the provider's
// locations from that DPS's new broadcasts (eligibility.cpp, ExclusionRule::contract_suspended);
// a termination ends the contract under that DPS (Provider::terminated_in) until it is withdrawn.
// Improvement and special-measures plans are recorded and reviewed; they bar nothing.
// The status changes allowed are one table (contract_status_change in contract_actions.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/market/codes.h"
#include "engine/market/types.h"

namespace carebroker::engine {

/// In escalation order: a later kind may escalate an earlier one.
enum class ContractActionKind : std::uint8_t { improvement_plan, default_notice, special_measures_plan, suspension, termination };
std::string_view to_string(ContractActionKind);
std::optional<ContractActionKind> parse_contract_action_kind(std::string_view);

/// in_force until it is complied with (closed as met), escalated (a later action took it over)
/// or withdrawn (rescinded, e.g. on appeal).
enum class ContractActionStatus : std::uint8_t { in_force, complied, escalated, withdrawn };
std::string_view to_string(ContractActionStatus);
std::optional<ContractActionStatus> parse_contract_action_status(std::string_view);

/// One change of an action after it was issued, as the history keeps it.
struct ContractActionUpdate {
  UtcMillis at = 0;
  ContractActionStatus status = ContractActionStatus::in_force;  ///< the status after the change
  Date review_date = 0;
  std::string owner;
  std::string notes;  ///< what changed and why
  std::string by;     ///< the acting user (appended, issue 13; "" in older journals)
  bool operator==(const ContractActionUpdate&) const = default;
};

struct ContractAction {
  int id = 0;   ///< 1, 2, … within its provider
  int dps = -1;
  ContractActionKind kind = ContractActionKind::improvement_plan;
  ContractActionStatus status = ContractActionStatus::in_force;
  UtcMillis issued_at = 0;
  Date start_date = 0;
  Date review_date = 0;  ///< 0 = none (a termination needs none)
  std::string owner;     ///< the council officer who owns it
  std::string notes;
  int escalates = 0;     ///< the earlier action of this provider it took over, 0 = none
  std::vector<ContractActionUpdate> history;
  std::string issued_by;  ///< who issued it (ContractActionIssued::by)
  bool operator==(const ContractAction&) const = default;
  bool in_force() const { return status == ContractActionStatus::in_force; }
};

/// Whether an action of `kind` may move from `from` to `to` by an officer's update (the same
/// status: only the review date, owner or notes change). `escalated` is never set by hand: it is
/// what issuing the next action with `escalates` does. Code::ok, or why not.
Code contract_status_change(ContractActionKind kind, ContractActionStatus from, ContractActionStatus to);

}  // namespace carebroker::engine
