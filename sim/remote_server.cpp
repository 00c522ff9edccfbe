// carebroker-sim against a server given by URL (remote_server.h).
#include "sim/remote_server.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>
#include <type_traits>

#include "engine/market/calendar.h"
#include "gateway/rest/json_convert.h"
#include "sim/rest_client.h"

namespace carebroker::sim {

namespace json = boost::json;

namespace {

/// One REST request a market command becomes.
struct Request {
  std::string method, target;
  json::object body;
};

json::array strings(const std::vector<std::string>& values) {
  json::array out;
  for (const auto& v : values) out.emplace_back(v);
  return out;
}

/// The REST request an administrator or compliance officer sends for `command`; false when
/// the command has none here (error names it). A Tick has none and needs none: the server's
/// clock keeps its time.
bool to_request(const engine::Command& command, Request& out, std::string& error) {
  using namespace engine;
  return std::visit(
      [&](const auto& c) -> bool {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, DefineCategory>) {
          out = {"POST", "/api/v1/categories", {{"code", c.category.code}, {"name", c.category.name}}};
        } else if constexpr (std::is_same_v<C, ConfigureDps>) {
          out = {"PUT", "/api/v1/dps/" + c.config.code, gateway::rest::dps_config_json(c.config)};
        } else if constexpr (std::is_same_v<C, SetCalendar>) {
          json::array days;
          for (Date d : c.bank_holidays) days.emplace_back(format_date(d));
          out = {"PUT", "/api/v1/calendar", {{"bank_holidays", std::move(days)}}};
        } else if constexpr (std::is_same_v<C, RegisterProvider>) {
          out = {"POST", "/api/v1/providers", {{"id", c.provider}, {"name", c.name}}};
        } else if constexpr (std::is_same_v<C, RegisterLocation>) {
          json::object b{{"id", c.location}, {"provider", c.provider}, {"name", c.name}};
          if (!c.postcode.empty()) b["postcode"] = c.postcode;
          if (!c.local_authority.empty()) b["local_authority"] = c.local_authority;
          out = {"POST", "/api/v1/locations", std::move(b)};
        } else if constexpr (std::is_same_v<C, ApplyToDps>) {
          out = {"POST", "/api/v1/locations/" + c.location + "/applications", {{"dps", c.dps}}};
        } else if constexpr (std::is_same_v<C, AdmitToDps>) {
          out = {"POST", "/api/v1/locations/" + c.location + "/admissions",
                 {{"dps", c.dps}, {"lots", strings(c.lots)}, {"categories", strings(c.categories)},
                  {"zones", strings(c.zones)}, {"tier", c.tier}, {"capacity", c.capacity}}};
        } else if constexpr (std::is_same_v<C, UpdateQualityInputs>) {
          json::object b;
          if (c.cqc) b["cqc"] = to_string(*c.cqc);
          if (c.pamms) b["pamms"] = to_string(*c.pamms);
          if (c.self_assessment) b["self_assessment"] = *c.self_assessment;
          if (c.fsa) b["fsa"] = to_string(*c.fsa);
          if (c.embargo) b["embargo"] = *c.embargo;
          if (!c.embargo_reason.empty()) b["embargo_reason"] = c.embargo_reason;
          if (c.default_notice) b["default_notice"] = *c.default_notice;
          if (c.unexpected_deaths_under_investigation)
            b["unexpected_deaths_under_investigation"] = *c.unexpected_deaths_under_investigation;
          if (c.registered_manager_vacancy) b["registered_manager_vacancy"] = *c.registered_manager_vacancy;
          if (c.record_safeguarding_decisions) b["record_safeguarding_decisions"] = c.record_safeguarding_decisions;
          if (c.record_substantiated_concerns) b["record_substantiated_concerns"] = c.record_substantiated_concerns;
          out = {"PATCH", "/api/v1/locations/" + c.location + "/quality", std::move(b)};
        } else if constexpr (std::is_same_v<C, Tick>) {
          out = {};
        } else {
          error = "the scenario's market has a command (#" + std::to_string(command.index()) +
                  ") the REST set-up cannot send";
          return false;
        }
        return true;
      },
      command);
}

/// The location a command is about ("" for configuration and providers).
std::string location_of(const engine::Command& command) {
  return std::visit(
      [](const auto& c) -> std::string {
        if constexpr (requires { c.location; }) return c.location;
        else return {};
      },
      command);
}

std::string described(const RestClient::Reply& r) {
  if (r.status == 0) return "no answer (" + r.error + ")";
  return std::to_string(r.status) + " " + r.body.substr(0, 300);
}

/// Runs `work(i, client)` for i in [0, n) over `parallel` connections, stopping at the first
/// error (kept in `error`).
bool in_parallel(const std::string& address, unsigned short port, std::size_t n, int parallel,
                 const std::function<bool(std::size_t, RestClient&, std::string&)>& work, std::string& error) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex error_mutex;
  std::vector<std::thread> threads;
  for (int t = 0; t < std::max(1, parallel); ++t)
    threads.emplace_back([&] {
      RestClient client(address, port);
      for (std::size_t i; !failed && (i = next++) < n;) {
        std::string why;
        if (!work(i, client, why)) {
          std::lock_guard lock(error_mutex);
          if (!failed.exchange(true)) error = why;
        }
      }
    });
  for (auto& t : threads) t.join();
  return !failed;
}

}  // namespace

