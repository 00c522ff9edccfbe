// Everything carebroker-sim measures in one run: latency histograms (officers' posts from their
// intended send time, offer acknowledgements from their intended send time, broadcast fan-out
// from the acknowledged post to the last first-tier location's broadcast, awards from the
// window's close to the winner's AwardOffered), counters and refusals by code, a timeline per
// real second (throughput, latency, server RSS and CPU), and one record per package for the
// market's outcomes (time to source by urgency, cascades, unsourced, rates against fair cost).
// Threading: written and read on the players' thread only (officers hand their results over
// with MarketPlayers::post); the report reads it after the run.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/demand.h"
#include "sim/latency_histogram.h"

namespace carebroker::sim {

struct PackageRecord {
  bool posted_by_officer = false;   ///< false: the market opened it itself (a re-procurement)
  Urgency urgency = Urgency::urgent;
  bool discharge = false, winter = false;
  int minutes_per_week = 0;
  double posted_sim_s = -1;         ///< simulated seconds from the run's start
  double acked_wall_s = -1;         ///< real seconds from the run's start: the officer's 201
  std::string first_tier;
  double first_first_tier_broadcast_wall_s = -1;  ///< real seconds: the first provider's broadcast
  double last_first_tier_broadcast_wall_s = -1;
  int first_tier_broadcasts = 0;
  std::int64_t closes_at_ms = 0;    ///< the first tier's window close, simulated UTC ms
  std::int64_t current_closes_at_ms = 0;  ///< the latest window close broadcast (after a cascade, the next tier's)
  int cascades = 0;
  std::string status = "open";
  double sourced_sim_s = -1;        ///< when it was placed
  std::int64_t price = 0;           ///< the accepted offer, pence an hour
};

struct Second {
  double t = 0;                     ///< real seconds from the run's start
  double sim_day = 0;               ///< the simulated day at that second
  std::uint64_t posts = 0, offers_acked = 0, broadcasts = 0, awards_accepted = 0;
  std::uint64_t ack_p50_us = 0, ack_p99_us = 0, ack_max_us = 0;
  std::uint64_t server_rss_kb = 0;
  double server_cpu = 0;            ///< cores used over the second
  std::uint64_t open_packages = 0, unsourced_total = 0;
};

struct RunRecord {
  LatencyHistogram post_latency, ack_latency, fan_out, award_latency;
  LatencyHistogram fan_out_first;   ///< the acknowledged post to the FIRST first-tier broadcast
  LatencyHistogram second_acks;     ///< this second's acknowledgements (rolled into `timeline`)
  std::map<std::string, std::uint64_t> errors_by_code;  ///< offers and awards refused, REST by status
  std::uint64_t posts_sent = 0, posts_ok = 0, offers_sent = 0, offers_acked = 0, offers_refused = 0;
  std::uint64_t awards_offered = 0, awards_accepted = 0, awards_declined = 0, award_answers_refused = 0;
  std::uint64_t broadcasts = 0, malformed_frames = 0, connections_failed = 0, connections_open = 0;
  std::uint64_t placed_minutes = 0, unsourced_seen = 0;
  bool administration_done = false;
  std::string first_failure;
  std::vector<Second> timeline;
  Second current;                   ///< the second being counted
  std::unordered_map<std::uint64_t, PackageRecord> packages;

  void refused(const std::string& code) { ++errors_by_code[code]; }
  void fail(const std::string& what) {
    if (first_failure.empty()) first_failure = what;
  }
};

}  // namespace carebroker::sim
