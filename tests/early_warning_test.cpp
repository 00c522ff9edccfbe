// The early-warning history (issue 12 item 3), as rules of the market: every change to a
// location's quality and risk inputs is an entry with who, when, why and its evidence; raising a
// risk input needs a reason; safeguarding decisions and substantiated concerns are dated entries
// that the 90-day look-back counts; every change of a location's RAG is a RagChanged with its
// reasons — after a command, and at the Tick when a dated entry ages out — and the history
// survives the journal, a snapshot, and journals written before it existed.
#include <algorithm>

#include "engine/codec/event_codec.h"
#include "market_fixture.h"

using namespace carebroker::testing;

namespace {

/// A patch of A's inputs by compliance, with a reason.
UpdateQualityInputs patch(const std::string& location, std::string reason = {}) {
  UpdateQualityInputs q;
  q.location = location;
  q.officer = "compliance-1";
  q.reason = std::move(reason);
  return q;
}

bool says(const std::vector<std::string>& reasons, std::string_view what) {
  return std::any_of(reasons.begin(), reasons.end(),
                     [&](const std::string& r) { return r.find(what) != std::string::npos; });
}

/// A fixture whose clock has run `days` past A's registration (so entries may be dated back).
MarketFixture aged_market(int days) {
  MarketFixture f;
  f.admit({"A"});
  f.advance(days * kDay);
  return f;
}

}  // namespace

TEST_CASE("an input entry records which inputs changed, old and new, who, when, why and the evidence",
          "[early-warning]") {
  MarketFixture f;
  f.admit({"A"});
  f.advance(kMillisPerHour);
  UpdateQualityInputs q = patch("A", "safeguarding enquiry opened");
  q.embargo = true;
  q.evidence = "SG-2026-0142";
  q.pamms = PammsRating::requires_improvement;
  f.must(q);

  const Location& a = location(f, "A");
  REQUIRE(!a.quality_entries.empty());
  const QualityEntry& e = a.quality_entries.back();
  CHECK(e.at == f.market.now());
  CHECK(e.by == "compliance-1");
  CHECK(e.reason == "safeguarding enquiry opened");
  CHECK(e.evidence == "SG-2026-0142");
  CHECK(e.changes == std::vector<InputChange>{{"pamms", "good", "requires_improvement"},
                                              {"embargo", "false", "true"},
                                              {"embargo_reason", "", "safeguarding enquiry opened"}});
  // The embargo takes the entry's reason when no embargo_reason is given.
  CHECK(a.quality.embargo_reason == "safeguarding enquiry opened");
  // The admission's ratings were an entry too, from none to what was set.
  CHECK(a.quality_entries.size() == 2);
  CHECK(a.quality_entries.front().changes.front() == InputChange{"cqc", "none", "good"});
}

TEST_CASE("raising a risk input needs a reason, a rating or lifting a risk does not", "[early-warning]") {
  MarketFixture f;
  f.admit({"A"});
  auto refused = [&](UpdateQualityInputs q) {
    const Reply r = f.run(q);
    CHECK(r.status.code == Code::reason_required);
  };
  UpdateQualityInputs q = patch("A");
  q.embargo = true;
  refused(q);
  q = patch("A");
  q.default_notice = true;
  refused(q);
  q = patch("A");
  q.unexpected_deaths_under_investigation = 1;
  refused(q);
  q = patch("A");
  q.record_safeguarding_decisions = 1;
  refused(q);
  q = patch("A");
  q.record_substantiated_concerns = 2;
  refused(q);
  CHECK(location(f, "A").quality_entries.size() == 1);  // the admission's only

  q = patch("A");
  q.cqc = CqcRating::requires_improvement;  // a rating: a reason is welcome, not required
  f.must(q);
  q = patch("A", "enquiry opened");
  q.default_notice = true;
  f.must(q);
  q = patch("A");
  q.default_notice = false;  // lifting
  f.must(q);
  CHECK(location(f, "A").quality_entries.size() == 4);
}

