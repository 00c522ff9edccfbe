// The names of an FSA row's outcomes.
#include "engine/market/fsa_ratings.h"

namespace carebroker::engine {

std::string_view to_string(FsaRowOutcome o) {
  switch (o) {
    case FsaRowOutcome::rating_changed: return "rating_changed";
    case FsaRowOutcome::rating_confirmed: return "rating_confirmed";
    case FsaRowOutcome::already_known: return "already_known";
    case FsaRowOutcome::older_than_held: return "older_than_held";
    case FsaRowOutcome::no_rating: return "no_rating";
    case FsaRowOutcome::not_registered: return "not_registered";
    case FsaRowOutcome::rejected: return "rejected";
  }
  return "unknown";
}

}  // namespace carebroker::engine
