// Benchmark markets: the seeded population, package specs and provider commands.
#include "bench/bench_market.h"
#include "engine/person/person_access.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <utility>

namespace carebroker::bench {
namespace {

using eng::Command;
using eng::CqcRating;
using eng::PammsRating;

constexpr const char* kCategories[] = {"older_people",        "dementia",     "learning_disability",
                                       "mental_health",       "physical_disability", "autism"};
constexpr const char* kZones[] = {"north", "central", "south"};
constexpr const char* kDistricts[][2] = {{"B23", "B44"}, {"B11", "B12"}, {"B13", "B14"}};

bool chance(std::mt19937& rng, double p) { return std::bernoulli_distribution(p)(rng); }

int uniform(std::mt19937& rng, int lo, int hi) {
  return std::uniform_int_distribution<int>(lo, hi)(rng);
}

CqcRating draw_cqc(std::mt19937& rng) {
  const int r = uniform(rng, 0, 99);
  if (r < 8) return CqcRating::outstanding;
  if (r < 77) return CqcRating::good;
  if (r < 94) return CqcRating::requires_improvement;
  if (r < 96) return CqcRating::inadequate;  // Red
  return CqcRating::none;                    // newly registered, not yet inspected
}

PammsRating draw_pamms(std::mt19937& rng) {
  const int r = uniform(rng, 0, 99);
  if (r < 15) return PammsRating::excellent;
  if (r < 70) return PammsRating::good;
  if (r < 89) return PammsRating::requires_improvement;
  if (r < 91) return PammsRating::poor;  // Red
  return PammsRating::none;
}

}  // namespace

eng::Date monday() { return *eng::parse_date("2026-11-23"); }
eng::UtcMillis monday_9am() { return eng::london_to_utc(monday(), 9 * eng::kMillisPerHour); }

eng::DpsConfig home_care_config() {
  eng::DpsConfig c;
  c.code = "home-care";
  c.name = "Home Care and Support";
  c.council = "Benchmark Council";
  c.lots = {eng::Lot{"hc", "Home care", eng::Unit::hours, 1800, 4000, 3214}};
  c.categories.assign(std::begin(kCategories), std::end(kCategories));
  for (std::size_t z = 0; z < std::size(kZones); ++z)
    c.zones.push_back(eng::Zone{kZones[z], kZones[z], {kDistricts[z][0], kDistricts[z][1]}});
  c.tiers = {"tier1", "tier2", "specialist"};
  c.routes = {eng::Route{"specialist", {"learning_disability", "mental_health", "autism"},
                         {"specialist", "tier2"}},
              eng::Route{"standard", {}, {"tier1", "tier2"}}};
  return c;
}

std::string RequestIds::next() {
  const std::uint64_t a = rng_();
  const std::uint64_t b = rng_();
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-4%03llx-%04llx-%012llx",
                static_cast<unsigned long long>(a >> 32),
                static_cast<unsigned long long>((a >> 16) & 0xffff),
                static_cast<unsigned long long>(a & 0xfff),
                static_cast<unsigned long long>(0x8000 | (b & 0x3fff)),
                static_cast<unsigned long long>(++count_ & 0xffffffffffffULL));
  return buf;
}

