// Scenario a: SIGKILL under mixed load (chaos_scenarios.h).
#include <cstdio>
#include <random>
#include <thread>

#include "sim/chaos/chaos_scenarios.h"

namespace carebroker::sim::chaos {

ChaosRow kill_under_load(const ChaosSetup& setup) {
  ChaosRow row{"kill -9 under mixed load"};
  MarketRun run(setup, "kill");
  std::string error;
  if (!run.open(error)) {
    row.fail(error);
    return row;
  }
  run.start_providers();
  // Windows of twenty minutes of the market's time: two seconds at kSimSpeed, so packages close,
  // are awarded and accepted (or declined and cascaded) all through the run.
  run.start_officer(std::chrono::milliseconds(60), 20 * 60 * 1000);
  std::mt19937_64 rng(setup.seed);
  std::uniform_real_distribution<double> uptime(0.5, 2.5);
  std::vector<double> restart_ms;
  const int max_kills = setup.short_run ? 3 : 1'000'000;
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(setup.kill_seconds);
  long peak_rss = 0;
  int kills = 0;
  while (kills < max_kills && std::chrono::steady_clock::now() < until) {
    // Up for a random while, then killed at whatever moment that is.
    const auto wake = std::chrono::steady_clock::now() + std::chrono::duration<double>(uptime(rng));
    while (std::chrono::steady_clock::now() < wake) {
      peak_rss = std::max(peak_rss, run.server().rss_kb());
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    run.server().kill();
    ++kills;
    if (!run.server().start(60, error)) {
      row.fail("restart " + std::to_string(kills) + ": " + error);
      return row;
    }
    const double ready = run.server().wait_ready(120);
    if (ready < 0) {
      row.fail("restart " + std::to_string(kills) + " never became ready: " + run.server().log_tail());
      return row;
    }
    restart_ms.push_back(ready);
  }
  // The last stretch runs undisturbed, so awards in flight settle — at least until an acceptance
  // has been acknowledged since the last restart (20 s at most) — then the clients stop.
  const std::uint64_t accepted_before = run.provider_acks('a');
  const auto settle_from = std::chrono::steady_clock::now();
  do std::this_thread::sleep_for(std::chrono::milliseconds(500));
  while (std::chrono::steady_clock::now() - settle_from < std::chrono::seconds(3) ||
         (run.provider_acks('a') == accepted_before && std::chrono::steady_clock::now() - settle_from < std::chrono::seconds(20)));
  const OfficerTallies* officer = nullptr;
  const AckCheck check = run.check_acknowledged();
  officer = &run.officer()->tallies();
  row.figure("kills", std::to_string(kills));
  row.figure("acks", std::to_string(check.acked));
  row.figure("lost", std::to_string(check.lost));
  row.figure("double awards", std::to_string(check.double_awards));
  row.figure("awards offered / accepted", std::to_string(check.awards_offered) + " / " + std::to_string(check.awards_accepted));
  row.figure("provider commands refused", refused_text(check));
  row.figure("restart to ready p50 / max", p50_max_ms(restart_ms));
  row.figure("reads served / failed", std::to_string(officer->reads_ok) + " / " + std::to_string(officer->reads_failed));
  row.figure("unanswered (unknown, not counted)", std::to_string(check.unanswered));
  row.figure("peak RSS", std::to_string(peak_rss / 1024) + " MiB");
  if (!check.error.empty()) row.fail(check.error);
  if (check.lost > 0) row.fail(std::to_string(check.lost) + " acknowledged commands lost, e.g. " + check.first_lost);
  if (check.double_awards > 0) row.fail(std::to_string(check.double_awards) + " double awards");
  if (kills == 0) row.fail("no kill happened");
  if (check.acked == 0) row.fail("nothing was acknowledged: the load never reached the server");
  if (check.awards_accepted == 0) row.fail("no award was accepted: the run never exercised awards");
  return row;
}

}  // namespace carebroker::sim::chaos
