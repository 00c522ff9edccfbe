// The early-warning history's entries: what changed between two sets of inputs.
#include "engine/market/early_warning.h"

#include "engine/market/calendar.h"

namespace carebroker::engine {
namespace {

std::string flag(bool on) { return on ? "true" : "false"; }

void dated(std::vector<InputChange>& out, const char* input, const std::vector<UtcMillis>& before,
           const std::vector<UtcMillis>& after) {
  // Entries are only ever appended: those past the old count are the new ones.
  for (std::size_t i = before.size(); i < after.size(); ++i)
    out.push_back({input, "", format_date(london_date(after[i]))});
}

}  // namespace

std::vector<InputChange> input_changes(const QualityInputs& a, const QualityInputs& b) {
  std::vector<InputChange> out;
  auto add = [&](const char* input, std::string from, std::string to) {
    if (from != to) out.push_back({input, std::move(from), std::move(to)});
  };
  add("cqc", std::string(to_string(a.cqc)), std::string(to_string(b.cqc)));
  add("pamms", std::string(to_string(a.pamms)), std::string(to_string(b.pamms)));
  add("self_assessment", a.self_assessment < 0 ? "" : std::to_string(a.self_assessment),
      b.self_assessment < 0 ? "" : std::to_string(b.self_assessment));
  add("fsa", std::string(to_string(a.fsa)), std::string(to_string(b.fsa)));
  add("embargo", flag(a.embargo), flag(b.embargo));
  add("embargo_reason", a.embargo_reason, b.embargo_reason);
  add("default_notice", flag(a.default_notice), flag(b.default_notice));
  add("unexpected_deaths_under_investigation", std::to_string(a.unexpected_deaths_under_investigation),
      std::to_string(b.unexpected_deaths_under_investigation));
  add("registered_manager_vacancy", flag(a.registered_manager_vacancy), flag(b.registered_manager_vacancy));
  dated(out, "safeguarding_decision", a.safeguarding_decisions, b.safeguarding_decisions);
  dated(out, "substantiated_concern", a.substantiated_concerns, b.substantiated_concerns);
  return out;
}

UtcMillis next_entry_expiry(const QualityInputs& in, int lookback_days, UtcMillis now) {
  const UtcMillis window = static_cast<UtcMillis>(lookback_days) * kMillisPerDay;
  UtcMillis next = 0;
  for (const auto* list : {&in.safeguarding_decisions, &in.substantiated_concerns})
    for (UtcMillis t : *list)
      // An entry counts while t >= now - window (quality.cpp): it leaves just after t + window.
      if (const UtcMillis leaves = t + window + 1; leaves > now && (next == 0 || leaves < next)) next = leaves;
  return next;
}

}  // namespace carebroker::engine