TEST_CASE("bad entries are refused with their codes and change nothing", "[early-warning]") {
  MarketFixture f = aged_market(10);
  const std::uint64_t before = f.market.digest();
  auto refused = [&](const UpdateQualityInputs& q, Code code) {
    const Reply r = f.run(q);
    INFO(r.status.detail);
    CHECK(r.status.code == code);
    CHECK(!r.status.detail.empty());
  };
  refused(patch("nowhere", "x"), Code::unknown_location);
  UpdateQualityInputs q = patch("A");
  q.self_assessment = 101;
  refused(q, Code::invalid_quality_input);
  q.self_assessment = -2;
  refused(q, Code::invalid_quality_input);
  q = patch("A", "x");
  q.record_safeguarding_decisions = 101;
  refused(q, Code::invalid_quality_input);
  q = patch("A", "strategy meeting");
  q.record_safeguarding_decisions = 1;
  q.evidence = std::string(kMaxEvidenceChars + 1, 'e');
  refused(q, Code::evidence_too_long);
  q.evidence = "SG-1";
  q.entries_on = f.market.today() + 1;
  refused(q, Code::entry_date_in_future);
  q.entries_on = kMonday - 1;  // A was registered on kMonday
  refused(q, Code::entry_before_registration);
  CHECK(f.market.digest() == before);

  q.entries_on = kMonday;  // the day it was registered is allowed
  f.must(q);
}

TEST_CASE("the look-back counts dated entries in the window, not a bare number", "[early-warning]") {
  MarketFixture f = aged_market(200);
  const LocationIndex a = *f.market.find_location("A");
  const Date today = f.market.today();
  UpdateQualityInputs q = patch("A", "strategy meeting outcome");
  q.record_safeguarding_decisions = 1;
  q.entries_on = today - 100;  // outside the 90 days
  f.must(q);
  q.entries_on = today - 10;
  f.must(q);
  CHECK(location(f, "A").quality.safeguarding_decisions.size() == 2);
  CHECK(f.market.risk_of(a, 0).rag == Rag::green);  // one in the window

  const std::size_t mark = f.events.size();
  q.entries_on = 0;  // today
  f.must(q);
  CHECK(f.market.risk_of(a, 0).rag == Rag::amber);
  const auto changes = rag_changes_since(f, mark);
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].change.from == Rag::green);
  CHECK(changes[0].change.to == Rag::amber);
  CHECK(says(changes[0].change.reasons, "2 safeguarding decisions in 90 days"));
  // Each is an entry of its own date.
  const auto& entries = location(f, "A").quality_entries;
  CHECK(entries[entries.size() - 3].changes.back() ==
        InputChange{"safeguarding_decision", "", format_date(today - 100)});
  CHECK(entries.back().changes.back() == InputChange{"safeguarding_decision", "", format_date(today)});
}

