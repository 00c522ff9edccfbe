// Stable names of the engine's small enums, used in views, logs and the wire formats.
#include "engine/market/types.h"

#include <array>
#include <utility>

namespace carebroker::engine {
namespace {

template <typename E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [e, name] : table) {
    if (e == value) return name;
  }
  return "unknown";
}

template <typename E, std::size_t N>
bool value_of(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view text,
              E& out) {
  for (const auto& [e, name] : table) {
    if (name == text) {
      out = e;
      return true;
    }
  }
  return false;
}

constexpr std::array<std::pair<Urgency, std::string_view>, 3> kUrgency{{
    {Urgency::urgent, "urgent"}, {Urgency::standard, "standard"}, {Urgency::planned, "planned"}}};
constexpr std::array<std::pair<Funder, std::string_view>, 4> kFunder{{{Funder::council, "council"},
                                                                      {Funder::nhs, "nhs"},
                                                                      {Funder::joint, "joint"},
                                                                      {Funder::self_funder, "self_funder"}}};
constexpr std::array<std::pair<Unit, std::string_view>, 3> kUnit{
    {{Unit::hours, "hours"}, {Unit::places, "places"}, {Unit::sessions, "sessions"}}};
constexpr std::array<std::pair<CqcRating, std::string_view>, 5> kCqc{
    {{CqcRating::none, "none"},
     {CqcRating::outstanding, "outstanding"},
     {CqcRating::good, "good"},
     {CqcRating::requires_improvement, "requires_improvement"},
     {CqcRating::inadequate, "inadequate"}}};
constexpr std::array<std::pair<PammsRating, std::string_view>, 5> kPamms{
    {{PammsRating::none, "none"},
     {PammsRating::excellent, "excellent"},
     {PammsRating::good, "good"},
     {PammsRating::requires_improvement, "requires_improvement"},
     {PammsRating::poor, "poor"}}};
constexpr std::array<std::pair<FsaRating, std::string_view>, 8> kFsa{
    {{FsaRating::not_applicable, "not_applicable"},
     {FsaRating::r0, "0"},
     {FsaRating::r1, "1"},
     {FsaRating::r2, "2"},
     {FsaRating::r3, "3"},
     {FsaRating::r4, "4"},
     {FsaRating::r5, "5"},
     {FsaRating::awaiting, "awaiting"}}};
constexpr std::array<std::pair<Rag, std::string_view>, 3> kRag{
    {{Rag::green, "green"}, {Rag::amber, "amber"}, {Rag::red, "red"}}};

}  // namespace

std::string_view to_string(Urgency v) { return name_of(kUrgency, v); }
std::string_view to_string(Funder v) { return name_of(kFunder, v); }
std::string_view to_string(Unit v) { return name_of(kUnit, v); }
std::string_view to_string(CqcRating v) { return name_of(kCqc, v); }
std::string_view to_string(PammsRating v) { return name_of(kPamms, v); }
std::string_view to_string(FsaRating v) { return name_of(kFsa, v); }
std::string_view to_string(Rag v) { return name_of(kRag, v); }

bool parse(std::string_view t, Urgency& v) { return value_of(kUrgency, t, v); }
bool parse(std::string_view t, Funder& v) { return value_of(kFunder, t, v); }
bool parse(std::string_view t, Unit& v) { return value_of(kUnit, t, v); }
bool parse(std::string_view t, CqcRating& v) { return value_of(kCqc, t, v); }
bool parse(std::string_view t, PammsRating& v) { return value_of(kPamms, t, v); }
bool parse(std::string_view t, FsaRating& v) { return value_of(kFsa, t, v); }

}  // namespace carebroker::engine
