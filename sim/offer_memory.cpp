// carebroker-offer-memory: the heap a live offer holds in the engine, without a server: what
// carebroker-memprobe's per-offer figure is made of, to the byte and the same on every run. It
// builds the demonstration market (--data) in a writer Market, which keeps provider request ids,
// and two replicas that do not (the server's publisher and reader), each applying the writer's
// events as the server's replicas do; posts --packages packages of carebroker-memprobe's mix (nine
// in ten home care, one in ten supported living); then places --offers offers round-robin over
// the providers' invitations, as the probe does (request ids "m<n>", £33.00). It prints glibc's
// heap in use (mallinfo2) after minus before the offers, per live offer, and how much of it is
// one market's offer arrays (their malloc chunks) and the writer's request table (the rest).
// Not a server measurement: the server adds the journal's write buffer and its own noise.
#include <malloc.h>

#include <boost/program_options.hpp>

#include <cstdio>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "demo/demo_market.h"
#include "engine/market/market.h"
#include "engine/person/person_access.h"

using namespace carebroker::engine;
namespace po = boost::program_options;

int main(int argc, char** argv) {
  int packages = 4000, offers = 20'000;
  std::string data = "data";
  po::options_description options("carebroker-offer-memory options");
  options.add_options()("help", "this text")("data", po::value(&data), "the demonstration market's data directory")(
      "packages", po::value(&packages), "packages to post (default 4000)")(
      "offers", po::value(&offers), "offers to place (default 20000)");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, options), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "carebroker-offer-memory: " << e.what() << "\n" << options;
    return 2;
  }
  if (vm.count("help")) {
    std::cout << options;
    return 0;
  }
  if (packages < 1 || offers < 1) {
    std::cerr << "carebroker-offer-memory: --packages and --offers must be at least 1\n";
    return 2;
  }

  const UtcMillis t0 = london_to_utc(*parse_date("2026-12-01"), 9 * kMillisPerHour);
  const carebroker::demo::DemoMarket demo = carebroker::demo::demo_market(data, t0);
  if (!demo.error.empty()) {
    std::cerr << "carebroker-offer-memory: " << demo.error << "\n";
    return 1;
  }
  Market writer, publisher, reader;
  publisher.keep_request_ids(false);
  reader.keep_request_ids(false);
  std::vector<Event> events;
  const auto run = [&](const Command& c) {
    events.clear();
    const Reply r = writer.execute(c, events);
    for (const Event& e : events) {
      publisher.apply(e);
      reader.apply(e);
    }
    return r;
  };
  run(Tick{t0});
  for (const Command& c : demo.commands)
    if (!run(c).ok()) {
      std::cerr << "carebroker-offer-memory: a command of the demonstration market was refused\n";
      return 1;
    }

  static const char* const kZones[][2] = {{"north", "B6"}, {"central", "B1"}, {"south", "B13"}};
  const Date start = writer.today() + 7;
  for (int n = 0; n < packages; ++n) {
    const bool supported_living = n % 10 == 0;
    const auto& zone = kZones[n % 3];
    PostPackage post;
    PackageSpec& s = post.spec;
    s.dps = supported_living ? carebroker::demo::kSupportedLivingDps : carebroker::demo::kHomeCareDps;
    s.lot = supported_living ? "supported-living" : "home-care";
    s.categories = {supported_living ? "learning_disability" : "older_people"};
    s.zone = zone[0];
    s.postcode_district = zone[1];
    s.quantity = 840;
    s.visits = {4, 30, 7};
    s.start_date = start;
    s.needs = {"personal care", "medication prompts"};
    s.outcomes = {"remain independent at home"};
    s.window = 30LL * kMillisPerDay;
    s.officer = "officer";
    post.person = carebroker::person::seal_unkept({"Person " + std::to_string(n), std::to_string(n) + " Example Road, Birmingham",
                                                   std::string(zone[1]) + " 9AA", "ASC-" + std::to_string(100000 + n)});
    if (const Reply r = run(post); !r.ok()) {
      std::cerr << "carebroker-offer-memory: posting a package was refused: " << r.status.detail << "\n";
      return 1;
    }
  }

  // Each provider's invitations, in package order; offers go to the providers in turn.
  std::map<std::string, std::vector<std::pair<PackageId, LocationIndex>>> invitations;
  for (PackageId id = 1; id <= writer.package_count(); ++id)
    for (LocationIndex l : writer.find_package(id)->invited)
      invitations[writer.location(l).provider_id].emplace_back(id, l);
  events = {};
  malloc_trim(0);
  const std::size_t before = mallinfo2().uordblks;
  std::map<std::string, std::size_t> next;
  int placed = 0, refused = 0;
  for (bool any = true; any && placed < offers;) {
    any = false;
    for (const auto& [provider, list] : invitations) {
      if (placed >= offers) break;
      std::size_t& i = next[provider];
      if (i >= list.size()) continue;
      const auto [package, location] = list[i++];
      const PlaceOffer offer{provider, writer.location(location).id, "m" + std::to_string(placed), package, 3300,
                             start, false, {}, {}};
      ++placed;
      any = true;
      if (!run(offer).ok()) ++refused;
    }
  }
  events = {};
  const std::size_t after = mallinfo2().uordblks;

  std::size_t live = 0, arrays = 0;
  for (PackageId id = 1; id <= writer.package_count(); ++id) {
    const Package* p = writer.find_package(id);
    live += p->offers.size();
    // A chunk is its usable size and malloc's 8-byte size field.
    if (p->offers.capacity() != 0) arrays += malloc_usable_size(const_cast<Offer*>(p->offers.data())) + 8;
  }
  if (live == 0) {
    std::cerr << "carebroker-offer-memory: no offer was accepted (" << refused << " refused)\n";
    return 1;
  }
  const double per_offer = static_cast<double>(after - before) / static_cast<double>(live);
  const double per_array = static_cast<double>(arrays) / static_cast<double>(live);
  std::printf("carebroker-offer-memory: %zu live offers (%d placed, %d refused) on %d packages; sizeof(Offer) %zu B\n",
              live, placed, refused, packages, sizeof(Offer));
  std::printf("  heap in use per live offer: %.1f B\n", per_offer);
  std::printf("    offer arrays: %.1f B in each of the 3 markets (%.1f B)\n", per_array, 3 * per_array);
  std::printf("    the writer's request table and the rest: %.1f B\n", per_offer - 3 * per_array);
  const bool same = writer.digests().without_request_ids == publisher.digest() && publisher.digest() == reader.digest();
  std::printf("  the replicas' digests %s the writer's\n", same ? "equal" : "DIFFER FROM");
  return same ? 0 : 1;
}
