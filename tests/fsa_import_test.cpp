// The FSA food hygiene rating import (issue 12, item 2), as rules of the market: an FHRS file
// with the council's CQC location column is read by header name; a file missing a column fails
// naming it; bad rows are reported by row number while good rows apply, and no row is
// half-applied; exempt and awaiting establishments are no rating, locations not registered here
// are counted, not errors; the newest rating becomes the location's FSA input — an early-warning
// entry with who, when, why and the FHRSID, and FSA 0–2 turns it Amber — while an older one is
// kept out. And the sample file in data/fsa/ imports into the demonstration market with every
// row accounted for.
#include <algorithm>
#include <map>

#include "demo/demo_market.h"
#include "engine/codec/event_codec.h"
#include "engine/cqc/fsa_file.h"
#include "market_fixture.h"

using namespace carebroker::testing;
using carebroker::cqc::FsaFile;
using carebroker::cqc::parse_fsa_rating;
using carebroker::cqc::read_fsa_file;

namespace {

const std::string kSampleFile = std::string(CAREBROKER_DATA_DIR) + "/fsa/fsa_fhrs_matched_bham_solihull_example.csv";
const char* kFsaCsvHeader = "FHRSID,BusinessName,PostCode,RatingValue,RatingDate,LocalAuthorityName,location_id\n";

/// Imports CSV text through the market as compliance would; returns the import's report.
const FsaRatingsImported& import_fsa(MarketFixture& f, const std::string& text, const std::string& source = "fhrs.csv") {
  FsaFile file = read_fsa_file(text);
  INFO(file.error);
  REQUIRE(file.error.empty());
  const Reply r = f.must(ImportFsaRatings{source, "compliance-1", std::move(file.rows)});
  REQUIRE(r.number == f.market.fsa_imports().size());
  return f.market.fsa_imports().back();
}

/// One data line of kFsaCsvHeader's layout.
std::string line(const std::string& fhrsid, const std::string& rating, const std::string& date,
                 const std::string& location) {
  return fhrsid + ",Kitchen of " + location + ",B13 9AA," + rating + "," + date + ",Birmingham," + location + "\n";
}

std::map<FsaRowOutcome, int> outcomes(const FsaRatingsImported& imp) {
  std::map<FsaRowOutcome, int> out;
  for (const auto& r : imp.rows) ++out[r.outcome];
  return out;
}

/// The rejected rows of a file as read: row number → reason.
std::map<int, std::string> rejected_rows(const FsaFile& file) {
  std::map<int, std::string> out;
  for (const auto& r : file.rows)
    if (!r.rejected.empty()) out[r.row] = r.rejected;
  return out;
}

}  // namespace

// ---- reading files by header name ----

TEST_CASE("an FSA file is read by FHRS's column names and the council's location column, others ignored", "[fsa]") {
  const FsaFile f = read_fsa_file(
      "LocalAuthorityBusinessID,FHRSID,BusinessName,BusinessType,PostCode,RatingValue,RatingKey,RatingDate,location_id\n"
      "PI/000123,1387594,Arden Place,Caring Premises,B33 0NN,2,fhrs_2_en-gb,2026-10-06,1-16325372876\n"
      "PI/000124,1387595,\"Alpine House, kitchen\",Caring Premises,B18 6NY,5,fhrs_5_en-gb,2025-03-12T00:00:00,1-126005236\n"
      "PI/000125,1387596,Quadrant Court,Caring Premises,B1 1BD,0,fhrs_0_en-gb,29/11/2023,1-11140088585\n");
  REQUIRE(f.error.empty());
  CHECK(f.location_column == "location_id");
  REQUIRE(f.rows.size() == 3);
  CHECK(f.rows[0] == FsaRow{2, "1-16325372876", "1387594", "Arden Place", FsaRating::r2, *parse_date("2026-10-06"), ""});
  CHECK(f.rows[1].business == "Alpine House, kitchen");
  CHECK(f.rows[1].rating == FsaRating::r5);
  CHECK(f.rows[1].rated_on == *parse_date("2025-03-12"));  // the FHRS API's time of day is ignored
  CHECK(f.rows[2].rating == FsaRating::r0);
  CHECK(f.rows[2].rated_on == *parse_date("2023-11-29"));  // DD/MM/YYYY, as a spreadsheet saves it

  // CQC's own column name for the location, and no BusinessName: the report has none.
  const FsaFile cqc_named = read_fsa_file("Location ID,FHRSID,RatingValue,RatingDate\n1-101,77,4,2024-01-04\n");
  REQUIRE(cqc_named.error.empty());
  CHECK(cqc_named.location_column == "Location ID");
  REQUIRE(cqc_named.rows.size() == 1);
  CHECK(cqc_named.rows[0].location == "1-101");
  CHECK(cqc_named.rows[0].business.empty());
  CHECK(cqc_named.rows[0].rejected.empty());
}

