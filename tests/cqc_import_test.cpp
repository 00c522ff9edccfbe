// The CQC import (issue 12, item 2), as rules of the market: a CQC file is read by header name
// in any of its layouts; a file missing a column fails naming it; bad rows are reported by row
// number while good rows apply, and no row is half-applied; locations not registered here are
// counted, not errors; a newer file updates the rating and keeps the history. And the real
// extracts in data/cqc/ import with every row accounted for and none of the good rows rejected,
// while a deliberately broken copy reports its bad rows by number.
#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "demo/demo_market.h"
#include "engine/cqc/cqc_file.h"
#include "market_fixture.h"

using namespace carebroker::testing;
using carebroker::cqc::CqcFile;
using carebroker::cqc::read_cqc_file;

namespace {

const std::string kCqcDir = std::string(CAREBROKER_DATA_DIR) + "/cqc/";
const std::string kLocationsFile = "cqc_birmingham_solihull_domiciliary_care_2026-09.csv";
const std::string kHistoryFile = "cqc_domcare_rating_history_bham_solihull.csv";
const std::string kKeyQuestionFile = "cqc_birmingham_care_homes_kq_ratings.csv";

/// Imports CSV text through the market as compliance would; returns the import's report.
const CqcRatingsImported& import_cqc(MarketFixture& f, const std::string& source, const std::string& text) {
  CqcFile file = read_cqc_file(text);
  INFO(file.error);
  REQUIRE(file.error.empty());
  const Reply r = f.must(ImportCqcRatings{source, "compliance-1", std::move(file.rows)});
  REQUIRE(r.number == f.market.cqc_imports().size());
  return f.market.cqc_imports().back();
}

std::map<CqcRowOutcome, int> outcomes(const CqcRatingsImported& imp) {
  std::map<CqcRowOutcome, int> out;
  for (const auto& r : imp.rows) ++out[r.outcome];
  return out;
}

/// The rows of a report with `outcome`, by row number → detail.
std::map<int, std::string> rows_with(const CqcRatingsImported& imp, CqcRowOutcome outcome) {
  std::map<int, std::string> out;
  for (const auto& r : imp.rows)
    if (r.outcome == outcome) out[r.row] = r.detail;
  return out;
}

/// The number of data lines of a CSV file without fields spanning lines (the header aside).
int data_rows(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n')) - 1;
}

/// The demonstration market (real Birmingham and Solihull home-care locations), to import into.
struct DemoFixture : MarketFixture {
  static DpsConfig test_dps() {
    DpsConfig c = home_care_config();
    c.code = "test-care";  // the demonstration's own home-care DPS comes with it
    return c;
  }
  DemoFixture() : MarketFixture(test_dps()) {
    auto demo = carebroker::demo::demo_market(CAREBROKER_DATA_DIR, kMonday9am);
    INFO(demo.error);
    REQUIRE(demo.error.empty());
    // The fixture already defined its categories and a home-care DPS; the demo's own come after.
    for (const auto& c : demo.commands)
      if (!std::holds_alternative<Tick>(c)) must(c);
    REQUIRE(market.location_count() == static_cast<std::size_t>(demo.locations));
  }

  /// How many of a CQC file's rows name a location registered here (an independent count).
  int registered_rows(const std::string& text) const {
    const CqcFile file = read_cqc_file(text);
    int n = 0;
    for (const auto& r : file.rows) n += market.find_location(r.location) ? 1 : 0;
    return n;
  }
};

}  // namespace

// ---- reading files by header name ----

