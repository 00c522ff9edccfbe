// What a carebroker-load run prints: the offer figures as they always were (text), then one
// line per side load that ran (reads, posting, fan-out); or the same as one JSON object
// (--json) for scripts such as sim/side-by-side. Pure formatting of values.
#pragma once

#include <optional>

#include "sim/load_options.h"
#include "sim/offer_connection.h"
#include "sim/package_posting.h"
#include "sim/rest_load.h"

namespace carebroker::sim {

struct CpuFigures {
  double server_s = 0, client_s = 0, wall_s = 0;
  double server_pct() const { return wall_s > 0 ? 100.0 * server_s / wall_s : 0; }
  double client_pct() const { return wall_s > 0 ? 100.0 * client_s / wall_s : 0; }
};

struct LoadFigures {
  OfferFigures offers;
  CpuFigures run;     ///< from the first offer to a second after the window (as always reported)
  CpuFigures window;  ///< the measurement window only (comparable with wsload's client CPU)
  std::optional<RestFigures> views, list_polls, reports, posts;
  std::optional<FanoutFigures> fan_out;
  int post_listeners = 0;
  /// Errors of the side loads (offers' are in offers.errors).
  std::uint64_t side_errors() const;
};

void print_text_report(const LoadOptions& options, const LoadFigures& figures);
void print_json_report(const LoadOptions& options, const LoadFigures& figures);

}  // namespace carebroker::sim
