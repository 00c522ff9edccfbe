// Ranking: price weighted by quality, explained. The default is the 40 price / 60 quality split
//   score = 0.4 × lowest/price + 0.6 × quality/100   (higher wins)
// or, by configuration, the quality-adjusted price  price × 100 / quality  (lower wins).
// Offers from locations under the minimum quality (40) are not acceptable. Ties break by the
// time of the offer's last amendment, then by location id.
#include <cstdint>
#include <cstdio>
#include <limits>
#include <random>
#include <string>
#include <tuple>

#include "engine/market/number_text.h"

#include "market_fixture.h"

using namespace carebroker::testing;
using Catch::Detail::Approx;

namespace {

RankingCandidate candidate(LocationIndex loc, std::string id, Pence price, double quality,
                           UtcMillis amended_at = 0) {
  RankingCandidate c;
  c.location = loc;
  c.location_id = std::move(id);
  c.price = price;
  c.amended_at = amended_at;
  c.quality.score = quality;
  return c;
}

// Quality profiles (DOMAIN.md defaults: 0.4 × PAMMS + 0.4 × CQC + 0.2 × self-assessment).
LocationSpec q75(std::string id) { return {.id = std::move(id)}; }  // good, good, 75
LocationSpec q40(std::string id) {  // RI 40, RI 40, 40
  return {.id = std::move(id), .cqc = CqcRating::requires_improvement,
          .pamms = PammsRating::requires_improvement, .self_assessment = 40};
}
LocationSpec q39(std::string id) {  // 0.4×40 + 0.4×40 + 0.2×35 = 39
  return {.id = std::move(id), .cqc = CqcRating::requires_improvement,
          .pamms = PammsRating::requires_improvement, .self_assessment = 35};
}
LocationSpec q100(std::string id) {  // outstanding, excellent, 100
  return {.id = std::move(id), .cqc = CqcRating::outstanding, .pamms = PammsRating::excellent,
          .self_assessment = 100};
}

double quality(const MarketFixture& f, const std::string& id) {
  return f.market.quality_of(*f.market.find_location(id), 0).score;
}

}  // namespace

// The worked example. Lowest acceptable price = 2500.
//   A £30.00, quality  75: 0.4 × 2500/3000 + 0.6 × 0.75 = 0.33333 + 0.45 = 0.78333…
//   B £25.00, quality  40: 0.4 × 2500/2500 + 0.6 × 0.40 = 0.4     + 0.24 = 0.64
//   C £28.00, quality 100: 0.4 × 2500/2800 + 0.6 × 1.00 = 0.35714 + 0.6  = 0.95714…
// Order: C, A, B — the dearest-but-one offer wins on quality; the cheapest comes last.
TEST_CASE("the 40/60 split ranks a worked example as the arithmetic says", "[ranking]") {
  const Ranking r = rank_offers({candidate(0, "A", 3000, 75), candidate(1, "B", 2500, 40),
                                 candidate(2, "C", 2800, 100)},
                                RankingPolicy{});
  CHECK(r.lowest == 2500);
  CHECK(ranked(r, "A").score == Approx(0.4 * 2500 / 3000 + 0.6 * 0.75));
  CHECK(ranked(r, "A").score == Approx(0.783333).epsilon(1e-5));
  CHECK(ranked(r, "B").score == Approx(0.64));
  CHECK(ranked(r, "C").score == Approx(0.957142).epsilon(1e-5));
  CHECK(order(r) == std::vector<std::string>{"C", "A", "B"});
  CHECK(ranked(r, "C").rank == 1);
  CHECK(ranked(r, "A").rank == 2);
  CHECK(ranked(r, "B").rank == 3);
  CHECK(r.next_for_award() == &ranked(r, "C"));
  // The explanation carries the formula and this offer's numbers.
  const std::string& a = ranked(r, "A").explanation;
  INFO(a);
  CHECK(a.rfind("rank 2: ", 0) == 0);
  CHECK(a.find("0.40 × lowest/price + 0.60 × quality/100") != std::string::npos);
  CHECK(a.find("0.40 × 2500/3000 + 0.60 × 75.00/100") != std::string::npos);
  CHECK(a.find("0.3333 + 0.4500 = 0.7833") != std::string::npos);
  CHECK(a.find("£30.00") != std::string::npos);
  CHECK(ranked(r, "C").explanation.find("0.3571 + 0.6000 = 0.9571") != std::string::npos);
}