TEST_CASE("a CQC file is read by header name in each layout, extra columns ignored", "[cqc]") {
  const CqcFile history = read_cqc_file("ownership,overall_rating,report_date,location_id\n"
                                        "For-profit,Requires Improvement,2022-03-02,1-9507395022\n");
  REQUIRE(history.error.empty());
  CHECK(history.layout == "rating_history");
  REQUIRE(history.rows.size() == 1);
  CHECK(history.rows[0].row == 2);
  CHECK(history.rows[0].location == "1-9507395022");
  CHECK(history.rows[0].rating.overall == CqcRating::requires_improvement);
  CHECK(history.rows[0].rating.published == *parse_date("2022-03-02"));

  // CQC's "HSCA Active Locations" column names, with its DD/MM/YYYY dates.
  const CqcFile hsca = read_cqc_file(
      "Location ID,Location Name,Care home?,Location Latest Overall Rating,Publication Date,Inherited Rating (Y/N)\n"
      "1-2375497294,24-7 Care Services,N,Requires improvement,04/01/2024,N\n"
      "1-19611241388,3 D Care Services,N,,,\n");
  REQUIRE(hsca.error.empty());
  CHECK(hsca.layout == "hsca_active_locations");
  REQUIRE(hsca.rows.size() == 2);
  CHECK(hsca.rows[0].rating.published == *parse_date("2024-01-04"));
  CHECK(hsca.rows[1].rating.overall == CqcRating::none);
  CHECK(hsca.rows[1].rejected.empty());

  const CqcFile kq = read_cqc_file(
      "location_id,rating_overall,rating_safe,rating_effective,rating_caring,rating_responsive,rating_well_led,rating_date\n"
      "1-1004508435,Requires Improvement,Requires Improvement,Good,Outstanding,Good,Inadequate,2020-10-01\n");
  REQUIRE(kq.error.empty());
  CHECK(kq.layout == "key_question_ratings");
  const CqcRatingRecord& r = kq.rows.at(0).rating;
  CHECK(r.overall == CqcRating::requires_improvement);
  CHECK(r.safe == CqcRating::requires_improvement);
  CHECK(r.effective == CqcRating::good);
  CHECK(r.caring == CqcRating::outstanding);
  CHECK(r.responsive == CqcRating::good);
  CHECK(r.well_led == CqcRating::inadequate);
}

TEST_CASE("a CQC file missing a required column fails whole, naming the missing columns", "[cqc]") {
  const CqcFile one = read_cqc_file("location_id,overall_rating,ownership\n1-1,Good,For-profit\n");
  CHECK(one.layout == "rating_history");
  CHECK(one.missing == std::vector<std::string>{"report_date"});
  CHECK(one.error.find("missing required column report_date") != std::string::npos);
  CHECK(one.rows.empty());

  const CqcFile two = read_cqc_file(
      "location_id,rating_overall,rating_safe,rating_effective,rating_caring,rating_date\n1-1,Good,Good,Good,Good,2024-01-01\n");
  CHECK(two.layout == "key_question_ratings");
  CHECK(two.missing == std::vector<std::string>{"rating_responsive", "rating_well_led"});
  CHECK(two.error.find("missing required columns rating_responsive, rating_well_led") != std::string::npos);

  CHECK(read_cqc_file("name,postcode\nA,B1 1AA\n").error.find("missing required columns") != std::string::npos);
  CHECK(read_cqc_file("").error.find("empty") != std::string::npos);
  CHECK(read_cqc_file("location_id,overall_rating,report_date\n1-1,\"Good,2024-01-01\n").error.find("unterminated") !=
        std::string::npos);
}

