// Abnormally low, both sides: a flagged offer's location explains it (ExplainOffer); the officer
// reads the latest explanation and decides. Explaining needs a flagged, undecided offer of the
// provider's own location.
#include <string>

#include "market_fixture.h"

using namespace carebroker::testing;

namespace {

/// Two Tier 1 South locations; A offers 2731p (under 85% of £32.14: flagged), B 3000p.
struct FlaggedMarket : MarketFixture {
  PackageId id = 0;
  FlaggedMarket() {
    admit({"A"});
    admit({"B"});
    id = post();
    REQUIRE(offer("A", id, 2731).ok());
    REQUIRE(offer("B", id, 3000).ok());
  }
  ExplainOffer explain(const std::string& location, std::string text, std::string request = "") {
    return ExplainOffer{provider_of(location), location, request.empty() ? request_id() : request, id, std::move(text)};
  }
  const OfferExplanation* explanation(const std::string& location) const {
    return package(id).records->explanation_of(*market.find_location(location));
  }
};

}  // namespace

TEST_CASE("a flagged offer's location explains it and may explain again before the decision", "[explanation]") {
  FlaggedMarket f;
  REQUIRE(f.run(f.explain("A", "we pay the real living wage; our rounds in B13 are short")).ok());
  CHECK(f.count<OfferExplained>() == 1);
  REQUIRE(f.explanation("A"));
  CHECK(f.explanation("A")->text == "we pay the real living wage; our rounds in B13 are short");
  CHECK(f.explanation("A")->at == f.market.now());
  REQUIRE(f.run(f.explain("A", "and a grant covers travel")).ok());
  CHECK(f.explanation("A")->text == "and a grant covers travel");
  CHECK(f.package(f.id).records->explanations.size() == 1);

  f.pass_deadline(f.id);
  REQUIRE(f.status(f.id) == PackageStatus::awaiting_decision);
  REQUIRE(f.run(DecideAbnormallyLow{f.id, "A", true, "officer-1", "explanation credible"}).ok());
  expect_rejected(f, f.explain("A", "one more thing"), Code::decision_already_made);
}

TEST_CASE("an offer that is not flagged has nothing to explain", "[explanation]") {
  FlaggedMarket f;
  expect_rejected(f, f.explain("B", "we are simply efficient"), Code::not_abnormally_low);
}

TEST_CASE("an explanation needs words and at most 2000 characters and an offer", "[explanation]") {
  FlaggedMarket f;
  expect_rejected(f, f.explain("A", ""), Code::explanation_required);
  expect_rejected(f, f.explain("A", std::string(2001, 'x')), Code::notes_too_long);
  f.admit({"C"});
  expect_rejected(f, f.explain("C", "no offer here"), Code::no_offer);
  REQUIRE(f.withdraw("A", f.id).ok());
  expect_rejected(f, f.explain("A", "withdrawn"), Code::no_offer);
}

TEST_CASE("a provider explains only its own location's offer and idempotently by request id", "[explanation]") {
  FlaggedMarket f;
  expect_rejected(f, ExplainOffer{f.provider_of("B"), "A", "x-1", f.id, "not mine"}, Code::location_not_of_provider);
  expect_rejected(f, ExplainOffer{f.provider_of("A"), "A", "", f.id, "no id"}, Code::request_id_missing);
  expect_rejected(f, ExplainOffer{f.provider_of("A"), "A", "x-2", 99, "no package"}, Code::unknown_package);
  REQUIRE(f.run(f.explain("A", "rota", "x-3")).ok());
  const Reply again = f.run(f.explain("A", "rota", "x-3"));
  CHECK(again.ok());
  CHECK(again.replayed);
  CHECK(f.count<OfferExplained>() == 1);
  expect_rejected(f, f.explain("A", "another text", "x-3"), Code::request_id_reused);
}

TEST_CASE("a closed package takes no explanation", "[explanation]") {
  FlaggedMarket f;
  REQUIRE(f.run(CancelPackage{f.id, "person moved"}).ok());
  expect_rejected(f, f.explain("A", "too late"), Code::package_closed);
}

TEST_CASE("an explanation is of the offer as it was: amending the offer drops it and asks again", "[explanation]") {
  FlaggedMarket f;
  REQUIRE(f.run(f.explain("A", "rota")).ok());
  REQUIRE(f.explanation("A"));
  REQUIRE(f.amend("A", f.id, 2700).ok());  // still flagged: a new offer to explain
  CHECK_FALSE(f.explanation("A"));
  REQUIRE(f.run(f.explain("A", "rota, at the new price")).ok());
  CHECK(f.explanation("A")->text == "rota, at the new price");
  REQUIRE(f.amend("A", f.id, 3000).ok());  // no longer flagged: nothing to explain
  CHECK_FALSE(f.explanation("A"));
  expect_rejected(f, f.explain("A", "too late"), Code::not_abnormally_low);
}

TEST_CASE("a new step of the route starts without the last step's explanations", "[explanation]") {
  MarketFixture f;
  f.admit({"A"});
  f.admit({"T2", "tier2"});
  const PackageId id = f.post();
  REQUIRE(f.offer("A", id, 2650).ok());
  REQUIRE(f.run(ExplainOffer{"P-A", "A", "x-1", id, "rota"}).ok());
  REQUIRE(f.run(DecideAbnormallyLow{id, "A", false, "officer-1", "not credible"}).ok());
  f.pass_deadline(id);  // the only offer was rejected: tier 2 opens
  REQUIRE(f.tier(id) == "tier2");
  CHECK(f.package(id).records->explanations.empty());
}
