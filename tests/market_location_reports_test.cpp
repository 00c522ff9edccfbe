// The market reports about a DPS's locations (issue 12 item 6): providers entering and leaving
// — admitted, reinstated, exited, terminated, suspended — read from the history the market keeps
// as the events apply, and the locations Green, Amber and Red at the end of each day or week,
// counting a location only while it is admitted under a contract in force.
#include <algorithm>

#include "engine/market/market_reports.h"
#include "market_fixture.h"

using namespace carebroker::testing;

namespace {

UpdateQualityInputs embargo(const std::string& location, bool on) {
  UpdateQualityInputs q;
  q.location = location;
  q.officer = "compliance-1";
  q.embargo = on;
  if (on) q.reason = "safeguarding enquiry";
  return q;
}

SetProviderStatus terminate(const std::string& provider, bool terminated = true) {
  return SetProviderStatus{provider, false, terminated, "persistent breaches of contract", "home-care"};
}

/// The advance to 09:00 London on `date`.
void go_to(MarketFixture& f, Date date) { f.must(Tick{london_to_utc(date, 9 * kMillisPerHour)}); }

/// November and December 2026: A, B and C admitted on Monday 23 November; B suspended on the
/// 24th and reinstated on the 25th; on 7 December C exits, A's contract is terminated, B is
/// suspended; on the 8th B (suspended) exits and D is admitted.
struct Comings : MarketFixture {
  Comings() {
    admit({"A"});
    admit({"B"});
    admit({"C"});
    go_to(*this, kMonday + 1);
    must(SuspendMembership{"B", "home-care", "safeguarding enquiry"});
    go_to(*this, kMonday + 2);
    must(ReinstateMembership{"B", "home-care"});
    go_to(*this, *parse_date("2026-12-07"));
    must(ExitDps{"C", "home-care", "the provider is leaving home care"});
    must(terminate("P-A"));
    must(SuspendMembership{"B", "home-care", "missed calls"});
    go_to(*this, *parse_date("2026-12-08"));
    must(ExitDps{"B", "home-care", "closing the branch"});
    admit({"D"});
  }
  ReportPeriod period(std::string_view from, std::string_view to) const {
    return ReportPeriod{market.find_dps("home-care"), *parse_date(from), *parse_date(to), std::nullopt};
  }
  std::string id_of(const MoveRow& r) const { return market.location(r.location).id; }
};

}  // namespace

TEST_CASE("each entry to and departure from a DPS is listed with its kind, in date order", "[reports][entering-leaving]") {
  Comings f;
  const auto moves = movements_report(f.market, f.period("2026-11-01", "2026-12-31"));
  std::vector<std::string> seen;
  for (const MoveRow& r : moves) seen.push_back(f.id_of(r) + " " + std::string(to_string(r.move.kind)));
  // Moves of the same instant (7 December's three) come in the order of the locations' registration.
  CHECK(seen == std::vector<std::string>{"A admitted", "B admitted", "C admitted", "B suspended", "B reinstated",
                                         "A terminated", "B suspended", "C exited", "B exited", "D admitted"});
  // B's exit ended a membership already suspended: it was not in the DPS just before.
  const MoveRow& b_exit = moves[8];
  CHECK_FALSE(b_exit.move.in_before);
  CHECK_FALSE(b_exit.move.in_after);
  CHECK(moves[7].move.in_before);  // C exited from admitted
  CHECK(london_date(moves[7].move.at) == *parse_date("2026-12-07"));
  // A period of one day lists that day's moves only.
  CHECK(movements_report(f.market, f.period("2026-11-24", "2026-11-24")).size() == 1);
}