TEST_CASE("FHRS's rating values: 0 to 5 are ratings, exempt and awaiting are no rating, Scotland's results and anything else are refused",
          "[fsa]") {
  FsaRating r = FsaRating::r3;
  std::string why;
  for (int v = 0; v <= 5; ++v) {
    CHECK(parse_fsa_rating(std::to_string(v), r, why));
    CHECK(r == static_cast<FsaRating>(static_cast<int>(FsaRating::r0) + v));
  }
  CHECK(parse_fsa_rating(" 4 ", r, why));
  CHECK(r == FsaRating::r4);
  for (const char* exempt : {"Exempt", "exempt", "EXEMPT"}) {
    CHECK(parse_fsa_rating(exempt, r, why));
    CHECK(r == FsaRating::not_applicable);
  }
  for (const char* awaiting : {"AwaitingInspection", "AwaitingPublication", "Awaiting Inspection", "awaiting-publication"}) {
    CHECK(parse_fsa_rating(awaiting, r, why));
    CHECK(r == FsaRating::awaiting);
  }
  for (const char* scottish : {"Pass", "Pass and Eat Safe", "Improvement Required"}) {
    INFO(scottish);
    why.clear();
    CHECK_FALSE(parse_fsa_rating(scottish, r, why));
    CHECK(why.find("is a result of Scotland's FHIS, not a food hygiene rating 0 to 5") != std::string::npos);
  }
  for (const char* bad : {"6", "-1", "abc", "", "4.5", "05", "fhrs_5_en-gb"}) {
    INFO(bad);
    why.clear();
    CHECK_FALSE(parse_fsa_rating(bad, r, why));
    CHECK(why == "RatingValue '" + std::string(bad) +
                     "' is not a food hygiene rating (0 to 5, Exempt, AwaitingInspection or AwaitingPublication)");
  }
}

TEST_CASE("an FSA file missing a required column fails whole, naming the missing columns", "[fsa]") {
  const FsaFile no_date = read_fsa_file("FHRSID,RatingValue,location_id\n1,5,1-101\n");
  CHECK(no_date.missing == std::vector<std::string>{"RatingDate"});
  CHECK(no_date.error.find("missing required column RatingDate (") != std::string::npos);
  CHECK(no_date.rows.empty());

  // FHRS's file as published, before the council matched it to CQC locations.
  const FsaFile unmatched = read_fsa_file("FHRSID,BusinessName,RatingValue,RatingDate,LocalAuthorityName\n1,A,5,2024-01-01,Birmingham\n");
  CHECK(unmatched.missing == std::vector<std::string>{"location_id"});
  CHECK(unmatched.error.find("missing required column location_id") != std::string::npos);
  CHECK(unmatched.error.find("CQC's Location ID") != std::string::npos);

  const FsaFile cqc_file = read_fsa_file("location_id,report_date,overall_rating\n1-101,2024-01-01,Good\n");
  CHECK(cqc_file.missing == std::vector<std::string>{"FHRSID", "RatingValue", "RatingDate"});
  CHECK(cqc_file.error.find("missing required columns FHRSID, RatingValue, RatingDate") != std::string::npos);

  // Both location columns: which one names the location is unclear, so the file is refused.
  const FsaFile both = read_fsa_file("FHRSID,RatingValue,RatingDate,location_id,Location ID\n1,5,2024-01-01,1-101,1-102\n");
  CHECK(both.missing.empty());
  CHECK(both.error.find("both location_id and Location ID columns") != std::string::npos);
  CHECK(read_fsa_file("").error.find("the file is empty") != std::string::npos);
  CHECK(read_fsa_file("FHRSID,RatingValue,RatingDate,location_id\n1,\"5,2024-01-01,1-101\n").error.find("unterminated") !=
        std::string::npos);
}

