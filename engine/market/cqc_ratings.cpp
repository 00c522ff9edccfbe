// A location's CQC rating history, and the names of a CQC row's outcomes.
#include "engine/market/cqc_ratings.h"

#include <algorithm>

namespace carebroker::engine {

std::string_view to_string(CqcRowOutcome o) {
  switch (o) {
    case CqcRowOutcome::rating_changed: return "rating_changed";
    case CqcRowOutcome::history_added: return "history_added";
    case CqcRowOutcome::record_updated: return "record_updated";
    case CqcRowOutcome::already_known: return "already_known";
    case CqcRowOutcome::no_rating_published: return "no_rating_published";
    case CqcRowOutcome::not_registered: return "not_registered";
    case CqcRowOutcome::rejected: return "rejected";
  }
  return "unknown";
}

void record_rating(std::vector<CqcRatingRecord>& history, const CqcRatingRecord& r) {
  auto at = std::lower_bound(history.begin(), history.end(), r.published,
                             [](const CqcRatingRecord& h, Date d) { return h.published < d; });
  if (at != history.end() && at->published == r.published)
    *at = r;
  else
    history.insert(at, r);
}

}  // namespace carebroker::engine
