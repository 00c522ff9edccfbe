// During a mini-competition: an officer may amend an open package (its start date, its schedule
// of calls) with notes; offers made before are marked for their providers to confirm, and the
// window is extended when less than half of it is left. Invited providers may ask clarification
// questions; the officer answers each to every invited location without saying who asked.
#include <string>

#include "market_fixture.h"

using namespace carebroker::testing;

namespace {

/// A, B and C in Tier 1 South; X in Tier 2, not invited at the first step.
struct CompetitionMarket : MarketFixture {
  CompetitionMarket() {
    admit({"A"});
    admit({"B"});
    admit({"C"});
    admit({.id = "X", .tier = "tier2"});
  }
  AmendPackage amendment(PackageId id, Date start, std::vector<VisitCall> schedule = {},
                         std::string notes = "the hospital moved the discharge") const {
    return AmendPackage{id, start, std::move(schedule), std::move(notes), "officer-1"};
  }
  Reply ask(const std::string& location, PackageId id, std::string question, std::string request = "") {
    if (request.empty()) request = request_id();
    return run(AskQuestion{provider_of(location), location, request, id, std::move(question)});
  }
  Reply answer(PackageId id, int question, std::string text = "Yes: a key safe by the front door") {
    return run(AnswerQuestion{id, question, std::move(text), "officer-1"});
  }
  bool made_before(PackageId id, const std::string& location) const {
    const Package& p = package(id);
    const Offer* o = p.offer_of(*market.find_location(location));
    REQUIRE(o);
    return made_before_amendment(p, *o);
  }
};

}  // namespace

TEST_CASE("an officer amends an open package's start date: the amendment is recorded and offers made before it are marked",
          "[amendment]") {
  CompetitionMarket f;
  const PackageId id = f.post();
  REQUIRE(f.offer("A", id, 3000).ok());
  REQUIRE(f.offer("B", id, 3100).ok());
  f.advance(kMillisPerHour);

  REQUIRE(f.run(f.amendment(id, kMonday + 9)).ok());
  const Package& p = f.package(id);
  CHECK(p.spec->start_date == kMonday + 9);
  CHECK(p.latest_start == kMonday + 9 + f.market.dps(0).windows.start_slack_days);
  REQUIRE(p.records->amendments.size() == 1);
  const PackageAmendment& a = p.records->amendments[0];
  CHECK(a.previous_start == kMonday + 2);
  CHECK(a.start_date == kMonday + 9);
  CHECK(a.previous_quantity == 840);
  CHECK(a.quantity == 840);
  CHECK_FALSE(a.schedule_changed);
  CHECK(a.notes == "the hospital moved the discharge");
  CHECK(a.officer == "officer-1");
  CHECK(f.made_before(id, "A"));
  CHECK(f.made_before(id, "B"));
  CHECK(f.market.broadcast_view(p).amendments == 1);
  CHECK(f.market.broadcast_view(p).amendment_notes == "the hospital moved the discharge");

  // A confirms at the same price (an amendment of its offer); B's offer is still from before.
  f.advance(kMillisPerMinute);
  REQUIRE(f.amend("A", id, 3000, kMonday + 9).ok());
  CHECK_FALSE(f.made_before(id, "A"));
  CHECK(f.made_before(id, "B"));
  // Both stay in the competition; the officer sees which were confirmed.
  CHECK(f.rank_order(id) == std::vector<std::string>{"A", "B"});
  // An offer's start must now fit the amended dates.
  CHECK(f.amend("B", id, 3100, kMonday + 2).status.code == Code::start_date_infeasible);
}

