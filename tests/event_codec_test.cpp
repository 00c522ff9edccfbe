// The journal encoding (engine/codec/event_codec.h): every event type survives
// encode → decode exactly; a realistic session's journal replays to the same digest; old journals
// without appended fields still decode; damaged input is an error value, never a crash.
#include <algorithm>
#include <cstring>
#include <functional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <boost/pfr/core.hpp>

#include "engine/codec/event_codec.h"
#include "engine/codec/table_codec.h"
#include "busy_session.h"
#include "market_session.h"
#include "market_fixture.h"
#include "schemas/journal_generated.h"

using namespace carebroker::testing;
using carebroker::codec::decode_batch;
using carebroker::codec::DecodedBatch;
using carebroker::codec::encode_batch;
namespace fb = carebroker::journal;

namespace {

RequestRef request(const std::string& tag) { return {"1-PROV-" + tag, "req-" + tag, 0xfeedface0000ull + tag.size()}; }

DpsConfig full_config() {
  DpsConfig c;
  c.code = "home-care";
  c.name = "Home Care and Support";
  c.council = "Test Council";
  c.mode = DistributionMode::all_at_once;
  c.lots = {Lot{"hc", "Home care", Unit::sessions, 1800, 4000, 3214,
                CostModel{1260, 12, 300, 45, 1207, 200, 250, 1100, 300, 480, 250, 300, 115}, 2410},
            Lot{"res", "Residential", Unit::places, 70000, 120000, 95000}};
  c.categories = {"older_people", "dementia", ""};  // an empty string is still an element
  c.zones = {Zone{"north", "North", {"B23", "B44"}}, Zone{"south", "South", {"B13", "B14", "B30"}}};
  c.tiers = {"tier1", "tier2", "specialist"};
  c.routes = {Route{"specialist", {"dementia"}, {"specialist", "tier2"}}, Route{"standard", {}, {"tier1"}}};
  c.ranking = {RankingScheme::quality_adjusted_price, 30, 70, 55, 80, AuctionFormat::best_and_final, 3, true};
  c.quality = {25, 35, 25, 45, 99, 74, 39, 1, 98, 73, 38, 2, 120, 15, 45};
  c.risk = {false, true, 60, 3, 4, true};
  c.windows = {5 * kMillisPerHour, 3, 6, 21, 3 * kMillisPerHour, 2, kMillisPerHour, 9, 11, 16, 30, 21};
  c.zones_part_of_lots = true;
  c.assessment = {{AssessmentDomain{"staffing", "Staffing", {{"recruitment", "Safe recruitment — ü"}}}},
                  PammsRatingRule{360, 260, 160, false}};
  c.kpis = {{"visits_on_time", "Visits on time — ü", 95, KpiKind::people}, {"care_certificate", "Care Certificate", 100, KpiKind::staff}};
  return c;
}

PackageSpec full_spec() {
  PackageSpec s;
  s.dps = "home-care";
  s.lot = "hc";
  s.categories = {"older_people", "dementia"};
  s.zone = "south";
  s.postcode_district = "B13";
  s.quantity = 840;
  s.visits = {4, 30, 7};
  s.double_handed = true;
  s.start_date = kMonday + 2;
  s.needs = {"personal care", "medication prompts"};
  s.outcomes = {"remain independent at home"};
  s.must_meet = {"female carers"};
  s.urgency = Urgency::planned;
  s.funder = Funder::joint;
  s.price_ceiling = 3500;
  s.window = 6 * kMillisPerHour;
  s.officer = "officer-1";
  s.schedule = {VisitCall{0, 7 * 60 + 30, 45, 2}, VisitCall{6, 21 * 60, 30, 1}};
  s.end_date = kMonday + 90;
  s.funding = {FundingShare{Funder::council, 60}, FundingShare{Funder::nhs, 40}};
  return s;
}

/// One instance of every event type, every field away from its default.
std::vector<Event> every_event() {
  const UtcMillis t = kMonday9am;
  Membership m;
  m.dps = 2;
  m.status = MembershipStatus::suspended;
  m.applied_at = t - kMillisPerDay;
  m.decision_due = t + 14 * kMillisPerDay;
  m.extended = true;
  m.lots = 0b101;
  m.categories = 0x8000000000000001ull;  // bit 63 survives
  m.zones = 0b110;
  m.tier = 1;
  m.capacity = 420;
  m.reason = "audit";
  m.by = "compliance-2";
  QualityInputs q;
  q.cqc = CqcRating::inadequate;
  q.pamms = PammsRating::poor;
  q.self_assessment = 81;
  q.fsa = FsaRating::awaiting;
  q.safeguarding_decisions = {t - 3 * kMillisPerDay, t - kMillisPerDay};
  q.substantiated_concerns = {t - 2 * kMillisPerDay};
  q.embargo = true;
  q.embargo_reason = "safeguarding";
  q.default_notice = true;
  q.unexpected_deaths_under_investigation = 2;
  q.registered_manager_vacancy = true;
  q.self_assessment_on = kMonday - 3;
  std::string archive = "PKG";
  archive += '\0';
  archive += "\xff\x01\x80 binary";
  return {
      ClockAdvanced{t},
      CategoryDefined{{"dementia", "Dementia care"}},
      DpsConfigured{full_config()},
      CalendarSet{{{kMonday - 40, kMonday + 31, kMonday + 32}}},
      ProviderRegistered{"1-101641521", "Acme Care Ltd"},
      LocationRegistered{"1-2375497294", "1-101641521", "Acme South", "B13 9AA", "Birmingham"},
      ProviderStatusChanged{"1-101641521", true, true, "administration order", 0, "compliance-3"},
      MembershipChanged{7, m},
      QualityInputsChanged{8, q, "compliance-1", "safeguarding enquiry", "SG-2026-0142", t + 39},
      // Every field of the person's record set (a real record has either the legacy or the sealed ones).
      PackagePosted{42, full_spec(),
                    SealedPerson{std::string("Ada Example"), std::string("1 Test Street"), std::string("B13 9ZZ"),
                                 std::string("CASE-1"), 1, std::string(32, 'a'),
                                 std::string(12, '\x01'), std::string(40, '\xf2')},
                    1, 2, 3, 4, 0b1011, Urgency::urgent, kMonday + 9, t + 5},
      TierOpened{42, 1, t + 6, t + 7 * kMillisPerHour, std::vector<LocationIndex>{3, 9, 4000000000u}},
      TierEnded{42, 2, t + 8, "2 acceptable offers, both declined", TierEndReason::every_acceptable_offer_declined},
      PackageUnsourced{43, t + 9},
      PackageHeld{44, t + 10, "awaiting assessment", "officer-8"},
      PackageReleased{44, t + 11, t + 12, "officer-9"},
      PackageCancelled{45, t + 13, "person moved away", "officer-10"},
      PackageClosedForDirectPayment{46, t + 14, "officer-11"},
      OfferPlaced{42, 9, request("a"), 2675, kMonday + 3, true, "can start early — £ and ü", t + 15, true, true},
      OfferWithdrawn{42, 10, request("b"), t + 16},
      WindowClosed{42, t + 17},
      ShortlistFormed{42, t + 18, t + 19, {{9, 1}, {3, 2}, {4000000000u, 3}}},
      AwardHeld{42, 9, t + 20},
      AbnormallyLowDecided{42, 9, true, "officer-2", "explained by rota", t + 21},
      AwardOffered{42, 9, t + 22, t + 23, true, "person's choice", "officer-12"},
      AwardAccepted{42, 9, request("c"), t + 24},
      AwardDeclined{47, 11, request("d"), t + 25, true, "lapsed"},
      PackageHandedBack{48, 12, request("e"), t + 26, "staff shortage"},
      PackageRetired{49, t + 27, archive},
      CommandKeyRecorded{"officer:brokerage-officer-1", "3f1c-key", 0xfedcba9876543210ull, 50, t + 28, 3},
      OfferExplained{42, 9, request("f"), "our rota pays the living wage; travel is short in B13", t + 29},
      SpotPurchaseRecorded{43, SpotPurchase{"Elm Spot Care", "1-999", true, 3950, "no framework capacity",
                                            "officer-3", t + 30}},
      ContractActionIssued{"1-101641521", 2, ContractActionKind::special_measures_plan, kMonday + 3, kMonday + 30,
                           "officer-3", "missed calls in two audits", 4, t + 29, "compliance-4"},
      ContractActionUpdated{"1-101641521", 5,
                            {t + 30, ContractActionStatus::withdrawn, kMonday + 40, "officer-4", "appeal upheld", "compliance-5"}},
      PlacementHandedBack{51, 13, request("f"), t + 29, "lost two carers", kMonday + 28, 52},
      PlacementEndScheduled{51, kMonday + 40, PlacementEndReason::residential_care, "officer-3", t + 30},
      PlacementEnded{51, PlacementEndReason::replaced, kMonday + 20, "officer-4", t + 31},
      VariationProposed{53, 1260, {6, 30, 7}, kMonday + 5, "more help at lunchtime", "officer-5", t + 32,
                        {{2, 12 * 60, 30, 2}}},
      VariationAccepted{53, 14, request("g"), t + 33},
      VariationSentToMarket{53, 54, "officer-6", t + 34},
      PlacementReprocured{55, 56, 3, t + 35},
      PackageAmended{42, full_spec(), kMonday + 16, t + 8 * kMillisPerHour, "start moved: hospital delay", "officer-7", t + 36},
      QuestionAsked{42, 9, request("h"), "Is there a key safe? — ü", t + 37},
      QuestionAnswered{42, 1, "Yes, by the front door", "officer-7", t + 38},
      CqcRatingsImported{7, "cqc_domcare_rating_history.csv", "compliance-1", t + 36,
                         {CqcImportRow{12, "1-2375497294", CqcRowOutcome::history_added, "older than the rating held",
                                       CqcRatingRecord{kMonday - 400, CqcRating::good, CqcRating::requires_improvement,
                                                       CqcRating::good, CqcRating::outstanding, CqcRating::good,
                                                       CqcRating::inadequate, 7}}}},
      RagChanged{8, RagChange{1, Rag::amber, Rag::red, {"embargo on new placements: safeguarding — ü"}, t + 40}},
      SelfAssessmentSubmitted{9, SelfAssessment{1, {{"recruitment", 3}}, {{"staffing", 300}}, "two new carers — ü",
                                                "rota system A", t + 41, kMonday, true,
                                                {{"staffing", 300, 200, "missed calls in the audit"}}, {{"staffing", 200}}, 33,
                                                "compliance-1", t + 42}},
      SelfAssessmentValidated{9, 2, {{"staffing", 300, 200, "missed calls in the audit"}}, {{"staffing", 200}}, 33,
                              "compliance-1", t + 43},
      PammsAssessed{9, PammsAssessment{1, {{"staffing", 400}}, kMonday - 3, 400, PammsRating::excellent, "PAMMS-2026-7",
                                       "compliance-2", t + 44}},
      KpiReturnSubmitted{9, KpiReturn{1, *parse_quarter("2026-Q3"), {{"visits_on_time", 9650}, {"care_certificate", 7900}},
                                      {{"visits_on_time", "Visits on time — ü", 95, KpiKind::people}}, "654 of 807 — ü",
                                      "rota system A", t + 45, kMonday, 2}},
      FsaRatingsImported{3, "fhrs-november — ü.csv", "compliance-1", t + 46,
                         {FsaImportRow{4, "1-126005236", "1387594", "Alpine House — kitchen", FsaRowOutcome::rating_changed,
                                       "replaces the rating 1 of 2026-10-06 (FSA import 2, row 4)", FsaRating::r2,
                                       kMonday - 21}}},
      PersonErased{42, "admin-1", "the person asked to be forgotten — ü", t + 46},
  };
}

/// A default-constructed instance of every event type (proved complete at compile time).
std::vector<Event> default_events() {
  return []<std::size_t... I>(std::index_sequence<I...>) {
    return std::vector<Event>{Event{std::variant_alternative_t<I, Event>{}}...};
  }(std::make_index_sequence<std::variant_size_v<Event>>{});
}

template <typename T>
void check_every_field_set(const T& value, const std::string& path);

template <typename T>
constexpr bool is_vector_of_values = false;
template <typename T>
constexpr bool is_vector_of_values<std::vector<T>> = std::is_class_v<T> && std::is_aggregate_v<T>;

template <typename F>
void check_field_set(const F& value, const F& default_value, const std::string& path) {
  if constexpr (std::is_class_v<F> && std::is_aggregate_v<F>) {
    check_every_field_set(value, path);
  } else if constexpr (is_vector_of_values<F>) {
    INFO(path);
    CHECK_FALSE(value.empty());
    if (!value.empty()) check_every_field_set(value.front(), path + "[0]");
  } else {
    INFO(path);
    CHECK(value != default_value);
  }
}

/// Every field of `value`, and of the values and first vector elements inside it, differs from
/// the default — so a field the codec dropped could not hide behind its default.
template <typename T>
void check_every_field_set(const T& value, const std::string& path) {
  const T default_value{};
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (check_field_set(boost::pfr::get<I>(value), boost::pfr::get<I>(default_value),
                     path + "." + std::to_string(I)),
     ...);
  }(std::make_index_sequence<boost::pfr::tuple_size_v<T>>{});
}

