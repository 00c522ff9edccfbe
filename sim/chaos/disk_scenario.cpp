// Scenario e: the journal's disk fills mid-run (chaos_scenarios.h).
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "sim/chaos/chaos_scenarios.h"
#include "sim/chaos/scenario_support.h"
#include "sim/rest_client.h"

namespace carebroker::sim::chaos {

namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

std::string package_body(const ChaosMarket& m, const std::string& person) {
  return R"({"dps":")" + m.dps + R"(","lot":")" + m.lot + R"(","categories":[")" + m.categories.front() +
         R"("],"postcode_district":")" + m.districts.front() + R"(","quantity":600,"urgency":"urgent","start_date":")" +
         m.start_date + R"(","needs":["personal care"],"outcomes":["remain independent at home"],"person":{"name":")" +
         person + R"("}})";
}

}  // namespace

ChaosRow disk_fills(const ChaosSetup& setup) {
  ChaosRow row{"the disk fills mid-run"};
  const std::string full = setup.work_dir + "/disk.full";  // while it exists, the journal's disk is full
  std::error_code ec;
  std::filesystem::remove(full, ec);
  // The test-only option is refused on a store that is not a simulation's.
  const std::string refused_dir = setup.work_dir + "/disk-refused";
  std::filesystem::remove_all(refused_dir, ec);
  const int refused = std::system(("'" + setup.binary + "' --data '" + refused_dir + "' --port 0 --web '' --test-disk-full-file '" +
                                   full + "' >/dev/null 2>&1").c_str());
  if (!WIFEXITED(refused) || WEXITSTATUS(refused) != 2 || std::filesystem::exists(refused_dir))
    row.fail("the server took --test-disk-full-file without --sim-clock-speed");
  MarketRun run(setup, "disk", {"--test-disk-full-file", full});
  if (!start_steady_market(run, row, std::chrono::milliseconds(100), 20 * 60 * 1000, "the disk filled"))
    return row;
  std::this_thread::sleep_for(std::chrono::seconds(setup.short_run ? 1 : 3));
  RestClient rest("127.0.0.1", run.server().port());
  const std::string officer = run.market().officer_token;
  const std::uint64_t acked_before_full = run.provider_acks() + run.officer()->acked();

  std::ofstream(full) << "full\n";
  const auto filled = std::chrono::steady_clock::now();
  // /readyz says so once a write has failed; commands get a clear error; reads go on.
  double not_ready_after = -1;
  int ready_code = 0;
  std::string probe_code = "none";
  int probe_status = 0;
  std::uint64_t reads_ok = 0, reads = 0;
  while (seconds_since(filled) < (setup.short_run ? 3 : 6)) {
    const auto ready = rest.request("GET", "/readyz", "");
    if (ready.status == 503 && not_ready_after < 0) {
      not_ready_after = seconds_since(filled);
      ready_code = ready.status;
    }
    if (not_ready_after >= 0 && probe_status == 0) {
      const auto probe = rest.request("POST", "/api/v1/packages", officer, package_body(run.market(), "Disk probe"), "disk-probe");
      probe_status = probe.status;
      probe_code = rest_error_code(probe.status, probe.body);
    }
    ++reads;
    if (rest.request("GET", "/api/v1/packages", officer).status == 200) ++reads_ok;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const std::uint64_t acked_while_full = run.provider_acks() + run.officer()->acked() - acked_before_full;

  std::filesystem::remove(full, ec);
  const auto freed = std::chrono::steady_clock::now();
  double ready_again_after = -1;
  while (seconds_since(freed) < 30) {
    if (rest.request("GET", "/readyz", "").status == 200) {
      ready_again_after = seconds_since(freed);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const std::uint64_t acks_before = steady_acks(run);
  std::this_thread::sleep_for(std::chrono::seconds(setup.short_run ? 2 : 3));
  const std::string starved = steady_starved(run, acks_before, steady_acks(run));
  run.stop_clients();
  // Restarted on the same store: the probe refused while the disk was full was never claimed
  // (posting it again with its key is a first post, not a replay).
  run.server().stop();
  std::string error;
  if (!run.server().start(60, error) || run.server().wait_ready(60) < 0) {
    row.fail("restart after the disk was freed: " + error + run.server().log_tail());
    return row;
  }
  RestClient after("127.0.0.1", run.server().port());
  const auto again = after.request("POST", "/api/v1/packages", officer, package_body(run.market(), "Disk probe"), "disk-probe");
  const bool probe_claimed = again.body.find("\"replayed\":true") != std::string::npos;
  const AckCheck check = run.check_acknowledged();

  char text[64];
  std::snprintf(text, sizeof text, "%.1f s after the disk filled", not_ready_after);
  row.figure("without --sim-clock-speed", WIFEXITED(refused) && WEXITSTATUS(refused) == 2 ? "refused" : "TAKEN");
  row.figure("/readyz 503", not_ready_after < 0 ? "never" : text);
  row.figure("a post while full", std::to_string(probe_status) + " " + probe_code);
  row.figure("reads served while full", std::to_string(reads_ok) + " of " + std::to_string(reads));
  row.figure("acks while full", std::to_string(acked_while_full));
  std::snprintf(text, sizeof text, "%.1f s after space returned", ready_again_after);
  row.figure("/readyz 200 again", ready_again_after < 0 ? "never" : text);
  report_acknowledgements(row, check);
  row.figure("double awards", std::to_string(check.double_awards));
  if (not_ready_after < 0 || ready_code != 503) row.fail("/readyz never said 503 while the disk was full");
  if (probe_status != 503 || probe_code != "store_unavailable")
    row.fail("a post while the disk was full got " + std::to_string(probe_status) + " " + probe_code + ", not 503 store_unavailable");
  if (probe_claimed) row.fail("the post refused while the disk was full was in the store after all");
  if (reads_ok == 0) row.fail("no read was served while the disk was full");
  if (ready_again_after < 0) row.fail("/readyz did not say 200 again within 30 s of space returning");
  if (!starved.empty()) row.fail(starved + " (after space returned)");
  if (check.double_awards > 0) row.fail(std::to_string(check.double_awards) + " double awards");
  return row;
}

}  // namespace carebroker::sim::chaos