TEST_CASE("an amended schedule replaces the visits: the hours follow from the calls", "[amendment]") {
  CompetitionMarket f;
  const PackageId id = f.post();  // four 30-minute visits a day: 840 minutes
  REQUIRE(f.run(f.amendment(id, 0, three_calls_a_day(), "lunch and tea calls merged")).ok());
  const Package& p = f.package(id);
  CHECK(p.spec->quantity == 630);
  CHECK(p.spec->visits == VisitPattern{});
  CHECK(p.spec->schedule.size() == 21);
  CHECK(p.spec->start_date == kMonday + 2);  // unchanged
  CHECK(p.records->amendments[0].schedule_changed);
  CHECK(p.records->amendments[0].previous_quantity == 840);
  CHECK(p.records->amendments[0].quantity == 630);
  CHECK(f.market.broadcast_view(p).schedule.size() == 21);
}

TEST_CASE("an amendment with less than half the window left extends it, it never shortens it", "[amendment]") {
  CompetitionMarket f;
  const PackageId id = f.post();
  const Package& p = f.package(id);
  const UtcMillis window = p.closes_at - p.opened_at;
  const UtcMillis first_close = p.closes_at;

  REQUIRE(f.run(f.amendment(id, kMonday + 5)).ok());  // at once: the whole window is left
  CHECK(p.closes_at == first_close);

  f.must(Tick{first_close - window / 4});
  REQUIRE(f.run(f.amendment(id, kMonday + 6, {}, "start moved again")).ok());
  CHECK(p.closes_at == f.market.now() + window / 2);
  CHECK(f.market.next_deadline() == p.closes_at);
  f.must(Tick{first_close});
  CHECK(f.count<WindowClosed>() + f.count<TierEnded>() == 0);  // the first close time passed: still open
  f.pass_deadline(id);
  CHECK(f.count<TierEnded>() == 1);  // no offers: on to Tier 2
}

TEST_CASE("bad amendments are refused and change nothing", "[amendment]") {
  CompetitionMarket f;
  const PackageId id = f.post();
  expect_rejected(f, f.amendment(99, kMonday + 5), Code::unknown_package);
  expect_rejected(f, f.amendment(id, 0), Code::nothing_to_amend);
  expect_rejected(f, f.amendment(id, kMonday + 2), Code::nothing_to_amend);  // the start it has
  expect_rejected(f, f.amendment(id, kMonday + 5, {}, ""), Code::reason_required);
  expect_rejected(f, f.amendment(id, kMonday + 5, {}, std::string(2001, 'x')), Code::notes_too_long);
  expect_rejected(f, AmendPackage{id, kMonday + 5, {}, "notes", ""}, Code::reason_required);
  expect_rejected(f, f.amendment(id, kMonday - 1), Code::invalid_date);
  expect_rejected(f, f.amendment(id, kMonday + 400), Code::invalid_date);
  expect_rejected(f, f.amendment(id, 0, {{0, at(23, 30), 45, 1}}), Code::schedule_call_past_midnight);
  expect_rejected(f, f.amendment(id, 0, {{0, at(8), 60, 1}, {0, at(8, 30), 30, 1}}), Code::schedule_calls_overlap);
  expect_rejected(f, f.amendment(id, 0, {{0, at(8), 0, 1}}), Code::schedule_call_length);
  expect_rejected(f, f.amendment(id, 0, {{0, at(8), 30, 3}}), Code::schedule_invalid_call);

  REQUIRE(f.offer("A", id, 3000).ok());
  f.pass_deadline(id);  // evaluation and award: no longer open
  REQUIRE(f.status(id) != PackageStatus::open);
  expect_rejected(f, f.amendment(id, kMonday + 5), Code::package_not_open);
}

