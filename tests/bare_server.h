// The network server over an in-process market service (tests/inline_market_service.h), for the
// answers the real App cannot be put into on demand: a market whose queue is full, a server that
// is not ready. Listens on a free port of 127.0.0.1; stops when it goes out of scope.
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "gateway/auth.h"
#include "gateway/metrics.h"
#include "gateway/protocol/provider_streams.h"
#include "gateway/server.h"
#include "inline_market_service.h"

namespace carebroker::testing {

class BareServer {
 public:
  /// `ready` answers /readyz (false: 503 not_ready).
  explicit BareServer(bool ready = true)
      : ready_(ready), context_{tokens_, service, streams_, metrics_, gateway::ServerLimits{}, {}, [this] { return ready_; }} {
    std::string error;
    REQUIRE(tokens_.open("", error));
    context_.ready_detail = [] { return std::string("the market is still being recovered from the journal"); };
    server_ = std::make_unique<gateway::Server>(context_, "127.0.0.1", 0, 1);
    INFO(error);
    REQUIRE(server_->start(error));
  }
  ~BareServer() { server_->stop(); }
  BareServer(const BareServer&) = delete;
  BareServer& operator=(const BareServer&) = delete;

  unsigned short port() const { return server_->port(); }
  /// A new bearer token for `role` (and `provider`, for a provider).
  std::string token(gateway::Role role, std::string provider = "") {
    std::string error;
    const auto t = tokens_.issue(gateway::Principal{role, std::move(provider), "bare-server-user"}, error);
    REQUIRE(t);
    return *t;
  }

  InlineMarketService service;  ///< set `overloaded` for a full queue

 private:
  bool ready_;
  gateway::TokenStore tokens_;
  gateway::protocol::ProviderStreams streams_;
  gateway::Metrics metrics_;
  gateway::ServerContext context_;
  std::unique_ptr<gateway::Server> server_;
};

}  // namespace carebroker::testing
