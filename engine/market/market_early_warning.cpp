// Market: the early-warning history (issue 12 item 3). Which commands can change a location's
// RAG, re-rating those locations after the command, and the Tick that re-rates when a dated
// entry (a safeguarding decision, a substantiated concern) leaves its DPS's look-back window.
//
// The rule: a location's RAG under each DPS it belongs to (any membership status: the risk
// policy is the DPS's) is announced by a RagChanged whenever it differs from the last one
// announced (Green before any). Inputs change only by commands, which re-rate at once; time
// changes a RAG only when a dated entry ages out, which the Tick catches at rag_recheck_at_
// (kept as the earliest such time, never later) — so no Tick re-rates every location.
#include <algorithm>

#include "engine/market/market.h"
#include "engine/market/overloaded.h"
#include "engine/market/market_emitter.h"

namespace carebroker::engine {
namespace {

bool has_dated_entries(const QualityInputs& q) {
  return !q.safeguarding_decisions.empty() || !q.substantiated_concerns.empty();
}

}  // namespace

void Market::rerate(LocationIndex index, Emitter& e) {
  const Location& l = locations_[index];
  const Provider& p = provider_of(l);
  const bool default_notice = p.contract_action_in_force(ContractActionKind::default_notice) != nullptr;
  for (std::size_t i = 0; i < l.memberships.size(); ++i) {
    // Emitting appends to l.rag_changes only: l and its memberships stay where they are.
    const int dps = l.memberships[i].dps;
    const Rag rag = risk_level(l.quality, p.in_administration, dps_[dps].risk, now_, default_notice);
    const Rag before = l.announced_rag(dps);
    if (rag == before) continue;
    RiskRating rating = risk_of(index, dps);
    e.emit(RagChanged{index, RagChange{dps, before, rag, std::move(rating.reasons), now_}});
  }
}

void Market::rerate_after(const Command& command, bool recheck_due, Emitter& e) {
  auto location = [&](const std::string& id) {
    if (const auto l = find_location(id)) rerate(*l, e);
  };
  auto provider = [&](const std::string& id) {
    if (const auto p = provider_index(id))
      for (LocationIndex l : providers_[*p].locations) rerate(l, e);
  };
  auto every = [&](bool only_dated) {
    for (LocationIndex l = 0; l < locations_.size(); ++l)
      if (!only_dated || has_dated_entries(locations_[l].quality)) rerate(l, e);
  };
  std::visit(overloaded{
                 [&](const Tick&) {
                   if (recheck_due) every(true);
                 },
                 [&](const ConfigureDps&) { every(false); },  // the risk policy may have changed
                 [&](const ApplyToDps& c) { location(c.location); },  // a new membership: its RAG
                 [&](const UpdateQualityInputs& c) { location(c.location); },
                 [&](const ValidateSelfAssessment& c) { location(c.location); },
                 [&](const RecordPammsAssessment& c) { location(c.location); },  // a PAMMS rating
                 [&](const SetProviderStatus& c) { provider(c.provider); },      // administration
                 [&](const IssueContractAction& c) { provider(c.provider); },    // a default notice
                 [&](const UpdateContractAction& c) { provider(c.provider); },   // … lifted
                 [&](const ImportCqcRatings&) { every(false); },  // a CQC rating may have changed
                 [&](const ImportFsaRatings& c) {  // the FSA input of the rows' locations
                   for (const FsaRow& row : c.rows)
                     if (row.rejected.empty() && is_hygiene_rating(row.rating)) location(row.location);
                 },
                 [](const auto&) {},
             },
             command);
}

void Market::apply_quality(const QualityInputsChanged& e) {
  Location& l = locations_[e.location];
  QualityEntry entry{e.at != 0 ? e.at : now_, e.by, e.reason, e.evidence, input_changes(l.quality, e.inputs)};
  // An input of the quality score changed (not only a risk input): the score has a new version.
  const QualityInputs& was = l.quality;
  if (was.cqc != e.inputs.cqc || was.pamms != e.inputs.pamms || was.self_assessment != e.inputs.self_assessment ||
      was.self_assessment_on != e.inputs.self_assessment_on)
    ++l.quality_version;
  l.quality = e.inputs;
  l.quality_entries.push_back(std::move(entry));
  note_entry_expiries(e.location);
}

void Market::apply_rag(const RagChanged& e) { locations_[e.location].rag_changes.push_back(e.change); }

void Market::note_entry_expiries(LocationIndex index) {
  const Location& l = locations_[index];
  if (!has_dated_entries(l.quality)) return;
  for (const Membership& m : l.memberships)
    if (const UtcMillis t = next_entry_expiry(l.quality, dps_[m.dps].risk.lookback_days, now_);
        t != 0 && (rag_recheck_at_ == 0 || t < rag_recheck_at_))
      rag_recheck_at_ = t;
}

void Market::recompute_rag_recheck() {
  rag_recheck_at_ = 0;
  for (LocationIndex l = 0; l < locations_.size(); ++l) note_entry_expiries(l);
}

}  // namespace carebroker::engine