TEST_CASE("bad rows are reported by row number, each with its reason", "[cqc]") {
  const CqcFile f = read_cqc_file(
      "location_id,report_date,overall_rating\n"
      "1-101,2024-01-04,Good\n"         // row 2: good
      "1-102,2024-01-04,Goodish\n"      // row 3: not a rating
      "1-103,2024-13-45,Good\n"         // row 4: not a date
      ",2024-01-04,Good\n"              // row 5: no location
      "1-105,,Inadequate\n"             // row 6: a rating without its date
      "1-106,2024-01-04\n"              // row 7: a field missing
      "\n"                              // line 8: blank, skipped
      "BRANCH-7,2024-01-04,Good\n"      // row 9: not a CQC location ID
      "1-109,4 Jan 2024,Good\n");       // row 10: not a date
  REQUIRE(f.error.empty());
  std::map<int, std::string> bad;
  for (const auto& r : f.rows)
    if (!r.rejected.empty()) bad[r.row] = r.rejected;
  CHECK(bad.size() == 7);
  CHECK(bad[3].find("overall_rating 'Goodish' is not a CQC rating") != std::string::npos);
  CHECK(bad[4].find("report_date '2024-13-45' is not a date") != std::string::npos);
  CHECK(bad[5] == "no location_id");
  CHECK(bad[6] == "a rating needs its date: report_date is blank");
  CHECK(bad[7] == "the row has 2 fields, the header has 3");
  CHECK(bad[9].find("'BRANCH-7' is not a CQC location ID") != std::string::npos);
  CHECK(bad[10].find("'4 Jan 2024' is not a date") != std::string::npos);
  // A long bad cell is cut for the report without splitting a character.
  // (39 bytes, then "été": the 40th byte is the middle of "é".)
  const CqcFile long_cell = read_cqc_file("location_id,report_date,overall_rating\n1-1,2024-01-04,"
                                          "Good but the inspectors found problems été\n");
  REQUIRE(long_cell.rows.size() == 1);
  CHECK(long_cell.rows[0].rejected.find("'Good but the inspectors found problems …'") != std::string::npos);
  CHECK(f.rows.front().rejected.empty());
}

// ---- importing into the market ----

TEST_CASE("an import applies good rows, counts strangers as not registered and applies nothing of a bad row",
          "[cqc]") {
  MarketFixture f;
  f.admit({.id = "1-101", .cqc = CqcRating::good});
  f.admit({.id = "1-102", .cqc = CqcRating::good});
  const auto before_102 = location(f, "1-102");
  const CqcRatingsImported& imp = import_cqc(f, "kq.csv",
      "location_id,rating_overall,rating_safe,rating_effective,rating_caring,rating_responsive,rating_well_led,rating_date\n"
      "1-101,Requires Improvement,Inadequate,Good,Good,Good,Requires Improvement,2025-06-01\n"
      "1-102,Inadequate,Inadequate,Good,Terrible,Good,Good,2025-06-01\n"
      "1-999,Good,Good,Good,Good,Good,Good,2025-06-01\n");
  CHECK(imp.import == 1);
  REQUIRE(imp.rows.size() == 3);
  CHECK(imp.rows[0].outcome == CqcRowOutcome::rating_changed);
  CHECK(imp.rows[1].outcome == CqcRowOutcome::rejected);
  CHECK(imp.rows[1].detail.find("rating_caring 'Terrible' is not a CQC rating") != std::string::npos);
  CHECK(imp.rows[2].outcome == CqcRowOutcome::not_registered);
  // The good row: current rating and the key questions in the history.
  const Location& l = location(f, "1-101");
  CHECK(l.quality.cqc == CqcRating::requires_improvement);
  REQUIRE(l.cqc_history.size() == 1);
  CHECK(l.cqc_history[0].safe == CqcRating::inadequate);
  CHECK(l.cqc_history[0].import == 1);
  // The bad row: not half-applied — its valid overall rating did not land either.
  CHECK(location(f, "1-102") == before_102);
  CHECK(f.count<CqcRatingsImported>() == 1);
}