TEST_CASE("entering and leaving are counted by month, with the net change in locations", "[reports][entering-leaving]") {
  Comings f;
  const auto months = movement_months_report(f.market, f.period("2026-11-15", "2027-01-10"));
  REQUIRE(months.size() == 3);  // November from the 15th, December, January to the 10th
  CHECK(months[0].first == *parse_date("2026-11-15"));
  CHECK(months[0].last == *parse_date("2026-11-30"));
  CHECK(months[0].admitted == 3);
  CHECK(months[0].suspended == 1);
  CHECK(months[0].reinstated == 1);
  CHECK(months[0].entering() == 4);
  CHECK(months[0].leaving() == 1);
  CHECK(months[0].net == 3);
  // December: C exited, A terminated, B suspended then exited, D admitted — three locations
  // fewer and one more.
  CHECK(months[1].first == *parse_date("2026-12-01"));
  CHECK(months[1].last == *parse_date("2026-12-31"));
  CHECK(months[1].exited == 2);
  CHECK(months[1].terminated == 1);
  CHECK(months[1].suspended == 1);
  CHECK(months[1].admitted == 1);
  CHECK(months[1].net == -2);
  // January: nothing happened, and still a row.
  CHECK(months[2].last == *parse_date("2027-01-10"));
  CHECK(months[2].entering() + months[2].leaving() == 0);
}

TEST_CASE("lifting a termination brings the provider's admitted locations back", "[reports][entering-leaving]") {
  Comings f;
  f.must(terminate("P-A", false));
  const auto moves = movements_report(f.market, f.period("2026-12-08", "2026-12-08"));
  const auto restored = std::find_if(moves.begin(), moves.end(), [](const MoveRow& r) {
    return r.move.kind == AdmissionMoveKind::contract_restored;
  });
  REQUIRE(restored != moves.end());
  CHECK(f.id_of(*restored) == "A");
  CHECK_FALSE(restored->move.in_before);
  CHECK(restored->move.in_after);
  CHECK(is_entering(restored->move.kind));
  // One move: P-A has one location.
  CHECK(std::count_if(moves.begin(), moves.end(), [](const MoveRow& r) {
          return r.move.kind == AdmissionMoveKind::contract_restored;
        }) == 1);
}

TEST_CASE("an application, its refusal and a change of terms are no entry or departure", "[reports][entering-leaving]") {
  MarketFixture f;
  f.must(RegisterProvider{"P-X", "X Ltd"});
  f.must(RegisterLocation{"X", "P-X", "X branch", "B13 9AA", "Birmingham"});
  f.must(ApplyToDps{"X", "home-care"});
  f.must(RefuseApplication{"X", "home-care", "no registered manager"});
  f.admit({"A"});
  f.must(DeclareCapacity{"P-A", "A", "home-care", 300});
  const auto moves = movements_report(f.market, ReportPeriod{0, kMonday, kMonday, std::nullopt});
  REQUIRE(moves.size() == 1);
  CHECK(f.market.location(moves[0].location).id == "A");
}

TEST_CASE("the entries and departures survive a snapshot and a replay of the journal", "[reports][entering-leaving][snapshot]") {
  Comings f;
  Market restored;
  REQUIRE(restored.load_snapshot(f.market.save_snapshot()).ok());
  CHECK(restored.digest() == f.market.digest());
  Market replayed;
  for (const Event& e : f.events) replayed.apply(e);
  CHECK(replayed.digest() == f.market.digest());
  for (LocationIndex l = 0; l < f.market.location_count(); ++l) {
    CHECK(restored.location(l).admission_moves == f.market.location(l).admission_moves);
    CHECK(replayed.location(l).admission_moves == f.market.location(l).admission_moves);
  }
}

namespace {

/// A week of RAGs: A, B and C admitted on Monday; Tuesday A is embargoed (Red); Wednesday B is
/// suspended; Thursday B is reinstated and A's embargo lifted; Friday X (never admitted) is
/// embargoed and applies, Red; Saturday C's contract is terminated. The clock stops at 09:00
/// on Saturday.
struct RagWeek : MarketFixture {
  RagWeek() {
    admit({"A"});
    admit({"B"});
    admit({"C"});
    go_to(*this, kMonday + 1);
    must(embargo("A", true));
    go_to(*this, kMonday + 2);
    must(SuspendMembership{"B", "home-care", "safeguarding enquiry"});
    go_to(*this, kMonday + 3);
    must(ReinstateMembership{"B", "home-care"});
    must(embargo("A", false));
    go_to(*this, kMonday + 4);
    must(RegisterProvider{"P-X", "X Ltd"});
    must(RegisterLocation{"X", "P-X", "X branch", "B13 9AA", "Birmingham"});
    must(embargo("X", true));
    must(ApplyToDps{"X", "home-care"});
    go_to(*this, kMonday + 5);
    must(terminate("P-C"));
  }
};

}  // namespace

