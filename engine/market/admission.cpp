// The admission transition table (admission.h).
#include "engine/market/admission.h"

namespace carebroker::engine {
namespace {

constexpr std::uint8_t bit(MembershipStatus s) { return static_cast<std::uint8_t>(1U << static_cast<unsigned>(s)); }

using enum MembershipStatus;
using A = AdmissionAction;

// One row per action; the order of kAdmissionActions.
constexpr AdmissionTransition kTable[] = {
    {A::apply, true, bit(refused) | bit(exited), under_assessment, false, Code::ok, Code::already_applied},
    {A::extend, false, bit(under_assessment), std::nullopt, false, Code::not_applied, Code::not_under_assessment},
    {A::admit, false, bit(under_assessment), admitted, false, Code::not_applied, Code::not_under_assessment},
    {A::update_terms, false, bit(admitted) | bit(suspended), std::nullopt, false, Code::not_admitted, Code::not_admitted},
    {A::refuse, false, bit(under_assessment), refused, true, Code::not_under_assessment, Code::not_under_assessment},
    {A::suspend, false, bit(admitted), suspended, true, Code::not_admitted, Code::not_admitted},
    {A::reinstate, false, bit(suspended), admitted, false, Code::not_suspended, Code::not_suspended},
    {A::exit, false, bit(admitted) | bit(suspended), exited, true, Code::not_admitted, Code::not_admitted},
};
static_assert(std::size(kTable) == std::size(kAdmissionActions));

}  // namespace

std::string_view to_string(AdmissionAction a) {
  switch (a) {
    case A::apply: return "apply";
    case A::extend: return "extend";
    case A::admit: return "admit";
    case A::update_terms: return "update_terms";
    case A::refuse: return "refuse";
    case A::suspend: return "suspend";
    case A::reinstate: return "reinstate";
    case A::exit: return "exit";
  }
  return "unknown";
}

const AdmissionTransition& admission_transition(AdmissionAction action) {
  return kTable[static_cast<std::size_t>(action)];
}

Status admission_allows(AdmissionAction action, const Membership* current, std::string_view location,
                        std::string_view dps) {
  const AdmissionTransition& t = admission_transition(action);
  const std::string where = std::string(location) + " in " + std::string(dps);
  if (!current)
    return t.from_none ? Status{}
                       : reject(t.refused_without_application,
                                std::string(location) + " has not applied to " + std::string(dps) + " (" +
                                    std::string(to_string(action)) + " needs " +
                                    (t.refused_without_application == Code::not_applied ? "an application"
                                                                                        : "a membership") +
                                    ")");
  if ((t.from & bit(current->status)) == 0)
    return reject(t.refused_otherwise, "cannot " + std::string(to_string(action)) + ": " + where + " is " +
                                           std::string(to_string(current->status)));
  return {};
}

}  // namespace carebroker::engine