TEST_CASE("the worked example ranks the same through the market, and C is offered the award", "[ranking]") {
  MarketFixture f;
  f.admit(q75("A"));
  f.admit(q40("B"));
  f.admit(q100("C"));
  REQUIRE(quality(f, "A") == 75.0);
  REQUIRE(quality(f, "B") == 40.0);
  REQUIRE(quality(f, "C") == 100.0);
  const PackageId id = f.post();
  REQUIRE(f.offer("A", id, 3000).ok());
  REQUIRE(f.offer("B", id, 2500).ok());
  REQUIRE(f.offer("C", id, 2800).ok());

  const Ranking r = f.market.ranking(id);
  CHECK(r.lowest == 2500);
  CHECK(ranked(r, "A").score == Approx(0.783333).epsilon(1e-5));
  CHECK(ranked(r, "B").score == Approx(0.64));
  CHECK(ranked(r, "C").score == Approx(0.957142).epsilon(1e-5));
  CHECK(f.rank_order(id) == std::vector<std::string>{"C", "A", "B"});
  CHECK(ranked(r, "A").explanation.find("0.40 × 2500/3000 + 0.60 × 75.00/100") != std::string::npos);
  // The quality score is explained too, input by input.
  CHECK(ranked(r, "C").explanation.find("0.40×PAMMS excellent 100") != std::string::npos);
  // £25.00 is under 85% of the £32.14 fair cost: still ranked, and marked.
  CHECK(ranked(r, "B").explanation.find("flagged abnormally low") != std::string::npos);

  f.pass_deadline(id);
  CHECK(f.status(id) == PackageStatus::award_pending);
  CHECK(f.awarded(id) == "C");
}

// Quality-adjusted price = price × 100 / quality, lowest wins.
//   X £20.00, quality 52: 2000 × 100 / 52 = 3846.15   → 1st
//   Y £30.00, quality 75: 3000 × 100 / 75 = 4000.00   → 2nd
// Under the 40/60 split Y would win: X 0.4 + 0.312 = 0.712; Y 0.26667 + 0.45 = 0.71667.
TEST_CASE("the quality-adjusted price ranks by price per quality point, lowest first", "[ranking]") {
  RankingPolicy qap;
  qap.scheme = RankingScheme::quality_adjusted_price;
  const std::vector<RankingCandidate> offers = {candidate(0, "Y", 3000, 75), candidate(1, "X", 2000, 52)};
  const Ranking r = rank_offers(offers, qap);
  CHECK(r.scheme == RankingScheme::quality_adjusted_price);
  CHECK(ranked(r, "X").score == Approx(3846.1538));
  CHECK(ranked(r, "Y").score == Approx(4000.0));
  CHECK(order(r) == std::vector<std::string>{"X", "Y"});
  CHECK(ranked(r, "Y").explanation.find("3000 × 100 / 75.00 = 4000.00") != std::string::npos);

  const Ranking split = rank_offers(offers, RankingPolicy{});
  CHECK(order(split) == std::vector<std::string>{"Y", "X"});
  CHECK(ranked(split, "X").score == Approx(0.712));
  CHECK(ranked(split, "Y").score == Approx(0.716667).epsilon(1e-5));
}

TEST_CASE("a DPS configured for the quality-adjusted price ranks its packages that way", "[ranking]") {
  DpsConfig config = home_care_config();
  config.ranking.scheme = RankingScheme::quality_adjusted_price;
  MarketFixture f(config);
  f.admit(q75("A"));
  f.admit(q40("B"));
  f.admit(q100("C"));
  const PackageId id = f.post();
  REQUIRE(f.offer("A", id, 3000).ok());  // 3000 × 100 / 75  = 4000
  REQUIRE(f.offer("B", id, 2800).ok());  // 2800 × 100 / 40  = 7000
  REQUIRE(f.offer("C", id, 3900).ok());  // 3900 × 100 / 100 = 3900
  const Ranking r = f.market.ranking(id);
  CHECK(ranked(r, "A").score == Approx(4000.0));
  CHECK(ranked(r, "B").score == Approx(7000.0));
  CHECK(ranked(r, "C").score == Approx(3900.0));
  CHECK(f.rank_order(id) == std::vector<std::string>{"C", "A", "B"});
  f.pass_deadline(id);
  CHECK(f.awarded(id) == "C");
}

