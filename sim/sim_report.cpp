// The report of a run (sim_report.h).
#include "sim/sim_report.h"

#include <boost/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace carebroker::sim {

namespace json = boost::json;

namespace {

double ms(std::uint64_t ns) { return static_cast<double>(ns) / 1e6; }

json::object latency_json(const LatencyHistogram& h) {
  return {{"count", h.count()},
          {"p50_ms", ms(h.percentile(50))},
          {"p90_ms", ms(h.percentile(90))},
          {"p99_ms", ms(h.percentile(99))},
          {"p99_9_ms", ms(h.percentile(99.9))},
          {"max_ms", ms(h.max())}};
}

void print_latency(const char* name, const LatencyHistogram& h) {
  std::printf("  %-34s %8llu  p50 %8.2f  p90 %8.2f  p99 %8.2f  p99.9 %8.2f  max %8.2f ms\n", name,
              static_cast<unsigned long long>(h.count()), ms(h.percentile(50)), ms(h.percentile(90)),
              ms(h.percentile(99)), ms(h.percentile(99.9)), ms(h.max()));
}

double server_rss_max_mib(const RunRecord& r) {
  std::uint64_t kb = 0;
  for (const auto& s : r.timeline) kb = std::max(kb, s.server_rss_kb);
  return static_cast<double>(kb) / 1024;
}
double server_cpu_mean(const RunRecord& r) {
  double sum = 0;
  for (const auto& s : r.timeline) sum += s.server_cpu;
  return r.timeline.empty() ? 0 : sum / static_cast<double>(r.timeline.size());
}

int status_code(const std::string& s) {
  if (s == "placed" || s == "ended") return 1;
  if (s == "unsourced") return 2;
  return 0;  // still in the market
}

}  // namespace

void print_summary(const RunFacts& f, const RunRecord& r, const Outcomes& o) {
  const Scenario& s = *f.scenario;
  const double secs = std::max(f.wall_seconds, 1e-9);
  const std::string journal = !f.server_url.empty() ? "server " + f.server_url + " (journal as it was started)"
                             : f.sync                ? "journal synced"
                                                     : "journal NOT synced";
  std::printf("\ncarebroker-sim: %s — %s loop, %.1f simulated days at ×%.0f in %.1f s real, %s\n", s.name.c_str(),
              f.mode.c_str(), s.days, s.speed, f.wall_seconds, journal.c_str());
  std::printf("  market: %zu locations of %zu providers (%zu speak JSON), fair cost £%.2f/h\n", f.market->locations.size(),
              f.market->providers.size(),
              static_cast<std::size_t>(std::count_if(f.market->providers.begin(), f.market->providers.end(),
                                                     [](const SimProvider& p) { return p.json; })),
              static_cast<double>(f.market->spec.fair_cost) / 100);
  if (!s.demand.sized_from.empty()) std::printf("  demand sized from %s\n", s.demand.sized_from.c_str());
  std::printf("\n  throughput: %.1f posts/s, %.1f offers acknowledged/s, %.1f broadcasts/s (over the run)\n",
              static_cast<double>(r.posts_ok) / secs, static_cast<double>(r.offers_acked) / secs,
              static_cast<double>(r.broadcasts) / secs);
  print_latency("officer post (from intended send)", r.post_latency);
  print_latency("offer ack (from intended send)", r.ack_latency);
  print_latency("broadcast fan-out (post ack → last)", r.fan_out);
  print_latency("  … to the first provider", r.fan_out_first);
  print_latency("award (window close → AwardOffered)", r.award_latency);
  if (f.server_sampled)
    std::printf("  server: RSS max %.0f MiB, CPU mean %.0f%% of a core\n", server_rss_max_mib(r), server_cpu_mean(r) * 100);
  else
    std::printf("  server: RSS and CPU not sampled (a server given by URL: --server-pid samples one on this machine)\n");
  std::printf("  offers %llu sent, %llu acknowledged, %llu refused; awards %llu offered, %llu accepted, %llu declined\n",
              static_cast<unsigned long long>(r.offers_sent), static_cast<unsigned long long>(r.offers_acked),
              static_cast<unsigned long long>(r.offers_refused), static_cast<unsigned long long>(r.awards_offered),
              static_cast<unsigned long long>(r.awards_accepted), static_cast<unsigned long long>(r.awards_declined));
  if (!r.errors_by_code.empty()) {
    std::printf("  refused by code:");
    for (const auto& [code, n] : r.errors_by_code) std::printf(" %s %llu", code.c_str(), static_cast<unsigned long long>(n));
    std::printf("\n");
  }
  if (!s.demand.administration_provider.empty())
    std::printf("  administration: %s's provider on day %.1f — %s\n", s.demand.administration_provider.c_str(),
                s.demand.administration_day, r.administration_done ? "in administration, contract terminated" : "NOT done (see refusals)");
  std::printf("\n  market outcomes          posted  placed  unsourced  open  cascaded  to source p50 / p90 / max (simulated hours)\n");
  for (const char* g : {"all", "urgent", "standard", "planned", "discharge", "baseline", "winter", "reprocured"}) {
    const auto it = o.by_group.find(g);
    if (it == o.by_group.end()) continue;
    const SourcingFigures& x = it->second;
    std::printf("  %-22s %8llu %7llu %6llu %4.1f%% %5llu %5.1f%%   %6.1f / %6.1f / %6.1f\n", g,
                static_cast<unsigned long long>(x.posted), static_cast<unsigned long long>(x.placed),
                static_cast<unsigned long long>(x.unsourced), x.unsourced_rate() * 100,
                static_cast<unsigned long long>(x.still_open), x.cascade_rate() * 100, x.hours_p50, x.hours_p90,
                x.hours_max);
  }
  std::printf("  average accepted rate £%.2f/h = %.1f%% of the fair cost; %.0f hours a week placed = %.1f%% of %.0f declared\n",
              o.average_rate / 100, o.rate_vs_fair * 100, o.placed_hours_per_week, o.capacity_used * 100,
              o.declared_hours_per_week);
  std::printf("\n  audit against the server%s\n", f.check_error.empty() ? ":" : (": could not read it: " + f.check_error).c_str());
  for (const auto& c : f.checks)
    std::printf("    %-4s %-58s sim %lld, server/expected %lld\n", c.ok() ? "ok" : "FAIL", c.what.c_str(),
                static_cast<long long>(c.sim), static_cast<long long>(c.server));
  if (!r.first_failure.empty()) std::printf("  first problem: %s\n", r.first_failure.c_str());
}