bool parse_server_url(std::string_view url, std::string& host, unsigned short& port, std::string& error) {
  const auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) {
    error = "--server: \"" + std::string(url) + "\" is not a URL such as http://127.0.0.1:8080";
    return false;
  }
  if (parsed->scheme() != "http") {
    error = "--server: only http:// URLs (the sim's clients speak plain HTTP and WebSocket)";
    return false;
  }
  if (parsed->encoded_path() != "" && parsed->encoded_path() != "/") {
    error = "--server: give the server's root, without a path";
    return false;
  }
  host = std::string(parsed->host_address());
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  const std::uint16_t number = parsed->has_port() ? parsed->port_number() : 80;
  if (host.empty() || number == 0) {
    error = "--server: the URL needs a host and a port above 0";
    return false;
  }
  port = number;
  return true;
}

bool RemoteServer::connect(const std::string& host, unsigned short port, std::string admin_token, std::string& error) {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::resolver resolver(ioc);
  boost::system::error_code ec;
  const auto found = resolver.resolve(host, std::to_string(port), ec);
  if (ec || found.empty()) {
    error = "--server: cannot resolve " + host + ": " + ec.message();
    return false;
  }
  address_ = found.begin()->endpoint().address().to_string();
  port_ = port;
  admin_ = std::move(admin_token);
  if (admin_.empty()) {
    error = "--server needs an administrator's token (--admin-token or CAREBROKER_ADMIN_TOKEN)";
    return false;
  }
  return true;
}

bool RemoteServer::read_clock(RemoteClock& clock, std::string& error) {
  RestClient rest(address_, port_);
  const auto sent = std::chrono::steady_clock::now();
  const auto r = rest.request("GET", "/api/v1/admin/clock", admin_);
  const auto round_trip = std::chrono::steady_clock::now() - sent;
  if (r.status != 200) {
    error = "GET /api/v1/admin/clock: " + described(r);
    return false;
  }
  boost::system::error_code ec;
  const json::value v = json::parse(r.body, ec);
  if (ec || !v.is_object()) {
    error = "GET /api/v1/admin/clock: not a JSON object";
    return false;
  }
  const json::object& o = v.as_object();
  if (o.at("clock") != "simulated") {
    error = "the server at " + address_ + ":" + std::to_string(port_) +
            " runs on the real clock: start it on a new --data directory with --sim-clock-speed N";
    return false;
  }
  if (o.at("frozen").as_bool()) {
    error = "the server's simulated clock is frozen (an earlier run ended on it): start a new one";
    return false;
  }
  clock.speed = o.at("speed").to_number<double>();
  const double half_trip_ms = std::chrono::duration<double, std::milli>(round_trip).count() / 2;
  clock.now = o.at("now_ms").to_number<engine::UtcMillis>() + static_cast<engine::UtcMillis>(half_trip_ms * clock.speed);
  return true;
}

