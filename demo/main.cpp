// carebroker-demo: runs the demonstration market through the engine and prints what happened —
// posting, who was broadcast and why the others were not, offers, the ranking with its
// explanation, an abnormally low offer, a decline, a cascade, an unsourced package, a
// best-and-final round — then proves the journal of events replays to the same state.
#include <boost/program_options.hpp>

#include <cstdio>
#include <iostream>
#include <map>
#include <string>

#include "demo/demo_market.h"
#include "engine/market/market.h"
#include "engine/person/person_seal.h"

using namespace carebroker::engine;
using carebroker::demo::demo_market;

namespace {

struct Demo {
  Market market;
  std::vector<Event> journal;
  int next_request = 1;
  // The council's key for the demonstration's people (the server keeps one per person in its key
  // store): the market only ever holds them sealed, and the demo opens what it releases.
  carebroker::person::PersonKey key = *carebroker::person::new_key();

  SealedPerson seal(const PersonDetails& details) const {
    std::string error;
    return *carebroker::person::seal(details, carebroker::person::new_key_id(), key, error);
  }
  PersonDetails open(const SealedPerson& sealed) const { return carebroker::person::open(sealed, key).value_or(PersonDetails{}); }

  Reply run(const Command& c) {
    Reply r = market.execute(c, journal);
    if (!r.ok())
      std::printf("  ! %s rejected: %s — %s\n", std::string(command_name(c)).c_str(),
                  std::string(to_string(r.status.code)).c_str(), r.status.detail.c_str());
    return r;
  }
  const Location& loc(LocationIndex i) const { return market.location(i); }
  std::string name(LocationIndex i) const { return loc(i).name + " (" + loc(i).id + ")"; }
  std::string rid() { return "demo-" + std::to_string(next_request++); }