std::string write_results(const std::string& dir, const RunFacts& f, const RunRecord& r, const Outcomes& o) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return "cannot make " + dir + ": " + ec.message();
  const Scenario& s = *f.scenario;
  const double secs = std::max(f.wall_seconds, 1e-9);
  json::object errors;
  for (const auto& [code, n] : r.errors_by_code) errors[code] = n;
  json::object outcomes;
  for (const auto& [g, x] : o.by_group)
    outcomes[g] = json::object{{"posted", x.posted},         {"placed", x.placed},
                               {"unsourced", x.unsourced},   {"still_open", x.still_open},
                               {"cascaded", x.cascaded},     {"unsourced_rate", x.unsourced_rate()},
                               {"cascade_rate", x.cascade_rate()}, {"hours_to_source_p50", x.hours_p50},
                               {"hours_to_source_p90", x.hours_p90}, {"hours_to_source_max", x.hours_max}};
  json::array checks;
  bool consistent = f.check_error.empty();
  for (const auto& c : f.checks) {
    checks.push_back(json::object{{"what", c.what}, {"sim", c.sim}, {"server", c.server}, {"ok", c.ok()}});
    consistent = consistent && c.ok();
  }
  json::array timeline;
  for (const auto& t : r.timeline)
    timeline.push_back(json::object{{"t", t.t},
                                    {"sim_day", t.sim_day},
                                    {"posts", t.posts},
                                    {"offers_acked", t.offers_acked},
                                    {"broadcasts", t.broadcasts},
                                    {"awards_accepted", t.awards_accepted},
                                    {"ack_p99_ms", static_cast<double>(t.ack_p99_us) / 1000},
                                    {"server_rss_kib", t.server_rss_kb},
                                    {"server_cpu", t.server_cpu}});
  const json::object result{
      {"scenario", s.name},
      {"mode", f.mode},
      {"seed", s.seed},
      {"speed", s.speed},
      {"simulated_days", s.days},
      {"journal_synced", f.server_url.empty() ? json::value(f.sync) : json::value(nullptr)},
      {"server_url", f.server_url.empty() ? json::value(nullptr) : json::value(f.server_url)},
      {"wall_seconds", f.wall_seconds},
      {"market", json::object{{"locations", f.market->locations.size()},
                              {"providers", f.market->providers.size()},
                              {"fair_cost_pence", f.market->spec.fair_cost}}},
      {"demand", json::object{{"planned_packages", f.planned_packages},
                              {"packages_per_week", s.demand.packages_per_week},
                              {"sized_from", s.demand.sized_from}}},
      {"throughput", json::object{{"posts_per_s", static_cast<double>(r.posts_ok) / secs},
                                  {"offers_acked_per_s", static_cast<double>(r.offers_acked) / secs},
                                  {"broadcasts_per_s", static_cast<double>(r.broadcasts) / secs}}},
      {"latency", json::object{{"post", latency_json(r.post_latency)},
                               {"offer_ack", latency_json(r.ack_latency)},
                               {"fan_out", latency_json(r.fan_out)},
                               {"fan_out_to_first", latency_json(r.fan_out_first)},
                               {"award", latency_json(r.award_latency)}}},
      {"counts", json::object{{"offers_sent", r.offers_sent},
                              {"offers_acked", r.offers_acked},
                              {"offers_refused", r.offers_refused},
                              {"awards_offered", r.awards_offered},
                              {"awards_accepted", r.awards_accepted},
                              {"awards_declined", r.awards_declined},
                              {"broadcasts", r.broadcasts},
                              {"connections", r.connections_open}}},
      {"errors_by_code", std::move(errors)},
      {"server", json::object{{"rss_max_mib", server_rss_max_mib(r)}, {"cpu_mean_cores", server_cpu_mean(r)}}},
      {"outcomes", std::move(outcomes)},
      {"average_rate_pence", o.average_rate},
      {"rate_vs_fair_cost", o.rate_vs_fair},
      {"capacity_used", o.capacity_used},
      {"administration_done", r.administration_done},
      {"consistent", consistent},
      {"checks", std::move(checks)},
      {"timeline", std::move(timeline)}};
  std::ofstream(dir + "/result.json") << json::serialize(result) << "\n";
  std::ofstream t(dir + "/timeline.dat");
  t << "# t_s sim_day posts offers_acked broadcasts awards_accepted ack_p50_ms ack_p99_ms server_rss_mib server_cpu_pct open unsourced\n";
  for (const auto& x : r.timeline)
    t << x.t << ' ' << x.sim_day << ' ' << x.posts << ' ' << x.offers_acked << ' ' << x.broadcasts << ' '
      << x.awards_accepted << ' ' << static_cast<double>(x.ack_p50_us) / 1000 << ' '
      << static_cast<double>(x.ack_p99_us) / 1000 << ' ' << static_cast<double>(x.server_rss_kb) / 1024 << ' '
      << x.server_cpu * 100 << ' ' << x.open_packages << ' ' << x.unsourced_total << '\n';
  std::ofstream p(dir + "/packages.dat");
  p << "# posted_sim_day urgency(0 urgent,1 standard,2 planned,3 reprocured) hours_to_source(-1 none) fan_out_ms(-1 none) "
       "outcome(0 open,1 placed,2 unsourced) cascades discharge winter\n";
  for (const auto& [id, x] : r.packages) {
    const int urgency = x.posted_by_officer ? static_cast<int>(x.urgency) : 3;
    const double to_source = x.sourced_sim_s >= 0 ? (x.sourced_sim_s - x.posted_sim_s) / 3600 : -1;
    const double fan = x.acked_wall_s >= 0 && x.last_first_tier_broadcast_wall_s >= 0
                           ? std::max(0.0, (x.last_first_tier_broadcast_wall_s - x.acked_wall_s) * 1000)
                           : -1;
    p << x.posted_sim_s / 86'400 << ' ' << urgency << ' ' << to_source << ' ' << fan << ' ' << status_code(x.status) << ' '
      << x.cascades << ' ' << x.discharge << ' ' << x.winter << '\n';
  }
  if (!t || !p) return "cannot write the data files in " + dir;
  return {};
}

