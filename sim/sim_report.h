// carebroker-sim's report of a run: the terminal summary, the JSON result (result.json), the
// data files the plots are drawn from (timeline.dat, one row a real second; packages.dat, one
// row a package) and the plots themselves, drawn by gnuplot from a script the sim writes
// (plots.gp → *.png) — skipped with a clear message when gnuplot is not installed.
// Main thread, after the run.
#pragma once

#include <string>
#include <vector>

#include "sim/run_record.h"
#include "sim/scenario.h"
#include "sim/scenario_market.h"
#include "sim/server_check.h"
#include "sim/sim_outcomes.h"

namespace carebroker::sim {

struct RunFacts {
  const Scenario* scenario = nullptr;
  const SimMarket* market = nullptr;
  std::string mode;                 ///< "open" or "closed"
  bool sync = true;
  std::string server_url;           ///< a server given by URL ("" = the sim's own)
  bool server_sampled = true;       ///< its RSS and CPU were read (its own, or --server-pid)
  double wall_seconds = 0;          ///< the run, from its start to the end of the drain
  std::size_t planned_packages = 0;
  std::vector<Check> checks;
  std::string check_error;          ///< the audit could not read the server
};

/// Prints the summary to stdout.
void print_summary(const RunFacts& f, const RunRecord& r, const Outcomes& o);
/// Writes result.json, timeline.dat and packages.dat into `dir` (made if missing); "" or why not.
std::string write_results(const std::string& dir, const RunFacts& f, const RunRecord& r, const Outcomes& o);
/// Writes plots.gp (a plot only where the run has its data: gnuplot stops at an empty one) and runs
/// gnuplot on it in `dir`; returns what happened, for the terminal.
std::string draw_plots(const std::string& dir, const RunFacts& f, const RunRecord& r);

}  // namespace carebroker::sim
