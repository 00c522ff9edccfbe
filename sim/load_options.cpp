// carebroker-load's command line: boost::program_options, then range checks with the flag's name.
#include "sim/load_options.h"

#include <boost/program_options.hpp>

#include <sstream>

namespace carebroker::sim {

namespace {

/// The first range problem, naming the flag, or "".
std::string range_problem(const LoadOptions& o) {
  auto number = [](double v) {
    std::ostringstream s;
    s << v;
    return s.str();
  };
  if (o.connections < 1) return "--connections must be at least 1, not " + number(o.connections);
  if (o.packages < 1) return "--packages must be at least 1, not " + number(o.packages);
  if (!(o.rate >= 0)) return "--rate must be 0 (closed loop) or a positive number of offers/s, not " + number(o.rate);
  if (o.rate == 0 && o.inflight < 1) return "--inflight must be at least 1, not " + number(o.inflight);
  if (!(o.warmup_s >= 0)) return "--warmup must be 0 or more seconds, not " + number(o.warmup_s);
  if (!(o.duration_s > 0)) return "--duration must be a positive number of seconds, not " + number(o.duration_s);
  if (!(o.rest_views >= 0)) return "--rest-views must be 0 (off) or a positive number of views/s, not " + number(o.rest_views);
  if (!(o.list_poll_ms >= 0)) return "--list-poll-ms must be 0 (off) or a positive interval in ms, not " + number(o.list_poll_ms);
  if (o.list_poll_ms > 0 && o.list_poll_ms < 1) return "--list-poll-ms must be at least 1 ms, not " + number(o.list_poll_ms);
  if (!(o.report_poll_ms >= 0)) return "--report-poll-ms must be 0 (off) or a positive interval in ms, not " + number(o.report_poll_ms);
  if (o.report_poll_ms > 0 && o.report_poll_ms < 1) return "--report-poll-ms must be at least 1 ms, not " + number(o.report_poll_ms);
  if (!(o.post_rate >= 0)) return "--post-rate must be 0 (off) or a positive number of packages/s, not " + number(o.post_rate);
  if (o.post_locations < 1) return "--post-locations must be at least 1, not " + number(o.post_locations);
  return "";
}

}  // namespace

ParseOutcome parse_load_options(int argc, char** argv, LoadOptions& o, std::string& message) {
  namespace po = boost::program_options;
  bool unsafe = false;
  po::options_description options("carebroker-load: end-to-end durable offer load over WebSocket (FlatBuffers)");
  options.add_options()("help,h", "show this help")(
      "connections", po::value(&o.connections)->default_value(o.connections), "provider connections (one provider each)")(
      "packages", po::value(&o.packages)->default_value(o.packages), "open packages each provider bids on")(
      "rate", po::value(&o.rate)->default_value(o.rate), "offered offers/s in total (0 = closed loop)")(
      "inflight", po::value(&o.inflight)->default_value(o.inflight), "closed loop: outstanding per connection")(
      "warmup", po::value(&o.warmup_s)->default_value(o.warmup_s), "seconds before measuring")(
      "duration", po::value(&o.duration_s)->default_value(o.duration_s), "seconds measured")(
      "data", po::value(&o.data)->default_value(o.data), "the server's data directory (wiped)")(
      "snapshot-every", po::value(&o.snapshot_every)->default_value(o.snapshot_every), "the server's snapshot interval, events")(
      "unsafe-no-sync", po::bool_switch(&unsafe), "journal without fsync (to compare)")(
      "rest-views", po::value(&o.rest_views)->default_value(o.rest_views),
      "beside the offers: GET /api/v1/packages/{id} per second as an officer, open loop (0 = off)")(
      "list-poll-ms", po::value(&o.list_poll_ms)->default_value(o.list_poll_ms),
      "beside the offers: GET /api/v1/packages every M ms as an officer (0 = off)")(
      "report-poll-ms", po::value(&o.report_poll_ms)->default_value(o.report_poll_ms),
      "beside the offers: a market report (GET /api/v1/reports/capacity, sourcing and rates in turn) every M ms as an officer (0 = off)")(
      "post-rate", po::value(&o.post_rate)->default_value(o.post_rate),
      "beside the offers: POST /api/v1/packages per second as an officer, open loop (0 = off)")(
      "post-locations", po::value(&o.post_locations)->default_value(o.post_locations),
      "with --post-rate: locations each posted package is broadcast to, each with its own provider WebSocket")(
      "json", po::bool_switch(&o.json), "print one JSON object instead of the text report");
  std::ostringstream usage;
  usage << options;
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, options), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    message = std::string("carebroker-load: ") + e.what() + "\n" + usage.str();
    return ParseOutcome::bad;
  }
  if (vm.count("help")) {
    message = usage.str();
    return ParseOutcome::help;
  }
  o.sync = !unsafe;
  if (std::string problem = range_problem(o); !problem.empty()) {
    message = "carebroker-load: " + problem + "\n";
    return ParseOutcome::bad;
  }
  return ParseOutcome::run;
}

}  // namespace carebroker::sim
