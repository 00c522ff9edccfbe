// The CQC import command (tools/carebroker_cqc_import.cpp) against a real server: it sends the
// real CQC locations file and prints every row's fate; a broken file's bad rows by number (exit
// status 1); a file missing columns is refused, naming them; a file sent in parts keeps its own
// row numbers. With --fsa it sends an FSA (FHRS) file to the FSA import instead.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

#include "gateway_client.h"
#include "provider_client.h"

using namespace carebroker::testing;
using namespace carebroker::testing::gateway_support;
using carebroker::gateway::Role;

namespace {

const std::string kCqcLocationsPath =
    std::string(CAREBROKER_DATA_DIR) + "/cqc/cqc_birmingham_solihull_domiciliary_care_2026-09.csv";

struct ImportToolRun {
  int status = -1;
  std::string output;  ///< stdout and stderr
};

ImportToolRun run_tool(unsigned short port, const std::string& token, const std::string& args) {
  const std::string command = std::string(CAREBROKER_CQC_IMPORT_TOOL) + " --url http://127.0.0.1:" +
                              std::to_string(port) + " --token " + token + " " + args + " 2>&1";
  ImportToolRun r;
  FILE* out = popen(command.c_str(), "r");
  REQUIRE(out);
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, out)) > 0;) r.output.append(buffer, n);
  const int status = pclose(out);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string temp_file(const std::string& name, const std::string& text) {
  const std::string path = "/tmp/carebroker-cqc-tool-" + std::to_string(::getpid()) + "-" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

}  // namespace

TEST_CASE("carebroker-cqc-import sends a CQC file to the server and prints what became of every row",
          "[cqc][gateway]") {
  TestServer server;
  const std::string compliance = server.token(Role::compliance);
  must_http(server, 201, "POST", "/api/v1/providers", compliance, R"({"id": "1-2304519526", "name": "24-7 Care Services Birmingham Ltd"})");
  must_http(server, 201, "POST", "/api/v1/locations", compliance,
            R"({"id": "1-2375497294", "provider": "1-2304519526", "name": "24-7 Care Services", "postcode": "B33 0TG", "local_authority": "Birmingham"})");

  ImportToolRun r = run_tool(server.port(), compliance, kCqcLocationsPath);
  INFO(r.output);
  CHECK(r.status == 0);
  CHECK(r.output.find("cqc_birmingham_solihull_domiciliary_care_2026-09.csv: import 1 (locations): 353 rows — 1 applied, "
                      "352 not registered here, 0 rejected") != std::string::npos);
  CHECK(must_http(server, 200, "GET", "/api/v1/locations/1-2375497294", compliance).at("quality_inputs").at("cqc") ==
        "requires_improvement");

  // In parts of about 20 kB: each part keeps the file's row numbers.
  r = run_tool(server.port(), compliance, "--part-bytes 20000 " + kCqcLocationsPath);
  INFO(r.output);
  CHECK(r.status == 0);
  CHECK(r.output.find("from row ") != std::string::npos);
  const json::value list = must_http(server, 200, "GET", "/api/v1/cqc-imports?page_size=100", compliance);
  const std::int64_t imports = list.at("total").as_int64();
  CHECK(imports >= 3);
  std::int64_t rows = 0, next_row = 2;
  for (std::int64_t n = 2; n <= imports; ++n) {
    const json::value part = must_http(server, 200, "GET", "/api/v1/cqc-imports/" + std::to_string(n), compliance);
    rows += part.at("rows").as_int64();
    CHECK(part.at("items").at(0).at("row").as_int64() == next_row);
    next_row += part.at("rows").as_int64();
  }
  CHECK(rows == 353);

  // A broken file: its bad rows by number, and exit status 1.
  const std::string broken = temp_file("broken.csv",
                                       "location_id,report_date,overall_rating\n"
                                       "1-2375497294,2018-01-05,Good\n"
                                       "1-2375497294,2019-01-05,Excellent\n");
  r = run_tool(server.port(), compliance, broken);
  INFO(r.output);
  CHECK(r.status == 1);
  CHECK(r.output.find("2 rows — 1 applied, 0 not registered here, 1 rejected") != std::string::npos);
  CHECK(r.output.find("  row 3: 1-2375497294: overall_rating 'Excellent' is not a CQC rating") != std::string::npos);

  // A file missing a column: refused whole, naming it.
  const std::string missing = temp_file("missing.csv", "location_id,overall_rating\n1-2375497294,Good\n");
  r = run_tool(server.port(), compliance, missing);
  INFO(r.output);
  CHECK(r.status == 1);
  CHECK(r.output.find("refused (422) cqc_columns_missing: ") != std::string::npos);
  CHECK(r.output.find("missing.csv: missing required column report_date") != std::string::npos);

  // The wrong role.
  r = run_tool(server.port(), server.token(Role::officer), broken);
  CHECK(r.status == 1);
  CHECK(r.output.find("refused (403) forbidden") != std::string::npos);
  std::remove(broken.c_str());
  std::remove(missing.c_str());
}

TEST_CASE("carebroker-cqc-import --fsa sends an FSA file to the FSA import and prints what became of every row",
          "[fsa][gateway]") {
  TestServer server;
  const std::string compliance = server.token(Role::compliance);
  must_http(server, 201, "POST", "/api/v1/providers", compliance, R"({"id": "1-101693165", "name": "Alpine Care UK Limited"})");
  must_http(server, 201, "POST", "/api/v1/locations", compliance,
            R"({"id": "1-126005236", "provider": "1-101693165", "name": "Alpine House", "postcode": "B18 6NY", "local_authority": "Birmingham"})");
  const std::string sample = std::string(CAREBROKER_DATA_DIR) + "/fsa/fsa_fhrs_matched_bham_solihull_example.csv";

  ImportToolRun r = run_tool(server.port(), compliance, "--fsa " + sample);
  INFO(r.output);
  CHECK(r.status == 0);
  CHECK(r.output.find("fsa_fhrs_matched_bham_solihull_example.csv: import 1 (fhrs): 10 rows — 1 applied, "
                      "9 not registered here, 0 rejected") != std::string::npos);
  CHECK(must_http(server, 200, "GET", "/api/v1/locations/1-126005236", compliance).at("quality_inputs").at("fsa") == "2");

  // A broken FSA file: its bad rows by number, and exit status 1.
  const std::string broken = temp_file("broken-fsa.csv",
                                       "FHRSID,BusinessName,RatingValue,RatingDate,location_id\n"
                                       "9000103,Alpine House,3,2026-11-01,1-126005236\n"
                                       "9000103,Alpine House,6,2026-11-02,1-126005236\n");
  r = run_tool(server.port(), compliance, "--fsa " + broken);
  INFO(r.output);
  CHECK(r.status == 1);
  CHECK(r.output.find("import 2 (fhrs): 2 rows — 1 applied, 0 not registered here, 1 rejected") != std::string::npos);
  CHECK(r.output.find("  row 3: 1-126005236: RatingValue '6' is not a food hygiene rating") != std::string::npos);

  // A CQC file sent as an FSA file: refused, naming the FSA columns it lacks.
  r = run_tool(server.port(), compliance, "--fsa " + kCqcLocationsPath);
  INFO(r.output);
  CHECK(r.status == 1);
  CHECK(r.output.find("refused (422) fsa_columns_missing: ") != std::string::npos);
  CHECK(r.output.find("missing required columns FHRSID, RatingValue, RatingDate") != std::string::npos);
  std::remove(broken.c_str());
}