BenchMarket::BenchMarket(int locations, std::uint32_t seed) {
  std::mt19937 rng(seed);
  must(eng::Tick{monday_9am()});
  must(eng::SetCalendar{eng::england_and_wales_bank_holidays()});
  for (const char* cat : kCategories) must(eng::DefineCategory{{cat, cat}});
  must(eng::ConfigureDps{home_care_config()});

  std::string provider;
  int provider_left = 0;
  int providers = 0;
  for (int i = 0; i < locations; ++i) {
    if (provider_left == 0) {  // a new provider with one to three locations
      provider = "1-" + std::to_string(101'000'000 + 7 * ++providers);
      provider_left = uniform(rng, 0, 9) < 6 ? 1 : uniform(rng, 2, 3);
      must(eng::RegisterProvider{provider, "Provider " + std::to_string(providers) + " Ltd"});
    }
    --provider_left;
    const std::string id = "1-" + std::to_string(2'300'000'000LL + 13LL * i);
    const int zone = uniform(rng, 0, 2);
    must(eng::RegisterLocation{id, provider, "Branch " + std::to_string(i),
                               std::string(kDistricts[zone][uniform(rng, 0, 1)]) + " 9AA",
                               "Birmingham"});
    must(eng::ApplyToDps{id, "home-care"});

    const int t = uniform(rng, 0, 99);
    const std::string tier = t < 50 ? "tier1" : t < 85 ? "tier2" : "specialist";
    const bool specialist = tier == "specialist";
    std::vector<std::string> zones = {kZones[zone]};
    if (chance(rng, 0.4)) zones.push_back(kZones[(zone + uniform(rng, 1, 2)) % 3]);
    const double p_cat[] = {0.9,  0.55, specialist ? 0.7 : 0.2, specialist ? 0.6 : 0.2,
                            0.6, specialist ? 0.4 : 0.1};
    std::vector<std::string> categories;
    for (std::size_t c = 0; c < std::size(kCategories); ++c)
      if (chance(rng, p_cat[c])) categories.push_back(kCategories[c]);
    if (categories.empty()) categories.push_back("older_people");
    must(eng::AdmitToDps{id, "home-care", {"hc"}, categories, zones, tier, 100 * uniform(rng, 2, 20)});

    eng::UpdateQualityInputs q;
    q.location = id;
    q.cqc = draw_cqc(rng);
    q.pamms = draw_pamms(rng);
    q.self_assessment = chance(rng, 0.2) ? -1 : uniform(rng, 55, 95);
    if (chance(rng, 0.015)) {
      q.embargo = true;
      q.embargo_reason = "safeguarding enquiry";
    }
    if (chance(rng, 0.05)) q.registered_manager_vacancy = true;  // Amber, still broadcast
    must(q);
  }
}

eng::Reply must(eng::Market& market, const Command& c) {
  std::vector<eng::Event> events;
  eng::Reply r = market.execute(c, events);
  if (!r.ok()) {
    std::fprintf(stderr, "benchmark setup: %s rejected: %s — %s\n",
                 std::string(eng::command_name(c)).c_str(),
                 std::string(eng::to_string(r.status.code)).c_str(), r.status.detail.c_str());
    std::abort();
  }
  return r;
}

eng::PackageSpec BenchMarket::package_spec(std::mt19937& rng, PackageKind kind) const {
  eng::PackageSpec s;
  s.dps = "home-care";
  s.lot = "hc";
  if (kind == PackageKind::specialist) {
    s.categories = {chance(rng, 0.6) ? "learning_disability" : "mental_health"};
  } else {
    const int r = uniform(rng, 0, 99);
    if (r < 60)
      s.categories = {"older_people"};
    else if (r < 85)
      s.categories = {"older_people", "dementia"};
    else
      s.categories = {"older_people", "physical_disability"};
  }
  const int zone = uniform(rng, 0, 2);
  s.postcode_district = kDistricts[zone][uniform(rng, 0, 1)];
  const int visits = uniform(rng, 1, 4);
  const int minutes = 15 * uniform(rng, 2, 4);
  s.visits = {visits, minutes, 7};
  s.quantity = s.visits.minutes_per_week();
  s.start_date = eng::london_date(market.now()) + 2;
  s.needs = {"personal care", "medication prompts"};
  if (chance(rng, 0.5)) s.needs.push_back("meal preparation");
  s.outcomes = {"remain independent at home"};
  if (chance(rng, 0.2)) s.must_meet = {"female carers only"};
  s.officer = "officer-" + std::to_string(uniform(rng, 1, 12));
  return s;
}

eng::PackageId BenchMarket::post(eng::PackageSpec spec) {
  const std::string n = std::to_string(next_case_++);
  eng::PersonDetails person{"Person " + n, n + " Example Street", "B13 9ZZ", "CASE-" + n};
  return must(eng::PostPackage{std::move(spec), carebroker::person::seal_unkept(person)}).package;
}

OfferBook make_offer_book(int locations, int packages, std::uint32_t seed) {
  BenchMarket m(locations, seed);
  std::mt19937 rng(seed + 1);
  OfferBook book;
  for (int i = 0; i < packages; ++i) {
    const eng::PackageId id = m.post(m.package_spec(rng));
    for (eng::LocationIndex loc : m.market.find_package(id)->invited)
      book.slots.push_back({id, loc});
  }
  std::shuffle(book.slots.begin(), book.slots.end(), rng);  // offers arrive across packages
  book.packages = static_cast<std::size_t>(packages);
  book.market = std::move(m.market);
  return book;
}

namespace {

template <typename C>
C offer_command(const eng::Market& market, const OfferSlot& slot, eng::Pence price,
                std::string request_id, std::string notes) {
  const eng::Location& l = market.location(slot.location);
  C c;
  c.provider = l.provider_id;
  c.location = l.id;
  c.request_id = std::move(request_id);
  c.package = slot.package;
  c.price = price;
  c.start_date = market.find_package(slot.package)->spec->start_date;
  c.must_meet_confirmed = true;
  c.notes = std::move(notes);
  return c;
}

}  // namespace

eng::PlaceOffer place_offer(const eng::Market& market, const OfferSlot& slot, eng::Pence price,
                            std::string request_id, std::string notes) {
  return offer_command<eng::PlaceOffer>(market, slot, price, std::move(request_id), std::move(notes));
}

eng::AmendOffer amend_offer(const eng::Market& market, const OfferSlot& slot, eng::Pence price,
                            std::string request_id, std::string notes) {
  return offer_command<eng::AmendOffer>(market, slot, price, std::move(request_id), std::move(notes));
}

eng::WithdrawOffer withdraw_offer(const eng::Market& market, const OfferSlot& slot,
                                  std::string request_id) {
  const eng::Location& l = market.location(slot.location);
  return eng::WithdrawOffer{l.provider_id, l.id, std::move(request_id), slot.package};
}

eng::Pence bid_price(std::mt19937& rng) {
  return std::uniform_int_distribution<eng::Pence>(2400, 3800)(rng);
}

std::string bid_notes(std::mt19937& rng) {
  static const char* const kNotes[] = {"Carers available from 07:00",
                                       "Can start on the requested date",
                                       "Two regular carers for continuity"};
  if (!chance(rng, 0.33)) return {};
  return kNotes[uniform(rng, 0, 2)];
}

}  // namespace carebroker::bench
