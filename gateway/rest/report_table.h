// REST market reports as tables (report_routes.cpp serves them): the query a report answers and
// the table it gives — column names, then rows of cells (null = no figure), the same in JSON and
// CSV. The tables about a DPS's locations (entering and leaving, RAG counts) are built in
// location_report_tables.cpp. Not thread-safe (read a market no other thread changes).
#pragma once

#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "engine/market/market_reports.h"

namespace carebroker::gateway::rest {

struct ReportQuery {
  engine::ReportPeriod period;
  engine::RagBucket bucket = engine::RagBucket::week;
};

struct ReportTable {
  std::vector<std::string_view> columns;
  std::vector<std::vector<boost::json::value>> rows;
};

/// Providers entering and leaving: counts by month (`entering-leaving`) and each move (`entering-leaving-list`).
ReportTable entering_leaving_table(const engine::Market&, const ReportQuery&);
ReportTable entering_leaving_list_table(const engine::Market&, const ReportQuery&);
/// Admitted locations Green, Amber and Red at the end of each day or week (`rag-counts`).
ReportTable rag_counts_table(const engine::Market&, const ReportQuery&);

}  // namespace carebroker::gateway::rest
