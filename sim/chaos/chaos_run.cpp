// A chaos scenario's market run (chaos_run.h).
#include "sim/chaos/chaos_run.h"

#include <boost/asio/post.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <future>

#include "sim/chaos/journal_audit.h"
#include "sim/rest_client.h"

namespace carebroker::sim::chaos {

namespace json = boost::json;

std::string p50_max_ms(std::vector<double> ms) {
  if (ms.empty()) return "-";
  std::sort(ms.begin(), ms.end());
  char text[64];
  std::snprintf(text, sizeof text, "%.0f / %.0f ms", ms[ms.size() / 2], ms.back());
  return text;
}

std::string refused_text(const AckCheck& check) {
  std::string out;
  for (const auto& [code, n] : check.refused_by_code) out += (out.empty() ? "" : ", ") + code + " " + std::to_string(n);
  return out.empty() ? "none" : out;
}

void report_acknowledgements(ChaosRow& row, const AckCheck& check) {
  row.figure("acks", std::to_string(check.acked));
  row.figure("lost", std::to_string(check.lost));
  row.figure("provider commands refused", refused_text(check));
  if (check.lost > 0) row.fail(std::to_string(check.lost) + " acknowledged commands lost, e.g. " + check.first_lost);
  if (!check.error.empty()) row.fail(check.error);
}

MarketRun::MarketRun(const ChaosSetup& setup, const std::string& name, std::vector<std::string> options)
    : data_dir_(setup.work_dir + "/" + name), scenario_file_(setup.scenario_file) {
  std::error_code ec;
  std::filesystem::remove_all(data_dir_, ec);
  std::filesystem::remove(data_dir_ + ".log", ec);
  std::filesystem::create_directories(setup.work_dir, ec);
  char speed[32];
  std::snprintf(speed, sizeof speed, "%g", kSimSpeed);
  options.insert(options.end(), {"--sim-clock-speed", speed, "--threads", "2"});
  server_ = std::make_unique<ServerProcess>(ServerSetup{setup.binary, data_dir_, std::move(options)});
  work_ = std::make_unique<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>(ioc_.get_executor());
  io_thread_ = std::thread([this] { ioc_.run(); });
}

MarketRun::~MarketRun() {
  stop_clients();
  server_->kill();
}

bool MarketRun::open(std::string& error) {
  if (!server_->start(60, error)) return false;
  if (server_->wait_ready(60) < 0) {
    error = "the server never became ready: " + server_->log_tail();
    return false;
  }
  if (server_->admin_token().empty()) {
    error = "the server's first start printed no admin token";
    return false;
  }
  return set_up_market(scenario_file_, server_->port(), server_->admin_token(), market_, error);
}

void MarketRun::start_providers(std::chrono::milliseconds steady) {
  for (std::size_t i = 0; i < market_.providers.size(); ++i) {
    auto client = std::make_shared<ChaosProvider>(ioc_, "127.0.0.1", server_->port(), market_.providers[i],
                                                  i == 0 ? steady : std::chrono::milliseconds(0));
    if (i == 0 && steady.count() > 0) steady_ = client;
    providers_.push_back(client);
    client->start();
  }
}

void MarketRun::start_officer(std::chrono::milliseconds period, std::int64_t window_ms, bool reads) {
  officer_ = std::make_unique<ChaosOfficer>(server_->port(), market_, period, window_ms, reads);
  officer_->start();
}

void MarketRun::stop_clients() {
  if (officer_) officer_->stop();
  for (auto& p : providers_) p->stop();
  if (work_) {
    work_.reset();
    if (io_thread_.joinable()) io_thread_.join();
  }
}

void MarketRun::on_io(const std::function<void()>& fn) {
  if (!work_) return fn();
  std::promise<void> done;
  boost::asio::post(ioc_, [&] {
    fn();
    done.set_value();
  });
  done.get_future().get();
}

std::uint64_t MarketRun::provider_acks(char kind) {
  std::uint64_t n = 0;
  on_io([&] {
    for (auto& p : providers_)
      if (kind == 0) n += p->tallies().acked;
      else n += static_cast<std::uint64_t>(std::count_if(p->tallies().acks.begin(), p->tallies().acks.end(),
                                                        [kind](const AckedCommand& a) { return a.kind == kind; }));
  });
  return n;
}

std::uint64_t MarketRun::steady_acked() {
  std::uint64_t n = 0;
  on_io([&] { n = steady_ ? steady_->tallies().acked : 0; });
  return n;
}

std::size_t MarketRun::steady_unanswered() {
  std::size_t n = 0;
  on_io([&] { n = steady_ ? steady_->unanswered() : 0; });
  return n;
}

AckCheck MarketRun::check_acknowledged() {
  stop_clients();
  AckCheck out;
  auto lost = [&](const std::string& what) {
    if (out.lost++ == 0) out.first_lost = what;
  };
  // Over REST, from the running server (recovered after the last kill, if any).
  RestClient rest("127.0.0.1", server_->port());
  const std::vector<std::uint64_t> no_posts;
  const auto& posted = officer_ ? officer_->tallies().posted : no_posts;
  out.acked += posted.size();
  for (std::uint64_t id : posted)
    if (rest.request("GET", "/api/v1/packages/" + std::to_string(id), market_.officer_token).status != 200)
      lost("package " + std::to_string(id) + " (acknowledged post) is not served");
  for (auto& p : providers_) {
    out.acked += p->tallies().acks.size();
    out.unanswered += p->unanswered();
    for (const auto& [code, n] : p->tallies().refused_by_code) out.refused_by_code[code] += n;
    for (const auto& a : p->tallies().acks) {
      if (a.kind != 'a') continue;
      const auto reply = rest.request("GET", "/api/v1/packages/" + std::to_string(a.package), market_.officer_token);
      boost::system::error_code ec;
      const json::value v = json::parse(reply.body, ec);
      const bool placed = reply.status == 200 && !ec && v.is_object() && v.as_object().contains("status") &&
                          v.at("status") == "placed" && v.as_object().contains("award_location") &&
                          v.at("award_location") == json::value(a.location);
      if (!placed) lost("package " + std::to_string(a.package) + " is not placed with " + a.location + " (acknowledged acceptance)");
    }
  }
  // In the journal, the server stopped.
  server_->stop();
  const JournalAudit audit = audit_journal(data_dir_);
  if (!audit.error.empty()) {
    out.error = audit.error;
    return out;
  }
  out.double_awards = audit.double_awards;
  out.awards_accepted = audit.awards_accepted;
  out.awards_offered = audit.awards_offered;
  for (std::uint64_t id : posted)
    if (!audit.posted.count(id)) lost("package " + std::to_string(id) + " has no PackagePosted in the journal");
  for (auto& p : providers_)
    for (const auto& a : p->tallies().acks) {
      const auto it = audit.requests.find({a.provider, a.request_id});
      if (it == audit.requests.end() || it->second != a.kind)
        lost(std::string("request ") + a.provider + "/" + a.request_id + " has no event in the journal");
    }
  return out;
}

}  // namespace carebroker::sim::chaos
