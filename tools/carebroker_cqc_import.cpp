// carebroker-cqc-import: sends CQC CSV files to a running carebroker server's CQC import
// (POST /api/v1/cqc-imports) — or, with --fsa, FSA food hygiene rating (FHRS) files to its FSA
// import (POST /api/v1/fsa-imports) — and prints what became of every row: the counts, then each
// rejected row by number with its reason.
//   carebroker-cqc-import --url http://127.0.0.1:8080 [--token T] [--ca FILE] [--fsa] FILE...
// The token (a compliance or admin token) comes from --token or the CAREBROKER_TOKEN
// environment variable (kept off the command line). A file larger than --part-bytes is sent in
// parts, each with the header repeated and its first row's number, so row numbers are the
// file's. https URLs are verified against the system's CAs (or --ca).
// Exit status: 0 every file imported with no row rejected; 1 a file was refused, could not be
// sent, or had rejected rows; 2 bad arguments.
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>
#include <boost/program_options.hpp>
#include <boost/url/parse.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

struct Target {
  bool tls = false;
  std::string host, port, path;
};

struct Answer {
  int status = 0;
  std::string body;
  std::string error;  ///< why the request could not be made (empty = it was answered)
};

template <typename Stream>
Answer exchange(Stream& stream, const Target& t, const std::string& token, const std::string& body) {
  http::request<http::string_body> req{http::verb::post, t.path, 11};
  req.set(http::field::host, t.host);
  req.set(http::field::authorization, "Bearer " + token);
  req.set(http::field::content_type, "application/json");
  req.set(http::field::user_agent, "carebroker-cqc-import");
  req.body() = body;
  req.prepare_payload();
  beast::error_code ec;
  http::write(stream, req, ec);
  if (ec) return {0, "", "sending: " + ec.message()};
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64u << 20);  // a report lists every row
  http::read(stream, buffer, parser, ec);
  if (ec) return {0, "", "reading the answer: " + ec.message()};
  return {static_cast<int>(parser.get().result_int()), parser.get().body(), ""};
}

Answer post(const Target& t, const std::string& ca, const std::string& token, const std::string& body) {
  asio::io_context ioc;
  beast::error_code ec;
  tcp::resolver resolver(ioc);
  const auto endpoints = resolver.resolve(t.host, t.port, ec);
  if (ec) return {0, "", "resolving " + t.host + ": " + ec.message()};
  if (!t.tls) {
    beast::tcp_stream stream(ioc);
    stream.connect(endpoints, ec);
    if (ec) return {0, "", "connecting to " + t.host + ":" + t.port + ": " + ec.message()};
    Answer a = exchange(stream, t, token, body);
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    return a;
  }
  ssl::context ctx(ssl::context::tls_client);
  if (ca.empty())
    ctx.set_default_verify_paths(ec);
  else
    ctx.load_verify_file(ca, ec);
  if (ec) return {0, "", "loading CA certificates: " + ec.message()};
  ctx.set_verify_mode(ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
  if (!SSL_set_tlsext_host_name(stream.native_handle(), t.host.c_str())) return {0, "", "setting the TLS server name"};
  stream.set_verify_callback(ssl::host_name_verification(t.host));
  beast::get_lowest_layer(stream).connect(endpoints, ec);
  if (ec) return {0, "", "connecting to " + t.host + ":" + t.port + ": " + ec.message()};
  stream.handshake(ssl::stream_base::client, ec);
  if (ec) return {0, "", "TLS handshake: " + ec.message()};
  Answer a = exchange(stream, t, token, body);
  stream.shutdown(ec);  // the server may close first: not an error worth reporting
  return a;
}

/// A file's text in parts of about `max_bytes`, each a header line and whole records (a line
/// break inside a quoted field does not end a record), with its first record's row number.
std::vector<std::pair<std::string, int>> parts_of(const std::string& text, std::size_t max_bytes) {
  std::vector<std::pair<std::string, int>> parts;
  std::size_t header_end = text.find('\n');
  if (header_end == std::string::npos || text.size() <= max_bytes) return {{text, 2}};
  const std::string header = text.substr(0, header_end + 1);
  std::size_t start = header_end + 1, at = start;
  int line = 2, first = 2;
  bool quoted = false;
  for (; at < text.size(); ++at) {
    if (text[at] == '"') quoted = !quoted;
    if (text[at] != '\n') continue;
    ++line;
    if (!quoted && at + 1 - start >= max_bytes) {
      parts.emplace_back(header + text.substr(start, at + 1 - start), first);
      start = at + 1;
      first = line;
    }
  }
  if (start < text.size()) parts.emplace_back(header + text.substr(start), first);
  return parts;
}

/// Prints an import's report; false when the server refused it or a row was rejected.
bool print_report(const std::string& name, const Answer& a) {
  boost::system::error_code ec;
  const json::value v = json::parse(a.body, ec);
  if (a.status != 201 || ec || !v.is_object()) {
    std::string why = a.body;
    if (!ec && v.is_object() && v.as_object().contains("error"))
      why = std::string(v.at("error").at("code").as_string()) + ": " + std::string(v.at("error").at("detail").as_string());
    std::fprintf(stderr, "%s: refused (%d) %s\n", name.c_str(), a.status, why.c_str());
    return false;
  }
  const json::object& o = v.as_object();
  std::printf("%s: import %lld (%s): %lld rows — %lld applied, %lld not registered here, %lld rejected\n", name.c_str(),
              static_cast<long long>(o.at("import").to_number<std::int64_t>()),
              std::string(o.at("layout").as_string()).c_str(), static_cast<long long>(o.at("rows").to_number<std::int64_t>()),
              static_cast<long long>(o.at("applied").to_number<std::int64_t>()),
              static_cast<long long>(o.at("not_registered").to_number<std::int64_t>()),
              static_cast<long long>(o.at("rejected").to_number<std::int64_t>()));
  for (const auto& item : o.at("items").as_array())
    if (item.at("outcome").as_string() == "rejected")
      std::printf("  row %lld: %s: %s\n", static_cast<long long>(item.at("row").to_number<std::int64_t>()),
                  std::string(item.at("location").as_string()).c_str(), std::string(item.at("detail").as_string()).c_str());
  return o.at("rejected").to_number<std::int64_t>() == 0;
}

/// print_report, with an answer that is not the report it should be as a failure (not a crash).
bool report(const std::string& name, const Answer& a) {
  try {
    return print_report(name, a);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: an answer that is not an import's report (%s): %s\n", name.c_str(), e.what(),
                 a.body.substr(0, 200).c_str());
    return false;
  }
}

}  // namespace

