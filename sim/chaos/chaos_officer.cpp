// An officer under chaos (chaos_officer.h).
#include "sim/chaos/chaos_officer.h"

#include <boost/json.hpp>

#include "sim/rest_client.h"

namespace carebroker::sim::chaos {

namespace json = boost::json;

std::string rest_error_code(int status, const std::string& body) {
  if (status == 0) return "no_answer";
  boost::system::error_code ec;
  const json::value v = json::parse(body, ec);
  if (!ec && v.is_object())
    if (const auto* e = v.as_object().if_contains("error"); e && e->is_object())
      if (const auto* c = e->as_object().if_contains("code"); c && c->is_string()) return std::string(c->as_string());
  return "http_" + std::to_string(status);
}

void ChaosOfficer::start() {
  poster_ = std::thread([this] { post_loop(); });
  if (reads_) reader_ = std::thread([this] { read_loop(); });
}

void ChaosOfficer::stop() {
  stop_ = true;
  if (poster_.joinable()) poster_.join();
  if (reader_.joinable()) reader_.join();
  tallies_.reads_ok = reads_ok_;
  tallies_.reads_failed = reads_failed_;
}

void ChaosOfficer::post_loop() {
  RestClient rest("127.0.0.1", port_);
  for (std::uint64_t n = 1; !stop_; ++n) {
    const std::size_t zone = n % market_.districts.size();
    json::object body{{"dps", market_.dps},
                      {"lot", market_.lot},
                      {"categories", json::array{json::value(market_.categories[n % market_.categories.size()])}},
                      {"postcode_district", market_.districts[zone]},
                      {"quantity", 600 + static_cast<std::int64_t>(n % 6) * 60},
                      {"urgency", "urgent"},
                      {"start_date", market_.start_date},
                      {"window", window_ms_},
                      {"needs", json::array{"personal care"}},
                      {"outcomes", json::array{"remain independent at home"}},
                      {"person", json::object{{"name", "Chaos person " + std::to_string(n)}}}};
    const std::string text = json::serialize(body), key = "chaos-post-" + std::to_string(n);
    ++tallies_.posts_sent;
    // The same key until the server answers: through a kill, the retry is the same post.
    for (;;) {
      const auto reply = rest.request("POST", "/api/v1/packages", market_.officer_token, text, key);
      if (reply.status == 201 || reply.status == 200) {
        boost::system::error_code ec;
        const json::value v = json::parse(reply.body, ec);
        if (!ec && v.is_object())
          if (const auto* p = v.as_object().if_contains("package"); p && p->is_number()) {
            const auto id = p->to_number<std::uint64_t>();
            tallies_.posted.push_back(id);
            last_package_ = id;
            ++tallies_.posts_acked;
            ++acked_;
          }
        break;
      }
      if (reply.status != 0 && reply.status != 503) {
        ++tallies_.refused_by_code[rest_error_code(reply.status, reply.body)];
        break;
      }
      if (stop_) break;  // never answered: its outcome is unknown, and it is not counted
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    std::this_thread::sleep_for(period_);
  }
}

void ChaosOfficer::read_loop() {
  RestClient rest("127.0.0.1", port_);
  for (std::uint64_t n = 0; !stop_; ++n) {
    const std::uint64_t last = last_package_.load();
    const std::string target = n % 2 == 0 || last == 0 ? "/api/v1/packages" : "/api/v1/packages/" + std::to_string(last);
    const auto reply = rest.request("GET", target, market_.officer_token);
    if (reply.status == 200) ++reads_ok_;
    else ++reads_failed_;
    std::this_thread::sleep_for(std::chrono::milliseconds(reply.status == 200 ? 10 : 20));
  }
}

}  // namespace carebroker::sim::chaos