TEST_CASE("an offer from a location under the minimum quality is not acceptable, and says why", "[ranking]") {
  SECTION("directly") {
    const Ranking r = rank_offers({candidate(0, "low", 2000, 39.99), candidate(1, "ok", 3000, 40)},
                                  RankingPolicy{});
    const RankedOffer& low = ranked(r, "low");
    CHECK_FALSE(low.acceptable);
    CHECK(low.rank == 0);
    CHECK(low.failed_gate == OfferGate::below_min_quality);
    CHECK(low.not_acceptable_reason.find("below the minimum 40") != std::string::npos);
    CHECK(low.explanation.rfind("not ranked: ", 0) == 0);
    CHECK(ranked(r, "ok").acceptable);
    CHECK(r.lowest == 3000);  // the unacceptable offer's lower price is not `lowest`
    CHECK(r.acceptable_count() == 1);
  }
  SECTION("through the market") {
    MarketFixture f;
    f.admit(q39("Q"));
    f.admit(q75("A"));
    REQUIRE(quality(f, "Q") == 39.0);
    const PackageId id = f.post();
    REQUIRE(f.offer("Q", id, 2800).ok());
    REQUIRE(f.offer("A", id, 3000).ok());
    const Ranking r = f.market.ranking(id);
    CHECK(f.rank_order(id) == std::vector<std::string>{"A"});
    CHECK(r.lowest == 3000);
    CHECK(ranked(r, "Q").not_acceptable_reason.find("quality 39.00 is below the minimum 40") !=
          std::string::npos);
    f.pass_deadline(id);
    CHECK(f.awarded(id) == "A");
  }
}

TEST_CASE("ties break by the time of the last amendment, then by location id", "[ranking]") {
  SECTION("directly") {
    // Same price and quality: the earlier amendment wins, whatever the input order.
    const Ranking by_time = rank_offers(
        {candidate(0, "A", 3000, 75, 200), candidate(1, "B", 3000, 75, 100)}, RankingPolicy{});
    CHECK(order(by_time) == std::vector<std::string>{"B", "A"});
    // Same time too: the lower location id wins, whatever the location index.
    const Ranking by_id = rank_offers(
        {candidate(0, "Z", 3000, 75, 100), candidate(1, "M", 3000, 75, 100)}, RankingPolicy{});
    CHECK(order(by_id) == std::vector<std::string>{"M", "Z"});
  }
  SECTION("through the market") {
    MarketFixture f;
    f.admit(q75("Z"));  // registered first, so the lower index
    f.admit(q75("M"));
    const PackageId id = f.post();
    REQUIRE(f.offer("Z", id, 3000).ok());
    REQUIRE(f.offer("M", id, 3000).ok());  // same instant: location id decides
    CHECK(f.rank_order(id) == std::vector<std::string>{"M", "Z"});
    f.advance(kMillisPerHour);
    REQUIRE(f.amend("M", id, 3000).ok());  // M's last amendment is now the later one
    CHECK(f.rank_order(id) == std::vector<std::string>{"Z", "M"});
    f.pass_deadline(id);
    CHECK(f.awarded(id) == "Z");
  }
}

// An exact tie that floating point does not see. Lowest 2736.
//   X £27.36, quality 40: 0.4 × 2736/2736 + 0.6 × 0.40 = 0.4   + 0.24  = 0.64
//   Y £36.00, quality 56: 0.4 × 2736/3600 + 0.6 × 0.56 = 0.304 + 0.336 = 0.64
// Both explanations print 0.6400; the rule says the earlier amendment (X) ranks first.
TEST_CASE("offers whose scores are equal in exact arithmetic tie, whatever rounding says", "[ranking]") {
  SECTION("directly") {
    const Ranking r = rank_offers(
        {candidate(0, "Y", 3600, 56, 200), candidate(1, "X", 2736, 40, 100)}, RankingPolicy{});
    CHECK(ranked(r, "X").explanation.find("= 0.6400;") != std::string::npos);
    CHECK(ranked(r, "Y").explanation.find("= 0.6400;") != std::string::npos);
    CHECK(order(r) == std::vector<std::string>{"X", "Y"});
  }
  SECTION("through the market") {
    MarketFixture f;
    f.admit(q40("X"));
    f.admit({.id = "Y", .cqc = CqcRating::requires_improvement, .pamms = PammsRating::good,
             .self_assessment = 50});  // 0.4×75 + 0.4×40 + 0.2×50 = 56
    REQUIRE(quality(f, "Y") == 56.0);
    const PackageId id = f.post();
    REQUIRE(f.offer("X", id, 2736).ok());
    f.advance(kMillisPerHour);
    REQUIRE(f.offer("Y", id, 3600).ok());
    CHECK(f.rank_order(id) == std::vector<std::string>{"X", "Y"});
  }
}

