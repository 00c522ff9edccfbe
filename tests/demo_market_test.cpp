// The demonstration market: CSV reading (with bad input) and the CQC data loading into a
// working market of real Birmingham and Solihull locations.
#include "engine/cqc/csv.h"
#include "demo/demo_market.h"
#include "market_fixture.h"

using namespace carebroker::testing;
using namespace carebroker::demo;
using namespace carebroker::cqc;

TEST_CASE("CSV: quoted fields, doubled quotes and CRLF line ends", "[csv]") {
  const CsvTable t = parse_csv("a,b,c\r\n1,\"two, three\",\"say \"\"hi\"\"\"\r\n4,,6\n");
  REQUIRE(t.error.empty());
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0][1] == "two, three");
  CHECK(t.rows[0][2] == "say \"hi\"");
  CHECK(t.rows[1][1].empty());
  CHECK(t.column("c") == 2);
  CHECK(t.column("missing") == -1);
}

TEST_CASE("CSV: bad input is an error naming where, never a crash", "[csv]") {
  CHECK(parse_csv("a,b\n1,\"open\n").error.find("unterminated") != std::string::npos);
  CHECK(parse_csv("a,b\n1,2,3\n").error.find("row 2") != std::string::npos);
  CHECK(parse_csv("a,b\n1x\"y,2\n").error.find("quote") != std::string::npos);
  CHECK(read_csv_file("/nonexistent/file.csv").error.find("cannot open") != std::string::npos);
}

TEST_CASE("CQC service user bands and ratings map onto categories and ratings", "[demo]") {
  CHECK(categories_for_band("Learning disabilities or autistic spectrum disorder") ==
        std::vector<std::string>{"learning_disability", "autism"});
  CHECK(categories_for_band("Older People") == std::vector<std::string>{"older_people"});
  CHECK(categories_for_band("Children 0-18 years").empty());
  CHECK(cqc_rating_from_text("Requires improvement") == CqcRating::requires_improvement);
  CHECK(cqc_rating_from_text("Not Rated") == CqcRating::none);
  CHECK(cqc_rating_from_text("") == CqcRating::none);
  CHECK(cqc_rating_from_text("Inadequate") == CqcRating::inadequate);
}

TEST_CASE("the demonstration market loads the real CQC locations into tiers and zones", "[demo]") {
  const DemoMarket demo = demo_market(CAREBROKER_DATA_DIR, kMonday9am);
  REQUIRE(demo.error.empty());
  CHECK(demo.locations > 300);
  Market market;
  std::vector<Event> events;
  for (const auto& c : demo.commands) {
    const Reply r = market.execute(c, events);
    INFO(command_name(c) << ": " << r.status.detail);
    REQUIRE(r.ok());
  }
  const int hc = market.find_dps(kHomeCareDps);
  REQUIRE(hc >= 0);
  int tier1 = 0, specialist = 0;
  for (LocationIndex i = 0; i < market.location_count(); ++i) {
    const Membership* m = market.location(i).membership_of(hc);
    REQUIRE(m);
    CHECK(m->status == MembershipStatus::admitted);
    tier1 += m->tier == 0 ? 1 : 0;
    specialist += m->tier == 2 ? 1 : 0;
  }
  CHECK(tier1 == 9);  // three per zone, as in Rotherham
  CHECK(specialist == 4);
  // The one location CQC rates Inadequate is Red, and Red keeps it out of broadcasts.
  const auto red = market.find_location("1-13586930697");
  REQUIRE(red);
  CHECK(market.risk_of(*red, hc).rag == Rag::red);
}

TEST_CASE("the demonstration market reports a missing data folder as an error", "[demo]") {
  const DemoMarket demo = demo_market("/nonexistent", kMonday9am);
  CHECK(demo.commands.empty());
  CHECK(demo.error.find("zones.csv") != std::string::npos);
}
