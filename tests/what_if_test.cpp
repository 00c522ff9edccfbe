// What-if: a package's offers ranked again under another policy, beside the DPS's own ranking,
// among the offers actually made. The worked example of ranking_test.cpp (A £30.00 quality 75,
// B £25.00 quality 40, C £28.00 quality 100; C wins under the 40/60 split):
//   price only (100/0):        B 2500/2500 = 1.000, C 2500/2800 = 0.893, A 2500/3000 = 0.833 → B
//   quality-adjusted price:    C 2800×100/100 = 2800, A 3000×100/75 = 4000, B 2500×100/40 = 6250 → C
//   minimum quality 50:        B (40) is not acceptable
//   abnormally low under 70%:  B's £25.00 is not under £22.50 (70% of £32.14): no longer flagged;
//   under 95%:                 A's £30.00 and C's £28.00 are under £30.53: flagged, as the officer
//                              would have been asked (B stays flagged).
#include <string>

#include "engine/replica/policy_replay.h"
#include "market_fixture.h"
#include "rest_harness.h"

using namespace carebroker::testing;

namespace {

struct WorkedExample : MarketFixture {
  PackageId id = 0;
  WorkedExample() {
    admit({.id = "A"});
    admit({.id = "B", .cqc = CqcRating::requires_improvement, .pamms = PammsRating::requires_improvement,
           .self_assessment = 40});
    admit({.id = "C", .cqc = CqcRating::outstanding, .pamms = PammsRating::excellent, .self_assessment = 100});
    id = post();
    REQUIRE(offer("A", id, 3000).ok());
    REQUIRE(offer("B", id, 2500).ok());
    REQUIRE(offer("C", id, 2800).ok());
  }
  WhatIfRanking what_if(RankingPolicy policy) const {
    const auto w = market.what_if(id, policy);
    REQUIRE(w);
    return *w;
  }
  RankingPolicy policy() const { return market.dps(0).ranking; }
};

}  // namespace

TEST_CASE("what-if: the same offers under another split, scheme or minimum quality", "[what_if]") {
  WorkedExample f;
  RankingPolicy price_only = f.policy();
  price_only.price_weight_pct = 100;
  price_only.quality_weight_pct = 0;
  const WhatIfRanking w = f.what_if(price_only);
  CHECK(order(w.now) == std::vector<std::string>{"C", "A", "B"});  // the DPS's own, as ranked today
  CHECK(order(w.now) == order(f.market.ranking(f.id)));
  CHECK(order(w.then) == std::vector<std::string>{"B", "C", "A"});
  CHECK(ranked(w.then, "C").score == Approx(2500.0 / 2800).epsilon(1e-5));
  CHECK(ranked(w.then, "B").explanation.find("1.00 × 2500/2500") != std::string::npos);

  RankingPolicy qap = f.policy();
  qap.scheme = RankingScheme::quality_adjusted_price;
  CHECK(order(f.what_if(qap).then) == std::vector<std::string>{"C", "A", "B"});

  RankingPolicy strict = f.policy();
  strict.min_quality = 50;
  const WhatIfRanking s = f.what_if(strict);
  CHECK(order(s.then) == std::vector<std::string>{"C", "A"});
  CHECK(ranked(s.then, "B").failed_gate == OfferGate::below_min_quality);
  // Nothing changed in the market.
  CHECK(order(f.market.ranking(f.id)) == std::vector<std::string>{"C", "A", "B"});
}

TEST_CASE("what-if: another abnormally-low threshold flags the offers again", "[what_if]") {
  WorkedExample f;
  REQUIRE(ranked(f.market.ranking(f.id), "B").offer.abnormally_low == AbnormallyLow::pending);
  RankingPolicy lenient = f.policy();
  lenient.abnormally_low_pct = 70;
  CHECK(ranked(f.what_if(lenient).then, "B").offer.abnormally_low == AbnormallyLow::not_flagged);
  RankingPolicy severe = f.policy();
  severe.abnormally_low_pct = 95;
  const WhatIfRanking w = f.what_if(severe);
  for (const char* id : {"A", "B", "C"}) {
    INFO(id);
    CHECK(ranked(w.then, id).offer.abnormally_low == AbnormallyLow::pending);
  }
  CHECK(ranked(w.now, "A").offer.abnormally_low == AbnormallyLow::not_flagged);  // today's ranking as it is
}

TEST_CASE("what-if: a policy that cannot rank is named, and a package not in memory has none", "[what_if]") {
  WorkedExample f;
  RankingPolicy k = f.policy();
  CHECK(ranking_policy_problem(k).empty());
  k.price_weight_pct = 60;  // 60 + 60
  CHECK_FALSE(ranking_policy_problem(k).empty());
  k = f.policy();
  k.min_quality = 101;
  CHECK_FALSE(ranking_policy_problem(k).empty());
  k = f.policy();
  k.abnormally_low_pct = -1;
  CHECK_FALSE(ranking_policy_problem(k).empty());
  CHECK_FALSE(f.market.what_if(99, f.policy()));
}

