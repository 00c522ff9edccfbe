// The admission life cycle of a location's membership of a DPS, as one transition table:
//
//   (no application) ─apply─▶ under_assessment ─admit──▶ admitted ◀─reinstate─ suspended
//   refused, exited  ─apply─▶        │ ▲                  │  │  └────suspend────────▲
//                                    │ └─extend (once)     │  └─update terms (stays)
//                                    └─refuse─▶ refused    └──────exit──▶ exited ◀── (suspended too)
//
// For each action: the states it may start from (None = no application yet), the state it
// leads to (nullopt = unchanged), and the rejection when it may not — so every handler in
// market_registry.cpp asks this table, and a test walks it whole. Pure data; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/market/codes.h"
#include "engine/market/provider.h"

namespace carebroker::engine {

enum class AdmissionAction : std::uint8_t { apply, extend, admit, update_terms, refuse, suspend, reinstate, exit };
std::string_view to_string(AdmissionAction);
inline constexpr AdmissionAction kAdmissionActions[] = {
    AdmissionAction::apply,  AdmissionAction::extend,  AdmissionAction::admit,     AdmissionAction::update_terms,
    AdmissionAction::refuse, AdmissionAction::suspend, AdmissionAction::reinstate, AdmissionAction::exit};

struct AdmissionTransition {
  AdmissionAction action;
  bool from_none = false;           ///< may start with no application
  std::uint8_t from = 0;            ///< bit per MembershipStatus it may start from
  std::optional<MembershipStatus> to;  ///< nullopt: the status stays
  bool needs_reason = false;
  Code refused_without_application;  ///< the code when there is no application
  Code refused_otherwise;            ///< the code from any other state
};

/// The row of `action`.
const AdmissionTransition& admission_transition(AdmissionAction action);

/// May `action` start from `current` (nullptr = no application)? ok, or the rejection naming
/// the location, the DPS and the status it is in.
Status admission_allows(AdmissionAction action, const Membership* current, std::string_view location,
                        std::string_view dps);

}  // namespace carebroker::engine
