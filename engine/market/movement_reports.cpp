// Market reports about the DPS's locations rather than its packages: the providers entering and
// leaving (each move, and the moves counted by month) and the RAG counts over time.
#include <algorithm>

#include "engine/market/calendar.h"
#include "engine/market/market_reports.h"

namespace carebroker::engine {

std::vector<MoveRow> movements_report(const Market& m, const ReportPeriod& period) {
  std::vector<MoveRow> rows;
  for (LocationIndex l = 0; l < m.location_count(); ++l)
    for (const AdmissionMove& move : m.location(l).admission_moves) {
      if (move.dps != period.dps) continue;
      const Date on = london_date(move.at);
      if (on >= period.from && on <= period.to) rows.push_back({l, move});
    }
  std::stable_sort(rows.begin(), rows.end(), [](const MoveRow& a, const MoveRow& b) { return a.move.at < b.move.at; });
  return rows;
}

namespace {

/// The first day of the month after the one `d` is in.
Date next_month(Date d) {
  CivilDate c = civil_from_days(d);
  c.day = 1;
  if (++c.month > 12) {
    c.month = 1;
    ++c.year;
  }
  return days_from_civil(c);
}

}  // namespace

std::vector<MovementMonthRow> movement_months_report(const Market& m, const ReportPeriod& period) {
  std::vector<MovementMonthRow> months;
  for (Date first = period.from; first <= period.to; first = next_month(first))
    months.push_back({first, std::min(period.to, next_month(first) - 1)});
  for (const MoveRow& row : movements_report(m, period)) {
    const Date on = london_date(row.move.at);
    const auto it = std::upper_bound(months.begin(), months.end(), on,
                                     [](Date d, const MovementMonthRow& r) { return d < r.first; });
    MovementMonthRow& r = *(it - 1);  // on >= period.from = months.front().first
    switch (row.move.kind) {
      case AdmissionMoveKind::admitted: ++r.admitted; break;
      case AdmissionMoveKind::reinstated: ++r.reinstated; break;
      case AdmissionMoveKind::contract_restored: ++r.contract_restored; break;
      case AdmissionMoveKind::exited: ++r.exited; break;
      case AdmissionMoveKind::terminated: ++r.terminated; break;
      case AdmissionMoveKind::suspended: ++r.suspended; break;
    }
    r.net += static_cast<int>(row.move.in_after) - static_cast<int>(row.move.in_before);
  }
  return months;
}

std::vector<RagCountRow> rag_counts_report(const Market& m, const ReportPeriod& period, RagBucket bucket) {
  const Date today = london_date(m.now());
  std::vector<RagCountRow> rows;
  for (Date first = period.from; first <= period.to && first <= today;) {
    const Date last = bucket == RagBucket::day ? first : std::min(period.to, first + (6 - weekday(first)));
    rows.push_back({first, last, std::min(london_to_utc(last + 1, 0) - 1, m.now())});
    first = last + 1;
  }
  // Per location, its moves and RAG changes under the DPS walked once alongside the buckets:
  // what counts at a bucket is the last of each dated at or before its instant.
  std::vector<const AdmissionMove*> moves;
  std::vector<const RagChange*> changes;
  for (LocationIndex l = 0; l < m.location_count(); ++l) {
    const Location& loc = m.location(l);
    moves.clear();
    for (const AdmissionMove& move : loc.admission_moves)
      if (move.dps == period.dps) moves.push_back(&move);
    if (moves.empty()) continue;  // never in the DPS
    changes.clear();
    for (const RagChange& c : loc.rag_changes)
      if (c.dps == period.dps) changes.push_back(&c);
    std::size_t next_move = 0, next_change = 0;
    bool in = false;
    Rag rag = Rag::green;
    for (RagCountRow& row : rows) {
      for (; next_move < moves.size() && moves[next_move]->at <= row.at; ++next_move) in = moves[next_move]->in_after;
      for (; next_change < changes.size() && changes[next_change]->at <= row.at; ++next_change) rag = changes[next_change]->to;
      if (!in) continue;
      switch (rag) {
        case Rag::green: ++row.green; break;
        case Rag::amber: ++row.amber; break;
        case Rag::red: ++row.red; break;
      }
    }
  }
  return rows;
}

}  // namespace carebroker::engine
