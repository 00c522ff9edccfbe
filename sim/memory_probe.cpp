// carebroker-memprobe: how much memory the server holds per live package, per live offer and
// with many providers connected. It starts a `carebroker --demo` server on a fresh data
// directory (or measures one already running: --url, --pid and its tokens), reads its resident
// set size (VmRSS, /proc/PID/status) when idle, after posting --packages packages over REST as
// the brokerage officer, after placing --offers offers over WebSocket as the invited providers
// (one connection per provider), and after holding --connections provider WebSockets open, each
// Hello'd and given its whole snapshot. It prints a summary, or one JSON object with --json.
// With --runs N (a server of its own each time) it reports every run and the medians.
// At each reading it also reads the server's journal write buffers (/metrics,
// carebroker_journal_write_buffer_bytes: RocksDB memtables, bounded by the write buffer size
// and flushed to disk when full) and says how much of each per-package and per-offer figure
// they are.
//
// The package mix: nine in ten are home care (older people, standard route: offered to the
// three Tier 1 locations of their zone, zones in turn); one in ten is supported living
// (learning disability, all at once: offered to every admitted location, about 140), so the
// offers have somewhere to go and broadcasts of both widths are measured.
#include <boost/json.hpp>
#include <boost/program_options.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include "sim/probe_server.h"
#include "sim/provider_fleet.h"
#include "sim/rest_client.h"

using namespace carebroker::sim;
namespace json = boost::json;

namespace {

struct Options {
  std::string server, url, admin_token, officer_token, data;
  pid_t pid = 0;
  int packages = 4000, offers = 20'000, connections = 10'000, rest_connections = 4, runs = 1;
  int supported_living_every = 10;
  double settle_s = 2, timeout_s = 600;
  bool json = false;
};

struct Figures {
  std::uint64_t rss_idle = 0, rss_packages = 0, rss_before_offers = 0, rss_offers = 0, rss_connections = 0;
  // The journal's write buffers (RocksDB memtables: recent writes not yet flushed, bounded by
  // the write buffer size, not by the market) at the same readings, from /metrics.
  std::uint64_t wb_idle = 0, wb_packages = 0, wb_before_offers = 0, wb_offers = 0;
  // The heap the program holds (carebroker_heap_in_use_bytes: glibc's bytes in use, without the
  // freed memory malloc keeps), at the same readings: the figures without page and arena noise.
  std::uint64_t heap_idle = 0, heap_packages = 0, heap_before_offers = 0, heap_offers = 0;
  int packages = 0;
  std::uint64_t offers = 0, offer_errors = 0, connections = 0, failed_connections = 0;
  double per_package() const { return packages ? (double(rss_packages) - double(rss_idle)) / packages : 0; }
  double per_offer() const { return offers ? (double(rss_offers) - double(rss_before_offers)) / double(offers) : 0; }
  /// Of per_package() and per_offer(): the journal's write buffers' growth.
  double write_buffer_per_package() const {
    return packages ? (double(wb_packages) - double(wb_idle)) / packages : 0;
  }
  double write_buffer_per_offer() const {
    return offers ? (double(wb_offers) - double(wb_before_offers)) / double(offers) : 0;
  }
  double heap_per_package() const {
    return packages ? (double(heap_packages) - double(heap_idle)) / packages : 0;
  }
  double heap_per_offer() const {
    return offers ? (double(heap_offers) - double(heap_before_offers)) / double(offers) : 0;
  }
  double per_connection() const {
    return connections ? (double(rss_connections) - double(rss_offers)) / double(connections) : 0;
  }
};

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "carebroker-memprobe: %s\n", why.c_str());
  std::exit(1);
}

std::string date_in_days(int days) {
  const std::time_t t = std::time(nullptr) + static_cast<std::time_t>(days) * 86'400;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &tm);
  return text;
}

