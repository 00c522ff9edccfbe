// `overloaded{lambdas...}`: one visitor out of several lambdas, for std::visit over the Command
// and Event variants (the engine's apply and re-rating, the gateway's projector). Header-only.
#pragma once

namespace carebroker::engine {

template <class... Ts>
struct overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

}  // namespace carebroker::engine