TEST_CASE("bad FSA rows are reported by row number, each with its reason, and the good rows are read", "[fsa]") {
  const FsaFile f = read_fsa_file(std::string(kFsaCsvHeader) +
                                  line("101", "5", "2024-01-04", "1-101") +            // row 2: good
                                  line("102", "6", "2024-01-04", "1-102") +            // row 3: out of range
                                  line("103", "-1", "2024-01-04", "1-103") +           // row 4: out of range
                                  line("104", "abc", "2024-01-04", "1-104") +          // row 5: not a rating
                                  line("105", "4", "2024-13-45", "1-105") +            // row 6: not a date
                                  line("106", "3", "2024-01-04", "") +                 // row 7: no location
                                  line("107", "3", "2024-01-04", "BRANCH-7") +         // row 8: not a CQC ID
                                  line("", "3", "2024-01-04", "1-108") +               // row 9: no FHRSID
                                  line("PI/109", "3", "2024-01-04", "1-109") +         // row 10: not an FHRSID
                                  line("110", "2", "", "1-110") +                      // row 11: a rating without its date
                                  "111,Kitchen,B1 1AA,4,2024-01-04\n" +                // row 12: fields missing
                                  line("112", "Pass", "2024-01-04", "1-112") +         // row 13: Scotland's FHIS
                                  line("113", "AwaitingInspection", "", "1-113") +     // row 14: no rating, no date: good
                                  line("114", "Exempt", "someday", "1-114"));          // row 15: a broken date still is
  REQUIRE(f.error.empty());
  REQUIRE(f.rows.size() == 14);
  const auto bad = rejected_rows(f);
  CHECK(bad.size() == 12);
  CHECK(bad.count(2) == 0);
  CHECK(bad.count(14) == 0);
  CHECK(bad.at(3).find("RatingValue '6' is not a food hygiene rating (0 to 5") != std::string::npos);
  CHECK(bad.at(4).find("RatingValue '-1' is not a food hygiene rating") != std::string::npos);
  CHECK(bad.at(5).find("RatingValue 'abc' is not a food hygiene rating") != std::string::npos);
  CHECK(bad.at(6) == "RatingDate '2024-13-45' is not a date (YYYY-MM-DD or DD/MM/YYYY)");
  CHECK(bad.at(7).find("no location_id: the council matches each establishment to a CQC location") == 0);
  CHECK(bad.at(8) == "location_id 'BRANCH-7' is not a CQC location ID (1-…)");
  CHECK(bad.at(9) == "no FHRSID");
  CHECK(bad.at(10) == "FHRSID 'PI/109' is not an FHRS establishment id (digits)");
  CHECK(bad.at(11) == "a rating needs its date: RatingDate is blank");
  CHECK(bad.at(12) == "the row has 5 fields, the header has 7");
  CHECK(bad.at(13).find("'Pass' is a result of Scotland's FHIS") != std::string::npos);
  CHECK(bad.at(15) == "RatingDate 'someday' is not a date (YYYY-MM-DD or DD/MM/YYYY)");
  // A rejected row carries no rating: nothing of it can be applied.
  for (const auto& r : f.rows)
    if (!r.rejected.empty()) CHECK((r.rating == FsaRating::not_applicable && r.rated_on == 0));
  CHECK(f.rows[0].rating == FsaRating::r5);
  CHECK(f.rows[12].rating == FsaRating::awaiting);  // row 14
  // A later part of a file keeps the file's row numbers.
  const FsaFile part = read_fsa_file(std::string(kFsaCsvHeader) + line("101", "5", "2024-01-04", "1-101"), 5002);
  CHECK(part.rows.at(0).row == 5002);
}

