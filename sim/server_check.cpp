// The end-of-run audit (server_check.h).
#include "sim/server_check.h"

#include <boost/json.hpp>

#include "sim/rest_client.h"

namespace carebroker::sim {

namespace json = boost::json;

namespace {

/// The `total` of GET /api/v1/packages with `query`; -1 with `error` if it could not be read.
std::int64_t package_total(RestClient& rest, const std::string& token, const std::string& query, std::string& error) {
  const auto reply = rest.request("GET", "/api/v1/packages?page_size=1" + query, token);
  if (reply.status != 200) {
    error = "GET /api/v1/packages" + query + ": " + (reply.status ? std::to_string(reply.status) + " " + reply.body : reply.error);
    return -1;
  }
  boost::system::error_code ec;
  const json::value v = json::parse(reply.body, ec);
  if (!ec && v.is_object())
    if (const auto* t = v.as_object().if_contains("total"); t && t->is_int64()) return t->as_int64();
  error = "GET /api/v1/packages" + query + ": no total in " + reply.body.substr(0, 200);
  return -1;
}

}  // namespace

std::vector<Check> check_against_server(const std::string& host, unsigned short port, const std::string& token,
                                        const RunRecord& r, std::size_t outstanding, std::size_t posts_planned,
                                        std::string& error) {
  std::vector<Check> checks;
  auto n = [](auto v) { return static_cast<std::int64_t>(v); };
  checks.push_back({"offers sent = acknowledged + refused (none lost)", n(r.offers_sent), n(r.offers_acked + r.offers_refused)});
  checks.push_back({"requests unanswered at the end", n(outstanding), 0});
  checks.push_back({"packages posted by the officers (201) = planned", n(r.posts_ok), n(posts_planned)});
  checks.push_back({"frames that failed to parse", n(r.malformed_frames), 0});
  checks.push_back({"WebSockets dropped during the run", n(r.connections_failed), 0});
  RestClient rest(host, port);
  const std::int64_t total = package_total(rest, token, "", error);
  const std::int64_t placed = package_total(rest, token, "&status=placed", error);
  const std::int64_t ended = package_total(rest, token, "&status=ended", error);
  const std::int64_t unsourced = package_total(rest, token, "&status=unsourced", error);
  if (!error.empty()) return checks;
  std::int64_t seen_unsourced = 0;
  for (const auto& [id, p] : r.packages) seen_unsourced += p.status == "unsourced";
  checks.push_back({"packages the sim saw = GET /api/v1/packages total", n(r.packages.size()), total});
  checks.push_back({"awards the sim accepted = packages placed or ended", n(r.awards_accepted), placed + ended});
  checks.push_back({"unsourced the officers were told of = packages unsourced", seen_unsourced, unsourced});
  return checks;
}

}  // namespace carebroker::sim
