// Who pays for a package, and in what shares: the council, the NHS (continuing health care) or
// the person (self-funder); a package paid by more than one is "joint". Part of the posted
// PackageSpec; checked once, when a package is posted (check_funding). Plain values and pure
// functions; not thread-safe.
#pragma once

#include <vector>

#include "engine/market/codes.h"
#include "engine/market/types.h"

namespace carebroker::engine {

/// One funder's share of a package's cost, in whole percent.
struct FundingShare {
  Funder funder = Funder::council;
  int percent = 0;
  bool operator==(const FundingShare&) const = default;
};

/// Checks `shares` against the package's summary `funder`. No shares = 100% `funder` (the form
/// before shares existed). Otherwise each share names council, nhs or self_funder once
/// (unknown_funder for `joint`, which is no payer but the summary of several; invalid_package for
/// a funder named twice) with 1..100 percent, the shares total 100 (funding_share_not_100), and
/// `funder` is the one payer, or joint when there are several (funder_mismatch otherwise).
Status check_funding(const std::vector<FundingShare>& shares, Funder funder);

/// The summary funder of `shares`: the one payer, or joint when there are several (council when
/// there are none).
Funder summary_funder(const std::vector<FundingShare>& shares);

}  // namespace carebroker::engine