TEST_CASE("REST: what-if answers beside the DPS's ranking and refuses a bad policy", "[rest][what_if]") {
  RestHarness h;
  h.configure_market();
  h.admit("A");
  h.admit("B", "requires_improvement", "requires_improvement", 40);
  h.admit("C", "outstanding", "excellent", 100);
  const json::value posted = h.must(201, "POST", "/api/v1/packages", h.officer, kPackageJson);
  const auto id = posted.at("package").to_number<PackageId>();
  REQUIRE(h.offer("A", id, 3000).ok());
  REQUIRE(h.offer("B", id, 2500).ok());
  REQUIRE(h.offer("C", id, 2800).ok());
  const std::string path = "/api/v1/packages/" + std::to_string(id) + "/what-if";

  const json::value w = h.must(200, "GET", path + "?price_weight_pct=100", h.compliance);
  CHECK(w.at("policy_now").at("price_weight_pct") == 40);
  CHECK(w.at("policy_what_if").at("quality_weight_pct") == 0);  // follows from the price weight
  CHECK(w.at("top_now").at("location") == "C");
  CHECK(w.at("top_what_if").at("location") == "B");
  CHECK(w.at("top_changes") == true);
  CHECK(w.at("top_what_if").at("weekly_value") == 35000);  // £25.00 × 14 hours
  bool b_seen = false;
  for (const auto& o : w.at("offers").as_array())
    if (o.at("location") == "B") {
      CHECK(o.at("now").at("rank") == 3);
      CHECK(o.at("what_if").at("rank") == 1);
      CHECK(o.at("rank_changes") == true);
      b_seen = true;
    }
  CHECK(b_seen);
  CHECK(h.must(200, "GET", path + "?scheme=quality_adjusted_price", h.officer).at("top_changes") == false);

  for (const char* bad : {"?price_weight_pct=60&quality_weight_pct=60", "?price_weight_pct=101", "?min_quality=x",
                          "?scheme=cheapest", "?weights=50", "?abnormally_low_pct=-5"}) {
    INFO(bad);
    const auto r = h.call("GET", path + bad, h.officer);
    CHECK(r.status == 422);
    CHECK(RestHarness::error_code(r) == "invalid_query");
  }
  CHECK(RestHarness::error_code(h.call("GET", "/api/v1/packages/99/what-if", h.officer)) == "unknown_package");
  CHECK(h.call("GET", path, h.issue(Role::provider, "rostering", "P-B")).status == 403);  // providers never see others' offers
}

namespace {

/// The fixture's journal so far, replayed batch by batch (one event each) into a scratch
/// replica watched by a PolicyReplay.
carebroker::replica::PolicyReplayReport replay(const MarketFixture& f, carebroker::replica::PolicyReplayOptions options) {
  carebroker::replica::PolicyReplay observer(std::move(options));
  carebroker::replica::Replica scratch;
  REQUIRE(scratch.start({}, 0).empty());
  std::uint64_t seq = 0;
  for (const Event& e : f.events) {
    ++seq;
    auto one = std::make_shared<const std::vector<Event>>(std::vector<Event>{e});
    REQUIRE(scratch.apply({seq, seq, one}, &observer).empty());
  }
  CHECK(scratch.market().digest() == f.market.digest());  // the scratch replica is the market, replayed
  return observer.report();
}

}  // namespace

TEST_CASE("what-if over a period: the journal replayed under price only changes the winner, among the offers made",
          "[what_if][replica]") {
  WorkedExample f;
  f.pass_deadline(f.id);  // the window closes: C is offered the award
  REQUIRE(f.awarded(f.id) == "C");
  carebroker::replica::PolicyReplayOptions options{.dps = "home-care"};
  options.ranking = f.policy();
  options.risk = f.market.dps(0).risk;
  options.ranking.price_weight_pct = 100;
  options.ranking.quality_weight_pct = 0;
  const auto r = replay(f, options);
  CHECK(r.packages_compared == 1);
  CHECK(r.winners_changed == 1);
  REQUIRE(r.changed.size() == 1);
  CHECK(r.changed[0].top_now == "C");
  CHECK(r.changed[0].top_then == "B");
  CHECK(r.changed[0].weekly_now == 2800 * 14);
  CHECK(r.changed[0].weekly_then == 2500 * 14);
  CHECK(r.weekly_now - r.weekly_then == 300 * 14);  // £42.00 a week less, at lower quality
  CHECK(r.tiers_opened == 1);
  CHECK(r.extra_invited == 0);  // the same risk policy: the same broadcast

  // Outside the period, nothing is compared.
  options.from = f.market.now() + kMillisPerDay;
  CHECK(replay(f, options).packages_compared == 0);
}

TEST_CASE("what-if over a period: Red warn-only lists who else would have been invited, never their bids",
          "[what_if][replica]") {
  MarketFixture f;
  f.admit({.id = "A"});
  f.admit({.id = "R", .cqc = CqcRating::inadequate});  // Red: excluded by default
  const PackageId id = f.post();
  REQUIRE(f.invited(id) == std::vector<std::string>{"A"});
  REQUIRE(f.offer("A", id, 3000).ok());
  f.pass_deadline(id);
  carebroker::replica::PolicyReplayOptions options{.dps = "home-care"};
  options.ranking = f.market.dps(0).ranking;
  options.risk = f.market.dps(0).risk;
  options.risk.red_excludes_from_broadcast = false;
  const auto r = replay(f, options);
  CHECK(r.extra_invited == 1);
  REQUIRE(r.extra.size() == 1);
  CHECK(r.extra[0].package == id);
  CHECK(r.extra[0].locations == std::vector<std::string>{"R"});
  CHECK(r.fewer_invited == 0);
  CHECK(r.winners_changed == 0);  // R made no offer: none is invented
}
