// Market: during a mini-competition. An officer may amend an open package — its start date, its
// schedule of calls, or both, with notes saying what changed and why (AmendPackage). Every
// invited location is told (the projector sends the amended package); offers made before the
// amendment stay in the competition, marked (an offer's placed or amended time against the
// amendment's), and their providers are asked to confirm them by amending (the same price is a
// confirmation) or to withdraw them. So that they have time to, the window is extended when
// less than half of it is left. Invited locations may ask clarification questions
// (AskQuestion); the officer answers each (AnswerQuestion) to every invited location without
// saying who asked.
#include <algorithm>

#include "engine/market/home_care_order.h"
#include "engine/market/market.h"
#include "engine/market/market_emitter.h"

namespace carebroker::engine {
namespace {

constexpr std::size_t kMaxNotes = 2000;
constexpr std::size_t kMaxAnswer = 4000;
constexpr std::size_t kMaxOfficer = 200;
constexpr std::size_t kMaxAmendments = 50;
constexpr std::size_t kMaxQuestionsPerLocation = 10;
constexpr std::size_t kMaxQuestions = 200;
constexpr std::int64_t kMaxQuantity = 100'000;

std::string package_words(PackageId id) { return "package " + std::to_string(id); }

}  // namespace

Reply Market::handle(const AmendPackage& c, Emitter& e) {
  const Package* p = find_package(c.package);
  if (!p || p->retired) return {reject(Code::unknown_package, "no " + package_words(c.package))};
  if (p->status != PackageStatus::open)
    return {reject(Code::package_not_open, "a package is amended while its window is open; " + package_words(c.package) +
                                               " is " + std::string(to_string(p->status)))};
  if (c.notes.empty() || c.officer.empty() || c.officer.size() > kMaxOfficer)
    return {reject(Code::reason_required, "an amendment records the officer and notes saying what changed and why")};
  if (c.notes.size() > kMaxNotes) return {reject(Code::notes_too_long, "an amendment's notes are limited to 2000 characters")};
  if (c.start_date == 0 && c.schedule.empty())
    return {reject(Code::nothing_to_amend, "give the new start date, the new schedule, or both")};
  if (p->records->amendments.size() >= kMaxAmendments)
    return {reject(Code::invalid_package, package_words(c.package) + " was amended 50 times: cancel it and post it again")};
  const DpsConfig& config = dps_[p->dps];
  PackageSpec spec = *p->spec;
  if (c.start_date != 0) {
    if (c.start_date < today_)
      return {reject(Code::invalid_date, "start date " + format_date(c.start_date) + " is in the past")};
    if (c.start_date > today_ + 366) return {reject(Code::invalid_date, "start date is more than a year away")};
    spec.start_date = c.start_date;
  }
  if (!c.schedule.empty()) {  // the calls replace the schedule or the visits summary
    spec.schedule = c.schedule;
    spec.visits = {};
    spec.quantity = 0;
    spec.double_handed = false;
  }
  if (Status terms = check_order_terms(spec, config.lots[p->lot].unit); !terms.ok()) return {terms};
  if (spec.quantity <= 0 || spec.quantity > kMaxQuantity)
    return {reject(Code::invalid_package, "the schedule gives " + std::to_string(spec.quantity) +
                                              " minutes a week: 1..100000")};
  if (spec == *p->spec) return {reject(Code::nothing_to_amend, "the amendment changes neither the start date nor the schedule")};
  const Date latest_start = spec.start_date + config.windows.start_slack_days;
  const UtcMillis window = p->closes_at - p->opened_at;
  const UtcMillis closes_at = std::max(p->closes_at, now_ + window / 2);
  e.emit(PackageAmended{c.package, std::move(spec), latest_start, closes_at, c.notes, c.officer, now_});
  return {Status{}, c.package};
}

void Market::apply_amended(const PackageAmended& e) {
  Package& p = package_mut(e.package);
  PackageRecords records = *p.records;
  records.amendments.push_back(PackageAmendment{.previous_start = p.spec->start_date,
                                                .start_date = e.spec->start_date,
                                                .previous_quantity = p.spec->quantity,
                                                .quantity = e.spec->quantity,
                                                .schedule_changed = p.spec->schedule != e.spec->schedule ||
                                                                    p.spec->visits != e.spec->visits,
                                                .notes = e.notes,
                                                .officer = e.officer,
                                                .at = e.at});
  p.records = std::move(records);
  p.spec = e.spec;
  p.latest_start = e.latest_start;
  if (e.closes_at != p.closes_at) {
    p.closes_at = e.closes_at;
    set_deadline(p, e.closes_at);
  }
}

Reply Market::handle(const AskQuestion& c, Emitter& e) {
  const auto loc = find_location(c.location);
  ProviderRequest r;
  Reply replayed;
  if (Status s = provider_request(c.provider, c.location, loc, c.request_id, c.package, payload_hash(c, loc), r, replayed);
      !s.ok())
    return {s};
  if (replayed.replayed) return replayed;
  const Package& p = *r.package;
  if (p.status != PackageStatus::open && p.status != PackageStatus::best_and_final)
    return {reject(Code::package_not_open, "questions are asked while bidding is open; " + package_words(c.package) +
                                               " is " + std::string(to_string(p.status)))};
  if (!p.was_invited(r.location))
    return {reject(Code::not_broadcast_to_location,
                   package_words(c.package) + " was not broadcast to " + c.location + " at this tier")};
  if (c.question.empty()) return {reject(Code::question_required, "give the question in words")};
  if (c.question.size() > kMaxNotes) return {reject(Code::notes_too_long, "a question is limited to 2000 characters")};
  const auto& questions = p.records->questions;
  const auto own = std::count_if(questions.begin(), questions.end(),
                                 [&](const ClarificationQuestion& q) { return q.location == r.location; });
  if (static_cast<std::size_t>(own) >= kMaxQuestionsPerLocation || questions.size() >= kMaxQuestions)
    return {reject(Code::too_many_questions, c.location + " has asked " + std::to_string(own) + " of the " +
                                                 std::to_string(questions.size()) +
                                                 " questions on this package: up to 10 per location and 200 in all")};
  e.emit(QuestionAsked{c.package, r.location, std::move(r.ref), c.question, now_});
  return {Status{}, c.package};
}

void Market::apply_question(const QuestionAsked& e) {
  Package& p = package_mut(e.package);
  PackageRecords records = *p.records;
  records.questions.push_back(ClarificationQuestion{.location = e.location, .question = e.question, .asked_at = e.at});
  p.records = std::move(records);
  remember_request(e.request, e.package, e.location);
}

Reply Market::handle(const AnswerQuestion& c, Emitter& e) {
  const Package* p = find_package(c.package);
  if (!p || p->retired) return {reject(Code::unknown_package, "no " + package_words(c.package))};
  const auto& questions = p->records->questions;
  if (c.question <= 0 || static_cast<std::size_t>(c.question) > questions.size())
    return {reject(Code::unknown_question, package_words(c.package) + " has no question " + std::to_string(c.question))};
  if (questions[static_cast<std::size_t>(c.question) - 1].answered())
    return {reject(Code::question_already_answered, "question " + std::to_string(c.question) + " is answered")};
  if (is_closed(p->status))
    return {reject(Code::package_closed, package_words(c.package) + " is " + std::string(to_string(p->status)))};
  if (c.answer.empty()) return {reject(Code::answer_required, "give the answer in words")};
  if (c.answer.size() > kMaxAnswer) return {reject(Code::notes_too_long, "an answer is limited to 4000 characters")};
  if (c.officer.empty() || c.officer.size() > kMaxOfficer)
    return {reject(Code::reason_required, "an answer records the officer who gave it")};
  e.emit(QuestionAnswered{c.package, c.question, c.answer, c.officer, now_});
  return {Status{}, c.package};
}

void Market::apply_answer(const QuestionAnswered& e) {
  Package& p = package_mut(e.package);
  PackageRecords records = *p.records;
  ClarificationQuestion& q = records.questions.at(static_cast<std::size_t>(e.question) - 1);
  q.answer = e.answer;
  q.officer = e.officer;
  q.answered_at = e.at;
  p.records = std::move(records);
}

}  // namespace carebroker::engine
