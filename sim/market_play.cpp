// The market's players (market_play.h).
#include "sim/market_play.h"

#include <algorithm>

namespace carebroker::sim {

MarketPlay::MarketPlay(const SimMarket& market, sequencer::ScaledClock& clock, RunRecord& record, Io io,
                       bool closed_loop, std::uint64_t seed)
    : market_(market), clock_(clock), record_(record), io_(std::move(io)), closed_loop_(closed_loop) {
  for (std::size_t i = 0; i < market.providers.size(); ++i) behaviours_.emplace_back(seed * 1'000'003 + i);
  for (std::size_t i = 0; i < market.locations.size(); ++i) location_index_[market.locations[i].id] = i;
  placed_minutes_.assign(market.locations.size(), 0);
  promised_minutes_.assign(market.locations.size(), 0);
}

void MarketPlay::start_run() {
  run_start_ns_ = io_.now_ns();
  run_start_sim_ = clock_.now();
}

PackageRecord& MarketPlay::package(std::uint64_t id) {
  auto [it, added] = record_.packages.try_emplace(id);
  if (added) it->second.posted_sim_s = sim_seconds();  // first seen: a re-procurement, unless an officer claims it
  return it->second;
}

void MarketPlay::on_posted(const Arrival& a, std::uint64_t id, std::int64_t intended_ns, std::int64_t acked_ns) {
  ++record_.posts_ok;
  ++record_.current.posts;
  record_.post_latency.record(static_cast<std::uint64_t>(std::max<std::int64_t>(0, acked_ns - intended_ns)));
  PackageRecord& p = package(id);
  p.posted_by_officer = true;
  p.urgency = a.urgency;
  p.discharge = a.discharge;
  p.winter = a.winter;
  p.minutes_per_week = a.minutes_per_week;
  p.acked_wall_s = wall_seconds(acked_ns);
  p.posted_sim_s = std::min(p.posted_sim_s, sim_seconds());
}

void MarketPlay::on_provider_frame(std::size_t provider, const Inbound& in, std::int64_t recv_ns) {
  last_frame_ns_ = recv_ns;
  switch (in.kind) {
    case Inbound::Kind::broadcast: return on_broadcast(provider, in, recv_ns);
    case Inbound::Kind::award_offered: return on_award(provider, in, recv_ns);
    case Inbound::Kind::replies: return on_replies(in, recv_ns);
    case Inbound::Kind::malformed:
      ++record_.malformed_frames;
      return record_.fail("a malformed frame to " + market_.providers[provider].id + ": " + in.error_detail);
    default: return;
  }
}

void MarketPlay::on_broadcast(std::size_t provider, const Inbound& in, std::int64_t recv_ns) {
  ++record_.broadcasts;
  ++record_.current.broadcasts;
  PackageRecord& p = package(in.package);
  if (p.first_tier.empty()) p.first_tier = in.tier;
  if (in.tier == p.first_tier) {
    ++p.first_tier_broadcasts;
    if (p.first_first_tier_broadcast_wall_s < 0) p.first_first_tier_broadcast_wall_s = wall_seconds(recv_ns);
    p.last_first_tier_broadcast_wall_s = std::max(p.last_first_tier_broadcast_wall_s, wall_seconds(recv_ns));
    if (!p.closes_at_ms) p.closes_at_ms = in.closes_at;
  }
  p.current_closes_at_ms = std::max(p.current_closes_at_ms, in.closes_at);
  if (!p.posted_by_officer && !p.minutes_per_week) p.minutes_per_week = static_cast<int>(in.quantity);
  const auto loc = location_index_.find(in.location);
  if (loc == location_index_.end() || !acting_) return;
  const SimLocation& l = market_.locations[loc->second];
  const std::int64_t committed = placed_minutes_[loc->second] + promised_minutes_[loc->second];
  const bool room = l.capacity_hours <= 0 || committed + in.quantity <= std::int64_t{l.capacity_hours} * 60;
  const double left_ms = static_cast<double>(in.closes_at - clock_.now());
  const OfferPlan plan = behaviours_[provider].on_broadcast(l.behaviour, market_.spec, left_ms, room, closed_loop_);
  if (!plan.bid) return;
  const std::string rid = "o" + std::to_string(in.package) + "-" + in.location;
  offered_[std::to_string(in.package) + "/" + in.location] = plan.price;
  const std::int64_t when = recv_ns + static_cast<std::int64_t>(plan.delay_sim_ms * 1e6 / clock_.speed());
  send_at(when, provider, rid, Pending{true, false, when, in.package, loc->second},
          place_offer(encoding(provider), rid, in.location, in.package, plan.price, in.start_date, in.must_meet));
}

void MarketPlay::on_award(std::size_t provider, const Inbound& in, std::int64_t recv_ns) {
  ++record_.awards_offered;
  PackageRecord& p = package(in.package);
  if (!award_timed_[in.package] && p.current_closes_at_ms) {
    award_timed_[in.package] = true;  // the first award, from the close of the window it closed
    record_.award_latency.record(
        static_cast<std::uint64_t>(std::max<std::int64_t>(0, recv_ns - clock_.real_ns_at(p.current_closes_at_ms))));
  }
  if (!acting_) return;
  const auto loc = location_index_.find(in.location);
  if (loc == location_index_.end()) return;
  const SimLocation& l = market_.locations[loc->second];
  const AwardPlan plan =
      behaviours_[provider].on_award(l.behaviour, static_cast<double>(in.closes_at - clock_.now()), closed_loop_);
  const std::string rid = (plan.accept ? "a" : "d") + std::to_string(in.package) + "-" + in.location;
  promised_minutes_[loc->second] += p.minutes_per_week;
  const std::int64_t when = recv_ns + static_cast<std::int64_t>(plan.delay_sim_ms * 1e6 / clock_.speed());
  send_at(when, provider, rid, Pending{false, plan.accept, when, in.package, loc->second},
          answer_award(encoding(provider), plan.accept, rid, in.location, in.package));
}

void MarketPlay::send_at(std::int64_t when_ns, std::size_t provider, const std::string& rid, Pending p, std::string frame) {
  auto send = [this, provider, rid, p, frame = std::move(frame)]() mutable {
    if (!acting_) return;
    pending_[rid] = p;
    if (p.offer) ++record_.offers_sent;
    io_.send(provider, std::move(frame));
  };
  if (when_ns <= io_.now_ns()) send();
  else io_.at(when_ns, std::move(send));
}

void MarketPlay::on_replies(const Inbound& in, std::int64_t recv_ns) {
  for (const auto& rid : in.acked) {
    const auto it = pending_.find(rid);
    if (it == pending_.end()) {
      record_.fail("an acknowledgement of a request the sim never sent: " + rid);
      continue;
    }
    const Pending p = it->second;
    pending_.erase(it);
    const auto latency = static_cast<std::uint64_t>(std::max<std::int64_t>(0, recv_ns - p.intended_ns));
    if (p.offer) {
      ++record_.offers_acked;
      ++record_.current.offers_acked;
      record_.ack_latency.record(latency);
      record_.second_acks.record(latency);
      continue;
    }
    const SimLocation& l = market_.locations[p.location];
    PackageRecord& pkg = package(p.package);
    promised_minutes_[p.location] -= pkg.minutes_per_week;
    if (!p.accept) {
      ++record_.awards_declined;
      continue;
    }
    ++record_.awards_accepted;
    ++record_.current.awards_accepted;
    placed_minutes_[p.location] += pkg.minutes_per_week;
    record_.placed_minutes += static_cast<std::uint64_t>(pkg.minutes_per_week);
    if (auto o = offered_.find(std::to_string(p.package) + "/" + l.id); o != offered_.end()) pkg.price = o->second;
  }
  for (const auto& [rid, code] : in.refused) {
    record_.refused(code);
    const auto it = pending_.find(rid);
    if (it == pending_.end()) {
      record_.fail("a refusal (" + code + ") of a request the sim never sent: \"" + rid + "\" " + in.error_detail);
      continue;
    }
    if (it->second.offer) ++record_.offers_refused;
    else {
      ++record_.award_answers_refused;
      promised_minutes_[it->second.location] -= package(it->second.package).minutes_per_week;
    }
    pending_.erase(it);
  }
}

void MarketPlay::on_staff_frame(const Inbound& in, std::int64_t recv_ns) {
  last_frame_ns_ = recv_ns;
  if (in.kind != Inbound::Kind::package_changed) return;
  PackageRecord& p = package(in.package);
  if (in.what.find("tier_opened") != std::string::npos && in.what.find("package_posted") == std::string::npos) ++p.cascades;
  if (p.status == in.status) return;
  p.status = in.status;
  if (in.status == "placed" && p.sourced_sim_s < 0) p.sourced_sim_s = sim_seconds();
  if (in.status == "unsourced") ++record_.unsourced_seen;
}

}  // namespace carebroker::sim