TEST_CASE("a RAG falls at the Tick when a dated entry ages out, and a RagChanged says when",
          "[early-warning]") {
  MarketFixture f = aged_market(100);
  const LocationIndex a = *f.market.find_location("A");
  const Date first_on = f.market.today() - 80, second_on = f.market.today() - 20;
  UpdateQualityInputs q = patch("A", "concern substantiated after visit");
  q.record_substantiated_concerns = 1;
  q.entries_on = first_on;
  f.must(q);
  q.entries_on = second_on;
  f.must(q);
  REQUIRE(f.market.risk_of(a, 0).rag == Rag::amber);
  const RagChange rise = location(f, "A").rag_changes.back();
  CHECK(rise.to == Rag::amber);
  CHECK(says(rise.reasons, "2 substantiated concerns in 90 days"));

  // An earlier day's entry counts from the start of its day: the first leaves the window 90
  // days after that.
  const UtcMillis leaves = london_to_utc(first_on, 0) + 90 * kDay + 1;
  CHECK(f.market.rag_recheck_at() == leaves);
  CHECK(f.market.next_deadline() == leaves);  // the sequencer ticks then even if nothing else is due
  std::size_t mark = f.events.size();
  f.must(Tick{leaves - 1});
  CHECK(rag_changes_since(f, mark).empty());
  mark = f.events.size();
  f.must(Tick{leaves});
  const auto fell = rag_changes_since(f, mark);
  REQUIRE(fell.size() == 1);
  CHECK(fell[0].location == a);
  CHECK(fell[0].change.from == Rag::amber);
  CHECK(fell[0].change.to == Rag::green);
  CHECK(fell[0].change.at == leaves);
  CHECK(fell[0].change.reasons.empty());
  CHECK(location(f, "A").announced_rag(0) == Rag::green);
  // The next recheck is the second concern's expiry; a tick before it re-rates nothing.
  CHECK(f.market.rag_recheck_at() == london_to_utc(second_on, 0) + 90 * kDay + 1);
  mark = f.events.size();
  f.advance(kDay);
  CHECK(rag_changes_since(f, mark).empty());
  // After the last expiry nothing is left to recheck.
  f.must(Tick{london_to_utc(second_on, 0) + 90 * kDay + 1});
  CHECK(f.market.rag_recheck_at() == 0);
}

TEST_CASE("administration turns every location of the provider Red, and lifting it Green again",
          "[early-warning]") {
  MarketFixture f;
  for (const char* id : {"A", "B"}) {
    LocationSpec s{id};
    s.provider = "P-shared";
    f.admit(s);
  }
  f.admit({"C"});
  std::size_t mark = f.events.size();
  f.must(SetProviderStatus{"P-shared", true, false, "administrators appointed"});
  auto changes = rag_changes_since(f, mark);
  REQUIRE(changes.size() == 2);
  for (const RagChanged& c : changes) {
    CHECK(f.location_id(c.location) != "C");
    CHECK(c.change.from == Rag::green);
    CHECK(c.change.to == Rag::red);
    CHECK(c.change.reasons == std::vector<std::string>{"provider in administration"});
    CHECK(c.change.at == f.market.now());
  }
  mark = f.events.size();
  f.must(SetProviderStatus{"P-shared", false, false, "administration ended"});
  changes = rag_changes_since(f, mark);
  REQUIRE(changes.size() == 2);
  CHECK(changes[0].change.to == Rag::green);
}

TEST_CASE("a contract default notice turns the provider's locations Red with a RagChanged",
          "[early-warning]") {
  MarketFixture f;
  f.admit({"A"});
  const std::size_t mark = f.events.size();
  f.must(IssueContractAction{"P-A", "home-care", ContractActionKind::default_notice, 0, f.market.today() + 14,
                             "officer-1", "missed calls", 0});
  const auto changes = rag_changes_since(f, mark);
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].change.to == Rag::red);
  CHECK(says(changes[0].change.reasons, "contract default notice in force"));
}

TEST_CASE("a location Red before it applies to a DPS is announced Red when it applies", "[early-warning]") {
  MarketFixture f;
  f.must(RegisterProvider{"P-X", "X Ltd"});
  f.must(RegisterLocation{"X", "P-X", "X branch", "B13 9AA", "Birmingham"});
  UpdateQualityInputs q = patch("X", "enquiry");
  q.embargo = true;
  std::size_t mark = f.events.size();
  f.must(q);
  CHECK(rag_changes_since(f, mark).empty());  // a member of no DPS: no RAG to announce
  mark = f.events.size();
  f.must(ApplyToDps{"X", "home-care"});
  const auto changes = rag_changes_since(f, mark);
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].change.to == Rag::red);
  CHECK(says(changes[0].change.reasons, "embargo on new placements: enquiry"));
}