std::string draw_plots(const std::string& dir, const RunFacts& f, const RunRecord& r) {
  bool sourced = false, fanned = false;
  for (const auto& [id, p] : r.packages) {
    sourced = sourced || p.sourced_sim_s >= 0;
    fanned = fanned || (p.acked_wall_s >= 0 && p.last_first_tier_broadcast_wall_s >= 0);
  }
  std::string drawn = "latency,throughput,unsourced,server";
  if (fanned) drawn += ",fan_out";
  if (sourced) drawn += ",time_to_source";
  std::ofstream gp(dir + "/plots.gp");
  gp << "# carebroker-sim: the plots of one run (" << f.scenario->name << "); run `gnuplot plots.gp` here.\n"
     << "set terminal pngcairo size 1000,520 font 'sans,10'\nset grid\nset key top left\n"
     << "set datafile commentschars '#'\n"
     << "set output 'latency.png'\nset title 'Offer acknowledgement latency, per real second (from the intended send time)'\n"
     << "set xlabel 'real seconds'\nset ylabel 'ms'\n"
     << "plot 'timeline.dat' using 1:7 with lines lw 2 title 'p50', '' using 1:8 with lines lw 2 title 'p99'\n"
     << "set output 'throughput.png'\nset title 'Throughput per real second'\nset ylabel 'per second'\n"
     << "plot 'timeline.dat' using 1:4 with lines lw 2 title 'offers acknowledged', '' using 1:5 with lines title 'broadcasts received',"
        " '' using 1:3 with impulses title 'packages posted', '' using 1:6 with impulses title 'awards accepted'\n"
     << (fanned ? "" : "# no package was both acknowledged and broadcast: no fan-out plot\n#")
     << "set output 'fan_out.png'\nset title 'Broadcast fan-out: acknowledged post to the last first-tier provider'\n"
     << "set xlabel 'simulated day posted'\nset ylabel 'ms'\n"
     << (fanned ? "" : "#") << "plot 'packages.dat' using 1:($4 >= 0 ? $4 : 1/0) with points pt 7 ps 0.5 title 'one package'\n"
     << (sourced ? "" : "# no package was placed: no time-to-source plot\n#") << "set output 'time_to_source.png'\nset title 'Time to source (post to placed), by urgency'\nset ylabel 'simulated hours'\n"
     << (sourced ? "" : "#") << "plot 'packages.dat' using 1:(($2 == 0 && $3 >= 0) ? $3 : 1/0) with points pt 7 ps 0.6 title 'urgent',"
        " '' using 1:(($2 == 1 && $3 >= 0) ? $3 : 1/0) with points pt 7 ps 0.6 title 'standard',"
        " '' using 1:(($2 == 2 && $3 >= 0) ? $3 : 1/0) with points pt 7 ps 0.6 title 'planned',"
        " '' using 1:(($2 == 3 && $3 >= 0) ? $3 : 1/0) with points pt 5 ps 0.8 title 're-procured'\n"
     << "set output 'unsourced.png'\nset title 'Packages in the market and unsourced over the run'\nset xlabel 'simulated day'\n"
        "set ylabel 'packages'\n"
     << "plot 'timeline.dat' using 2:11 with lines lw 2 title 'open (bidding, evaluating, award pending)',"
        " '' using 2:12 with lines lw 2 title 'unsourced (cumulative)'\n"
     << "set output 'server.png'\nset title 'Server resident memory and CPU'\nset xlabel 'real seconds'\nset ylabel 'MiB'\n"
        "set y2label '% of a core'\nset y2tics\n"
     << "plot 'timeline.dat' using 1:9 with lines lw 2 title 'RSS (MiB)', '' using 1:10 axes x1y2 with lines title 'CPU (%)'\n";
  gp.close();
  if (std::system("command -v gnuplot >/dev/null 2>&1") != 0)
    return "gnuplot is not installed, so no plots were drawn (the data and " + dir +
           "/plots.gp are there: install gnuplot-nox, or run scripts/install-deps, then `cd " + dir + " && gnuplot plots.gp`)";
  const std::string command = "cd '" + dir + "' && gnuplot plots.gp";
  if (std::system(command.c_str()) != 0) return "gnuplot failed on " + dir + "/plots.gp";
  return "plots: " + dir + "/{" + drawn + "}.png";
}

}  // namespace carebroker::sim