std::vector<Event> round_trip(const std::vector<Event>& events, std::uint64_t first_seq = 1) {
  const DecodedBatch d = decode_batch(encode_batch(first_seq, events));
  INFO(d.error);
  REQUIRE(d.ok());
  CHECK(d.first_seq == first_seq);
  CHECK(d.last_seq == first_seq + events.size() - 1);
  return d.events;
}

/// A seeded, busy session on the fixture market: admissions and membership changes, quality
/// and provider status, packages posted, held, released, cancelled; offers placed, amended and
/// withdrawn; ticks through windows, awards accepted, declined and handed back; then quiet days
/// until closed packages are retired. Some commands are rejected, as in life.
MarketFixture& busy_session(MarketFixture& f, unsigned seed) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  const std::vector<std::string> zones = {"north", "central", "south"};
  const std::vector<std::string> tiers = {"tier1", "tier2", "specialist"};
  const std::vector<std::string> districts = {"B23", "B44", "B11", "B12", "B13", "B14"};
  const int locations = 24;
  for (int i = 0; i < locations; ++i) {
    const int zone = pick(3);
    LocationSpec s{"L" + std::to_string(i), tiers[pick(3)], {zones[zone], zones[(zone + 1 + pick(2)) % 3]}};
    s.categories = {"older_people", "dementia", "learning_disability"};
    s.cqc = static_cast<CqcRating>(1 + pick(3));  // none inadequate: Red locations get no broadcast
    s.pamms = static_cast<PammsRating>(pick(4));
    s.self_assessment = pick(101);
    s.provider = "P" + std::to_string(i % 10);
    f.admit(s);
  }
  {  // a CQC file: L0's rating again (changing no broadcast), L1 unrated, a stranger, a bad row
    const auto rating_of = [&](const char* id) { return f.market.location(*f.market.find_location(id)).quality.cqc; };
    std::vector<CqcRow> rows = {{2, "L0", {kMonday - 30, rating_of("L0")}, ""},
                                {3, "L1", {}, ""},
                                {4, "1-999", {kMonday - 30, CqcRating::good}, ""},
                                {5, "L2", {}, "overall_rating 'Goodish' is not a CQC rating"}};
    f.must(ImportCqcRatings{"cqc.csv", "compliance-1", rows});
  }
  {  // an FSA file: L0 rated 4 (no RAG moves), a stranger, a bad row
    const std::vector<FsaRow> rows = {{2, "L0", "101", "L0 kitchen", FsaRating::r4, kMonday - 30, ""},
                                      {3, "1-999", "102", "", FsaRating::r2, kMonday - 30, ""},
                                      {4, "L2", "103", "", FsaRating::not_applicable, 0, "RatingValue '6' is not a food hygiene rating"}};
    f.must(ImportFsaRatings{"fhrs.csv", "compliance-1", rows});
  }
  for (int step = 0; step < 1000; ++step) {
    const int roll = pick(100);
    // Mostly act on a live package, sometimes on any (closed ones give rejections).
    const PackageId posted = f.market.package_count();
    const auto [pkg, p, loc, provider, start] = session_target(f, pick, locations, [&] { return pick(2) == 0; });
    const std::string rid = "r" + std::to_string(step);
    if (roll < 8) {
      PackageSpec s = MarketFixture::standard_package();
      s.postcode_district = districts[pick(6)];
      s.categories = {pick(4) == 0 ? "learning_disability" : "older_people"};
      s.urgency = pick(3) == 0 ? Urgency::urgent : Urgency::standard;
      s.start_date = london_date(f.market.now()) + 2 + pick(5);
      const PostPackage post{s, sealed({"Person " + rid, "Addr", "B1 1AA", rid})};
      if (pick(2) == 0) {
        (void)f.run(post);
      } else {  // posted by REST with an Idempotency-Key, sometimes retried
        (void)f.run(post, "officer:o" + std::to_string(pick(2)), "k-" + rid);
        if (pick(2) == 0) (void)f.run(post, "officer:o0", "k-" + rid);
      }
    } else if (roll < 42) {
      (void)f.run(PlaceOffer{provider, loc, rid, pkg, 2600 + pick(1300), start, true, pick(3) ? "" : "notes"});
    } else if (roll < 50) {
      (void)f.run(AmendOffer{provider, loc, rid, pkg, 2500 + pick(1300), start + 1, true, ""});
    } else if (roll < 54) {
      (void)f.run(WithdrawOffer{provider, loc, rid, pkg});
    } else if (roll < 68) {
      (void)f.run(Tick{f.market.now() + (1 + pick(6)) * kMillisPerHour});
    } else if (roll < 78) {
      (void)f.run(AcceptAward{provider, loc, rid, pkg});
    } else if (roll < 82) {
      (void)f.run(DeclineAward{provider, loc, rid, pkg, "full"});
    } else if (roll < 84) {
      // Act on a live placement, if there is one: hand it back, plan or bring its end, vary it.
      for (PackageId id = 1; id <= posted; ++id)
        if (const Package* pp = f.market.find_package(id); pp && pp->status == PackageStatus::placed) {
          const std::string holder = f.location_id(pp->award_location);
          const Date today = london_date(f.market.now());
          switch (pick(5)) {
            case 0: (void)f.run(HandBackPackage{f.provider_of(holder), holder, rid, id, "staff shortage"}); break;
            case 1: (void)f.run(SetPlannedEnd{id, today + 1 + pick(20), "officer"}); break;
            case 2: (void)f.run(EndPlacement{id, PlacementEndReason::hospital, pick(2) ? 0 : today + 3, "officer"}); break;
            default:  // a variation, then (usually) the provider's answer or the officer's
              (void)f.run(ProposeVariation{id, pp->spec->quantity + 60 * (1 + pick(3)), {}, today + 1, "more help", "officer"});
              if (pick(4) == 0) break;  // left waiting
              if (pick(2) == 0)
                (void)f.run(AcceptVariation{f.provider_of(holder), holder, rid, id});
              else
                (void)f.run(SendVariationToMarket{id, "officer"});
              break;
          }
          if (pick(3) != 0) break;  // usually the first placement; sometimes a later one
        }
    } else if (roll < 87) {
      const int what = pick(4);
      if (what < 2) {
        (void)f.run(DecideAbnormallyLow{pkg, loc, pick(2) == 0, "officer", "explained"});
      } else if (what == 2) {  // usually a flagged offer's location explains it
        std::string who = loc;
        if (p && pick(4) != 0)
          for (const Offer& o : p->offers)
            if (o.abnormally_low == AbnormallyLow::pending) who = f.location_id(o.location);
        (void)f.run(ExplainOffer{f.provider_of(who), who, rid, pkg, "our rota keeps travel short"});
      } else {
        for (PackageId id = 1; id <= posted; ++id)  // record a spot purchase after an unsourced package
          if (const Package* up = f.market.find_package(id);
              up && up->status == PackageStatus::unsourced && !up->records->spot_purchase.recorded()) {
            (void)f.run(RecordSpotPurchase{id, pick(2) ? "" : "Spot Care Ltd", pick(2) ? loc : "", 3000 + pick(900),
                                           "unsourced", "officer"});
            break;
          }
      }
    } else if (roll < 89) {
      (void)f.run(HoldPackage{pkg, "assessment"});
    } else if (roll < 91) {
      (void)f.run(ReleasePackage{pkg});
    } else if (roll < 92) {
      (void)f.run(CancelPackage{pkg, "moved"});
    } else if (roll < 93) {
      (void)f.run(CloseForDirectPayment{pkg});
    } else if (roll < 94) {
      (void)f.run(AwardToPersonsChoice{pkg, loc, "officer", "family's choice"});
    } else if (roll < 95) {
      if (pick(2) == 0)
        (void)f.run(SetProviderStatus{provider, pick(2) == 0, false, "review"});
      else  // an action, and perhaps at once a change to one
        for (int i = 0; i < 3; ++i) (void)f.run(contract_action_command(f.market, provider, rng));
    } else if (roll < 96) {
      (void)f.run(pick(2) == 0 ? Command{SuspendMembership{loc, "home-care", "audit"}}
                               : Command{ReinstateMembership{loc, "home-care"}});
    } else {
      UpdateQualityInputs q;
      q.location = loc;
      q.embargo = pick(5) == 0;
      q.embargo_reason = "safeguarding";
      q.fsa = static_cast<FsaRating>(pick(8));
      q.record_safeguarding_decisions = pick(2);
      q.reason = "strategy meeting";  // raising a risk input needs one (the early-warning entry)
      (void)f.run(q);
    }
  }
  // A provider with a live placement has its contract terminated: its placements are re-procured.
  for (const auto& [id, placement] : f.market.placements())
    if (placement.is_live() && placement.replacement == 0) {
      const std::string holder = f.location_id(placement.location);
      (void)f.run(IssueContractAction{f.provider_of(holder), "home-care", ContractActionKind::termination, 0, 0,
                                      "officer-1", "serious breach", 0, pick(2) ? 0 : london_date(f.market.now()) + 20});
      break;
    }
  // During a mini-competition (after the random steps, which it leaves as they were): a package
  // posted, a question from an invited location answered, the package amended.
  PackageSpec spec = MarketFixture::standard_package();
  spec.start_date = london_date(f.market.now()) + 3;
  const PackageId last = f.post(spec);
  if (const Package& p = f.package(last); !p.invited.empty()) {
    const std::string asker = f.location_id(p.invited.front());
    (void)f.run(AskQuestion{f.provider_of(asker), asker, "q-last", last, "Is there a key safe?"});
    (void)f.run(AnswerQuestion{last, 1, "Yes, by the front door", "officer"});
  }
  (void)f.run(AmendPackage{last, spec.start_date + 2, {}, "the discharge moved", "officer"});
  // A person erased (UK GDPR), after the random steps too: the first package's.
  (void)f.run(ErasePerson{1, "admin-1", "the person asked to be forgotten"});
  // Assessment cycles (also after the random steps): an admitted location's provider submits a
  // self-assessment, compliance validates it with a change, and records a PAMMS assessment.
  for (LocationIndex i = 0; i < f.market.location_count(); ++i) {
    const Membership* m = f.market.location(i).membership_of(0);
    if (!m || m->status != MembershipStatus::admitted) continue;
    const std::string id = f.location_id(i);
    std::vector<StandardScore> scores, domains;
    for (const auto& d : default_assessment_domains()) {
      domains.push_back({d.code, 3});
      for (const auto& st : d.standards) scores.push_back({st.code, 3});
    }
    (void)f.run(SubmitSelfAssessment{f.provider_of(id), id, "home-care", scores, "quarterly", "rota"});
    (void)f.run(ValidateSelfAssessment{id, "home-care", 1, {{"staffing", 2, "late calls"}}, "compliance-1"});
    (void)f.run(RecordPammsAssessment{id, "home-care", domains, 0, "PAMMS-1", "compliance-1"});
    (void)f.run(SubmitKpiReturn{f.provider_of(id), id, "home-care", "2026-Q3",
                                {{"assistive_technology", 7200}, {"strengths_based_training", 8100},
                                 {"qualifications", 5400}, {"care_certificate", 7900}}, "quarterly", "rota"});
    break;
  }
  // Long enough for closed packages to be retired from memory.
  (void)f.run(Tick{f.market.now() + (f.market.dps(0).windows.retain_closed_days + 10) * kMillisPerDay});
  return f;
}

