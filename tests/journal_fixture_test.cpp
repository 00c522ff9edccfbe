// This fixture was written by the first schema version. Never regenerate it: it proves that
// journals written by v1 still load. Add new fixtures for new versions.
//
// tests/fixtures/journal_v1.bin was written once by tests/fixtures/make_journal_fixture.cpp (a
// market session of 276 events in 43 batches, every event type of v1); journal_v1.expect lists
// the facts checked here, which are hard-coded below. The file is "CBJFIX01", then per batch a
// 4-byte little-endian length and the batch as the journal stores it (store::frame_batch of
// codec::encode_batch). These tests unframe and decode every batch with the CURRENT codec,
// apply the events to a fresh Market with the CURRENT rules, and check what the market then
// holds. Not the digest: the state layout may evolve; the facts may not.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "engine/codec/archive_codec.h"
#include "engine/codec/event_codec.h"
#include "engine/market/market.h"
#include "engine/store/batch_frame.h"

using namespace carebroker::engine;
namespace store = carebroker::store;
namespace codec = carebroker::codec;

namespace {

struct Loaded {
  std::size_t batches = 0;
  std::vector<Event> events;
  Market market;
};

/// Reads journal_v1.bin and replays it: every batch's frame and CRC, its sequence numbers, its
/// decoding with the current codec, then every event applied in order.
void load_v1(Loaded& out) {
  const std::string path = std::string(CAREBROKER_FIXTURES_DIR) + "/journal_v1.bin";
  std::ifstream in(path, std::ios::binary);
  INFO("fixture " << path);
  REQUIRE(in);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE(bytes.size() == 43'912);
  REQUIRE(bytes.substr(0, 8) == "CBJFIX01");
  std::size_t at = 8;
  std::uint64_t next_seq = 1;
  while (at < bytes.size()) {
    INFO("batch " << out.batches + 1 << " at byte " << at);
    REQUIRE(bytes.size() - at >= 4);
    std::uint32_t length = 0;
    for (int i = 0; i < 4; ++i) length |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
    at += 4;
    REQUIRE(bytes.size() - at >= length);
    store::UnframedBatch frame;
    const store::StoreStatus unframed = store::unframe_batch(std::string_view(bytes).substr(at, length), frame);
    INFO(unframed.message);
    REQUIRE(unframed.ok());
    REQUIRE(frame.first_seq == next_seq);
    codec::DecodedBatch batch = codec::decode_batch(frame.payload);
    INFO(batch.error);
    REQUIRE(batch.ok());
    REQUIRE(batch.first_seq == frame.first_seq);
    REQUIRE(batch.last_seq == frame.last_seq);
    REQUIRE(batch.events.size() == frame.last_seq - frame.first_seq + 1);
    for (auto& e : batch.events) {
      out.market.apply(e);
      out.events.push_back(std::move(e));
    }
    next_seq = frame.last_seq + 1;
    at += length;
    ++out.batches;
  }
}

std::string membership(const Market& m, const std::string& location) {
  const auto i = m.find_location(location);
  if (!i) return "unknown location";
  const Membership* ms = m.location(*i).membership_of(0);
  if (!ms) return "not a member";
  return std::string(to_string(ms->status)) + (ms->tier >= 0 ? " " + m.dps(0).tiers[ms->tier] : std::string());
}

/// A package's final state as journal_v1.expect words it ("placed with B", "open at step 0 with
/// 1 offer(s)", "retired" — the archive records are checked separately).
std::string final_state(const Market& m, PackageId id) {
  if (m.is_retired(id)) return m.find_package(id) ? "retired but still in memory" : "retired";
  const Package* p = m.find_package(id);
  if (!p) return "missing";
  std::string out(to_string(p->status));
  if (p->status == PackageStatus::placed) out += " with " + m.location(p->award_location).id;
  if (p->status == PackageStatus::open)
    out += " at step " + std::to_string(p->step) + " with " + std::to_string(p->offers.size()) + " offer(s)";
  return out;
}

}  // namespace

TEST_CASE("a journal written by schema v1 replays with the current codec and rules", "[store][fixture]") {
  Loaded v1;
  load_v1(v1);
  CHECK(v1.batches == 43);
  REQUIRE(v1.events.size() == 276);
  const Market& m = v1.market;

  // The clock: Friday 18 December 2026, 14:00 GMT.
  CHECK(m.now() == 1'797'602'400'000);
  CHECK(format_london(m.now()) == "2026-12-18 14:00 GMT");

  // Configuration: six categories; the DPS, reconfigured to best-and-final with a shortlist of two.
  CHECK(m.categories().size() == 6);
  REQUIRE(m.dps_count() == 1);
  CHECK(m.dps(0).code == "home-care");
  CHECK(m.dps(0).ranking.auction == AuctionFormat::best_and_final);
  CHECK(m.dps(0).ranking.shortlist_size == 2);
  CHECK(m.dps(0).windows.retain_closed_days == 1);

  // Providers and locations.
  for (const char* p : {"P-ACORN", "P-BIRCH", "P-DOVE", "P-ELM", "P-FERN", "P-SPRUCE", "P-NORTH", "P-GORSE", "P-HAWTHORN"}) {
    INFO(p);
    CHECK(m.find_provider(p) != nullptr);
  }
  REQUIRE(m.find_provider("P-HAWTHORN"));
  CHECK(m.find_provider("P-HAWTHORN")->in_administration);
  CHECK(m.find_provider("P-HAWTHORN")->status_reason == "administrators appointed");
  CHECK_FALSE(m.find_provider("P-ACORN")->in_administration);
  CHECK(m.location_count() == 10);
  const std::map<std::string, std::string> memberships = {
      {"A", "admitted tier1"}, {"B", "admitted tier1"}, {"C", "admitted tier1"},   {"D", "admitted tier1"},
      {"E", "admitted tier2"}, {"F", "admitted tier2"}, {"S", "admitted specialist"}, {"N", "admitted tier1"},
      {"G", "refused"},        {"H", "exited tier2"}};
  for (const auto& [location, expected] : memberships) {
    INFO("location " << location);
    CHECK(membership(m, location) == expected);
  }
  CHECK(m.provider_of(m.location(*m.find_location("C"))).id == "P-ACORN");  // A and C: one provider

  // Packages: 1–9 closed and retired a day later; 10–19 ordinary competitions; 20 still open.
  REQUIRE(m.package_count() == 20);
  const std::vector<std::string> expected = {
      "retired",                             // 1  placed with B after a withdrawal and an amendment
      "retired",                             // 2  unsourced: nobody in the north bid, no tier 2 there
      "retired",                             // 3  held, released, cancelled
      "retired",                             // 4  closed for a direct payment
      "retired",                             // 5  abnormally low, declined, lapsed, placed at tier 2
      "retired",                             // 6  placed, handed back, placed again
      "retired",                             // 7  awarded to the person's own choice
      "retired",                             // 8  the specialist route
      "retired",                             // 9  best-and-final
      "placed with B",                       // 10
      "placed with B",                       // 11
      "placed with A",                       // 12
      "placed with B",                       // 13
      "awaiting_decision",                   // 14 its improved best-and-final offer is abnormally low
      "placed with A",                       // 15
      "placed with B",                       // 16
      "placed with B",                       // 17
      "placed with A",                       // 18
      "placed with B",                       // 19
      "open at step 0 with 1 offer(s)",      // 20
  };
  for (PackageId id = 1; id <= 20; ++id) {
    INFO("package " << id);
    CHECK(final_state(m, id) == expected[id - 1]);
  }
  const Package* open = m.find_package(20);
  REQUIRE(open);
  REQUIRE(open->offers.size() == 1);
  CHECK(m.location(open->offers[0].location).id == "B");
  CHECK(open->offers[0].price == 3080);
  REQUIRE(m.person(20));
  CHECK(m.person(20)->is_legacy());  // written before sealing: read in clear, shown as before
  CHECK(*m.person(20)->name == "Tam Example");
  const Package* waiting = m.find_package(14);
  REQUIRE(waiting);
  CHECK(m.location(waiting->award_location).id == "B");

  // The market keeps working on top of the old journal: the open package's window closes.
  Market next = m;
  std::vector<Event> out;
  REQUIRE(next.execute(Tick{open->closes_at}, out).ok());
  CHECK(next.find_package(20)->status == PackageStatus::award_pending);
}

TEST_CASE("retired packages' archive records in the v1 journal still read", "[store][fixture]") {
  Loaded v1;
  load_v1(v1);
  const std::map<PackageId, std::string> expected = {
      {1, "placed with B"}, {2, "unsourced"},     {3, "cancelled"},     {4, "direct_payment"}, {5, "placed with E"},
      {6, "placed with A"}, {7, "placed with B"}, {8, "placed with S"}, {9, "placed with B"}};
  std::map<PackageId, std::string> archived;
  for (const auto& e : v1.events) {
    const auto* retired = std::get_if<PackageRetired>(&e);
    if (!retired) continue;
    const auto record = Market::read_archive(retired->archive);
    INFO("package " << retired->package);
    REQUIRE(record);
    CHECK(carebroker::codec::decode_archive(retired->archive).legacy);  // the frozen old form
    CHECK(record->package.id == retired->package);
    std::string state(to_string(record->package.status));
    if (record->package.status == PackageStatus::placed)
      state += " with " + v1.market.location(record->package.award_location).id;
    archived[retired->package] = state;
    CHECK(record->person.name->ends_with(" Example"));
  }
  CHECK(archived == expected);
}

TEST_CASE("the v1 fixture holds every event type of schema v1", "[store][fixture]") {
  Loaded v1;
  load_v1(v1);
  std::set<std::size_t> kinds;
  std::map<std::string, int> counts;
  for (const auto& e : v1.events) {
    kinds.insert(e.index());
    ++counts[std::string(event_name(e))];
  }
  // std::variant_size_v<Event> as of v1. Written literally: later versions add event types,
  // and the v1 fixture stays exactly as v1 wrote it (add a v2 fixture for the new ones).
  CHECK(kinds.size() == 28);
  const std::map<std::string, int> expected = {
      {"abnormally_low_decided", 1}, {"award_accepted", 16}, {"award_declined", 2},
      {"award_held", 2}, {"award_offered", 18}, {"calendar_set", 1}, {"category_defined", 6},
      {"clock_advanced", 14}, {"dps_configured", 2}, {"location_registered", 10},
      {"membership_changed", 25}, {"offer_placed", 56}, {"offer_withdrawn", 1},
      {"package_cancelled", 1}, {"package_closed_for_direct_payment", 1},
      {"package_handed_back", 1}, {"package_held", 1}, {"package_posted", 20},
      {"package_released", 1}, {"package_retired", 9}, {"package_unsourced", 1},
      {"provider_registered", 9}, {"provider_status_changed", 1}, {"quality_inputs_changed", 10},
      {"shortlist_formed", 11}, {"tier_ended", 3}, {"tier_opened", 23}, {"window_closed", 30}};
  CHECK(counts == expected);
}

TEST_CASE("the v1 fixture's tier ends, journaled in words, decode to their reasons", "[store][fixture]") {
  // v1 wrote a tier's end reason as words only; the codec's frozen table maps them (and keeps the
  // words in `detail`). Package 2: nobody bid at tier 1, and tier 2 had nobody in the north.
  // Package 5: the award lapsed and nobody acceptable was left at tier 1.
  Loaded v1;
  load_v1(v1);
  std::vector<TierEnded> ended;
  for (const auto& e : v1.events)
    if (const auto* t = std::get_if<TierEnded>(&e)) ended.push_back(*t);
  REQUIRE(ended.size() == 3);
  CHECK(ended[0].package == 2);
  CHECK(ended[0].step == 0);
  CHECK(ended[0].reason == TierEndReason::no_acceptable_offer);
  CHECK(ended[0].detail == "no acceptable offer");
  CHECK(ended[1].package == 2);
  CHECK(ended[1].step == 1);
  CHECK(ended[1].reason == TierEndReason::no_eligible_location);
  CHECK(ended[1].detail == "no eligible location");
  CHECK(ended[2].package == 5);
  CHECK(ended[2].step == 0);
  CHECK(ended[2].reason == TierEndReason::every_acceptable_offer_declined);
  CHECK(ended[2].detail == "every acceptable offer declined");
}

TEST_CASE("the v1 journal's placed packages are live placements that a later hand-back reaches", "[store][fixture][placement]") {
  // Journals from before live placements: packages 1–9 retired (placed ones too) and stay
  // archived; packages 10–19, placed and still in memory, are live placements now and never
  // retire, so a year later one can still be handed back (with notice, as a new package).
  Loaded v1;
  load_v1(v1);
  Market& m = v1.market;
  for (PackageId id = 1; id <= 9; ++id) {
    INFO("package " << id);
    CHECK(m.is_retired(id));
    CHECK(m.find_placement(id) == nullptr);
  }
  for (PackageId id : {10, 11, 12, 13, 15, 16, 17, 18, 19}) {
    INFO("package " << id);
    const Placement* p = m.find_placement(id);
    REQUIRE(p);
    CHECK(p->status == PlacementStatus::live);
    CHECK(p->location == m.find_package(id)->award_location);
  }
  std::vector<Event> out;
  REQUIRE(m.execute(Tick{m.now() + 400 * kMillisPerDay}, out).ok());
  CHECK(m.find_package(10) != nullptr);
  const std::string holder = m.location(m.find_package(10)->award_location).id;
  const Reply r = m.execute(HandBackPackage{m.location(m.find_package(10)->award_location).provider_id, holder,
                                            "after-a-year", 10, "lost two carers"},
                            out);
  INFO(to_string(r.status.code) << " " << r.status.detail);
  REQUIRE(r.ok());
  CHECK(m.find_placement(10)->status == PlacementStatus::notice);
  CHECK(m.replaces_placement(m.find_placement(10)->replacement) == 10);
}

TEST_CASE("the v1 journal, written before cost models and CQC imports, keeps its single fair cost and no CQC history",
          "[store][fixture][cost_model][cqc]") {
  Loaded v1;
  load_v1(v1);
  const Market& m = v1.market;
  const Lot& lot = m.dps(0).lots.at(0);
  CHECK(lot.fair_cost == 3214);
  CHECK_FALSE(lot.cost_model.present());
  CHECK(lot.cost_model == CostModel{});
  for (LocationIndex i = 0; i < m.location_count(); ++i) CHECK(m.location(i).cqc_history.empty());
  CHECK(m.cqc_imports().empty());
  // Its abnormally-low offer (package 14) is still judged against that figure.
  CHECK(m.find_package(14)->status == PackageStatus::awaiting_decision);
}

TEST_CASE("the v1 journal's quality changes become early-warning entries at their events' times",
          "[store][fixture][early-warning]") {
  Loaded v1;
  load_v1(v1);
  const Market& m = v1.market;
  const Location& d = m.location(*m.find_location("D"));
  // v1 recorded a safeguarding decision as a count "dated now": it is an entry of that time,
  // with no who or why (v1 did not journal them), and the decision's date as its value.
  REQUIRE(d.quality.safeguarding_decisions.size() == 1);
  const UtcMillis decided = d.quality.safeguarding_decisions[0];
  const auto entry = std::find_if(d.quality_entries.begin(), d.quality_entries.end(), [](const QualityEntry& e) {
    return !e.changes.empty() && e.changes.back().input == "safeguarding_decision";
  });
  REQUIRE(entry != d.quality_entries.end());
  CHECK(entry->at == decided);
  CHECK(entry->by.empty());
  CHECK(entry->reason.empty());
  CHECK(entry->changes == std::vector<InputChange>{{"fsa", "not_applicable", "5"},
                                                   {"safeguarding_decision", "", format_date(london_date(decided))}});
  // v1 journaled no RagChanged: nothing is invented on replay.
  CHECK(d.rag_changes.empty());
}

TEST_CASE("the v1 journal, written before assessment frameworks, has the default PAMMS framework and no assessments",
          "[store][fixture][assessment]") {
  Loaded v1;
  load_v1(v1);
  const Market& m = v1.market;
  CHECK(m.dps(0).assessment == AssessmentFramework{});
  CHECK(domains_of(m.dps(0).assessment).size() == 5);
  CHECK(m.dps(0).assessment.rating == PammsRatingRule{350, 250, 150, true});
  for (LocationIndex i = 0; i < m.location_count(); ++i) {
    CHECK(m.location(i).self_assessments.empty());
    CHECK(m.location(i).pamms_assessments.empty());
  }
  // Its self-assessments, set as inputs before cycles existed, still count.
  bool any = false;
  for (LocationIndex i = 0; i < m.location_count(); ++i) any = any || m.location(i).quality.self_assessment >= 0;
  CHECK(any);
}

TEST_CASE("the v1 journal, written before KPIs, has the default KPI set, the KPI weight off and no returns",
          "[store][fixture][kpi]") {
  Loaded v1;
  load_v1(v1);
  const Market& m = v1.market;
  CHECK(m.dps(0).kpis.empty());
  CHECK(m.dps(0).quality.kpi_weight_pct == 0);
  CHECK(m.dps(0).quality.kpi_return_due_days == 30);
  for (LocationIndex i = 0; i < m.location_count(); ++i) {
    CHECK(m.location(i).kpi_returns.empty());
    // Its scores are the three-input scores they were.
    CHECK(m.quality_of(i, 0).parts.size() == 3);
  }
}

TEST_CASE("the v1 journal, written before decision events named the acting user, reads them with no user", "[store][fixture][audit]") {
  Loaded v1;
  load_v1(v1);
  std::map<std::string, int> read;
  for (const auto& e : v1.events)
    std::visit(
        [&](const auto& ev) {
          using T = std::decay_t<decltype(ev)>;
          if constexpr (std::is_same_v<T, MembershipChanged>) {
            CHECK(ev.membership.by.empty());
            ++read["membership_changed"];
          } else if constexpr (std::is_same_v<T, ProviderStatusChanged> || std::is_same_v<T, AwardOffered> ||
                               std::is_same_v<T, PackageHeld> || std::is_same_v<T, PackageReleased> ||
                               std::is_same_v<T, PackageCancelled> || std::is_same_v<T, PackageClosedForDirectPayment>) {
            CHECK(ev.by.empty());
            ++read[std::string(event_name(Event(ev)))];
          }
        },
        e);
  CHECK(read == std::map<std::string, int>{{"award_offered", 18}, {"membership_changed", 25}, {"package_cancelled", 1},
                                           {"package_closed_for_direct_payment", 1}, {"package_held", 1},
                                           {"package_released", 1}, {"provider_status_changed", 1}});
  // Their packages' decisions read with no user either, and a location's memberships too.
  for (PackageId id = 1; id <= 20; ++id)
    if (const Package* p = v1.market.find_package(id))
      for (const PackageDecision& d : p->records->decisions) CHECK(d.by.empty());
  for (LocationIndex l = 0; l < v1.market.location_count(); ++l)
    for (const Membership& m : v1.market.location(l).memberships) CHECK(m.by.empty());
}
