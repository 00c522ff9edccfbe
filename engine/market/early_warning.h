// The early-warning history of a location (issue 12 item 3): every change to its quality and
// risk inputs as an entry saying which inputs changed (old → new), who, when, why and on what
// evidence; and every change of its Green/Amber/Red rating under each DPS it belongs to, with the
// reasons. Entries are derived when a QualityInputsChanged is applied (so journals from before
// entries still give one, at the event's time); RAG changes are journaled as RagChanged. The
// market's rules for when a RAG is re-rated live in market_early_warning.cpp. Plain values and
// pure functions; not thread-safe.
#pragma once

#include <string>
#include <vector>

#include "engine/market/quality.h"
#include "engine/market/types.h"

namespace carebroker::engine {

/// One input of one entry: its name ("embargo", "cqc", "safeguarding_decision", …) and its value
/// before and after, as the API writes it ("" = none; a dated entry's value is its London date).
struct InputChange {
  std::string input, from, to;
  bool operator==(const InputChange&) const = default;
};

/// One change to a location's quality and risk inputs.
struct QualityEntry {
  UtcMillis at = 0;      ///< when it was entered (the market clock)
  std::string by;        ///< the caller's principal name; "" for an entry journaled before names were
  std::string reason;    ///< why ("" when none was given, or journaled before reasons were)
  std::string evidence;  ///< a case number or document id; "" = none
  std::vector<InputChange> changes;
  bool operator==(const QualityEntry&) const = default;
};

/// A location's RAG under DPS `dps` moved from `from` to `to` at `at`, for `reasons` (empty when
/// it became Green).
struct RagChange {
  int dps = -1;
  Rag from = Rag::green;
  Rag to = Rag::green;
  std::vector<std::string> reasons;
  UtcMillis at = 0;
  bool operator==(const RagChange&) const = default;
};

/// Longest evidence reference an entry may carry (characters).
inline constexpr std::size_t kMaxEvidenceChars = 100;

/// What changed between two sets of inputs, input by input: the entry's `changes`. Dated
/// entries (safeguarding decisions, substantiated concerns) added after `before`'s appear one by
/// one with their London dates.
std::vector<InputChange> input_changes(const QualityInputs& before, const QualityInputs& after);

/// The first instant after `now` at which a dated entry of `in` leaves a `lookback_days` window,
/// or 0 when none will.
UtcMillis next_entry_expiry(const QualityInputs& in, int lookback_days, UtcMillis now);

}  // namespace carebroker::engine
