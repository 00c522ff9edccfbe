// A small synchronous HTTP/1.1 client for the probes: one keep-alive connection to the server,
// reconnected once when the server has closed it, JSON bodies and a bearer token.
//
// Threading: one RestClient per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace carebroker::sim {

class RestClient {
 public:
  /// (Nested: sim/rest_load.h's RestReply, for the open-loop load, is another thing.)
  struct Reply {
    int status = 0;     ///< 0: no answer (see error)
    std::string body;
    std::string error;  ///< connect, write or read failure
  };

  RestClient(std::string host, unsigned short port);
  ~RestClient();
  RestClient(const RestClient&) = delete;
  RestClient& operator=(const RestClient&) = delete;

  /// `method` is GET, POST, PUT or PATCH; a non-empty body goes as application/json. A GET (or a
  /// command with an `idempotency_key`) on a connection the server closed is sent again once.
  Reply request(std::string_view method, std::string_view target, std::string_view token,
                    std::string_view body = {}, std::string_view idempotency_key = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace carebroker::sim