TEST_CASE("a newer file updates the rating and keeps the history, an older one only adds history", "[cqc]") {
  MarketFixture f;
  f.admit({.id = "1-101", .cqc = CqcRating::none});
  const char* header = "location_id,report_date,overall_rating\n";
  const auto& first = import_cqc(f, "2022.csv", std::string(header) + "1-101,2022-03-02,Requires improvement\n");
  CHECK(first.rows[0].outcome == CqcRowOutcome::rating_changed);
  CHECK(location(f, "1-101").quality.cqc == CqcRating::requires_improvement);

  const auto& newer = import_cqc(f, "2024.csv", std::string(header) + "1-101,2024-04-12,Good\n");
  CHECK(newer.rows[0].outcome == CqcRowOutcome::rating_changed);
  CHECK(location(f, "1-101").quality.cqc == CqcRating::good);

  const auto& older = import_cqc(f, "2018.csv", std::string(header) + "1-101,2018-01-10,Inadequate\n");
  CHECK(older.rows[0].outcome == CqcRowOutcome::history_added);
  CHECK(location(f, "1-101").quality.cqc == CqcRating::good);  // history does not overrule the newest

  const auto& again = import_cqc(f, "2024-again.csv", std::string(header) + "1-101,2024-04-12,Good\n");
  CHECK(again.rows[0].outcome == CqcRowOutcome::already_known);
  CHECK(again.rows[0].detail == "recorded by import 2");

  std::vector<std::pair<Date, CqcRating>> history;
  for (const auto& r : location(f, "1-101").cqc_history) history.emplace_back(r.published, r.overall);
  CHECK(history == std::vector<std::pair<Date, CqcRating>>{{*parse_date("2018-01-10"), CqcRating::inadequate},
                                                           {*parse_date("2022-03-02"), CqcRating::requires_improvement},
                                                           {*parse_date("2024-04-12"), CqcRating::good}});
  // The import is journaled like any other change: replay gives the same market.
  Market replayed;
  for (const Event& e : f.events) replayed.apply(e);
  CHECK(replayed.digest() == f.market.digest());
}

TEST_CASE("an imported Inadequate rating turns the location Red and keeps it out of new broadcasts", "[cqc]") {
  MarketFixture f;
  f.admit({.id = "1-101", .cqc = CqcRating::good});
  f.admit({.id = "1-102", .cqc = CqcRating::good});
  const LocationIndex a = *f.market.find_location("1-101");
  CHECK(f.market.risk_of(a, 0).rag == Rag::green);
  import_cqc(f, "cqc.csv", "location_id,report_date,overall_rating\n1-101,2026-11-20,Inadequate\n");
  const RiskRating r = f.market.risk_of(a, 0);
  CHECK(r.rag == Rag::red);
  CHECK(std::find(r.reasons.begin(), r.reasons.end(), "CQC rating inadequate") != r.reasons.end());
  CHECK(f.market.quality_of(a, 0).score < f.market.quality_of(*f.market.find_location("1-102"), 0).score);
  const PackageId id = f.post();
  CHECK(f.invited(id) == std::vector<std::string>{"1-102"});
}

TEST_CASE("within one file, a repeated row is already known and a contradicting one is rejected", "[cqc]") {
  MarketFixture f;
  f.admit({.id = "1-101"});
  const auto& imp = import_cqc(f, "dup.csv",
                           "location_id,report_date,overall_rating\n"
                           "1-101,2024-04-12,Inadequate\n"
                           "1-101,2024-04-12,Inadequate\n"
                           "1-101,2024-04-12,Good\n");
  CHECK(imp.rows[0].outcome == CqcRowOutcome::rating_changed);
  CHECK(imp.rows[1].outcome == CqcRowOutcome::already_known);
  CHECK(imp.rows[1].detail == "the same as row 2");
  CHECK(imp.rows[2].outcome == CqcRowOutcome::rejected);
  CHECK(imp.rows[2].detail == "row 2 gives another rating for 1-101 on 2024-04-12");
  CHECK(location(f, "1-101").quality.cqc == CqcRating::inadequate);
}

TEST_CASE("a file without key questions does not erase those another file gave for the same rating", "[cqc]") {
  MarketFixture f;
  f.admit({.id = "1-101"});
  import_cqc(f, "kq.csv",
         "location_id,rating_overall,rating_safe,rating_effective,rating_caring,rating_responsive,rating_well_led,rating_date\n"
         "1-101,Good,Requires Improvement,Good,Good,Good,Good,2023-05-05\n");
  const auto& overall_only = import_cqc(f, "history.csv", "location_id,report_date,overall_rating\n1-101,2023-05-05,Good\n");
  CHECK(overall_only.rows[0].outcome == CqcRowOutcome::already_known);
  const auto& corrected = import_cqc(f, "history.csv", "location_id,report_date,overall_rating\n1-101,2023-05-05,Requires improvement\n");
  CHECK(corrected.rows[0].outcome == CqcRowOutcome::record_updated);
  CHECK(location(f, "1-101").quality.cqc == CqcRating::requires_improvement);
  CHECK(location(f, "1-101").cqc_history.size() == 1);
}