/// The n-th package of the mix (see the file comment).
std::string package_body(int n, const Options& o, const std::string& start) {
  static const char* const kZones[][2] = {{"north", "B6"}, {"central", "B1"}, {"south", "B13"}};
  const auto& zone = kZones[n % 3];
  const bool supported_living = o.supported_living_every > 0 && n % o.supported_living_every == 0;
  json::object p{{"dps", supported_living ? "ld-autism-supported-living" : "home-care"},
                 {"lot", supported_living ? "supported-living" : "home-care"},
                 {"categories", json::array{supported_living ? "learning_disability" : "older_people"}},
                 {"zone", zone[0]},
                 {"postcode_district", zone[1]},
                 {"quantity", 840},
                 {"visits", {{"visits_per_day", 4}, {"minutes_per_visit", 30}, {"days_per_week", 7}}},
                 {"double_handed", false},
                 {"start_date", start},
                 {"needs", json::array{"personal care", "medication prompts"}},
                 {"outcomes", json::array{"remain independent at home"}},
                 {"must_meet", json::array{}},
                 {"urgency", "standard"},
                 {"funder", "council"},
                 {"price_ceiling", 0},
                 {"window", 30LL * 86'400'000},
                 {"person",
                  {{"name", "Person " + std::to_string(n)},
                   {"address", std::to_string(n) + " Example Road, Birmingham"},
                   {"postcode", std::string(zone[1]) + " 9AA"},
                   {"case_reference", "ASC-" + std::to_string(100000 + n)}}}};
  return json::serialize(p);
}

std::uint64_t settled_rss(const ServerProcess& s, double settle_s) {
  std::this_thread::sleep_for(std::chrono::duration<double>(settle_s));
  const auto rss = resident_bytes(s.pid);
  if (!rss) die("cannot read /proc/" + std::to_string(s.pid) + "/status: is the server's process id right?");
  return *rss;
}

/// What /metrics (as the admin) says of the server's memory at one reading.
struct MetricsReading {
  std::uint64_t write_buffer = 0;  ///< carebroker_journal_write_buffer_bytes
  std::uint64_t heap = 0;          ///< carebroker_heap_in_use_bytes
};

MetricsReading read_metrics(const ServerProcess& s) {
  RestClient rest(s.host, s.port);
  const RestClient::Reply r = rest.request("GET", "/metrics", s.admin_token, "");
  if (r.status != 200) die("GET /metrics as the admin failed: " + std::to_string(r.status) + " " + r.body);
  const auto gauge = [&](std::string_view name) {
    const std::string key = "\n" + std::string(name) + " ";
    const std::size_t at = r.body.find(key);
    if (at == std::string::npos) die("/metrics has no " + std::string(name) + " (an older server?)");
    return std::strtoull(r.body.c_str() + at + key.size(), nullptr, 10);
  };
  return {gauge("carebroker_journal_write_buffer_bytes"), gauge("carebroker_heap_in_use_bytes")};
}