int main(int argc, char** argv) {
  namespace po = boost::program_options;
  std::string url, token, ca;
  std::size_t part_bytes = 512 * 1024;
  std::vector<std::string> files;
  po::options_description options("carebroker-cqc-import [options] FILE...");
  options.add_options()("help", "this help")(
      "url", po::value(&url)->required(), "the server, e.g. http://127.0.0.1:8080")(
      "token", po::value(&token), "a compliance or admin bearer token (default: $CAREBROKER_TOKEN)")(
      "ca", po::value(&ca), "CA certificates (PEM) to verify an https server with (default: the system's)")(
      "part-bytes", po::value(&part_bytes)->default_value(part_bytes), "send larger files in parts of about this size")(
      "fsa", "the files are FSA food hygiene rating (FHRS) files with a CQC location column: send them to the FSA import")(
      "file", po::value(&files), "CQC CSV files (FSA files with --fsa)");
  po::positional_options_description positional;
  positional.add("file", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(options).positional(positional).run(), vm);
    if (vm.count("help")) {
      std::cout << options << "\n";
      return 0;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    std::fprintf(stderr, "carebroker-cqc-import: %s\n", e.what());
    return 2;
  }
  if (token.empty())
    if (const char* env = std::getenv("CAREBROKER_TOKEN")) token = env;
  if (token.empty() || files.empty() || part_bytes < 1024) {
    std::fprintf(stderr, "carebroker-cqc-import: give a token (--token or CAREBROKER_TOKEN) and at least one file\n");
    return 2;
  }
  const auto parsed = boost::urls::parse_uri(url);
  if (!parsed || (parsed->scheme() != "http" && parsed->scheme() != "https") || parsed->host().empty()) {
    std::fprintf(stderr, "carebroker-cqc-import: --url must be http://HOST[:PORT] or https://HOST[:PORT]\n");
    return 2;
  }
  Target target;
  target.tls = parsed->scheme() == "https";
  target.host = std::string(parsed->host());
  target.port = parsed->has_port() ? std::string(parsed->port()) : (target.tls ? "443" : "80");
  std::string base(parsed->path());
  while (!base.empty() && base.back() == '/') base.pop_back();
  target.path = base + (vm.count("fsa") ? "/api/v1/fsa-imports" : "/api/v1/cqc-imports");

  bool all_good = true;
  for (const std::string& path : files) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "%s: cannot open\n", path.c_str());
      all_good = false;
      continue;
    }
    std::ostringstream text;
    text << in.rdbuf();
    const std::string name = path.substr(path.find_last_of('/') + 1);
    for (const auto& [part, first_row] : parts_of(text.str(), part_bytes)) {
      json::object body{{"source", name}, {"csv", part}};
      if (first_row != 2) body["first_data_row"] = first_row;
      const Answer a = post(target, ca, token, json::serialize(body));
      if (!a.error.empty()) {
        std::fprintf(stderr, "%s: %s\n", path.c_str(), a.error.c_str());
        all_good = false;
        break;
      }
      all_good = report(first_row == 2 ? name : name + " from row " + std::to_string(first_row), a) && all_good;
    }
  }
  return all_good ? 0 : 1;
}