bool RemoteServer::check_fresh(const std::string& dps, std::string& error) {
  RestClient rest(address_, port_);
  const auto r = rest.request("GET", "/api/v1/dps/" + dps, admin_);
  if (r.status == 404) return true;
  error = r.status == 200 ? "the server already has the DPS " + dps +
                                " (an earlier run's market): start it on a new --data directory"
                          : "GET /api/v1/dps/" + dps + ": " + described(r);
  return false;
}

bool RemoteServer::set_up_market(const std::vector<engine::Command>& commands, int parallel, std::string& error) {
  // Configuration first, in order; then providers; then each location's commands, in order.
  std::vector<Request> configuration, providers;
  std::map<std::string, std::vector<Request>> by_location;
  for (const auto& command : commands) {
    Request r;
    if (!to_request(command, r, error)) return false;
    if (r.method.empty()) continue;  // a Tick
    if (std::holds_alternative<engine::RegisterProvider>(command)) providers.push_back(std::move(r));
    else if (const std::string location = location_of(command); !location.empty()) by_location[location].push_back(std::move(r));
    else configuration.push_back(std::move(r));
  }
  std::atomic<std::size_t> sent{0};
  auto send = [&](const Request& r, RestClient& client, std::string& why) {
    const std::string key = "sim-setup-" + std::to_string(sent++);
    // Quality and risk inputs are the compliance officer's to change; the rest the administrator's.
    const std::string& token = r.method == "PATCH" ? compliance_ : admin_;
    const auto reply = client.request(r.method, r.target, token, json::serialize(r.body), key);
    if (reply.status >= 200 && reply.status < 300) return true;
    why = r.method + " " + r.target + ": " + described(reply);
    return false;
  };
  RestClient first(address_, port_);
  for (const auto& r : configuration)
    if (!send(r, first, error)) return false;
  if (!in_parallel(address_, port_, providers.size(), parallel,
                   [&](std::size_t i, RestClient& c, std::string& why) { return send(providers[i], c, why); }, error))
    return false;
  std::vector<const std::vector<Request>*> locations;
  for (const auto& [id, requests] : by_location) locations.push_back(&requests);
  return in_parallel(address_, port_, locations.size(), parallel,
                     [&](std::size_t i, RestClient& c, std::string& why) {
                       for (const auto& r : *locations[i])
                         if (!send(r, c, why)) return false;
                       return true;
                     },
                     error);
}

namespace {

/// POST /api/v1/tokens for `who`; the token, or false and why.
bool issue_token(RestClient& client, const std::string& admin, const json::object& who, std::string& token, std::string& why) {
  const auto r = client.request("POST", "/api/v1/tokens", admin, json::serialize(who));
  if (r.status == 201 || r.status == 200) {
    boost::system::error_code ec;
    const json::value v = json::parse(r.body, ec);
    if (!ec && v.is_object() && v.as_object().contains("token") && v.at("token").is_string()) {
      token = std::string(v.at("token").as_string());
      return true;
    }
  }
  why = "POST /api/v1/tokens: " + described(r);
  return false;
}

}  // namespace

bool RemoteServer::issue_staff_tokens(std::string& error) {
  RestClient client(address_, port_);
  return issue_token(client, admin_, {{"role", "officer"}, {"name", "sim-officer"}}, officer_, error) &&
         issue_token(client, admin_, {{"role", "compliance"}, {"name", "sim-compliance"}}, compliance_, error);
}

bool RemoteServer::issue_provider_tokens(const std::vector<std::string>& providers, int parallel, std::string& error) {
  providers_.assign(providers.size(), {});
  return in_parallel(address_, port_, providers.size(), parallel,
                     [&](std::size_t i, RestClient& c, std::string& why) {
                       return issue_token(c, admin_, {{"role", "provider"}, {"provider", providers[i]}, {"name", "sim"}},
                                          providers_[i], why);
                     },
                     error);
}

bool RemoteServer::freeze_clock(std::string& error) {
  RestClient rest(address_, port_);
  const auto r = rest.request("PUT", "/api/v1/admin/clock", admin_, R"({"frozen":true})");
  if (r.status == 200) return true;
  error = "PUT /api/v1/admin/clock: " + described(r);
  return false;
}

}  // namespace carebroker::sim