TEST_CASE("`lowest` is taken over acceptable offers that are not withdrawn", "[ranking]") {
  MarketFixture f;
  f.admit(q75("A"));
  f.admit(q75("B"));
  const PackageId id = f.post();
  REQUIRE(f.offer("A", id, 2800).ok());
  REQUIRE(f.offer("B", id, 3000).ok());
  CHECK(f.market.ranking(id).lowest == 2800);
  REQUIRE(f.withdraw("A", id).ok());
  const Ranking r = f.market.ranking(id);
  CHECK(r.lowest == 3000);
  CHECK_FALSE(ranked(r, "A").acceptable);
  CHECK(ranked(r, "A").failed_gate == OfferGate::withdrawn);
  CHECK(ranked(r, "A").not_acceptable_reason == "withdrawn by the provider");
  CHECK(ranked(r, "B").failed_gate == OfferGate::none);
  CHECK(ranked(r, "B").score == Approx(0.4 * 1.0 + 0.6 * 0.75));  // 0.85: B is now the lowest
  CHECK(f.rank_order(id) == std::vector<std::string>{"B"});
}

// A £36.00 quality 100, B £28.00 quality 75; lowest 2800.
//   40/60: A 0.4 × 2800/3600 + 0.6 = 0.91111   B 0.4 + 0.45 = 0.85   → A
//   60/40: A 0.6 × 2800/3600 + 0.4 = 0.86667   B 0.6 + 0.30 = 0.90   → B
TEST_CASE("a council's 60/40 price/quality split can change the winner", "[ranking]") {
  auto run = [](int price_pct, int quality_pct) {
    DpsConfig config = home_care_config();
    config.ranking.price_weight_pct = price_pct;
    config.ranking.quality_weight_pct = quality_pct;
    MarketFixture f(config);
    f.admit(q100("A"));
    f.admit(q75("B"));
    const PackageId id = f.post();
    REQUIRE(f.offer("A", id, 3600).ok());
    REQUIRE(f.offer("B", id, 2800).ok());
    const Ranking r = f.market.ranking(id);
    f.pass_deadline(id);
    return std::make_tuple(ranked(r, "A").score, ranked(r, "B").score, f.awarded(id),
                           ranked(r, "A").explanation);
  };
  const auto [a40, b40, winner40, why40] = run(40, 60);
  CHECK(a40 == Approx(0.911111).epsilon(1e-5));
  CHECK(b40 == Approx(0.85));
  CHECK(winner40 == "A");
  const auto [a60, b60, winner60, why60] = run(60, 40);
  CHECK(a60 == Approx(0.866667).epsilon(1e-5));
  CHECK(b60 == Approx(0.90));
  CHECK(winner60 == "B");
  CHECK(why60.find("0.60 × 2800/3600 + 0.40 × 100.00/100") != std::string::npos);
}

TEST_CASE("every offer gate has one stable name", "[ranking]") {
  std::set<std::string> names;
  for (OfferGate g : {OfferGate::none, OfferGate::withdrawn, OfferGate::no_longer_admitted, OfferGate::placement_barred,
                      OfferGate::outside_rate_band, OfferGate::rejected_abnormally_low, OfferGate::below_min_quality,
                      OfferGate::quality_zero}) {
    const std::string name(to_string(g));
    CHECK(name != "unknown");
    CHECK(names.insert(name).second);
  }
}