// ---- importing into the market ----

TEST_CASE("an FSA import sets each registered location's FSA input, counts strangers and no-rating rows, and applies nothing of a bad row",
          "[fsa]") {
  MarketFixture f;
  for (const char* id : {"1-101", "1-102", "1-103", "1-104"}) f.admit({id});
  const Location before_102 = location(f, "1-102");
  const FsaRatingsImported& imp = import_fsa(f, std::string(kFsaCsvHeader) +
                                                line("9001", "5", "2025-06-01", "1-101") +
                                                line("9002", "7", "2025-06-01", "1-102") +
                                                line("9003", "AwaitingInspection", "", "1-103") +
                                                line("9004", "Exempt", "", "1-104") +
                                                line("9999", "3", "2025-06-01", "1-999"));
  CHECK(imp.import == 1);
  CHECK(imp.officer == "compliance-1");
  REQUIRE(imp.rows.size() == 5);
  CHECK(imp.rows[0].outcome == FsaRowOutcome::rating_changed);
  CHECK(imp.rows[0].fhrsid == "9001");
  CHECK(imp.rows[0].business == "Kitchen of 1-101");
  CHECK(imp.rows[1].outcome == FsaRowOutcome::rejected);
  CHECK(imp.rows[1].detail.find("RatingValue '7'") != std::string::npos);
  CHECK(imp.rows[2].outcome == FsaRowOutcome::no_rating);
  CHECK(imp.rows[2].detail == "awaiting inspection or publication: no rating yet");
  CHECK(imp.rows[3].outcome == FsaRowOutcome::no_rating);
  CHECK(imp.rows[3].detail == "exempt from rating");
  CHECK(imp.rows[4].outcome == FsaRowOutcome::not_registered);

  const Location& l = location(f, "1-101");
  CHECK(l.quality.fsa == FsaRating::r5);
  CHECK(l.fsa_rating == FsaRatingRecord{*parse_date("2025-06-01"), FsaRating::r5, "9001", 1, 2});
  CHECK(location(f, "1-102") == before_102);  // the bad row: not half-applied
  CHECK(location(f, "1-103").quality.fsa == FsaRating::not_applicable);  // no rating changes nothing
  CHECK(location(f, "1-103").fsa_rating.rated_on == 0);
  CHECK(f.count<FsaRatingsImported>() == 1);
}

