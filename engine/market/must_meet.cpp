// An offer's confirmation of each must-meet requirement (must_meet.h).
#include "engine/market/must_meet.h"

#include <algorithm>

namespace carebroker::engine {

Status check_must_meet(const std::vector<std::string>& required, bool all, const std::vector<std::string>& confirmed) {
  for (const std::string& c : confirmed)
    if (std::find(required.begin(), required.end(), c) == required.end())
      return reject(Code::unknown_must_meet, "\"" + c.substr(0, 200) + "\" is not a must-meet requirement of this package");
  if (all) return {};
  for (const std::string& r : required)
    if (std::find(confirmed.begin(), confirmed.end(), r) == confirmed.end())
      return reject(Code::must_meet_not_confirmed, "confirm the must-meet requirement \"" + r + "\" to offer");
  return {};
}

}  // namespace carebroker::engine
