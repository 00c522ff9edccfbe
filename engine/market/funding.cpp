// Who pays for a package, in shares (funding.h).
#include "engine/market/funding.h"

#include <string>

namespace carebroker::engine {

Funder summary_funder(const std::vector<FundingShare>& shares) {
  if (shares.empty()) return Funder::council;
  return shares.size() == 1 ? shares.front().funder : Funder::joint;
}

Status check_funding(const std::vector<FundingShare>& shares, Funder funder) {
  if (shares.empty()) return {};
  int total = 0;
  for (std::size_t i = 0; i < shares.size(); ++i) {
    const FundingShare& s = shares[i];
    if (s.funder == Funder::joint || static_cast<int>(s.funder) > static_cast<int>(Funder::self_funder))
      return reject(Code::unknown_funder,
                    "a share is paid by council, nhs or self_funder; \"joint\" is the summary of several");
    for (std::size_t j = 0; j < i; ++j)
      if (shares[j].funder == s.funder)
        return reject(Code::invalid_package, std::string(to_string(s.funder)) + " has two funding shares: give one");
    if (s.percent < 1 || s.percent > 100)
      return reject(Code::funding_share_not_100, std::string(to_string(s.funder)) + "'s share is " +
                                                     std::to_string(s.percent) + "%: a share is 1..100%");
    total += s.percent;
  }
  if (total != 100)
    return reject(Code::funding_share_not_100, "the funding shares total " + std::to_string(total) + "%, not 100%");
  if (funder != summary_funder(shares))
    return reject(Code::funder_mismatch, "funder \"" + std::string(to_string(funder)) +
                                             "\" disagrees with the shares, which make it \"" +
                                             std::string(to_string(summary_funder(shares))) + "\"");
  return {};
}

}  // namespace carebroker::engine