TEST_CASE("an imported FSA rating of 2 turns the location Amber: an entry by the importing officer with the FHRSID as evidence, and a RagChanged",
          "[fsa][early-warning]") {
  MarketFixture f;
  f.admit({"1-101"});
  const LocationIndex a = *f.market.find_location("1-101");
  CHECK(f.market.risk_of(a, 0).rag == Rag::green);
  f.advance(kMillisPerHour);
  const std::uint32_t version = location(f, "1-101").quality_version;
  const std::size_t mark = f.events.size();
  FsaFile file = read_fsa_file(std::string(kFsaCsvHeader) + line("1387594", "2", "2026-11-02", "1-101"));
  f.must(ImportFsaRatings{"council-fhrs-november.csv", "compliance-2", std::move(file.rows)});

  const QualityEntry& e = location(f, "1-101").quality_entries.back();
  CHECK(e.by == "compliance-2");
  CHECK(e.at == f.market.now());
  CHECK(e.reason == "FSA import 1, row 2: food hygiene rating 2 of 2026-11-02");
  CHECK(e.evidence == "FHRSID 1387594");
  CHECK(e.changes == std::vector<InputChange>{{"fsa", "not_applicable", "2"}});
  const RiskRating risk = f.market.risk_of(a, 0);
  CHECK(risk.rag == Rag::amber);
  CHECK(risk.reasons == std::vector<std::string>{"FSA hygiene rating 2"});
  const auto changes = rag_changes_since(f, mark);
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].change.from == Rag::green);
  CHECK(changes[0].change.to == Rag::amber);
  CHECK(changes[0].change.reasons == std::vector<std::string>{"FSA hygiene rating 2"});
  CHECK(changes[0].change.at == f.market.now());
  // FSA is a risk input, not part of the quality score: its version stays.
  CHECK(location(f, "1-101").quality_version == version);

  // Re-inspected and rated 4: Green again, a second entry and RAG change.
  const std::size_t again = f.events.size();
  import_fsa(f, std::string(kFsaCsvHeader) + line("1387594", "4", "2026-11-20", "1-101"));
  CHECK(f.market.risk_of(a, 0).rag == Rag::green);
  CHECK(location(f, "1-101").quality_entries.back().changes == std::vector<InputChange>{{"fsa", "2", "4"}});
  const auto back = rag_changes_since(f, again);
  REQUIRE(back.size() == 1);
  CHECK(back[0].change.to == Rag::green);
}

TEST_CASE("a newer FSA rating replaces the one held, an older one is kept out, the same one again is already known",
          "[fsa]") {
  MarketFixture f;
  f.admit({"1-101"});
  const auto fsa = [&] { return location(f, "1-101").quality.fsa; };
  CHECK(import_fsa(f, std::string(kFsaCsvHeader) + line("55", "3", "2024-05-01", "1-101")).rows[0].outcome ==
        FsaRowOutcome::rating_changed);
  CHECK(fsa() == FsaRating::r3);

  const auto& newer = import_fsa(f, std::string(kFsaCsvHeader) + line("55", "1", "2026-01-10", "1-101"));
  CHECK(newer.rows[0].outcome == FsaRowOutcome::rating_changed);
  CHECK(fsa() == FsaRating::r1);

  const std::size_t entries = location(f, "1-101").quality_entries.size();
  const auto& older = import_fsa(f, std::string(kFsaCsvHeader) + line("55", "5", "2022-03-03", "1-101"));
  CHECK(older.rows[0].outcome == FsaRowOutcome::older_than_held);
  CHECK(older.rows[0].detail == "older than the rating 1 of 2026-01-10 held (FSA import 2, row 2)");
  CHECK(fsa() == FsaRating::r1);  // an old rating never overrules the newest
  CHECK(location(f, "1-101").quality_entries.size() == entries);

  const auto& same = import_fsa(f, std::string(kFsaCsvHeader) + line("55", "1", "2026-01-10", "1-101"));
  CHECK(same.rows[0].outcome == FsaRowOutcome::already_known);
  CHECK(same.rows[0].detail == "recorded by FSA import 2, row 2");

  // The council corrects the rating of that date (an appeal): the correction replaces it.
  const auto& corrected = import_fsa(f, std::string(kFsaCsvHeader) + line("55", "2", "2026-01-10", "1-101"));
  CHECK(corrected.rows[0].outcome == FsaRowOutcome::rating_changed);
  CHECK(corrected.rows[0].detail == "replaces the rating 1 of 2026-01-10 (FSA import 2, row 2)");
  CHECK(fsa() == FsaRating::r2);

  // A PATCH still sets the input; the next newer import replaces it, and one that brings the
  // value the input already has only records its date.
  UpdateQualityInputs patch;
  patch.location = "1-101";
  patch.fsa = FsaRating::r4;
  f.must(patch);
  const auto& confirmed = import_fsa(f, std::string(kFsaCsvHeader) + line("55", "4", "2026-06-30", "1-101"));
  CHECK(confirmed.rows[0].outcome == FsaRowOutcome::rating_confirmed);
  CHECK(location(f, "1-101").fsa_rating.rated_on == *parse_date("2026-06-30"));
  CHECK(fsa() == FsaRating::r4);
  const auto& replaced = import_fsa(f, std::string(kFsaCsvHeader) + line("55", "5", "2026-09-01", "1-101"));
  CHECK(replaced.rows[0].outcome == FsaRowOutcome::rating_changed);
  CHECK(fsa() == FsaRating::r5);
}