TEST_CASE("an invited provider asks a question, the answer is shown to every invited location without who asked",
          "[amendment][question]") {
  CompetitionMarket f;
  const PackageId id = f.post();
  REQUIRE(f.ask("B", id, "Is there a key safe?").ok());
  REQUIRE(f.ask("C", id, "Is a hoist in place?").ok());
  const Package& p = f.package(id);
  REQUIRE(p.records->questions.size() == 2);
  CHECK(f.location_id(p.records->questions[0].location) == "B");  // for the officer
  CHECK_FALSE(p.records->questions[0].answered());
  CHECK(f.market.broadcast_view(p).clarifications.empty());  // nothing answered yet

  REQUIRE(f.answer(id, 1).ok());
  const auto view = f.market.broadcast_view(p);
  REQUIRE(view.clarifications.size() == 1);
  CHECK(view.clarifications[0].number == 1);
  CHECK(view.clarifications[0].question == "Is there a key safe?");
  CHECK(view.clarifications[0].answer == "Yes: a key safe by the front door");
  CHECK(p.records->questions[0].officer == "officer-1");

  // The same request again is a retry, answered as before, with no second question.
  REQUIRE(f.ask("A", id, "Parking?", "q-a").ok());
  const Reply again = f.ask("A", id, "Parking?", "q-a");
  CHECK(again.replayed);
  CHECK(p.records->questions.size() == 3);
}

TEST_CASE("bad questions and answers are refused and change nothing", "[amendment][question]") {
  CompetitionMarket f;
  const PackageId id = f.post();
  expect_rejected(f, AskQuestion{"P-X", "X", "q-1", id, "May we bid?"}, Code::not_broadcast_to_location);
  expect_rejected(f, AskQuestion{"P-A", "A", "q-2", id, ""}, Code::question_required);
  expect_rejected(f, AskQuestion{"P-A", "A", "q-3", id, std::string(2001, 'q')}, Code::notes_too_long);
  expect_rejected(f, AskQuestion{"P-B", "A", "q-4", id, "Whose location?"}, Code::location_not_of_provider);
  expect_rejected(f, AskQuestion{"P-A", "A", "q-5", 99, "Which package?"}, Code::unknown_package);
  expect_rejected(f, AskQuestion{"P-A", "A", "", id, "No request id?"}, Code::request_id_missing);
  for (int i = 0; i < 10; ++i) REQUIRE(f.ask("A", id, "question " + std::to_string(i)).ok());
  expect_rejected(f, AskQuestion{"P-A", "A", "q-11", id, "an eleventh"}, Code::too_many_questions);
  REQUIRE(f.ask("B", id, "B may still ask").ok());

  expect_rejected(f, AnswerQuestion{id, 0, "zero", "officer-1"}, Code::unknown_question);
  expect_rejected(f, AnswerQuestion{id, 12, "past the end", "officer-1"}, Code::unknown_question);
  expect_rejected(f, AnswerQuestion{99, 1, "no package", "officer-1"}, Code::unknown_package);
  expect_rejected(f, AnswerQuestion{id, 1, "", "officer-1"}, Code::answer_required);
  expect_rejected(f, AnswerQuestion{id, 1, std::string(4001, 'a'), "officer-1"}, Code::notes_too_long);
  expect_rejected(f, AnswerQuestion{id, 1, "no officer", ""}, Code::reason_required);
  REQUIRE(f.answer(id, 1).ok());
  expect_rejected(f, AnswerQuestion{id, 1, "again", "officer-1"}, Code::question_already_answered);

  REQUIRE(f.run(CancelPackage{id, "person moved away"}).ok());
  expect_rejected(f, AskQuestion{"P-B", "B", "q-12", id, "Still there?"}, Code::package_not_open);
  expect_rejected(f, AnswerQuestion{id, 2, "too late", "officer-1"}, Code::package_closed);
}

TEST_CASE("amendments and questions replay from the journal to the same market", "[amendment][question]") {
  CompetitionMarket f;
  const PackageId id = f.post();
  REQUIRE(f.offer("A", id, 3000).ok());
  f.advance(kMillisPerHour);
  REQUIRE(f.run(f.amendment(id, kMonday + 7, three_calls_a_day())).ok());
  REQUIRE(f.ask("B", id, "Is there a key safe?").ok());
  REQUIRE(f.answer(id, 1).ok());
  Market replayed;
  for (const auto& e : f.events) replayed.apply(e);
  CHECK(replayed.digest() == f.market.digest());
  CHECK(*replayed.find_package(id)->records == *f.package(id).records);
}