TEST_CASE("an import without a file name, or of too many rows, is refused and changes nothing", "[cqc]") {
  MarketFixture f;
  expect_rejected(f, ImportCqcRatings{"", "compliance-1", {}}, Code::invalid_cqc_file);
  expect_rejected(f, ImportCqcRatings{"big.csv", "compliance-1", std::vector<CqcRow>(200'001)}, Code::invalid_cqc_file);
}

// ---- the real extracts ----

TEST_CASE("the real CQC extracts import with every row accounted for and no good row rejected", "[cqc][data]") {
  DemoFixture f;
  REQUIRE(f.market.location_count() > 300);
  // Two real care homes registered here, so the key-question file has rows to apply.
  f.must(RegisterProvider{"1-101641521", "MACC Care Limited"});
  f.must(RegisterLocation{"1-1004508435", "1-101641521", "Meadow Rose Nursing Home", "B31 2TX", "Birmingham"});
  f.must(RegisterProvider{"1-9617071823", "Respite Breaks Limited"});
  f.must(RegisterLocation{"1-10016894058", "1-9617071823", "Respite Breaks - Epwell rd.", "B44 8DD", "Birmingham"});

  struct Expected {
    std::string file;
    int rows;
  };
  // The order a council would meet them in: the history, then the newer published ratings.
  for (const Expected& e : {Expected{kHistoryFile, 453}, Expected{kLocationsFile, 353}, Expected{kKeyQuestionFile, 271}}) {
    INFO(e.file);
    const std::string text = read_text_file(kCqcDir + e.file);
    const int not_registered = e.rows - f.registered_rows(text);
    REQUIRE(data_rows(text) == e.rows);
    const CqcRatingsImported& imp = import_cqc(f, e.file, text);
    auto count = outcomes(imp);
    REQUIRE(static_cast<int>(imp.rows.size()) == e.rows);
    std::set<int> numbers;
    for (const auto& r : imp.rows) numbers.insert(r.row);
    CHECK(numbers.size() == imp.rows.size());  // every row once, by its own number
    CHECK(*numbers.begin() == 2);
    CHECK(*numbers.rbegin() == e.rows + 1);
    INFO(rows_with(imp, CqcRowOutcome::rejected).size() << " rejected, e.g. row "
         << (rows_with(imp, CqcRowOutcome::rejected).empty() ? 0 : rows_with(imp, CqcRowOutcome::rejected).begin()->first)
         << ": " << (rows_with(imp, CqcRowOutcome::rejected).empty() ? "" : rows_with(imp, CqcRowOutcome::rejected).begin()->second));
    CHECK(count[CqcRowOutcome::rejected] == 0);
    CHECK(count[CqcRowOutcome::not_registered] == not_registered);
    int applied = 0;
    for (const auto& [outcome, n] : count)
      if (outcome != CqcRowOutcome::rejected && outcome != CqcRowOutcome::not_registered) applied += n;
    CHECK(applied + count[CqcRowOutcome::not_registered] + count[CqcRowOutcome::rejected] == e.rows);
    CHECK(applied > 0);
  }
  const auto& imports = f.market.cqc_imports();
  // The history's exact repeats (1-9507395022 on 2024-04-12, rows 439-441) are already known.
  CHECK(rows_with(imports[0], CqcRowOutcome::already_known) ==
        std::map<int, std::string>{{440, "the same as row 439"}, {441, "the same as row 439"}});
  // 24-7 Care Services: Requires improvement published 2024-01-04 (the September 2026 file),
  // after the history's earlier ratings, which it keeps.
  const Location& l = location(f, "1-2375497294");
  CHECK(l.quality.cqc == CqcRating::requires_improvement);
  CHECK(l.cqc_history.back().published == *parse_date("2024-01-04"));
  // Unrated locations and "Not Rated" are no rating published, not errors.
  CHECK(outcomes(imports[1])[CqcRowOutcome::no_rating_published] > 100);
  // The care home's key questions arrived whole.
  const Location& home = location(f, "1-1004508435");
  REQUIRE(home.cqc_history.size() == 1);
  CHECK(home.cqc_history[0].caring == CqcRating::good);
  CHECK(home.cqc_history[0].well_led == CqcRating::requires_improvement);
  CHECK(home.quality.cqc == CqcRating::requires_improvement);
  // Replaying the journal gives the same market.
  Market replayed;
  for (const Event& e : f.events) replayed.apply(e);
  CHECK(replayed.digest() == f.market.digest());
}

TEST_CASE("a deliberately broken copy of a real extract reports its bad rows by number and applies the rest",
          "[cqc][data]") {
  DemoFixture f;
  std::vector<std::string> lines;
  {
    std::istringstream in(read_text_file(kCqcDir + kHistoryFile));
    for (std::string line; std::getline(in, line);) lines.push_back(line);
  }
  REQUIRE(lines.size() == 454);
  // Row N is lines[N - 1]. Break five rows, each in its own way.
  auto replace = [&](int row, const std::string& from, const std::string& to) {
    std::string& line = lines[static_cast<std::size_t>(row - 1)];
    const auto at = line.find(from);
    REQUIRE(at != std::string::npos);
    line.replace(at, from.size(), to);
  };
  replace(5, ",Good,", ",Goodish,");
  replace(12, ",20", ",2024-13-45,20");  // shifts the row by one field: too many fields
  lines[19] = lines[19].substr(lines[19].find(','));  // row 20: no location ID
  replace(33, ",Requires improvement,", ",Requires improvment,");
  lines[99] = lines[99].substr(0, lines[99].find(',') + 1) + "31/02/2020" + lines[99].substr(lines[99].find(',', lines[99].find(',') + 1));
  std::string text;
  for (const auto& l : lines) text += l + "\n";

  const CqcRatingsImported& imp = import_cqc(f, "broken.csv", text);
  REQUIRE(imp.rows.size() == 453);
  const auto rejected = rows_with(imp, CqcRowOutcome::rejected);
  std::set<int> numbers;
  for (const auto& [row, why] : rejected) numbers.insert(row);
  CHECK(numbers == std::set<int>{5, 12, 20, 33, 100});
  CHECK(rejected.at(5).find("'Goodish' is not a CQC rating") != std::string::npos);
  CHECK(rejected.at(12).find("fields, the header has 4") != std::string::npos);
  CHECK(rejected.at(20) == "no location_id");
  CHECK(rejected.at(33).find("'Requires improvment' is not a CQC rating") != std::string::npos);
  CHECK(rejected.at(100).find("'31/02/2020' is not a date") != std::string::npos);
  // Every other row is accounted for as the intact file's is: not registered rows alike, the
  // rest applied (rejected rows only where the copy was broken).
  DemoFixture intact;
  const CqcRatingsImported& whole = import_cqc(intact, "intact.csv", read_text_file(kCqcDir + kHistoryFile));
  REQUIRE(whole.rows.size() == imp.rows.size());
  for (std::size_t i = 0; i < imp.rows.size(); ++i) {
    if (numbers.count(imp.rows[i].row)) continue;
    INFO("row " << imp.rows[i].row);
    CHECK(imp.rows[i].row == whole.rows[i].row);
    CHECK((imp.rows[i].outcome == CqcRowOutcome::not_registered) == (whole.rows[i].outcome == CqcRowOutcome::not_registered));
    CHECK(imp.rows[i].outcome != CqcRowOutcome::rejected);
  }
  CHECK(outcomes(whole)[CqcRowOutcome::rejected] == 0);
}
