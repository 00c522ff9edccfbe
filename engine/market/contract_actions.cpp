// Contract actions: names, and the one table of status changes an officer may make.
#include "engine/market/contract_actions.h"

#include <array>

namespace carebroker::engine {
namespace {

constexpr std::array<std::string_view, 5> kKindNames = {"improvement_plan", "default_notice", "special_measures_plan",
                                                        "suspension", "termination"};
constexpr std::array<std::string_view, 4> kStatusNames = {"in_force", "complied", "escalated", "withdrawn"};

template <typename E, std::size_t N>
std::optional<E> parse_name(const std::array<std::string_view, N>& names, std::string_view s) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == s) return static_cast<E>(i);
  return std::nullopt;
}

}  // namespace

std::string_view to_string(ContractActionKind k) { return kKindNames[static_cast<std::size_t>(k)]; }
std::optional<ContractActionKind> parse_contract_action_kind(std::string_view s) {
  return parse_name<ContractActionKind>(kKindNames, s);
}
std::string_view to_string(ContractActionStatus s) { return kStatusNames[static_cast<std::size_t>(s)]; }
std::optional<ContractActionStatus> parse_contract_action_status(std::string_view s) {
  return parse_name<ContractActionStatus>(kStatusNames, s);
}

Code contract_status_change(ContractActionKind kind, ContractActionStatus from, ContractActionStatus to) {
  using S = ContractActionStatus;
  if (from != S::in_force) return Code::contract_action_closed;  // complied, escalated, withdrawn are final
  switch (to) {
    case S::in_force:  // a new review date, owner or note
    case S::withdrawn: return Code::ok;
    case S::complied:  // a termination is not "complied with": it is withdrawn or it stands
      return kind == ContractActionKind::termination ? Code::invalid_status_change : Code::ok;
    case S::escalated: return Code::invalid_status_change;  // issue the next action with `escalates`
  }
  return Code::invalid_status_change;
}

}  // namespace carebroker::engine