std::string with_identifier(std::string bytes, const char* id) {
  std::memcpy(bytes.data() + 4, id, 4);
  return bytes;
}

}  // namespace

TEST_CASE("every event type survives encode and decode with every field set", "[codec]") {
  const std::vector<Event> events = every_event();
  std::set<std::size_t> kinds;
  for (const auto& e : events) kinds.insert(e.index());
  REQUIRE(kinds.size() == std::variant_size_v<Event>);  // a new event type needs an instance here
  for (const auto& e : events)
    std::visit([&](const auto& v) { check_every_field_set(v, std::string(event_name(e))); }, e);

  CHECK(round_trip(events) == events);
  for (const auto& e : events) {  // one at a time, at an arbitrary sequence number
    INFO(event_name(e));
    CHECK(round_trip({e}, 1'000'000'007) == std::vector<Event>{e});
  }
}

TEST_CASE("default-valued events survive encode and decode", "[codec]") {
  const std::vector<Event> defaults = default_events();
  CHECK(round_trip(defaults) == defaults);
}

TEST_CASE("an empty batch holds no events and ends before it starts", "[codec]") {
  const DecodedBatch d = decode_batch(encode_batch(10, {}));
  REQUIRE(d.ok());
  CHECK(d.first_seq == 10);
  CHECK(d.last_seq == 9);
  CHECK(d.events.empty());
}

TEST_CASE("encoding is deterministic and always a multiple of 8 bytes", "[codec]") {
  const auto events = every_event();
  const std::string a = encode_batch(5, events), b = encode_batch(5, events);
  CHECK(a == b);
  for (std::size_t n = 0; n <= events.size(); ++n) {
    const std::string bytes = encode_batch(1, {events.begin(), events.begin() + static_cast<long>(n)});
    CHECK(bytes.size() % 8 == 0);
    CHECK(bytes.substr(4, 4) == "CBJ1");
  }
}

TEST_CASE("a realistic session's journal round-trips and replays to the same digest", "[codec]") {
  std::set<std::size_t> kinds;
  for (const bool best_and_final : {false, true}) {
    DpsConfig config = home_care_config();
    if (best_and_final) config.ranking.auction = AuctionFormat::best_and_final;
    MarketFixture f(config);
    busy_session(f, best_and_final ? 13u : 8u);  // seeds whose two sessions journal every event type
    INFO("best and final: " << best_and_final << ", " << f.events.size() << " events");
    REQUIRE(f.events.size() > 800);
    CHECK(f.count<OfferPlaced>() > 50);
    CHECK(f.count<AwardAccepted>() > 0);
    CHECK(f.count<PackageRetired>() > 0);
    for (const auto& e : f.events) kinds.insert(e.index());

    // One batch.
    CHECK(round_trip(f.events) == f.events);

    // Batches of varying size with consecutive sequence numbers, as the sequencer writes them.
    std::vector<Event> journal;
    std::uint64_t seq = 1;
    std::size_t at = 0;
    for (std::size_t size = 1; at < f.events.size(); size = size * 3 % 97 + 1) {
      const std::size_t n = std::min(size, f.events.size() - at);
      const std::vector<Event> batch(f.events.begin() + static_cast<long>(at),
                                     f.events.begin() + static_cast<long>(at + n));
      const DecodedBatch d = decode_batch(encode_batch(seq, batch));
      REQUIRE(d.ok());
      CHECK(d.first_seq == seq);
      CHECK(d.last_seq == seq + n - 1);
      journal.insert(journal.end(), d.events.begin(), d.events.end());
      seq = d.last_seq + 1;
      at += n;
    }
    REQUIRE(journal == f.events);
    Market replayed;
    for (const auto& e : journal) replayed.apply(e);
    CHECK(replayed.digest() == f.market.digest());
  }
  // The two sessions journal every event type but the old immediate hand-back, which only
  // journals written before live placements hold (HandBackPackage now gives notice).
  for (std::size_t k = 0; k < std::variant_size_v<Event>; ++k) {
    INFO("event type " << k << " never journaled");
    CHECK(kinds.count(k) == (k == Event(PackageHandedBack{}).index() ? 0u : 1u));
  }
}

TEST_CASE("a big batch: tens of thousands of events and hundreds of postcode districts", "[codec]") {
  DpsConfig config = full_config();
  for (auto& zone : config.zones)
    for (int i = 0; i < 300; ++i) zone.postcode_districts.push_back(zone.code + std::to_string(i));
  std::vector<Event> events = {DpsConfigured{config}};
  // At 3 tables an offer (record, offer, request) the Verifier's default cap of a million tables
  // would refuse a batch of ~333,000 offers; the codec's cap scales with the batch's size.
  for (int i = 0; i < 40'000; ++i)
    events.push_back(OfferPlaced{static_cast<PackageId>(1 + i % 500), static_cast<LocationIndex>(i % 300),
                                 request(std::to_string(i)), 2000 + i % 2000, kMonday + 2, true,
                                 i % 3 ? "" : "notes", kMonday9am + i, i % 5 == 0, i % 7 == 0});
  CHECK(round_trip(events, 123'456) == events);
}

TEST_CASE("fields missing from an old journal decode to the C++ defaults", "[codec]") {
  // Every event written as an empty table (as by a writer that knew none of its fields), and
  // the nested values as empty tables too: each must decode to the default-constructed value,
  // which proves the schema defaults are the C++ defaults.
  flatbuffers::FlatBufferBuilder b;
  auto empty = [&b] { return b.EndTable(b.StartTable()); };
  std::vector<flatbuffers::Offset<fb::EventRecord>> records;
  auto add = [&](fb::Event type, flatbuffers::uoffset_t body) {
    fb::EventRecordBuilder r(b);
    r.add_event_type(type);
    r.add_event(flatbuffers::Offset<void>(body));
    records.push_back(r.Finish());
  };
  // Except TierEnded: every v1 one held its reason in words (an empty one is refused, below).
  for (auto type = static_cast<int>(fb::Event::MIN) + 1; type <= static_cast<int>(fb::Event::MAX); ++type)
    add(static_cast<fb::Event>(type), static_cast<fb::Event>(type) == fb::Event::TierEnded
                                          ? fb::CreateTierEnded(b, 0, 0, 0, b.CreateString("no acceptable offer")).o
                                          : empty());

  std::vector<Event> defaults = default_events();
  defaults[Event(TierEnded{}).index()] = TierEnded{.detail = "no acceptable offer", .reason = TierEndReason::no_acceptable_offer};
  std::vector<Event> expected;
  {  // DpsConfig with empty lot, zone, route and policy tables
    const auto lots = b.CreateVector(std::vector{flatbuffers::Offset<fb::Lot>(empty())});
    const auto zones = b.CreateVector(std::vector{flatbuffers::Offset<fb::Zone>(empty())});
    const auto routes = b.CreateVector(std::vector{flatbuffers::Offset<fb::Route>(empty())});
    const flatbuffers::Offset<fb::RankingPolicy> ranking(empty());
    const flatbuffers::Offset<fb::QualityPolicy> quality(empty());
    const flatbuffers::Offset<fb::RiskPolicy> risk(empty());
    const flatbuffers::Offset<fb::WindowPolicy> windows(empty());
    fb::DpsConfigBuilder c(b);
    c.add_lots(lots);
    c.add_zones(zones);
    c.add_routes(routes);
    c.add_ranking(ranking);
    c.add_quality(quality);
    c.add_risk(risk);
    c.add_windows(windows);
    const auto config = c.Finish();
    add(fb::Event::DpsConfigured, fb::CreateDpsConfigured(b, config).o);
    DpsConfig d;
    d.lots = {Lot{}};
    d.zones = {Zone{}};
    d.routes = {Route{}};
    expected.push_back(DpsConfigured{d});
  }
  {  // PackagePosted with an empty spec (and visit pattern) and person
    const flatbuffers::Offset<fb::VisitPattern> visits(empty());
    fb::PackageSpecBuilder s(b);
    s.add_visits(visits);
    const auto spec = s.Finish();
    const flatbuffers::Offset<fb::SealedPerson> person(empty());
    fb::PackagePostedBuilder p(b);
    p.add_spec(spec);
    p.add_person(person);
    add(fb::Event::PackagePosted, p.Finish().o);
    expected.push_back(PackagePosted{});
  }
  add(fb::Event::MembershipChanged,
      fb::CreateMembershipChanged(b, 0, flatbuffers::Offset<fb::Membership>(empty())).o);
  expected.push_back(MembershipChanged{});
  add(fb::Event::QualityInputsChanged,
      fb::CreateQualityInputsChanged(b, 0, flatbuffers::Offset<fb::QualityInputs>(empty())).o);
  expected.push_back(QualityInputsChanged{});
  add(fb::Event::OfferPlaced, [&] {
    const flatbuffers::Offset<fb::RequestRef> req(empty());
    fb::OfferPlacedBuilder o(b);
    o.add_request(req);
    return o.Finish().o;
  }());
  expected.push_back(OfferPlaced{});
  add(fb::Event::ShortlistFormed, [&] {
    const auto list = b.CreateVector(std::vector{flatbuffers::Offset<fb::ShortlistEntry>(empty())});
    return fb::CreateShortlistFormed(b, 0, 0, 0, list).o;
  }());
  expected.push_back(ShortlistFormed{0, 0, 0, {ShortlistEntry{}}});
  add(fb::Event::CategoryDefined, fb::CreateCategoryDefined(b, flatbuffers::Offset<fb::Category>(empty())).o);
  expected.push_back(CategoryDefined{});
  add(fb::Event::CalendarSet, fb::CreateCalendarSet(b, flatbuffers::Offset<fb::WorkingCalendar>(empty())).o);
  expected.push_back(CalendarSet{});

  const auto vector = b.CreateVector(records);
  fb::FinishJournalBatchBuffer(b, fb::CreateJournalBatch(b, 1, records.size(), vector));
  const DecodedBatch d = decode_batch({reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize()});
  INFO(d.error);
  REQUIRE(d.ok());
  const std::size_t types = defaults.size();
  REQUIRE(d.events.size() == types + expected.size());
  std::set<std::size_t> kinds;
  for (std::size_t i = 0; i < types; ++i) {
    INFO("empty table " << i << " decoded as " << event_name(d.events[i]));
    kinds.insert(d.events[i].index());
    CHECK(d.events[i] == defaults[d.events[i].index()]);
  }
  CHECK(kinds.size() == types);  // every union member decodes to its own event type
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("nested case " << i << " " << event_name(expected[i]));
    CHECK(d.events[types + i] == expected[i]);
  }
}

TEST_CASE("a tier's end round-trips with every reason, its words never read back as the reason", "[codec]") {
  std::vector<Event> events;
  for (const TierEndReason reason : kTierEndReasons) {
    events.push_back(TierEnded{7, 1, 1000, "", reason});
    // Words that name another reason: what is decoded is the journaled reason, never the words.
    events.push_back(TierEnded{7, 1, 1000, "no eligible location", reason});
  }
  CHECK(round_trip(events) == events);
}

TEST_CASE("a TierEnded written by schema v1 decodes its words into the reason, by a frozen table", "[codec]") {
  // v1's TierEnded is today's without `reason`: the words sat in the slot now called `detail`.
  const auto v1_record = [](const std::string& words) {
    flatbuffers::FlatBufferBuilder b;
    const auto text = b.CreateString(words);
    fb::TierEndedBuilder t(b);
    t.add_package(12);
    t.add_step(1);
    t.add_at(5000);
    t.add_detail(text);  // and no add_reason: it did not exist
    const auto body = t.Finish();
    const auto vector = b.CreateVector(std::vector{fb::CreateEventRecord(b, fb::Event::TierEnded, body.Union())});
    fb::FinishJournalBatchBuffer(b, fb::CreateJournalBatch(b, 1, 1, vector));
    return decode_batch({reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize()});
  };
  const std::vector<std::pair<std::string, TierEndReason>> v1_words = {
      {"no eligible location", TierEndReason::no_eligible_location},
      {"no acceptable offer", TierEndReason::no_acceptable_offer},
      {"every acceptable offer declined", TierEndReason::every_acceptable_offer_declined},
      {"deadline in an unexpected state", TierEndReason::unexpected_deadline}};
  for (const auto& [words, reason] : v1_words) {
    INFO(words);
    const DecodedBatch d = v1_record(words);
    INFO(d.error);
    REQUIRE(d.ok());
    REQUIRE(d.events.size() == 1);
    CHECK(d.events[0] == Event(TierEnded{12, 1, 5000, words, reason}));
  }
  // Words v1 never wrote, or none: refused with the reason, as an unknown enum value is.
  const DecodedBatch unknown = v1_record("the tier got bored");
  CHECK(unknown.error ==
        "event 0 (TierEnded): a TierEnded without a reason, and words schema v1 never wrote: \"the tier got bored\"");
  CHECK(unknown.events.empty());
  CHECK_FALSE(v1_record("").ok());
}

TEST_CASE("every tier-end reason has one stable name, and the journal schema knows each of them", "[codec]") {
  std::set<std::string> names;
  for (const TierEndReason reason : kTierEndReasons) {
    const std::string name(to_string(reason));
    INFO(static_cast<int>(reason) << " " << name);
    CHECK_FALSE(name.empty());
    CHECK(name != "unknown");
    CHECK(names.insert(name).second);
    // Value for value with schemas/journal.fbs, whose 0 (`unrecorded`) no event holds.
    CHECK(name == fb::EnumNameTierEndReason(static_cast<fb::TierEndReason>(reason)));
  }
  // The list is every value the journal can hold: 1 .. the schema's last.
  CHECK(std::size(kTierEndReasons) == static_cast<std::size_t>(fb::TierEndReason::MAX));
  CHECK(names.size() == std::size(kTierEndReasons));
}

namespace {

/// A batch of ClockAdvanced events built by hand, with `last` as the final record.
std::string hand_built(std::uint64_t first_seq, std::uint64_t last_seq, int clocks,
                       const std::function<flatbuffers::Offset<fb::EventRecord>(flatbuffers::FlatBufferBuilder&)>& last = {}) {
  flatbuffers::FlatBufferBuilder b;
  std::vector<flatbuffers::Offset<fb::EventRecord>> records;
  for (int i = 0; i < clocks; ++i)
    records.push_back(fb::CreateEventRecord(b, fb::Event::ClockAdvanced, fb::CreateClockAdvanced(b, 1000 + i).Union()));
  if (last) records.push_back(last(b));
  const auto vector = b.CreateVector(records);
  fb::FinishJournalBatchBuffer(b, fb::CreateJournalBatch(b, first_seq, last_seq, vector));
  return {reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize()};
}

}  // namespace

TEST_CASE("a batch of an unknown event type, count or enum value is refused with the reason", "[codec]") {
  SECTION("unknown event type (from a newer writer)") {
    const DecodedBatch d = decode_batch(hand_built(1, 5, 4, [](auto& b) {
      return fb::CreateEventRecord(b, static_cast<fb::Event>(200), fb::CreateClockAdvanced(b, 1).Union());
    }));
    CHECK(d.error == "unknown event type 200 at index 4");
    CHECK(d.events.empty());
  }
  SECTION("a record with no event") {
    const DecodedBatch d = decode_batch(hand_built(1, 3, 2, [](auto& b) { return fb::CreateEventRecord(b); }));
    CHECK(d.error == "event at index 2 has no type");
  }
  SECTION("an event type without a body") {
    const DecodedBatch d = decode_batch(hand_built(1, 1, 0, [](auto& b) {
      return fb::CreateEventRecord(b, fb::Event::OfferPlaced);
    }));
    CHECK(d.error == "event 0 (OfferPlaced): the event has a type but no body");
  }
  SECTION("sequence range and event count disagree") {
    const DecodedBatch d = decode_batch(hand_built(5, 9, 3));
    CHECK(d.error == "batch says last_seq 9 but holds 3 events from first_seq 5");
    CHECK(d.events.empty());
  }
  SECTION("an enum value the schema does not know") {
    const DecodedBatch d = decode_batch(hand_built(1, 2, 1, [](auto& b) {
      fb::PackagePostedBuilder p(b);
      p.add_urgency(static_cast<fb::Urgency>(9));
      return fb::CreateEventRecord(b, fb::Event::PackagePosted, p.Finish().Union());
    }));
    CHECK(d.error == "event 1 (PackagePosted): unknown Urgency 9");
    CHECK(d.events.empty());
  }
}

TEST_CASE("damaged or foreign bytes are an error, never a crash", "[codec]") {
  MarketFixture f;
  busy_session(f, 3);
  const std::vector<Event> sample(f.events.begin(), f.events.begin() + 150);  // config, admissions, offers
  const std::string good = encode_batch(77, sample);
  REQUIRE(decode_batch(good).ok());

  SECTION("empty input") {
    CHECK(decode_batch("").error == "journal batch of 0 bytes is too short");
    CHECK_FALSE(decode_batch(std::string_view()).ok());
  }
  SECTION("wrong file identifier") {
    const DecodedBatch d = decode_batch(with_identifier(good, "CBJ2"));
    CHECK(d.error == "not a journal batch: file identifier \"CBJ2\", expected \"CBJ1\"");
    CHECK(decode_batch(with_identifier(good, "\x01\xff\\Z")).error ==
          "not a journal batch: file identifier \"\\x01\\xff\\x5cZ\", expected \"CBJ1\"");
  }
  SECTION("seeded random bytes, with and without a valid-looking header") {
    std::mt19937 rng(20261124);
    for (int i = 0; i < 2000; ++i) {
      std::string bytes(rng() % 600, '\0');
      for (char& c : bytes) c = static_cast<char>(rng());
      if (i % 2 == 0 && bytes.size() >= 16) bytes = with_identifier(bytes.substr(0, bytes.size() / 8 * 8), "CBJ1");
      const DecodedBatch d = decode_batch(bytes);
      INFO("case " << i << ", " << bytes.size() << " bytes");
      CHECK_FALSE(d.ok());
      CHECK(d.events.empty());
    }
  }
  SECTION("truncated at every length") {
    for (std::size_t n = 0; n < good.size(); ++n) {
      const DecodedBatch d = decode_batch(std::string_view(good).substr(0, n));
      INFO("truncated to " << n << " of " << good.size() << " bytes");
      CHECK_FALSE(d.ok());  // CHECK, not REQUIRE: report every length that slips through
      CHECK(d.events.empty());
    }
  }
  SECTION("one byte flipped anywhere") {
    // The Verifier catches structural damage; a flipped price or letter is well-formed and
    // decodes (the store's own CRC catches those). Either way: no crash, no exception.
    // Every byte of the first 2 KiB (the batch header, the vector, the configuration), then a
    // seeded sample of the rest: a whole-batch sweep takes seconds in a Debug build.
    std::mt19937 rng(7);
    std::vector<std::size_t> positions;
    for (std::size_t i = 0; i < good.size(); ++i)
      if (i < 2048 || rng() % 8 == 0) positions.push_back(i);
    int refused = 0, decoded_differently = 0, flips = 0;
    for (const std::size_t i : positions)
      for (const unsigned mask : {0x01u, 0x80u, 0xffu}) {
        ++flips;
        std::string bad = good;
        bad[i] = static_cast<char>(static_cast<unsigned char>(bad[i]) ^ mask);
        const DecodedBatch d = decode_batch(bad);
        if (!d.ok()) {
          ++refused;
          CHECK(d.events.empty());
        } else if (d.events != sample || d.first_seq != 77) {
          ++decoded_differently;
        }
      }
    INFO(refused << " refused, " << decoded_differently << " decoded differently of " << flips);
    CHECK(refused > 0);
    CHECK(decoded_differently > 0);
  }
  SECTION("a batch at an unaligned address decodes the same") {
    std::string shifted = "x" + good;
    const DecodedBatch d = decode_batch(std::string_view(shifted).substr(1));
    REQUIRE(d.ok());
    CHECK(d.events == sample);
  }
}

// ---- the compile-time pairing (engine/codec/table_codec.h) ------------------------------------------

namespace pairing {

namespace schema = carebroker::codec::schema;
namespace detail = carebroker::codec::detail;

// A deprecated field keeps its slot: the live fields after it keep their vtable offsets.
constexpr schema::Schema kEvolved = schema::detail::parse(R"(
  namespace x;
  enum Colour : ubyte { red, green, blue }
  /// doc comment
  table T { a: int = -3; b: long (deprecated); c: [string]; d: Colour = blue; e: bool = true; }
  root_type T;
)");
static_assert(kEvolved.error.empty());
static_assert(kEvolved.table("T") != nullptr && kEvolved.table("T")->count == 5);
static_assert(schema::live_field_count(*kEvolved.table("T")) == 4);
static_assert(schema::slot_of_live_field(*kEvolved.table("T"), 0) == 0);
static_assert(schema::slot_of_live_field(*kEvolved.table("T"), 1) == 2);  // c, after deprecated b
static_assert(kEvolved.table("T")->fields[2].type == "[string]");
static_assert(kEvolved.table("T")->fields[0].default_value == "-3");
static_assert(kEvolved.enumeration("Colour")->count == 3);
// What the parser does not understand is an error, never a silent misreading.
static_assert(!schema::detail::parse("table T { a: int (id: 3); }").error.empty());
static_assert(!schema::detail::parse("enum E : ubyte { a = 2 }").error.empty());
static_assert(!schema::detail::parse("struct S { a: int; }").error.empty());

// The slot rule agrees with flatc's generated offsets, and schema defaults are read.
static_assert(detail::Layout<carebroker::engine::OfferPlaced>::voffset(0) == fb::OfferPlaced::VT_PACKAGE);
static_assert(detail::Layout<carebroker::engine::OfferPlaced>::voffset(9) == fb::OfferPlaced::VT_ABNORMALLY_LOW);
static_assert(detail::Layout<carebroker::engine::Package>::voffset(31) == fb::Package::VT_RETIRED);
static_assert(detail::Layout<carebroker::engine::PackageRetired>::is_bytes(2));
static_assert(schema::parse_default(detail::Layout<carebroker::engine::Membership>::field(0)) == -1);
static_assert(schema::parse_default(detail::Layout<carebroker::engine::PackageSpec>::field(12)) == 1);  // standard
static_assert(schema::parse_default(detail::Layout<carebroker::engine::WindowPolicy>::field(0)) == 14400000);
// Every journaled struct is paired (a mismatch would not compile; this names them all).
static_assert([]<std::size_t... I>(std::index_sequence<I...>) {
  return (detail::paired<std::variant_alternative_t<I, Event>>() && ...);
}(std::make_index_sequence<std::variant_size_v<Event>>{}));
static_assert(detail::paired<carebroker::engine::Package>() && detail::paired<carebroker::engine::DpsConfig>());

}  // namespace pairing

TEST_CASE("the codec pairs struct and table fields: a field absent from an old buffer reads as the schema default",
          "[codec]") {
  // Membership written with no fields at all: every scalar takes journal.fbs's default.
  flatbuffers::FlatBufferBuilder b;
  b.Finish(fb::CreateMembership(b));
  carebroker::codec::detail::DecodeErrors errors;
  const auto m = carebroker::codec::detail::decode_table<carebroker::engine::Membership>(
      reinterpret_cast<const flatbuffers::Table*>(flatbuffers::GetRoot<fb::Membership>(b.GetBufferPointer())), errors);
  CHECK_FALSE(errors.any());
  CHECK(m.dps == -1);
  CHECK(m.tier == -1);
  CHECK(m == carebroker::engine::Membership{});
}