void wait_ready(const ServerProcess& s, double timeout_s) {
  RestClient rest(s.host, s.port);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  for (;;) {
    const RestClient::Reply r = rest.request("GET", "/readyz", "");
    if (r.status == 200) return;
    if (std::chrono::steady_clock::now() >= deadline)
      die("the server at " + s.host + ":" + std::to_string(s.port) + " is not ready: " +
          (r.status ? "status " + std::to_string(r.status) : r.error));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

/// A provider token for every provider with a location in the home-care DPS.
std::vector<std::string> provider_tokens(const ServerProcess& s) {
  RestClient rest(s.host, s.port);
  std::set<std::string> providers;
  for (int page = 1;; ++page) {
    const RestClient::Reply r =
        rest.request("GET", "/api/v1/locations?dps=home-care&page_size=500&page=" + std::to_string(page), s.admin_token);
    if (r.status != 200)
      die("GET /api/v1/locations as admin: " + (r.status ? std::to_string(r.status) + " " + r.body : r.error) +
          " (is --admin-token right, and is it the demonstration market?)");
    const json::object page_json = json::parse(r.body).as_object();
    const auto& items = page_json.at("items").as_array();
    for (const auto& item : items) providers.insert(json::value_to<std::string>(item.at("provider")));
    if (items.empty() || providers.size() >= static_cast<std::size_t>(page_json.at("total").to_number<std::int64_t>()) ||
        static_cast<std::int64_t>(page) * 500 >= page_json.at("total").to_number<std::int64_t>())
      break;
  }
  if (providers.empty()) die("the server has no home-care locations: is it the demonstration market (--demo)?");
  std::vector<std::string> tokens;
  for (const auto& p : providers) {
    const json::object req{{"role", "provider"}, {"provider", p}, {"name", "memprobe " + p}};
    const RestClient::Reply r = rest.request("POST", "/api/v1/tokens", s.admin_token, json::serialize(req));
    if (r.status != 201) die("POST /api/v1/tokens for " + p + ": " + (r.status ? std::to_string(r.status) + " " + r.body : r.error));
    tokens.push_back(json::value_to<std::string>(json::parse(r.body).at("token")));
  }
  return tokens;
}

/// Posts o.packages packages on o.rest_connections keep-alive connections; returns how many were created.
int post_packages(const ServerProcess& s, const Options& o) {
  const std::string start = date_in_days(7);
  std::vector<std::thread> threads;
  std::vector<int> created(static_cast<std::size_t>(o.rest_connections), 0);
  std::vector<std::string> failures(created.size());
  for (int t = 0; t < o.rest_connections; ++t)
    threads.emplace_back([&, t] {
      RestClient rest(s.host, s.port);
      for (int n = t; n < o.packages; n += o.rest_connections) {
        // No Idempotency-Key: a keyed command's record would be measured too.
        const RestClient::Reply r = rest.request("POST", "/api/v1/packages", s.officer_token, package_body(n, o, start));
        if (r.status == 201) ++created[static_cast<std::size_t>(t)];
        else if (failures[static_cast<std::size_t>(t)].empty())
          failures[static_cast<std::size_t>(t)] = r.status ? std::to_string(r.status) + " " + r.body : r.error;
      }
    });
  for (auto& t : threads) t.join();
  for (const auto& f : failures)
    if (!f.empty()) die("POST /api/v1/packages as the officer failed: " + f);
  int total = 0;
  for (int c : created) total += c;
  return total;
}

Figures run_once(const Options& o, ServerProcess& s) {
  Figures f;
  wait_ready(s, 120);
  // The providers' tokens are issued (and their locations listed, in pages of 500) before the
  // idle reading: neither grows with packages, and a page's JSON leaves the reader's scratch
  // buffer at its size (up to 256 KiB: gateway/rest/json_views.cpp), which the per-package
  // figure would otherwise count as ~66 B a package.
  const std::vector<std::string> tokens = provider_tokens(s);
  f.rss_idle = settled_rss(s, o.settle_s);
  {
    const MetricsReading m = read_metrics(s);
    f.wb_idle = m.write_buffer;
    f.heap_idle = m.heap;
  }

  f.packages = post_packages(s, o);
  f.rss_packages = settled_rss(s, o.settle_s);
  {
    const MetricsReading m = read_metrics(s);
    f.wb_packages = m.write_buffer;
    f.heap_packages = m.heap;
  }

  // One connection per provider: snapshots give the invitations; offers go on them in turn.
  ProviderFleet fleet(s.host, s.port);
  fleet.open(tokens.size(), tokens, true, 64);
  if (!fleet.run_until([&](const FleetCounters& c) { return c.opened + c.failed >= tokens.size(); }, o.timeout_s))
    die("the providers' snapshots did not all arrive within --timeout");
  if (fleet.counters().failed) die("a provider connection failed: " + fleet.counters().first_failure);
  f.rss_before_offers = settled_rss(s, o.settle_s);
  {
    const MetricsReading m = read_metrics(s);
    f.wb_before_offers = m.write_buffer;
    f.heap_before_offers = m.heap;
  }
  std::vector<std::size_t> next(tokens.size(), 0);
  std::uint64_t placed = 0;
  for (bool any = true; any && placed < static_cast<std::uint64_t>(o.offers);) {
    any = false;
    for (std::size_t i = 0; i < tokens.size() && placed < static_cast<std::uint64_t>(o.offers); ++i) {
      const auto& inv = fleet.invitations(i);
      if (next[i] >= inv.size()) continue;
      fleet.place_offer(i, inv[next[i]++], 3300);
      ++placed;
      any = true;
    }
  }
  if (placed < static_cast<std::uint64_t>(o.offers))
    std::fprintf(stderr, "carebroker-memprobe: only %llu invitations to offer on (asked for %d offers)\n",
                 static_cast<unsigned long long>(placed), o.offers);
  if (!fleet.run_until([&](const FleetCounters& c) { return c.acks + c.errors >= placed; }, o.timeout_s))
    die("the offers were not all answered within --timeout");
  f.offers = fleet.counters().acks;
  f.offer_errors = fleet.counters().errors;
  f.rss_offers = settled_rss(s, o.settle_s);
  {
    const MetricsReading m = read_metrics(s);
    f.wb_offers = m.write_buffer;
    f.heap_offers = m.heap;
  }

  // The rest of --connections, each with its whole snapshot.
  const std::size_t more = static_cast<std::size_t>(o.connections) > tokens.size() ? o.connections - tokens.size() : 0;
  fleet.open(more, tokens, false, 256);
  const std::uint64_t want = tokens.size() + more;
  if (!fleet.run_until([&](const FleetCounters& c) { return c.opened + c.failed >= want; }, o.timeout_s))
    die("the connections did not all get their snapshots within --timeout (" +
        std::to_string(fleet.counters().opened) + " of " + std::to_string(want) + ")");
  f.connections = fleet.counters().opened;
  f.failed_connections = fleet.counters().failed;
  f.rss_connections = settled_rss(s, o.settle_s);
  if (f.failed_connections)
    std::fprintf(stderr, "carebroker-memprobe: %llu connections failed; first: %s\n",
                 static_cast<unsigned long long>(f.failed_connections), fleet.counters().first_failure.c_str());
  if (f.offer_errors)
    std::fprintf(stderr, "carebroker-memprobe: %llu offers refused; first: %s\n",
                 static_cast<unsigned long long>(f.offer_errors), fleet.counters().first_error.c_str());
  return f;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

json::object figures_json(const Figures& f) {
  return {{"rss_idle_bytes", f.rss_idle},
          {"packages", f.packages},
          {"rss_after_packages_bytes", f.rss_packages},
          {"bytes_per_package", f.per_package()},
          {"write_buffer_bytes_per_package", f.write_buffer_per_package()},
          {"heap_bytes_per_package", f.heap_per_package()},
          {"rss_before_offers_bytes", f.rss_before_offers},
          {"offers", f.offers},
          {"offers_refused", f.offer_errors},
          {"rss_after_offers_bytes", f.rss_offers},
          {"bytes_per_offer", f.per_offer()},
          {"write_buffer_bytes_per_offer", f.write_buffer_per_offer()},
          {"heap_bytes_per_offer", f.heap_per_offer()},
          {"connections", f.connections},
          {"connections_failed", f.failed_connections},
          {"rss_with_connections_bytes", f.rss_connections},
          {"bytes_per_connection", f.per_connection()}};
}

void print_run(const Figures& f) {
  const auto mb = [](std::uint64_t b) { return double(b) / (1024.0 * 1024.0); };
  std::printf("  idle                         RSS %8.1f MiB\n", mb(f.rss_idle));
  std::printf("  + %6d packages            RSS %8.1f MiB   %8.0f B per package (%.0f B of it the journal's write buffer); "
              "heap in use %.0f B per package\n",
              f.packages, mb(f.rss_packages), f.per_package(), f.write_buffer_per_package(), f.heap_per_package());
  std::printf("  + provider connections       RSS %8.1f MiB\n", mb(f.rss_before_offers));
  std::printf("  + %6llu offers              RSS %8.1f MiB   %8.0f B per offer (%.0f B of it the journal's write buffer); "
              "heap in use %.0f B per offer%s\n",
              static_cast<unsigned long long>(f.offers), mb(f.rss_offers), f.per_offer(), f.write_buffer_per_offer(),
              f.heap_per_offer(), f.offer_errors ? " (some refused)" : "");
  std::printf("  = %6llu connections         RSS %8.1f MiB   %8.0f B per connection beyond the offers\n",
              static_cast<unsigned long long>(f.connections), mb(f.rss_connections), f.per_connection());
}

}  // namespace

int main(int argc, char** argv) {
  namespace po = boost::program_options;
  Options o;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe");
  o.server = (self.parent_path().parent_path() / "gateway" / "carebroker").string();
  o.data = "/tmp/carebroker-memprobe-" + std::to_string(::getpid());
  int pid = 0;
  po::options_description options(
      "carebroker-memprobe: the server's memory per live package, per live offer and with many providers "
      "connected (RSS from /proc/PID/status)");
  options.add_options()("help,h", "show this help")(
      "server", po::value(&o.server)->default_value(o.server), "the carebroker binary to start (with --demo)")(
      "data", po::value(&o.data)->default_value(o.data), "the started server's data directory: must not exist; removed after")(
      "url", po::value(&o.url), "measure a running server instead (http://host:port); needs --pid, --admin-token, --officer-token; it must "
      "allow --connections from one address (--max-connections-per-address) and --ws-rate for the offers")(
      "pid", po::value(&pid), "with --url: the server's process id (for its RSS)")(
      "admin-token", po::value(&o.admin_token), "with --url: an admin token")(
      "officer-token", po::value(&o.officer_token), "with --url: a brokerage officer's token")(
      "packages", po::value(&o.packages)->default_value(o.packages), "packages to post")(
      "supported-living-every", po::value(&o.supported_living_every)->default_value(o.supported_living_every),
      "every Nth package is supported living (0 = none: home care only)")(
      "offers", po::value(&o.offers)->default_value(o.offers), "offers to place (at most one per invited location and package)")(
      "connections", po::value(&o.connections)->default_value(o.connections), "provider WebSocket connections held open at the end")(
      "rest-connections", po::value(&o.rest_connections)->default_value(o.rest_connections), "keep-alive REST connections posting")(
      "settle", po::value(&o.settle_s)->default_value(o.settle_s), "seconds to wait before each RSS reading")(
      "timeout", po::value(&o.timeout_s)->default_value(o.timeout_s), "seconds each phase may take")(
      "runs", po::value(&o.runs)->default_value(o.runs), "runs, a fresh server each (not with --url); medians reported")(
      "json", po::bool_switch(&o.json), "print one JSON object instead of the summary");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, options), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "carebroker-memprobe: " << e.what() << "\n\n" << options;
    return 2;
  }
  if (vm.count("help")) {
    std::cout << options;
    return 0;
  }
  o.pid = pid;
  const auto bad = [&](const std::string& why) {
    std::cerr << "carebroker-memprobe: " << why << "\n";
    std::exit(2);
  };
  if (o.packages < 1 || o.offers < 0 || o.connections < 0 || o.rest_connections < 1 || o.runs < 1 ||
      o.supported_living_every < 0 || o.settle_s < 0 || o.timeout_s <= 0)
    bad("--packages, --rest-connections and --runs must be at least 1; --offers, --connections, "
        "--supported-living-every and --settle not negative; --timeout positive");
  if (!o.url.empty() && (o.pid <= 0 || o.admin_token.empty() || o.officer_token.empty()))
    bad("--url needs --pid (the server's process id), --admin-token and --officer-token");
  if (!o.url.empty() && o.runs != 1) bad("--runs needs a server of the probe's own (not --url)");
  if (o.url.empty() && (vm.count("pid") || vm.count("admin-token") || vm.count("officer-token")))
    bad("--pid, --admin-token and --officer-token go with --url");

  // A descriptor per connection here, and one in the server (its process inherits this limit).
  rlimit files{};
  ::getrlimit(RLIMIT_NOFILE, &files);
  const rlim_t need = static_cast<rlim_t>(o.connections) + 1024;
  if (files.rlim_cur < need) {
    files.rlim_cur = std::min(need, files.rlim_max);
    ::setrlimit(RLIMIT_NOFILE, &files);
    if (files.rlim_cur < need)
      bad("--connections " + std::to_string(o.connections) + " needs " + std::to_string(need) +
          " open files; the hard limit is " + std::to_string(files.rlim_max) + " (raise it, e.g. ulimit -Hn)");
  }

  std::vector<Figures> runs;
  for (int r = 0; r < o.runs; ++r) {
    ServerProcess s;
    std::string error;
    if (o.url.empty()) {
      ServerLaunch launch{o.server, o.data, {}, o.connections + 1024};
      if (!launch_server(launch, 120, s, error)) die(error);
    } else {
      if (!parse_http_url(o.url, s.host, s.port, error)) die(error);
      s.pid = o.pid;
      s.admin_token = o.admin_token;
      s.officer_token = o.officer_token;
    }
    runs.push_back(run_once(o, s));
    stop_server(s);
    if (!o.json) {
      std::printf("carebroker-memprobe: run %d of %d\n", r + 1, o.runs);
      print_run(runs.back());
    }
  }
  const auto med = [&](auto get) {
    std::vector<double> v;
    for (const auto& f : runs) v.push_back(get(f));
    return median(v);
  };
  const double pkg = med([](const Figures& f) { return f.per_package(); });
  const double off = med([](const Figures& f) { return f.per_offer(); });
  const double pkg_wb = med([](const Figures& f) { return f.write_buffer_per_package(); });
  const double off_wb = med([](const Figures& f) { return f.write_buffer_per_offer(); });
  const double pkg_heap = med([](const Figures& f) { return f.heap_per_package(); });
  const double off_heap = med([](const Figures& f) { return f.heap_per_offer(); });
  const double conn_total = med([](const Figures& f) { return double(f.rss_connections); });
  const double idle = med([](const Figures& f) { return double(f.rss_idle); });
  if (o.json) {
    json::array all;
    for (const auto& f : runs) all.push_back(figures_json(f));
    json::object out{{"runs", all},
                     {"median", {{"rss_idle_bytes", idle},
                                 {"bytes_per_package", pkg},
                                 {"bytes_per_offer", off},
                                 {"write_buffer_bytes_per_package", pkg_wb},
                                 {"write_buffer_bytes_per_offer", off_wb},
                                 {"heap_bytes_per_package", pkg_heap},
                                 {"heap_bytes_per_offer", off_heap},
                                 {"rss_with_connections_bytes", conn_total}}},
                     {"packages", o.packages},
                     {"offers", o.offers},
                     {"connections", o.connections}};
    std::printf("%s\n", json::serialize(out).c_str());
  } else {
    std::printf("carebroker-memprobe: median of %d run%s: idle %.1f MiB; %.0f B per live package (%.0f B of it the "
                "journal's write buffer; heap in use %.0f B); %.0f B per live offer (%.0f B of it the write buffer; heap in "
                "use %.0f B); %d connections: RSS %.1f MiB\n",
                o.runs, o.runs == 1 ? "" : "s", idle / 1048576.0, pkg, pkg_wb, pkg_heap, off, off_wb, off_heap, o.connections,
                conn_total / 1048576.0);
  }
  return 0;
}
