// What is recorded around a package beyond its offers and award: providers' explanations of
// abnormally low offers (asked for when an offer is flagged; the officer reads them before
// deciding), the spot purchase an officer made after the package went unsourced, and, during
// its mini-competition, the officer's amendments and the providers' clarification questions. Held by the
// Package in a Boxed (one null pointer for the many packages with neither). Plain values; not
// thread-safe.
#pragma once

#include <string>
#include <vector>

#include "engine/market/quality.h"
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

/// An officer's amendment of an open package (AmendPackage): what it changed, and why.
struct PackageAmendment {
  Date previous_start = 0, start_date = 0;
  std::int64_t previous_quantity = 0, quantity = 0;  ///< minutes a week (hours lots), places or sessions
  bool schedule_changed = false;
  std::string notes, officer;
  UtcMillis at = 0;
  bool operator==(const PackageAmendment&) const = default;
};

/// A clarification question from an invited location and the officer's answer. Who asked is
/// kept for the officer; the answer goes to every invited location without it.
struct ClarificationQuestion {
  LocationIndex location = 0;
  std::string question;
  UtcMillis asked_at = 0;
  std::string answer, officer;
  UtcMillis answered_at = 0;  ///< 0 = not answered yet
  bool answered() const { return answered_at != 0; }
  bool operator==(const ClarificationQuestion&) const = default;
};

/// An officer's decision on a package (issue 13): held, released, cancelled, closed for a
/// direct payment, or awarded to the person's choice — when, by whom (the token's user), why.
struct PackageDecision {
  std::string what;  ///< "held", "released", "cancelled", "direct_payment", "persons_choice"
  UtcMillis at = 0;
  std::string by;
  std::string reason;
  bool operator==(const PackageDecision&) const = default;
};

/// The quality score an offer's location had when the package's window closed (issue 12 item
/// 4): the score and its version. The ranking from then on uses it, so a quality change after
/// the close changes neither the package's ranking nor its explanation.
struct QualityAtClose {
  LocationIndex location = 0;
  std::uint32_t version = 0;  ///< Location::quality_version then
  int score_x100 = 0;         ///< the score in hundredths (exact: quality.h)
  bool provisional = false;
  std::vector<QualityPart> parts;
  QualityScore score() const { return QualityScore{score_x100 / 100.0, provisional, parts}; }
  bool operator==(const QualityAtClose&) const = default;
};

struct PackageRecords {
  std::vector<OfferExplanation> explanations;  ///< one per location, the latest
  SpotPurchase spot_purchase;
  std::vector<PackageAmendment> amendments;      ///< in order; number N is amendments[N-1]
  std::vector<ClarificationQuestion> questions;  ///< in order; number N is questions[N-1]
  /// Each offer's quality when the window last closed (a best-and-final round closes twice: the
  /// second replaces the first), in offer order; `quality_closed_at` = that close (0 = not closed).
  std::vector<QualityAtClose> quality_at_close;
  UtcMillis quality_closed_at = 0;
  std::vector<PackageDecision> decisions;  ///< in order (issue 13)
  bool empty() const {
    return explanations.empty() && !spot_purchase.recorded() && amendments.empty() && questions.empty() &&
           quality_at_close.empty() && quality_closed_at == 0 && decisions.empty();
  }
  const QualityAtClose* quality_at_close_of(LocationIndex location) const {
    for (const auto& q : quality_at_close)
      if (q.location == location) return &q;
    return nullptr;
  }
  /// When the package was last amended; 0 = never.
  UtcMillis amended_at() const { return amendments.empty() ? 0 : amendments.back().at; }
  const OfferExplanation* explanation_of(LocationIndex location) const {
    for (const auto& e : explanations)
      if (e.location == location) return &e;
    return nullptr;
  }
  bool operator==(const PackageRecords&) const = default;
};

}  // namespace carebroker::engine
