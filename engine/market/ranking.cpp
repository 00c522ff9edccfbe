// Price/quality ranking with explanations.
#include "engine/market/ranking.h"

#include <algorithm>
#include <cmath>

#include "engine/market/calendar.h"
#include "engine/market/number_text.h"

namespace carebroker::engine {

std::string format_pence(Pence p) {
  std::string out = p < 0 ? "-£" : "£";
  const Pence a = p < 0 ? -p : p;
  append_integer(out, static_cast<long long>(a / 100));
  out.push_back('.');
  const auto pence = static_cast<int>(a % 100);
  out.push_back(static_cast<char>('0' + pence / 10));
  out.push_back(static_cast<char>('0' + pence % 10));
  return out;
}

std::string_view to_string(OfferGate g) {
  switch (g) {
    case OfferGate::none: return "none";
    case OfferGate::withdrawn: return "withdrawn";
    case OfferGate::no_longer_admitted: return "no_longer_admitted";
    case OfferGate::placement_barred: return "placement_barred";
    case OfferGate::outside_rate_band: return "outside_rate_band";
    case OfferGate::rejected_abnormally_low: return "rejected_abnormally_low";
    case OfferGate::below_min_quality: return "below_min_quality";
    case OfferGate::quality_zero: return "quality_zero";
  }
  return "unknown";
}

std::string quality_version_note(const RankingCandidate& c) {
  std::string note = "quality score v" + std::to_string(c.quality_version) + " of " + c.location_id;
  return c.quality_closed_at != 0 ? note + ", in force at the close at " + format_london(c.quality_closed_at)
                                  : note + ", current (the window has not closed)";
}

namespace {

/// The first gate the offer fails (OfferGate::none when it passes them all), and why in words.
OfferGate failed_gate(const RankingCandidate& c, const RankingPolicy& policy, std::string& why) {
  switch (c.gate) {
    case OfferGate::none: break;
    case OfferGate::withdrawn: why = "withdrawn by the provider"; return c.gate;
    case OfferGate::no_longer_admitted: why = "location no longer admitted"; return c.gate;
    case OfferGate::placement_barred: why = "location may not take new placements: " + c.gate_detail; return c.gate;
    case OfferGate::outside_rate_band: why = "price outside the lot's current rate band"; return c.gate;
    default: why = c.gate_detail; return c.gate;
  }
  if (c.abnormally_low == AbnormallyLow::rejected) {
    why = "rejected as abnormally low after the officer judged its explanation";
    return OfferGate::rejected_abnormally_low;
  }
  if (c.quality.score < policy.min_quality) {
    why = "quality ";
    append_fixed(why, c.quality.score, 2);
    why += " is below the minimum ";
    append_integer(why, policy.min_quality);
    return OfferGate::below_min_quality;
  }
  if (policy.scheme == RankingScheme::quality_adjusted_price && c.quality.score <= 0) {
    why = "quality 0: a quality-adjusted price is undefined";
    return OfferGate::quality_zero;
  }
  return OfferGate::none;
}

void score_split(RankedOffer& r, Pence lowest, const RankingPolicy& p, bool text) {
  const double wp = p.price_weight_pct / 100.0;
  const double wq = p.quality_weight_pct / 100.0;
  const double price_ratio = static_cast<double>(lowest) / static_cast<double>(r.offer.price);
  const double quality_ratio = r.offer.quality.score / 100.0;
  const double price_part = wp * price_ratio;
  const double quality_part = wq * quality_ratio;
  r.score = price_part + quality_part;
  if (!text) return;
  // "score = 0.60 × lowest/price + 0.40 × quality/100 = 0.60 × 1850/1900 + 0.40 × 72.50/100
  //  = 0.60 × 0.9737 + 0.40 × 0.7250 = 0.5842 + 0.2900 = 0.8742"
  std::string& s = r.explanation;
  s = "score = ";
  const auto fixed = [&s](double v, int decimals, const char* then) {
    append_fixed(s, v, decimals);
    s += then;
  };
  fixed(wp, 2, " × lowest/price + ");
  fixed(wq, 2, " × quality/100 = ");
  fixed(wp, 2, " × ");
  append_integer(s, static_cast<long long>(lowest));
  s.push_back('/');
  append_integer(s, static_cast<long long>(r.offer.price));
  s += " + ";
  fixed(wq, 2, " × ");
  fixed(r.offer.quality.score, 2, "/100 = ");
  fixed(wp, 2, " × ");
  fixed(price_ratio, 4, " + ");
  fixed(wq, 2, " × ");
  fixed(quality_ratio, 4, " = ");
  fixed(price_part, 4, " + ");
  fixed(quality_part, 4, " = ");
  fixed(r.score, 4, "");
}

void score_quality_adjusted(RankedOffer& r, bool text) {
  r.score = static_cast<double>(r.offer.price) * 100.0 / r.offer.quality.score;
  if (!text) return;
  std::string& s = r.explanation;
  s = "quality-adjusted price = price × 100 / quality = ";
  append_integer(s, static_cast<long long>(r.offer.price));
  s += " × 100 / ";
  append_fixed(s, r.offer.quality.score, 2);
  s += " = ";
  append_fixed(s, r.score, 2);
  s += " (pence per quality point ×100; lowest wins)";
}

}  // namespace

namespace {

/// Exact comparison of two acceptable offers' scores: -1 when a ranks above b, 1 below, 0 tie.
/// With q = quality×100 (an integer): split score = (wp·lowest·10⁴ + wq·q·price) / (10⁶·price);
/// quality-adjusted price = price × 10⁴ / q, lowest wins.
int compare_scores(const RankedOffer& a, const RankedOffer& b, Pence lowest, const RankingPolicy& p) {
  __extension__ typedef __int128 Wide;
  const Wide pa = a.offer.price, pb = b.offer.price;
  // Quality scores are whole hundredths (quality.h), so ×100 recovers them exactly.
  const Wide qa = std::llround(a.offer.quality.score * 100), qb = std::llround(b.offer.quality.score * 100);
  Wide left, right;  // compare a's score with b's, each scaled by the other's denominator
  if (p.scheme == RankingScheme::price_quality_split) {
    const Wide na = Wide(p.price_weight_pct) * lowest * 10000 + Wide(p.quality_weight_pct) * qa * pa;
    const Wide nb = Wide(p.price_weight_pct) * lowest * 10000 + Wide(p.quality_weight_pct) * qb * pb;
    left = na * pb;
    right = nb * pa;
    return left > right ? -1 : left < right ? 1 : 0;  // higher wins
  }
  left = pa * qb;
  right = pb * qa;
  return left < right ? -1 : left > right ? 1 : 0;  // lower wins
}

}  // namespace

Ranking rank_offers(std::vector<RankingCandidate> candidates, const RankingPolicy& policy, bool explain) {
  Ranking out;
  out.scheme = policy.scheme;
  out.offers.reserve(candidates.size());
  for (auto& c : candidates) {
    RankedOffer r;
    r.failed_gate = failed_gate(c, policy, r.not_acceptable_reason);
    r.acceptable = r.failed_gate == OfferGate::none;
    r.offer = std::move(c);
    if (r.acceptable && (out.lowest == 0 || r.offer.price < out.lowest)) out.lowest = r.offer.price;
    out.offers.push_back(std::move(r));
  }
  for (auto& r : out.offers) {
    if (!r.acceptable) {
      if (explain) r.explanation = "not ranked: " + r.not_acceptable_reason;
      continue;
    }
    if (policy.scheme == RankingScheme::price_quality_split)
      score_split(r, out.lowest, policy, explain);
    else
      score_quality_adjusted(r, explain);
  }
  std::stable_sort(out.offers.begin(), out.offers.end(), [&](const RankedOffer& a, const RankedOffer& b) {
    if (a.acceptable != b.acceptable) return a.acceptable;
    if (a.acceptable)
      if (const int c = compare_scores(a, b, out.lowest, policy); c != 0) return c < 0;
    if (a.offer.amended_at != b.offer.amended_at) return a.offer.amended_at < b.offer.amended_at;
    return a.offer.location_id < b.offer.location_id;
  });
  int rank = 0;
  for (auto& r : out.offers) {
    if (!r.acceptable) continue;
    r.rank = ++rank;
    if (!explain) continue;
    r.explanation = "rank " + std::to_string(r.rank) + ": " + r.explanation + "; price " +
                    format_pence(r.offer.price) + "; " + quality_version_note(r.offer) + ": " +
                    r.offer.quality.explain();
    if (r.offer.abnormally_low == AbnormallyLow::pending)
      r.explanation += "; flagged abnormally low, awaiting the officer's decision";
    else if (r.offer.abnormally_low == AbnormallyLow::accepted)
      r.explanation += "; flagged abnormally low, explanation accepted";
    if (r.offer.declined) r.explanation += "; declined the award";
  }
  return out;
}

const RankedOffer* Ranking::next_for_award() const {
  for (const auto& r : offers)
    if (r.acceptable && !r.offer.declined) return &r;
  return nullptr;
}

const RankedOffer* Ranking::top() const {
  for (const auto& r : offers)
    if (r.acceptable && r.rank == 1) return &r;
  return nullptr;
}

const RankedOffer* Ranking::find(LocationIndex loc) const {
  for (const auto& r : offers)
    if (r.offer.location == loc) return &r;
  return nullptr;
}

int Ranking::acceptable_count() const {
  return static_cast<int>(std::count_if(offers.begin(), offers.end(),
                                        [](const RankedOffer& r) { return r.acceptable; }));
}

}  // namespace carebroker::engine