TEST_CASE("within one FSA file the newest rating of a location wins, a repeat is already known and a contradiction is rejected",
          "[fsa]") {
  MarketFixture f;
  f.admit({"1-101"});
  f.admit({"1-102"});
  const auto& imp = import_fsa(f, std::string(kFsaCsvHeader) +
                                  line("71", "4", "2025-02-01", "1-101") +   // row 2
                                  line("71", "2", "2024-02-01", "1-101") +   // row 3: older than row 2
                                  line("71", "4", "2025-02-01", "1-101") +   // row 4: the same as row 2
                                  line("72", "1", "2025-02-01", "1-101") +   // row 5: another establishment, same date
                                  line("81", "3", "2023-01-01", "1-102") +   // row 6
                                  line("82", "0", "2025-08-08", "1-102"));   // row 7: newer, a second kitchen
  CHECK(imp.rows[0].outcome == FsaRowOutcome::rating_changed);
  CHECK(imp.rows[1].outcome == FsaRowOutcome::older_than_held);
  CHECK(imp.rows[1].detail == "older than the rating 4 of 2025-02-01 held (row 2)");
  CHECK(imp.rows[2].outcome == FsaRowOutcome::already_known);
  CHECK(imp.rows[2].detail == "the same as row 2");
  CHECK(imp.rows[3].outcome == FsaRowOutcome::rejected);
  CHECK(imp.rows[3].detail == "row 2 gives another rating for 1-101 on 2025-02-01");
  CHECK(imp.rows[4].outcome == FsaRowOutcome::rating_changed);
  CHECK(imp.rows[5].outcome == FsaRowOutcome::rating_changed);
  CHECK(location(f, "1-101").quality.fsa == FsaRating::r4);
  CHECK(location(f, "1-102").quality.fsa == FsaRating::r0);
  CHECK(location(f, "1-102").fsa_rating.fhrsid == "82");
  // Two entries for 1-102 (3, then 0), one for 1-101.
  int fsa_entries = 0;
  for (const auto& e : location(f, "1-102").quality_entries)
    for (const auto& c : e.changes) fsa_entries += c.input == "fsa" ? 1 : 0;
  CHECK(fsa_entries == 2);
}

