// carebroker-chaos: runs the chaos scenarios (chaos_scenarios.h) against the carebroker server
// binary and prints a results table; exit status 1 when any scenario failed (anything
// acknowledged lost, a package awarded twice, the well-behaved client starved, a misbehaving
// connection not cut off, …), 2 on bad arguments. scripts/chaos runs it; CTest runs --short.
#include <boost/program_options.hpp>

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "sim/chaos/chaos_scenarios.h"

using namespace carebroker::sim::chaos;

namespace {

void print_table(const std::vector<ChaosRow>& rows) {
  std::printf("\n| scenario | result | figures |\n|---|---|---|\n");
  for (const auto& r : rows) {
    std::string figures;
    for (const auto& [name, value] : r.figures) figures += (figures.empty() ? "" : "; ") + name + ": " + value;
    std::printf("| %s | %s | %s |\n", r.scenario.c_str(), r.ok ? "ok" : "FAIL", figures.c_str());
  }
  for (const auto& r : rows)
    for (const auto& p : r.problems) std::printf("FAIL %s: %s\n", r.scenario.c_str(), p.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  namespace po = boost::program_options;
  ChaosSetup setup;
  std::string only;
  po::options_description options("carebroker-chaos — the server under kills, floods, silent and slow clients, a full disk");
  options.add_options()("help,h", "show this help")("server", po::value(&setup.binary)->required(), "the carebroker binary")(
      "scenario", po::value(&setup.scenario_file)->required(), "the market: a carebroker-sim scenario file (source scenario)")(
      "work", po::value(&setup.work_dir)->required(), "a directory for the scenarios' stores and logs (emptied per scenario)")(
      "seconds", po::value(&setup.kill_seconds)->default_value(setup.kill_seconds), "how long the kill -9 scenario runs")(
      "short", po::bool_switch(&setup.short_run), "every scenario at its shortest (3 kills): the CTest run")(
      "seed", po::value(&setup.seed)->default_value(setup.seed), "the kills' moments")(
      "only", po::value(&only), "run only these scenarios, e.g. \"kill,disk\" (kill, flood, silent, slow, disk)");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, options), vm);
    if (vm.count("help")) {
      std::cout << options;
      return 0;
    }
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "carebroker-chaos: " << e.what() << "\n\n" << options;
    return 2;
  }
  // Floods need descriptors: as many as the hard limit allows (the server inherits it).
  rlimit files{};
  if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &files);
  }
  const std::vector<std::pair<std::string, ChaosRow (*)(const ChaosSetup&)>> scenarios = {
      {"kill", kill_under_load}, {"flood", flood_at_limit}, {"silent", silent_connections},
      {"slow", one_byte_a_second}, {"disk", disk_fills}};
  std::vector<ChaosRow> rows;
  for (const auto& [name, run] : scenarios) {
    if (!only.empty() && ("," + only + ",").find("," + name + ",") == std::string::npos) continue;
    const auto started = std::chrono::steady_clock::now();
    std::fprintf(stderr, "carebroker-chaos: %s …\n", name.c_str());
    rows.push_back(run(setup));
    std::fprintf(stderr, "carebroker-chaos: %s %s in %.1f s\n", name.c_str(), rows.back().ok ? "ok" : "FAILED",
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  }
  print_table(rows);
  for (const auto& r : rows)
    if (!r.ok) return 1;
  return 0;
}
