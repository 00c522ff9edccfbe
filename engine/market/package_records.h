// What is recorded around a package beyond its offers and award: providers' explanations of
// abnormally low offers (asked for when an offer is flagged; the officer reads them before
// deciding), and the spot purchase an officer made after the package went unsourced. Held by the
// Package in a Boxed (one null pointer for the many packages with neither). Plain values; not
// thread-safe.
#pragma once

#include <string>
#include <vector>

#include "engine/market/types.h"

namespace carebroker::engine {

/// A location's explanation of its abnormally low offer, as it last gave it.
struct OfferExplanation {
  LocationIndex location = 0;
  std::string text;
  UtcMillis at = 0;
  bool operator==(const OfferExplanation&) const = default;
};

/// Care bought outside the mini-competition after the package went unsourced. The provider
/// may be off the framework (not a member of the DPS, or not registered at all): then
/// `provider` is its name as the officer gave it and `location` may be empty.
struct SpotPurchase {
  std::string provider;  ///< a registered provider's id, or an off-framework provider's name
  std::string location;  ///< a registered location's id, or empty / the CQC location ID off-framework
  bool off_framework = false;
  Pence rate = 0;  ///< pence per unit of the lot (an hour per carer, a place or a session); > 0 once recorded
  std::string reason;
  std::string officer;
  UtcMillis at = 0;
  bool recorded() const { return rate > 0; }
  bool operator==(const SpotPurchase&) const = default;
};

struct PackageRecords {
  std::vector<OfferExplanation> explanations;  ///< one per location, the latest
  SpotPurchase spot_purchase;
  bool empty() const { return explanations.empty() && !spot_purchase.recorded(); }
  const OfferExplanation* explanation_of(LocationIndex location) const {
    for (const auto& e : explanations)
      if (e.location == location) return &e;
    return nullptr;
  }
  bool operator==(const PackageRecords&) const = default;
};

}  // namespace carebroker::engine
