// Reading and checking a scenario (scenario.h). The first problem wins and names its field.
#include "sim/scenario.h"

#include <boost/json.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

namespace carebroker::sim {

namespace json = boost::json;

namespace {

/// One JSON object being read at `path`: typed fields, unknown members refused, and the first
/// problem kept in `error` (later reads then do nothing).
class Fields {
 public:
  Fields(const json::value& v, std::string path, std::string& error) : path_(std::move(path)), error_(error) {
    if (!v.is_object()) fail(path_, "must be an object");
    else object_ = &v.as_object();
  }
  /// Call after reading every field: refuses members the schema does not have.
  void done() {
    if (!object_ || !error_.empty()) return;
    for (const auto& kv : *object_)
      if (!known_.count(std::string(kv.key()))) return fail(at(std::string(kv.key())), "is not a field of this object");
  }
  const json::value* get(const std::string& key, bool required) {
    known_.insert(key);
    if (!object_ || !error_.empty()) return nullptr;
    const auto* v = object_->if_contains(key);
    if (!v && required) fail(at(key), "is required");
    return v;
  }
  void number(const std::string& key, double& out, double min, double max, bool required = false) {
    const auto* v = get(key, required);
    if (!v) return;
    if (!v->is_number()) return fail(at(key), "must be a number");
    const double d = v->to_number<double>();
    if (!(d >= min && d <= max)) return fail(at(key), "must be between " + num(min) + " and " + num(max));
    out = d;
  }
  void integer(const std::string& key, std::int64_t& out, std::int64_t min, std::int64_t max, bool required = false) {
    const auto* v = get(key, required);
    if (!v) return;
    if (!v->is_int64() && !v->is_uint64()) return fail(at(key), "must be a whole number");
    const auto i = v->is_int64() ? v->as_int64() : static_cast<std::int64_t>(v->as_uint64());
    if (i < min || i > max) return fail(at(key), "must be between " + std::to_string(min) + " and " + std::to_string(max));
    out = i;
  }
  void integer(const std::string& key, int& out, int min, int max, bool required = false) {
    std::int64_t i = out;
    integer(key, i, min, max, required);
    out = static_cast<int>(i);
  }
  void text(const std::string& key, std::string& out, bool required = false, const std::set<std::string>& allowed = {}) {
    const auto* v = get(key, required);
    if (!v) return;
    if (!v->is_string()) return fail(at(key), "must be a string");
    std::string s(v->as_string());
    if (!allowed.empty() && !allowed.count(s)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      return fail(at(key), "must be one of " + list + " (not \"" + s + "\")");
    }
    out = std::move(s);
  }
  void flag(const std::string& key, bool& out) {
    const auto* v = get(key, false);
    if (!v) return;
    if (!v->is_bool()) return fail(at(key), "must be true or false");
    out = v->as_bool();
  }
  void texts(const std::string& key, std::vector<std::string>& out, bool required = false) {
    const auto* v = get(key, required);
    if (!v) return;
    if (!v->is_array()) return fail(at(key), "must be an array of strings");
    out.clear();
    for (std::size_t i = 0; i < v->as_array().size(); ++i) {
      const auto& e = v->as_array()[i];
      if (!e.is_string()) return fail(at(key) + "[" + std::to_string(i) + "]", "must be a string");
      out.emplace_back(e.as_string());
    }
  }
  void numbers(const std::string& key, std::vector<double>& out, std::size_t size) {
    const auto* v = get(key, false);
    if (!v) return;
    if (!v->is_array() || v->as_array().size() != size)
      return fail(at(key), "must be an array of " + std::to_string(size) + " numbers");
    out.clear();
    for (std::size_t i = 0; i < size; ++i) {
      const auto& e = v->as_array()[i];
      if (!e.is_number() || e.to_number<double>() < 0)
        return fail(at(key) + "[" + std::to_string(i) + "]", "must be a number, 0 or more");
      out.push_back(e.to_number<double>());
    }
  }
  /// Each element of an array of objects, read by `each(fields, index)`.
  template <typename Each>
  void objects(const std::string& key, bool required, Each each) {
    const auto* v = get(key, required);
    if (!v) return;
    if (!v->is_array()) return fail(at(key), "must be an array of objects");
    for (std::size_t i = 0; i < v->as_array().size() && error_.empty(); ++i) {
      Fields f(v->as_array()[i], at(key) + "[" + std::to_string(i) + "]", error_);
      each(f, i);
      f.done();
    }
  }
  /// A nested object, read by `each(fields)`; absent is fine unless required.
  template <typename Each>
  bool object(const std::string& key, bool required, Each each) {
    const auto* v = get(key, required);
    if (!v) return false;
    Fields f(*v, at(key), error_);
    each(f);
    f.done();
    return true;
  }
  void fail(const std::string& where, const std::string& why) {
    if (error_.empty()) error_ = where + ": " + why;
  }
  std::string at(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  bool ok() const { return error_.empty(); }

 private:
  static std::string num(double d) {
    std::ostringstream o;
    o << d;
    return o.str();
  }
  std::string path_;
  std::string& error_;
  const json::object* object_ = nullptr;
  std::set<std::string> known_;
};

void read_behaviour(Fields& f, Behaviour& b) {
  f.number("bid_share", b.bid_share, 0, 1);
  f.number("price_vs_fair", b.price_vs_fair, 0.3, 3);
  f.number("price_spread", b.price_spread, 0, 1);
  f.number("respond_within", b.respond_within, 0, 1);
  f.number("decline_share", b.decline_share, 0, 1);
  f.number("accept_after_minutes", b.accept_after_minutes, 0, 7 * 24 * 60);
}

const std::set<std::string> kCqc = {"outstanding", "good", "requires_improvement", "inadequate", "none"};
const std::set<std::string> kPamms = {"excellent", "good", "requires_improvement", "poor", "none"};

/// The yearly new-client requests of some councils in one year, from the CSV in data/.
std::string yearly_requests(const std::string& file, const std::vector<std::string>& councils, int year, double& total) {
  std::ifstream in(file);
  if (!in) return "cannot read " + file;
  std::string line;
  std::getline(in, line);  // header: la_name,la_code,year,…,total_requests,total_no_services
  std::set<std::string> found;
  total = 0;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream row(line);
    for (std::string c; std::getline(row, c, ',');) cells.push_back(c);
    if (cells.size() < 8) continue;
    for (const auto& council : councils)
      if (cells[0] == council && cells[2] == std::to_string(year) && !cells[7].empty()) {
        total += std::stod(cells[7]);
        found.insert(council);
      }
  }
  for (const auto& council : councils)
    if (!found.count(council)) return file + " has no total_requests for " + council + " in " + std::to_string(year);
  return {};
}

void read_market(Fields& f, MarketSpec& m) {
  f.text("source", m.source, false, {"scenario", "demo"});
  if (m.source == "demo") {
    f.object("behaviour", false, [&](Fields& b) { read_behaviour(b, m.demo_behaviour); });
    f.integer("capacity_hours", m.demo_capacity_hours, 0, 100'000);
    f.number("flatbuffers_share", m.flatbuffers_share, 0, 1);
    return;
  }
  f.text("dps", m.dps);
  f.text("lot", m.lot);
  f.integer("fair_cost", m.fair_cost, 100, 100'000);
  f.integer("rate_min", m.rate_min, 0, 100'000);
  f.integer("rate_max", m.rate_max, 0, 100'000);
  f.number("flatbuffers_share", m.flatbuffers_share, 0, 1);
  f.objects("zones", true, [&](Fields& z, std::size_t) {
    ZoneSpec s;
    z.text("code", s.code, true);
    z.texts("districts", s.districts, true);
    m.zones.push_back(std::move(s));
  });
  f.texts("tiers", m.tiers, true);
  f.objects("routes", true, [&](Fields& r, std::size_t) {
    RouteSpec s;
    r.text("name", s.name, true);
    r.texts("when_any_category", s.when_any_category);
    r.texts("tiers", s.tiers, true);
    for (const auto& t : s.tiers)
      if (std::find(m.tiers.begin(), m.tiers.end(), t) == m.tiers.end()) r.fail(r.at("tiers"), "names tier \"" + t + "\", not in market.tiers");
    m.routes.push_back(std::move(s));
  });
  std::set<std::string> names;
  f.objects("providers", true, [&](Fields& g, std::size_t) {
    ProviderGroup p;
    g.text("name", p.name, true);
    g.integer("count", p.count, 1, 100'000, true);
    g.text("tier", p.tier, true);
    g.texts("zones", p.zones, true);
    g.flag("spread_over_zones", p.spread_over_zones);
    g.texts("categories", p.categories, true);
    g.integer("capacity_hours", p.capacity_hours, 0, 100'000);
    g.text("cqc", p.cqc, false, kCqc);
    g.text("pamms", p.pamms, false, kPamms);
    g.integer("self_assessment", p.self_assessment, 0, 100);
    g.object("behaviour", false, [&](Fields& b) { read_behaviour(b, p.behaviour); });
    if (!names.insert(p.name).second) g.fail(g.at("name"), "\"" + p.name + "\" names two groups");
    if (std::find(m.tiers.begin(), m.tiers.end(), p.tier) == m.tiers.end()) g.fail(g.at("tier"), "\"" + p.tier + "\" is not in market.tiers");
    for (const auto& z : p.zones)
      if (std::none_of(m.zones.begin(), m.zones.end(), [&](const ZoneSpec& s) { return s.code == z; }))
        g.fail(g.at("zones"), "names zone \"" + z + "\", not in market.zones");
    if (p.zones.empty()) g.fail(g.at("zones"), "must name at least one zone");
    m.providers.push_back(std::move(p));
  });
  if (f.ok() && m.rate_max && m.rate_min > m.rate_max) f.fail(f.at("rate_min"), "must not be above rate_max");
}

void read_surge(Fields& f, Surge& s, bool winter, double days) {
  f.number("from_day", s.from_day, 0, days, true);
  f.number("to_day", s.to_day, 0, days, true);
  if (winter) f.number("factor", s.factor, 0, 100, true);
  else f.integer("packages", s.packages, 0, 10'000'000, true);
  if (f.ok() && s.to_day <= s.from_day) f.fail(f.at("to_day"), "must be after from_day");
}

void read_demand(Fields& f, DemandSpec& d, double days, const std::string& base_dir) {
  f.number("packages_per_week", d.packages_per_week, 0, 1e8);
  f.object("yearly_requests", false, [&](Fields& y) {
    std::string file;
    std::vector<std::string> councils;
    std::int64_t year = 0;
    double share = 0;
    y.text("file", file, true);
    y.texts("councils", councils, true);
    y.integer("year", year, 2000, 2100, true);
    y.number("home_care_share", share, 0, 1, true);
    if (!y.ok()) return;
    double total = 0;
    const std::string path = file.starts_with("/") ? file : base_dir + "/" + file;
    if (auto problem = yearly_requests(path, councils, static_cast<int>(year), total); !problem.empty())
      return y.fail(y.at("file"), problem);
    d.packages_per_week = total * share * 7 / 365.25;
    std::ostringstream why;
    why << total << " new-client requests in " << year << " (";
    for (std::size_t i = 0; i < councils.size(); ++i) why << (i ? " + " : "") << councils[i];
    why << ", " << file << ") × home-care share " << share << " ÷ 52.18 weeks = " << d.packages_per_week
        << " packages a week";
    d.sized_from = why.str();
  });
  if (f.ok() && d.packages_per_week <= 0) f.fail(f.at("packages_per_week"), "is required (or yearly_requests), above 0");
  d.hourly.assign(24, 1.0);
  d.weekday.assign(7, 1.0);
  f.numbers("hourly", d.hourly, 24);
  f.numbers("weekday", d.weekday, 7);
  f.number("hours_mean", d.hours_mean, 0.25, 168);
  f.number("hours_spread", d.hours_spread, 0, 168);
  f.number("urgent_share", d.urgent_share, 0, 1);
  f.number("planned_share", d.planned_share, 0, 1);
  if (f.ok() && d.urgent_share + d.planned_share > 1) f.fail(f.at("planned_share"), "urgent_share + planned_share must not exceed 1");
  f.objects("categories", true, [&](Fields& c, std::size_t) {
    Mix m;
    c.text("category", m.category, true);
    c.number("share", m.share, 0, 1e9, true);
    d.categories.push_back(std::move(m));
  });
  f.number("window_hours_urgent", d.window_hours_urgent, 0.1, 24 * 30);
  f.number("window_hours_standard", d.window_hours_standard, 0.1, 24 * 30);
  f.number("window_hours_planned", d.window_hours_planned, 0.1, 24 * 60);
  Surge s;
  if (f.object("winter_surge", false, [&](Fields& w) { read_surge(w, s, true, days); })) d.winter = s;
  Surge t;
  if (f.object("discharge_surge", false, [&](Fields& w) { read_surge(w, t, false, days); })) d.discharge = t;
  f.object("administration", false, [&](Fields& a) {
    a.text("location", d.administration_provider, true);
    a.number("day", d.administration_day, 0, days, true);
  });
}

}  // namespace

ScenarioResult parse_scenario(const std::string& text, const std::string& base_dir) {
  ScenarioResult r;
  boost::system::error_code ec;
  const json::value root = json::parse(text, ec);
  if (ec) {
    r.error = "not JSON: " + ec.message();
    return r;
  }
  Scenario s;
  std::string error;
  Fields f(root, "", error);
  f.text("name", s.name, true);
  f.text("description", s.description);
  std::int64_t seed = 1;
  f.integer("seed", seed, 0, std::numeric_limits<std::int64_t>::max());
  s.seed = static_cast<std::uint64_t>(seed);
  f.number("days", s.days, 0.01, 366, true);
  f.number("speed", s.speed, 1, 1e7, true);
  f.text("start_date", s.start_date);
  if (!s.start_date.empty()) {
    int y = 0;
    unsigned m = 0, d = 0;
    char tail = 0;
    if (s.start_date.size() != 10 || std::sscanf(s.start_date.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3 || m < 1 ||
        m > 12 || d < 1 || d > 31)
      f.fail("start_date", "must be a date YYYY-MM-DD (not \"" + s.start_date + "\")");
  }
  f.object("market", true, [&](Fields& m) { read_market(m, s.market); });
  f.object("demand", true, [&](Fields& d) { read_demand(d, s.demand, s.days, base_dir); });
  f.done();
  if (error.empty() && !s.demand.administration_provider.empty() && s.market.source == "scenario") {
    const std::string& id = s.demand.administration_provider;
    const bool known = std::any_of(s.market.providers.begin(), s.market.providers.end(), [&](const ProviderGroup& g) {
      return id.starts_with(g.name + "-") && id.size() > g.name.size() + 1;
    });
    if (!known) error = "demand.administration.location: \"" + id + "\" is not <group name>-<n> of a provider group";
  }
  if (!error.empty()) r.error = error;
  else r.scenario = std::move(s);
  return r;
}

ScenarioResult read_scenario_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return {std::nullopt, "cannot read " + path};
  std::stringstream text;
  text << in.rdbuf();
  const auto slash = path.rfind('/');
  ScenarioResult r = parse_scenario(text.str(), slash == std::string::npos ? "." : path.substr(0, slash));
  if (!r.error.empty()) r.error = path + ": " + r.error;
  return r;
}

}  // namespace carebroker::sim