TEST_CASE("an FSA rating dated after today, an import without a file name and one of too many rows are refused",
          "[fsa]") {
  MarketFixture f;
  f.admit({"1-101"});
  const auto& future = import_fsa(f, std::string(kFsaCsvHeader) + line("1", "5", "2026-11-24", "1-101"));
  CHECK(future.rows[0].outcome == FsaRowOutcome::rejected);
  CHECK(future.rows[0].detail == "RatingDate 2026-11-24 is after today");
  CHECK(location(f, "1-101").quality.fsa == FsaRating::not_applicable);
  // A row built without the reader: a rating without its date is still refused.
  const Reply r = f.must(ImportFsaRatings{"x.csv", "compliance-1", {FsaRow{2, "1-101", "1", "", FsaRating::r1, 0, ""}}});
  CHECK(f.market.fsa_imports()[r.number - 1].rows[0].outcome == FsaRowOutcome::rejected);
  expect_rejected(f, ImportFsaRatings{"", "compliance-1", {}}, Code::invalid_fsa_file);
  expect_rejected(f, ImportFsaRatings{std::string(201, 'a'), "compliance-1", {}}, Code::invalid_fsa_file);
  expect_rejected(f, ImportFsaRatings{"big.csv", "compliance-1", std::vector<FsaRow>(200'001)}, Code::invalid_fsa_file);
}

TEST_CASE("FSA imports replay through the journal's codec and survive a snapshot with the same digest",
          "[fsa][replay]") {
  MarketFixture f;
  f.admit({"1-101"});
  f.admit({"1-102"});
  import_fsa(f, std::string(kFsaCsvHeader) + line("11", "2", "2026-10-01", "1-101") + line("12", "Exempt", "", "1-102") +
                line("13", "5", "2026-10-01", "1-999") + line("14", "9", "2026-10-01", "1-102"));
  import_fsa(f, std::string(kFsaCsvHeader) + line("11", "3", "2026-11-01", "1-101") + line("11", "1", "2025-01-01", "1-101"));
  const std::string bytes = carebroker::codec::encode_batch(1, f.events);
  const auto decoded = carebroker::codec::decode_batch(bytes);
  INFO(decoded.error);
  REQUIRE(decoded.ok());
  REQUIRE(decoded.events == f.events);
  Market replayed;
  for (const Event& e : decoded.events) replayed.apply(e);
  CHECK(replayed.digest() == f.market.digest());
  CHECK(replayed.fsa_imports() == f.market.fsa_imports());
  const Location& l = replayed.location(*replayed.find_location("1-101"));
  CHECK(l == location(f, "1-101"));
  CHECK(l.fsa_rating.import == 2);

  Market restored;
  REQUIRE(restored.load_snapshot(f.market.save_snapshot()).ok());
  CHECK(restored.digest() == f.market.digest());
  CHECK(restored.fsa_imports() == f.market.fsa_imports());
  CHECK(restored.location(*restored.find_location("1-101")).fsa_rating == l.fsa_rating);
  // The digest sees the imports themselves: one that changes no location still changes it.
  const std::uint64_t before = f.market.digest();
  const auto& strangers = import_fsa(f, std::string(kFsaCsvHeader) + line("15", "4", "2026-10-01", "1-998"));
  CHECK(strangers.rows[0].outcome == FsaRowOutcome::not_registered);
  CHECK(f.market.digest() != before);
}

// ---- the sample file ----

TEST_CASE("the sample FSA file imports into the demonstration market with every row accounted for", "[fsa][data]") {
  MarketFixture f([] {
    DpsConfig c = home_care_config();
    c.code = "test-care";  // the demonstration's own home-care DPS comes with it
    return c;
  }());
  auto demo = carebroker::demo::demo_market(CAREBROKER_DATA_DIR, kMonday9am);
  INFO(demo.error);
  REQUIRE(demo.error.empty());
  for (const auto& c : demo.commands)
    if (!std::holds_alternative<Tick>(c)) f.must(c);

  const std::string text = read_text_file(kSampleFile);
  const FsaRatingsImported& imp = import_fsa(f, text, "fsa_fhrs_matched_bham_solihull_example.csv");
  REQUIRE(imp.rows.size() == 10);
  for (std::size_t i = 0; i < imp.rows.size(); ++i) CHECK(imp.rows[i].row == static_cast<int>(i) + 2);
  auto count = outcomes(imp);
  CHECK(count[FsaRowOutcome::rating_changed] == 6);
  CHECK(count[FsaRowOutcome::no_rating] == 2);      // 52 Blucher Street awaiting, Health Matters exempt
  CHECK(count[FsaRowOutcome::not_registered] == 2);  // the two care homes
  CHECK(count[FsaRowOutcome::rejected] == 0);
  // Alpine House (2) and White Doves (1) are Amber now, under every DPS they belong to.
  for (const char* amber : {"1-126005236", "1-1070803341"}) {
    INFO(amber);
    const LocationIndex at = *f.market.find_location(amber);
    for (const Membership& m : f.market.location(at).memberships) CHECK(f.market.risk_of(at, m.dps).rag == Rag::amber);
  }
  const Location& arden = location(f, "1-16325372876");
  CHECK(arden.quality.fsa == FsaRating::r5);
  CHECK(arden.quality_entries.back().evidence == "FHRSID 9000101");
}
