// The end-of-run audit of carebroker-sim: what the sim saw against what the server reports.
// Every offer and award answer the sim sent was acknowledged or refused (none lost); the server
// holds as many packages as the sim saw posted or re-procured; as many placements (placed or
// since ended) as awards the sim had acknowledged; as many unsourced packages as the officers'
// live notices announced. Reads over REST (GET /api/v1/packages) with an officer's token.
// Main thread, after the players have stopped.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/run_record.h"

namespace carebroker::sim {

struct Check {
  std::string what;
  std::int64_t sim = 0, server = 0;  ///< server: what the server reports, or the count expected
  bool ok() const { return sim == server; }
};

/// `outstanding`: requests still unanswered. `posts_planned`: the demand's packages.
std::vector<Check> check_against_server(const std::string& host, unsigned short port, const std::string& officer_token,
                                        const RunRecord& r, std::size_t outstanding, std::size_t posts_planned,
                                        std::string& error);

}  // namespace carebroker::sim
