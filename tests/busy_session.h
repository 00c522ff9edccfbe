// A seeded, busy market session (determinism, replica and codec tests): the same seed always
// gives the same commands, chosen from the live market as it goes.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "market_fixture.h"

namespace carebroker::testing {

/// A contract action for `provider` under home-care: an update of one of its actions when it has
/// any (half the time), else a new one of a random kind that may escalate its latest (some are
/// refused: one already in force, an escalation to an earlier kind, a closed action).
inline Command contract_action_command(const Market& market, const std::string& provider, std::mt19937& rng) {
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  const Provider* p = market.find_provider(provider);
  const int actions = p ? static_cast<int>(p->contract_actions.size()) : 0;
  const Date today = london_date(market.now());
  if (actions > 0 && pick(2) == 0)
    return UpdateContractAction{provider, 1 + pick(actions), static_cast<ContractActionStatus>(pick(4)),
                                pick(2) ? today + 7 + pick(20) : 0, pick(2) ? "officer-2" : "", "reviewed"};
  return IssueContractAction{provider, "home-care", static_cast<ContractActionKind>(pick(5)), 0, today + 14 + pick(14),
                             "officer-1", pick(2) ? "late calls" : "", actions > 0 && pick(2) ? actions : 0};
}

/// A seeded, busy market session: admissions, quality changes, packages, offers, amendments,
/// withdrawals, ticks, awards, declines, hand-backs — with some commands that are rejected.
/// Commands are chosen from the live market (e.g. bid on a package broadcast to you, accept
/// the award offered to you) and recorded, so the sequence can be run again.
inline std::vector<Command> busy_session(unsigned seed) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  Market market;
  std::vector<Event> sink;
  std::vector<Command> out;
  auto run = [&](Command c) {
    (void)market.execute(c, sink);
    out.push_back(std::move(c));
  };
  run(Tick{kMonday9am});
  run(SetCalendar{england_and_wales_bank_holidays()});
  for (const char* cat : {"older_people", "dementia", "learning_disability", "mental_health",
                          "physical_disability"})
    run(DefineCategory{{cat, cat}});
  DpsConfig config = home_care_config();
  config.ranking.auction = seed % 2 ? AuctionFormat::best_and_final : AuctionFormat::sealed_single_round;
  run(ConfigureDps{config});
  const std::vector<std::string> zones = {"north", "central", "south"};
  const std::vector<std::string> tiers = {"tier1", "tier2", "specialist"};
  const int locations = 30;
  for (int i = 0; i < locations; ++i) {
    const std::string id = "L" + std::to_string(i), provider = "P" + std::to_string(i % 12);
    if (i < 12) run(RegisterProvider{provider, provider + " Ltd"});
    run(RegisterLocation{id, provider, id, "B13 1AA", "Birmingham"});
    run(ApplyToDps{id, "home-care"});
    run(AdmitToDps{id, "home-care", {"hc"}, {"older_people", "dementia", "learning_disability"},
                   {zones[pick(3)], zones[pick(3)]}, tiers[pick(3)], 100 + pick(400)});
    UpdateQualityInputs q;
    q.location = id;
    q.cqc = static_cast<CqcRating>(pick(5));
    q.pamms = static_cast<PammsRating>(pick(4));
    q.self_assessment = pick(101);
    run(q);
  }
  const std::vector<std::string> districts = {"B23", "B44", "B11", "B12", "B13", "B14"};
  for (int step = 0; step < 800; ++step) {
    const int roll = pick(100);
    const std::string rid = "r" + std::to_string(step);
    const PackageId posted = market.package_count();
    const PackageId pkg = posted == 0 ? 1 : 1 + static_cast<PackageId>(pick(static_cast<int>(posted)));
    // Usually act as a location the package concerns; sometimes as anyone.
    std::string loc = "L" + std::to_string(pick(locations));
    if (const Package* p = market.find_package(pkg); p && pick(5) != 0) {
      if ((p->status == PackageStatus::award_pending || p->status == PackageStatus::placed) && pick(2) == 0)
        loc = market.location(p->award_location).id;
      else if (!p->invited.empty())
        loc = market.location(p->invited[pick(static_cast<int>(p->invited.size()))]).id;
    }
    const std::string provider = market.location(*market.find_location(loc)).provider_id;
    if (roll < 8) {
      PackageSpec s = MarketFixture::standard_package();
      s.postcode_district = districts[pick(6)];
      s.categories = {pick(4) == 0 ? "learning_disability" : "older_people"};
      s.urgency = pick(3) == 0 ? Urgency::urgent : Urgency::standard;
      s.start_date = london_date(market.now()) + 2 + pick(5);
      s.visits = {};
      run(PostPackage{s, sealed({"Person " + std::to_string(step), "Addr", "B1 1AA", rid})});
    } else if (roll < 45) {
      const Package* p = market.find_package(pkg);
      const Date start = p ? p->spec->start_date : kMonday;
      run(PlaceOffer{provider, loc, rid, pkg, 2000 + pick(2000), start, true, "n"});
    } else if (roll < 55) {
      const Package* p = market.find_package(pkg);
      const Date start = p ? p->spec->start_date + 1 : kMonday;
      run(AmendOffer{provider, loc, rid, pkg, 2000 + pick(2000), start, true, ""});
    } else if (roll < 60) {
      run(WithdrawOffer{provider, loc, rid, pkg});
    } else if (roll < 75) {
      run(Tick{market.now() + (1 + pick(12)) * kMillisPerHour});
    } else if (roll < 85) {
      run(AcceptAward{provider, loc, rid, pkg});
    } else if (roll < 90) {
      run(DeclineAward{provider, loc, rid, pkg, "full"});
    } else if (roll < 92) {
      run(HandBackPackage{provider, loc, rid, pkg, "staff shortage"});
    } else if (roll < 95) {
      const int what = pick(4);
      if (what < 2)
        run(DecideAbnormallyLow{pkg, loc, pick(2) == 0, "officer", "explained"});
      else if (what == 2)
        run(ExplainOffer{provider, loc, rid, pkg, "our rota keeps travel short"});
      else
        run(RecordSpotPurchase{pkg, "", loc, 2500 + pick(1000), "bought after unsourced", "officer"});
    } else if (roll < 96) {
      run(contract_action_command(market, provider, rng));
    } else if (roll < 98) {
      UpdateQualityInputs q;
      q.location = loc;
      q.embargo = pick(3) == 0;
      q.embargo_reason = "safeguarding";
      run(q);
    } else {
      run(PlaceOffer{provider, loc, "r9", pkg, 2500, kMonday + 3, true, ""});  // likely a reuse
    }
  }
  // During a mini-competition: a package posted, a question asked by an invited location and
  // answered, the package amended. Added after the random steps (which draw from `rng`), so
  // the steps above — and the seeds chosen for them — are unchanged.
  PackageSpec s = MarketFixture::standard_package();
  s.start_date = london_date(market.now()) + 3;
  run(PostPackage{s, sealed({"Person last", "Addr", "B1 1AA", "last"})});
  const PackageId last = market.package_count();
  if (const Package* p = market.find_package(last); p && !p->invited.empty()) {
    const Location& asker = market.location(p->invited.front());
    run(AskQuestion{asker.provider_id, asker.id, "q-last", last, "Is there a key safe?"});
    run(AnswerQuestion{last, 1, "Yes, by the front door", "officer"});
  }
  run(AmendPackage{last, s.start_date + 2, {}, "the discharge moved", "officer"});
  // A person erased (UK GDPR): the first package's, retired or not by now.
  run(ErasePerson{1, "admin-1", "the person asked to be forgotten"});
  run(Tick{market.now() + 30 * kMillisPerDay});
  return out;
}

}  // namespace carebroker::testing
