// Runs commands on a market fixture as one batch and projects the events they made the way the
// server does: on a replica that has applied every earlier event, the batch is applied with a
// Projector watching (gateway/protocol/projector.h). The replica must reach the writer's digest.
// For tests of what providers are told (wire protocol, addressed broadcasts, personal data).
#pragma once

#include <catch2/catch.hpp>

#include <cstddef>
#include <memory>
#include <vector>

#include "engine/replica/replica.h"
#include "gateway/protocol/projector.h"
#include "market_fixture.h"

namespace carebroker::testing {

/// The notifications of the events `commands` made on `f` (nullptr when they made none, or told
/// no one anything).
template <typename Fn>
std::shared_ptr<const gateway::protocol::Notifications> project_commands(MarketFixture& f, Fn&& commands) {
  using Events = std::vector<engine::Event>;
  const std::size_t before = f.events.size();
  commands();
  replica::Replica replica;
  REQUIRE(replica.start({}, 0).empty());
  const auto at = [&](std::size_t i) { return f.events.begin() + static_cast<std::ptrdiff_t>(i); };
  if (before > 0) REQUIRE(replica.apply({1, before, std::make_shared<const Events>(f.events.begin(), at(before))}).empty());
  if (f.events.size() == before) return nullptr;
  auto notifications = gateway::protocol::project(
      replica, {before + 1, f.events.size(), std::make_shared<const Events>(at(before), f.events.end())}, f.person_keys());
  CHECK(replica.market().digest() == f.market.digest());
  return notifications;
}

}  // namespace carebroker::testing