TEST_CASE("replaying the journal and loading a snapshot give the same early-warning history",
          "[early-warning][replay]") {
  MarketFixture f = aged_market(30);
  UpdateQualityInputs q = patch("A", "two decisions at the strategy meeting");
  q.record_safeguarding_decisions = 2;
  q.entries_on = f.market.today() - 5;
  q.evidence = "SG-7";
  f.must(q);
  q = patch("A", "safeguarding enquiry");
  q.embargo = true;
  f.must(q);
  f.must(SetProviderStatus{"P-A", true, false, "administrators appointed"});
  f.advance(86 * kDay);  // the decisions age out: Amber is gone, still Red

  // Through the journal's codec, as the store replays it.
  const std::string bytes = carebroker::codec::encode_batch(1, f.events);
  const auto decoded = carebroker::codec::decode_batch(bytes);
  REQUIRE(decoded.ok());
  REQUIRE(decoded.events == f.events);
  Market replayed;
  for (const Event& e : decoded.events) replayed.apply(e);
  CHECK(replayed.digest() == f.market.digest());
  const Location& a = location(f, "A");
  const Location& b = replayed.location(*replayed.find_location("A"));
  CHECK(b.quality_entries == a.quality_entries);
  CHECK(b.rag_changes == a.rag_changes);
  CHECK(a.rag_changes.size() == 2);  // green → amber (decisions), amber → red (embargo)
  CHECK(replayed.rag_recheck_at() == f.market.rag_recheck_at());

  Market restored;
  REQUIRE(restored.load_snapshot(f.market.save_snapshot()).ok());
  CHECK(restored.digest() == f.market.digest());
  CHECK(restored.location(*restored.find_location("A")).quality_entries == a.quality_entries);
  CHECK(restored.rag_recheck_at() == f.market.rag_recheck_at());
}

TEST_CASE("a quality change journaled before entries had who and why still is an entry at its time",
          "[early-warning][replay]") {
  MarketFixture f;
  f.admit({"A"});
  f.advance(3 * kMillisPerHour);
  QualityInputs inputs = location(f, "A").quality;
  inputs.safeguarding_decisions.push_back(f.market.now());  // as the old form recorded them: dated now
  // The old event: no by, reason, evidence or time.
  f.market.apply(QualityInputsChanged{*f.market.find_location("A"), inputs});
  const QualityEntry& e = location(f, "A").quality_entries.back();
  CHECK(e.at == f.market.now());
  CHECK(e.by.empty());
  CHECK(e.reason.empty());
  CHECK(e.changes == std::vector<InputChange>{{"safeguarding_decision", "", format_date(f.market.today())}});
  CHECK(f.market.rag_recheck_at() == f.market.now() + 90 * kDay + 1);
}

TEST_CASE("a CQC import that changes a location's rating is an entry, and its RAG change an event",
          "[early-warning]") {
  MarketFixture f;
  f.admit({"1-101"});
  CqcRatingRecord inadequate;
  inadequate.published = kMonday - 10;
  inadequate.overall = CqcRating::inadequate;
  const std::size_t mark = f.events.size();
  f.must(ImportCqcRatings{"ratings.csv", "compliance-2", {CqcRow{2, "1-101", inadequate, ""}}});
  const QualityEntry& e = location(f, "1-101").quality_entries.back();
  CHECK(e.by == "compliance-2");
  CHECK(e.at == f.market.now());
  CHECK(e.reason == "CQC rating published " + format_date(kMonday - 10));
  CHECK(e.evidence == "CQC import 1, row 2");
  CHECK(e.changes == std::vector<InputChange>{{"cqc", "good", "inadequate"}});
  const auto changes = rag_changes_since(f, mark);
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].change.to == Rag::red);
  CHECK(changes[0].change.reasons == std::vector<std::string>{"CQC rating inadequate"});
  // The same file again changes nothing: no entry, no RAG change.
  const std::size_t entries = location(f, "1-101").quality_entries.size();
  const std::size_t again = f.events.size();
  f.must(ImportCqcRatings{"ratings.csv", "compliance-2", {CqcRow{2, "1-101", inadequate, ""}}});
  CHECK(location(f, "1-101").quality_entries.size() == entries);
  CHECK(rag_changes_since(f, again).empty());
}
