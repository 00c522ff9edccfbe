// Helpers shared by the REST report tests (gateway_rest_reports_test.cpp and
// gateway_rest_more_reports_test.cpp): the week they report on, and finding a row of a report's
// JSON by the texts in its named columns. Header-only.
#pragma once

#include <catch2/catch.hpp>

#include <initializer_list>
#include <utility>

#include "rest_harness.h"

namespace carebroker::testing {

inline const char* const kWeek = "dps=home-care&from=2026-11-23&to=2026-11-29";

/// The row of a report's JSON whose named columns hold the given texts.
inline const json::object& find_row(const json::value& report,
                                    std::initializer_list<std::pair<const char*, const char*>> keys) {
  for (const auto& r : report.at("rows").as_array()) {
    bool match = true;
    for (const auto& [k, v] : keys) match = match && str(r.at(k)) == v;
    if (match) return r.as_object();
  }
  FAIL("no such row in " << json::serialize(report));
  static json::object none;
  return none;
}

}  // namespace carebroker::testing