// Explanations are written digit by digit (engine/market/number_text.h), not by printf, which
// was a seventh of an officer's package view. The text must not change: every number reads
// exactly as printf's "%.2f", "%.4f" and "%lld" wrote it, exact ties (0.125) rounded to even.
TEST_CASE("an explanation's numbers read exactly as printf wrote them", "[ranking]") {
  const auto printf_fixed = [](double v, int decimals) {
    char buf[400];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return std::string(buf);
  };
  const auto fixed = [](double v, int decimals) {
    std::string s;
    append_fixed(s, v, decimals);
    return s;
  };
  for (const double v : {0.0, -0.0, 0.125, 0.375, 2.5, 3.5, 0.005, 1.0 / 3, 2.0 / 3, 72.5, 99.995, -1.005, 1e22,
                         1.7976931348623157e308, -1.7976931348623157e308, 5e-324})
    for (const int decimals : {0, 2, 4}) {
      INFO(v << " to " << decimals << " decimals");
      CHECK(fixed(v, decimals) == printf_fixed(v, decimals));
    }
  std::mt19937_64 rng(2026);
  std::uniform_int_distribution<Pence> pence(1, 500'000);
  std::uniform_int_distribution<int> points(0, 10'000);  // a quality score ×100
  for (int i = 0; i < 20'000; ++i) {
    const double ratio = static_cast<double>(pence(rng)) / static_cast<double>(pence(rng));
    const double quality = points(rng) / 100.0;
    INFO(ratio << ", " << quality);
    CHECK(fixed(ratio, 4) == printf_fixed(ratio, 4));
    CHECK(fixed(quality, 2) == printf_fixed(quality, 2));
    CHECK(fixed(quality / 8, 4) == printf_fixed(quality / 8, 4));  // exact binary fractions: ties
  }
  std::string n;
  append_integer(n, -9'223'372'036'854'775'807LL - 1);
  CHECK(n == "-9223372036854775808");
  n.clear();
  append_integer(n, std::numeric_limits<std::uint64_t>::max());
  CHECK(n == "18446744073709551615");
  CHECK(format_pence(0) == "£0.00");
  CHECK(format_pence(7) == "£0.07");
  CHECK(format_pence(-1) == "-£0.01");
  CHECK(format_pence(123'456) == "£1234.56");
}

TEST_CASE("a whole explanation reads as the printf form did, for offers of every size", "[ranking]") {
  std::mt19937_64 rng(30);
  std::uniform_int_distribution<Pence> pence(100, 400'000);
  std::uniform_int_distribution<int> points(4'000, 10'000);
  std::uniform_int_distribution<int> weight(0, 100);
  for (int i = 0; i < 500; ++i) {
    RankingPolicy policy;
    policy.price_weight_pct = weight(rng);
    policy.quality_weight_pct = 100 - policy.price_weight_pct;
    const Ranking r = rank_offers({candidate(0, "A", pence(rng), points(rng) / 100.0),
                                   candidate(1, "B", pence(rng), points(rng) / 100.0)},
                                  policy);
    const RankedOffer& a = ranked(r, "A");
    const double wp = policy.price_weight_pct / 100.0, wq = policy.quality_weight_pct / 100.0;
    const double price_ratio = static_cast<double>(r.lowest) / static_cast<double>(a.offer.price);
    const double quality_ratio = a.offer.quality.score / 100.0;
    char old[320];
    std::snprintf(old, sizeof old,
                  "score = %.2f × lowest/price + %.2f × quality/100 = %.2f × %lld/%lld + %.2f × "
                  "%.2f/100 = %.2f × %.4f + %.2f × %.4f = %.4f + %.4f = %.4f",
                  wp, wq, wp, static_cast<long long>(r.lowest), static_cast<long long>(a.offer.price), wq,
                  a.offer.quality.score, wp, price_ratio, wq, quality_ratio, wp * price_ratio, wq * quality_ratio,
                  a.score);
    INFO(a.explanation);
    CHECK(a.explanation.find(old) != std::string::npos);

    RankingPolicy qap = policy;
    qap.scheme = RankingScheme::quality_adjusted_price;
    const Ranking q = rank_offers({candidate(0, "A", pence(rng), points(rng) / 100.0)}, qap);
    const RankedOffer& only = q.offers.front();
    std::snprintf(old, sizeof old,
                  "quality-adjusted price = price × 100 / quality = %lld × 100 / %.2f = %.2f "
                  "(pence per quality point ×100; lowest wins)",
                  static_cast<long long>(only.offer.price), only.offer.quality.score, only.score);
    INFO(only.explanation);
    CHECK(only.explanation.find(old) != std::string::npos);
  }
}
