// Stable names of a placement's reasons and states (views, the REST API, reports).
#include "engine/market/placement.h"

#include <array>
#include <utility>

namespace carebroker::engine {
namespace {

constexpr std::array<std::pair<PlacementEndReason, std::string_view>, 9> kEndReasons{{
    {PlacementEndReason::planned_end, "planned_end"},
    {PlacementEndReason::handed_back, "handed_back"},
    {PlacementEndReason::needs_changed, "needs_changed"},
    {PlacementEndReason::moved, "moved"},
    {PlacementEndReason::hospital, "hospital"},
    {PlacementEndReason::residential_care, "residential_care"},
    {PlacementEndReason::died, "died"},
    {PlacementEndReason::terminated, "terminated"},
    {PlacementEndReason::replaced, "replaced"},
}};

}  // namespace

std::string_view to_string(PlacementEndReason r) {
  for (const auto& [reason, name] : kEndReasons)
    if (reason == r) return name;
  return "unknown";
}

bool parse(std::string_view text, PlacementEndReason& out) {
  for (const auto& [reason, name] : kEndReasons) {
    if (name == text) {
      out = reason;
      return true;
    }
  }
  return false;
}

bool ended_by_officer(PlacementEndReason r) {
  switch (r) {
    case PlacementEndReason::needs_changed:
    case PlacementEndReason::moved:
    case PlacementEndReason::hospital:
    case PlacementEndReason::residential_care:
    case PlacementEndReason::died:
    case PlacementEndReason::terminated: return true;
    case PlacementEndReason::planned_end:
    case PlacementEndReason::handed_back:
    case PlacementEndReason::replaced: return false;
  }
  return false;
}

ScheduledEnd scheduled_end(const Placement& p) {
  ScheduledEnd out;
  const auto consider = [&](Date on, PlacementEndReason reason) {
    if (on != 0 && (out.on == 0 || on < out.on)) out = {on, reason};
  };
  consider(p.replaced_from, PlacementEndReason::replaced);
  consider(p.officer_end, p.officer_end_reason);
  consider(p.notice_ends, PlacementEndReason::handed_back);
  consider(p.planned_end, PlacementEndReason::planned_end);
  return out;
}

std::string_view to_string(PlacementStatus s) {
  switch (s) {
    case PlacementStatus::live: return "live";
    case PlacementStatus::notice: return "notice";
    case PlacementStatus::ended: return "ended";
  }
  return "unknown";
}

}  // namespace carebroker::engine