TEST_CASE("RAG counts by day count the admitted locations under the RAG last announced", "[reports][rag-counts]") {
  RagWeek f;
  REQUIRE(f.market.location(*f.market.find_location("A")).rag_changes.size() >= 2);
  const auto rows = rag_counts_report(f.market, ReportPeriod{0, kMonday - 1, kMonday + 6, std::nullopt}, RagBucket::day);
  // Sunday before (nobody yet) to Saturday (today); Sunday the 29th is to come, so left out.
  REQUIRE(rows.size() == 7);
  const auto counts = [&](std::size_t i) {
    return std::vector<std::int64_t>{rows[i].green, rows[i].amber, rows[i].red};
  };
  CHECK(counts(0) == std::vector<std::int64_t>{0, 0, 0});  // Sunday 22nd
  CHECK(counts(1) == std::vector<std::int64_t>{3, 0, 0});  // Monday: all three admitted
  CHECK(counts(2) == std::vector<std::int64_t>{2, 0, 1});  // Tuesday: A Red
  CHECK(counts(3) == std::vector<std::int64_t>{1, 0, 1});  // Wednesday: B suspended
  CHECK(counts(4) == std::vector<std::int64_t>{3, 0, 0});  // Thursday: B back, A Green
  CHECK(counts(5) == std::vector<std::int64_t>{3, 0, 0});  // Friday: X Red but never admitted
  CHECK(counts(6) == std::vector<std::int64_t>{2, 0, 0});  // Saturday, as it stands: C terminated
  // A day is counted at its last millisecond (London); today's at the market's clock.
  CHECK(rows[1].at == london_to_utc(kMonday + 1, 0) - 1);
  CHECK(rows[6].at == f.market.now());
  CHECK(rows[6].first == kMonday + 5);
}

TEST_CASE("RAG counts by week run Monday to Sunday, clipped to the period", "[reports][rag-counts]") {
  RagWeek f;
  // From Wednesday the 18th: that week's Wednesday to Sunday, then this week (counted now).
  const auto rows = rag_counts_report(f.market, ReportPeriod{0, kMonday - 5, kMonday + 6, std::nullopt}, RagBucket::week);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].first == kMonday - 5);
  CHECK(rows[0].last == kMonday - 1);
  CHECK(rows[0].locations() == 0);
  CHECK(rows[1].first == kMonday);
  CHECK(rows[1].last == kMonday + 6);
  CHECK(rows[1].at == f.market.now());
  CHECK(rows[1].green == 2);
  CHECK(rows[1].locations() == 2);
  // Ended on Wednesday: the bucket is Monday to Wednesday, counted at Wednesday's end.
  const auto short_week = rag_counts_report(f.market, ReportPeriod{0, kMonday, kMonday + 2, std::nullopt}, RagBucket::week);
  REQUIRE(short_week.size() == 1);
  CHECK(short_week[0].last == kMonday + 2);
  CHECK(short_week[0].red == 1);
  CHECK(short_week[0].green == 1);
}

TEST_CASE("an Amber location counts as Amber while admitted", "[reports][rag-counts]") {
  MarketFixture f;
  f.admit({"A"});
  UpdateQualityInputs q = embargo("A", false);
  q.embargo.reset();
  q.reason = "two concerns substantiated";
  q.record_substantiated_concerns = 2;
  f.must(q);
  REQUIRE(f.market.risk_of(0, 0).rag == Rag::amber);
  const auto rows = rag_counts_report(f.market, ReportPeriod{0, kMonday, kMonday, std::nullopt}, RagBucket::day);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].amber == 1);
  CHECK(rows[0].locations() == 1);
}
