// Internal to Market: emits an event by applying it to the market and appending it to the
// command's output, so each later decision in the same command sees the state it caused.
#pragma once

#include <vector>

#include "engine/market/market.h"

namespace carebroker::engine {

class Market::Emitter {
 public:
  Emitter(Market& market, std::vector<Event>& out) : market_(market), out_(out) {}
  void emit(Event event) {
    market_.apply(event);
    out_.push_back(std::move(event));
  }

 private:
  Market& market_;
  std::vector<Event>& out_;
};

}  // namespace carebroker::engine