  Reply offer(LocationIndex i, PackageId p, Pence price, const std::string& notes = "") {
    const Package& pkg = *market.find_package(p);
    Reply r = run(PlaceOffer{loc(i).provider_id, loc(i).id, rid(), p, price, pkg.spec->start_date, true, notes});
    if (r.ok()) std::printf("  offer  %-58s %s/hour\n", name(i).c_str(), format_pence(price).c_str());
    return r;
  }
  void set_quality(LocationIndex i, PammsRating pamms, int self) {
    UpdateQualityInputs q;
    q.location = loc(i).id;
    q.pamms = pamms;
    q.self_assessment = self;
    run(q);
  }
  void advance_to(UtcMillis t) {
    std::printf("  … clock → %s\n", format_london(t).c_str());
    run(Tick{t});
  }
  void pass_window(PackageId id) { advance_to(market.find_package(id)->closes_at); }
};

void heading(const std::string& s) { std::printf("\n== %s ==\n", s.c_str()); }

void print_broadcast(Demo& d, PackageId id) {
  const Package& p = *d.market.find_package(id);
  const BroadcastView v = d.market.broadcast_view(p);
  std::printf("  broadcast at %s to %zu location(s), closing %s:\n", v.tier.c_str(), p.invited.size(),
              format_london(p.closes_at).c_str());
  std::size_t shown = 0;
  for (LocationIndex i : p.invited) {
    if (++shown > 8) {
      std::printf("    … and %zu more\n", p.invited.size() - 8);
      break;
    }
    std::printf("    %s\n", d.name(i).c_str());
  }
  std::map<std::string, std::pair<int, std::string>> by_rule;
  for (const auto& x : d.market.exclusions(id)) {
    auto& [count, example] = by_rule[std::string(to_string(x.rule))];
    if (count++ == 0) example = d.name(x.location) + ": " + x.detail;
  }
  std::printf("  not broadcast, by the rule that kept them out:\n");
  for (const auto& [rule, entry] : by_rule)
    std::printf("    %-20s %4d  e.g. %s\n", rule.c_str(), entry.first, entry.second.c_str());
}

void print_ranking(Demo& d, PackageId id) {
  const Ranking r = d.market.ranking(id);
  std::printf("  ranking (%s, lowest acceptable price %s):\n", std::string(to_string(r.scheme)).c_str(),
              format_pence(r.lowest).c_str());
  for (const auto& o : r.offers)
    std::printf("    %s\n      %s\n", d.name(o.offer.location).c_str(), o.explanation.c_str());
}

void print_status(Demo& d, PackageId id) {
  const Package& p = *d.market.find_package(id);
  std::printf("  package #%llu is %s", static_cast<unsigned long long>(id),
              std::string(to_string(p.status)).c_str());
  if (p.status == PackageStatus::award_pending || p.status == PackageStatus::placed ||
      p.status == PackageStatus::awaiting_decision)
    std::printf(" — %s", d.name(p.award_location).c_str());
  if (p.status == PackageStatus::award_pending)
    std::printf(", must answer by %s", format_london(p.award_expires).c_str());
  std::printf("\n");
}

/// The first `n` invited locations of a package.
std::vector<LocationIndex> bidders(Demo& d, PackageId id, std::size_t n) {
  const auto& invited = d.market.find_package(id)->invited;
  return {invited.begin(), invited.begin() + static_cast<long>(std::min(n, invited.size()))};
}

PackageSpec spec(const std::string& dps, const std::string& lot, std::vector<std::string> categories,
                 const std::string& district, VisitPattern visits, Date start) {
  PackageSpec s;
  s.dps = dps;
  s.lot = lot;
  s.categories = std::move(categories);
  s.postcode_district = district;
  s.visits = visits;
  s.quantity = visits.minutes_per_week();
  s.start_date = start;
  s.officer = "brokerage-officer-1";
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  namespace po = boost::program_options;
  std::string data_dir = CAREBROKER_DATA_DIR;
  po::options_description options("carebroker-demo: a demonstration market run through the engine");
  options.add_options()("help,h", "show this help")(
      "data", po::value(&data_dir)->default_value(data_dir), "folder holding zones.csv and cqc/");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, options), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "carebroker-demo: " << e.what() << "\n" << options;
    return 2;
  }
  if (vm.count("help")) {
    std::cout << options;
    return 0;
  }

  const Date monday = *parse_date("2026-11-23");
  const UtcMillis t0 = london_to_utc(monday, 9 * kMillisPerHour);
  const auto loaded = demo_market(data_dir, t0);
  if (!loaded.error.empty()) {
    std::cerr << "carebroker-demo: " << loaded.error << "\n";
    return 1;
  }
  Demo d;
  for (const auto& c : loaded.commands)
    if (!d.run(c).ok()) return 1;
  const int hc = d.market.find_dps(carebroker::demo::kHomeCareDps);
  std::map<std::string, int> per_tier;
  for (LocationIndex i = 0; i < d.market.location_count(); ++i)
    if (const Membership* m = d.loc(i).membership_of(hc)) ++per_tier[d.market.dps(hc).tiers[m->tier]];
  std::printf("carebroker demonstration — %s\n", d.market.dps(hc).council.c_str());
  std::printf("Loaded %d providers and %d locations from CQC data (1 Sep 2026; Open Government Licence v3.0).\n",
              loaded.providers, loaded.locations);
  std::printf("DPS %s: tier1 %d, tier2 %d, specialist %d; market clock %s.\n", d.market.dps(hc).code.c_str(),
              per_tier["tier1"], per_tier["tier2"], per_tier["specialist"], format_london(d.market.now()).c_str());

  // ---------------------------------------------------------------------------------------
  heading("1. A home-care package in B13 (South): broadcast, sealed offers, ranking, award");
  {
    // An embargo on one North Tier 1 location (a safeguarding concern under investigation).
    const auto south_tier1 = d.market.eligible({hc, 0, 0, d.market.dps(hc).zone_index("north"), 0});
    if (!south_tier1.empty()) {
      UpdateQualityInputs q;
      q.location = d.loc(south_tier1.back()).id;
      q.embargo = true;
      q.embargo_reason = "safeguarding concern under investigation";
      d.run(q);
      std::printf("  the council embargoes %s: no new placements while a safeguarding concern is investigated\n",
                  d.name(south_tier1.back()).c_str());
    }
  }
  const PackageId p1 = d.run(PostPackage{
      spec("home-care", "home-care", {"older_people", "dementia"}, "B13", {4, 30, 7}, monday + 3),
      d.seal({"Mrs A. Example", "12 Example Road, Birmingham", "B13 9XX", "BCC-2026-0001"})}).package;
  std::printf("  posted #%llu: older people + dementia, 4 × 30-minute visits a day (14 h/week), start %s\n",
              static_cast<unsigned long long>(p1), format_date(monday + 3).c_str());
  print_broadcast(d, p1);
  auto tier1 = bidders(d, p1, 3);
  std::printf("  compliance officers have validated PAMMS and self-assessments for the Tier 1 bidders\n");
  const PammsRating pamms[] = {PammsRating::good, PammsRating::excellent, PammsRating::requires_improvement};
  const int self[] = {70, 85, 60};
  for (std::size_t i = 0; i < tier1.size(); ++i) d.set_quality(tier1[i], pamms[i], self[i]);
  const Pence prices[] = {3150, 2600, 2980};
  for (std::size_t i = 0; i < tier1.size(); ++i) d.offer(tier1[i], p1, prices[i]);
  if (!tier1.empty()) {
    const auto view = d.market.provider_view(p1, d.loc(tier1[0]).id);
    std::printf("  sealed: %s sees its own offer (%s) and no other; rank shown: %s\n",
                d.loc(tier1[0]).name.c_str(), format_pence(view->own_offer->price).c_str(),
                view->own_rank ? "yes" : "no");
  }
  d.pass_window(p1);
  print_ranking(d, p1);
  print_status(d, p1);
  const Package& pk1 = *d.market.find_package(p1);
  if (pk1.status == PackageStatus::awaiting_decision) {
    std::printf("  the top offer is below 85%% of the fair cost of care (£32.14): the officer asks for its explanation\n");
    d.run(DecideAbnormallyLow{p1, d.loc(pk1.award_location).id, false, "brokerage-officer-1",
                              "rate does not cover the National Living Wage with travel time"});
    std::printf("  explanation rejected: the offer leaves the ranking, which is recalculated\n");
    print_ranking(d, p1);
    print_status(d, p1);
  }
  if (pk1.status == PackageStatus::award_pending) {
    const LocationIndex first = pk1.award_location;
    d.run(DeclineAward{d.loc(first).provider_id, d.loc(first).id, d.rid(), p1, "no carers free on those calls"});
    std::printf("  %s declines the award\n", d.loc(first).name.c_str());
    print_status(d, p1);
  }
  if (pk1.status == PackageStatus::award_pending) {
    const LocationIndex winner = pk1.award_location;
    d.run(AcceptAward{d.loc(winner).provider_id, d.loc(winner).id, d.rid(), p1});
    print_status(d, p1);
    const auto view = d.market.provider_view(p1, d.loc(winner).id);
    const PersonDetails person = d.open(*view->person);  // sealed in the market: opened for release
    std::printf("  only now does the winner receive the person's details: %s, %s (rank %d, score %.4f)\n",
                person.name.c_str(), person.address.c_str(), view->own_rank.value_or(0),
                view->own_score.value_or(0));
    for (LocationIndex other : tier1)
      if (other != winner) {
        const auto v = d.market.provider_view(p1, d.loc(other).id);
        std::printf("  %s sees: %s, person details %s\n", d.loc(other).name.c_str(),
                    std::string(to_string(v->standing)).c_str(), v->person ? "SHOWN (bug!)" : "withheld");
      }
  }

  // ---------------------------------------------------------------------------------------
  heading("2. A learning-disability package: the specialist tier first, then Tier 2");
  const PackageId p2 = d.run(PostPackage{
      spec("home-care", "home-care", {"learning_disability"}, "B23", {2, 60, 7}, monday + 4),
      d.seal({"Mr B. Example", "3 Sample Close, Erdington", "B23 1XX", "BCC-2026-0002"})}).package;
  print_broadcast(d, p2);
  std::printf("  no specialist provider offers before the window closes\n");
  d.pass_window(p2);
  print_status(d, p2);
  std::printf("  cascaded to %s:\n", d.market.broadcast_view(*d.market.find_package(p2)).tier.c_str());
  print_broadcast(d, p2);
  auto tier2 = bidders(d, p2, 2);
  for (std::size_t i = 0; i < tier2.size(); ++i) d.offer(tier2[i], p2, 3300 - static_cast<Pence>(i) * 150);
  d.pass_window(p2);
  print_ranking(d, p2);
  print_status(d, p2);

  // ---------------------------------------------------------------------------------------
  heading("3. An urgent hospital discharge in B44 nobody can take: cascade, then unsourced");
  PackageSpec urgent = spec("home-care", "home-care", {"older_people", "physical_disability"}, "B44", {4, 45, 7},
                            london_date(d.market.now()));
  urgent.urgency = Urgency::urgent;
  urgent.double_handed = true;
  urgent.must_meet = {"double-handed calls", "hoist trained"};
  const PackageId p3 = d.run(PostPackage{urgent, d.seal({"Mr C. Example", "Ward 4, Good Hope Hospital", "B75 7RR",
                                                         "BCC-2026-0003"})}).package;
  print_broadcast(d, p3);
  d.pass_window(p3);
  std::printf("  nobody at Tier 1 can take it within the urgent window; cascaded to %s:\n",
              d.market.broadcast_view(*d.market.find_package(p3)).tier.c_str());
  print_broadcast(d, p3);
  d.pass_window(p3);
  print_status(d, p3);
  std::printf("  an officer now spot-purchases it outside the DPS\n");

  // ---------------------------------------------------------------------------------------
  heading("4. Birmingham's timed format on the supported-living DPS: shortlist, best and final");
  {
    const int sl = d.market.find_dps(carebroker::demo::kSupportedLivingDps);
    DpsConfig config = d.market.dps(sl);
    config.ranking.auction = AuctionFormat::best_and_final;
    config.ranking.shortlist_size = 3;
    d.run(ConfigureDps{config});
  }
  const PackageId p4 = d.run(PostPackage{
      spec("ld-autism-supported-living", "supported-living", {"learning_disability", "autism"}, "B29",
           {3, 60, 7}, monday + 16),
      d.seal({"Ms D. Example", "7 Specimen Lane, Selly Oak", "B29 6XX", "BCC-2026-0004"})}).package;
  print_broadcast(d, p4);
  auto sl_bidders = bidders(d, p4, 4);
  for (std::size_t i = 0; i < sl_bidders.size(); ++i) d.offer(sl_bidders[i], p4, 3400 + static_cast<Pence>(i) * 120);
  d.pass_window(p4);
  print_status(d, p4);
  for (const auto& entry : d.market.find_package(p4)->shortlist)
    std::printf("  shortlisted: %s is told its own rank: %d\n", d.name(entry.location).c_str(),
                *d.market.provider_view(p4, d.loc(entry.location).id)->own_rank);
  if (const auto& sh = d.market.find_package(p4)->shortlist; sh.size() >= 2) {
    const LocationIndex challenger = sh.back().location;
    const Package& p = *d.market.find_package(p4);
    const Reply r = d.run(AmendOffer{d.loc(challenger).provider_id, d.loc(challenger).id, d.rid(), p4, 3350,
                                     p.spec->start_date, true, "adds a weekly community activity session"});
    if (r.ok()) std::printf("  %s improves its offer to £33.50 and adds a weekly activity session\n",
                            d.loc(challenger).name.c_str());
  }
  d.pass_window(p4);
  print_ranking(d, p4);
  print_status(d, p4);

  // ---------------------------------------------------------------------------------------
  heading("Determinism: the journal of events rebuilds the same market");
  Market replayed;
  for (const auto& e : d.journal) replayed.apply(e);
  std::printf("  %zu events; market digest %016llx; replayed into an empty market: %016llx — %s\n",
              d.journal.size(), static_cast<unsigned long long>(d.market.digest()),
              static_cast<unsigned long long>(replayed.digest()),
              replayed.digest() == d.market.digest() ? "identical" : "DIFFERENT (bug!)");
  return replayed.digest() == d.market.digest() ? 0 : 1;
}
