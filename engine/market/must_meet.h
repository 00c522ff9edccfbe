// An offer's confirmation of a package's must-meet requirements, requirement by requirement: an
// offer cannot be made without confirming every one (DOMAIN.md, "must-meet features"). Pure;
// not thread-safe.
#pragma once

#include <string>
#include <vector>

#include "engine/market/codes.h"

namespace carebroker::engine {

/// ok when the offer confirms every requirement of `required`: each named in `confirmed` (its
/// exact text, as broadcast), or all at once by `all` — the one flag clients sent before
/// requirements were confirmed one by one, which still means "every requirement listed".
/// unknown_must_meet: `confirmed` names a requirement the package does not have;
/// must_meet_not_confirmed: a requirement is not confirmed (the detail names the first).
Status check_must_meet(const std::vector<std::string>& required, bool all, const std::vector<std::string>& confirmed);

}  // namespace carebroker::engine
