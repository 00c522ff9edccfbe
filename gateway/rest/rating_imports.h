// What the CQC and the FSA import routes share (cqc_import_routes.cpp, fsa_import_routes.cpp):
// the file's text read from a JSON body ({"source", "csv", "first_data_row"}) and checked as free
// text; a file the reader refused answered with the kind's own code; the import run as one
// journaled command and answered with its report, read back from a replica that has it; the
// list of past imports, newest first, and one import by number. Each kind says its name, its
// route and its codes (RatingImportKind).
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>

#include "gateway/rest/route_context.h"

namespace carebroker::gateway::rest {

struct RatingImportKind {
  const char* name;    ///< "CQC", "FSA": in messages
  const char* route;   ///< "/api/v1/cqc-imports/": where a report is read back
  engine::Code unknown_import, invalid_file, columns_missing;
};

/// An import's summary: its number, source, who and when, its rows counted per outcome (every
/// outcome listed, 0 or more) and the three every import reports — applied (neither of the
/// other two), not registered here, rejected.
template <class Import, class Outcome>
json::object rating_import_summary(const Import& imp, std::initializer_list<Outcome> outcomes, Outcome not_registered,
                                   Outcome rejected) {
  json::object by_outcome;
  for (Outcome o : outcomes) by_outcome[to_string(o)] = 0;
  std::int64_t applied = 0, unregistered = 0, refused = 0;
  for (const auto& r : imp.rows) {
    by_outcome[to_string(r.outcome)] = by_outcome[to_string(r.outcome)].as_int64() + 1;
    if (r.outcome == not_registered) ++unregistered;
    else if (r.outcome == rejected) ++refused;
    else ++applied;
  }
  json::object o{{"import", imp.import}, {"source", imp.source}, {"officer", imp.officer}};
  put_time(o, "at", imp.at);
  o["rows"] = imp.rows.size();
  o["applied"] = applied;
  o["not_registered"] = unregistered;
  o["rejected"] = refused;
  o["by_outcome"] = std::move(by_outcome);
  return o;
}

/// The body's source, CSV text and first data row; false once the error is answered.
struct RatingImportBody {
  std::string source, csv;
  int first_data_row = 2;
};
bool read_rating_import_body(RestContext&, const RatingImportKind&, RatingImportBody&);

/// A file the reader refused (`missing` columns, or an `error`), answered with the kind's code;
/// true when the file was read.
bool rating_file_read(RestContext&, const RatingImportKind&, const std::string& source,
                      const std::vector<std::string>& missing, const std::string& error);

/// Runs the import and answers 201 with `report(market, n)` of the import numbered n once durable
/// (false from `report` when the replica has not got it: the caller is told where to read it).
using ImportReport = std::function<bool(const engine::Market&, std::uint64_t n, json::object& out)>;
void run_rating_import(RestContext&, const RatingImportKind&, engine::Command, ImportReport report);

/// GET …/{n}: the import's number from the path (1..), or the kind's unknown_import answered.
bool rating_import_number(RestContext&, const RatingImportKind&, std::uint64_t& n);

/// GET …: `count` imports, newest first, a page of `summary(market, i)` (i from 0, oldest first).
void list_rating_imports(RestContext&, std::function<std::size_t(const engine::Market&)> count,
                         std::function<json::object(const engine::Market&, std::size_t i)> summary);

/// GET …/{n}: `report(market, n)`, or unknown_import when there is no import n.
void get_rating_import(RestContext&, const RatingImportKind&, ImportReport report);

}  // namespace carebroker::gateway::rest
