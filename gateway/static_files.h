// The web portal's static files: which file, if any, a request target names. Files come only
// from inside the web root: the target is percent-decoded once, then every segment must be a
// plain name (no empty segment, no ".", "..", hidden names, backslashes, NUL or other control
// characters), and the file found — after every symlink is resolved — must still lie inside the
// root and outside every forbidden directory (the data directory). Large files are refused, and
// the server streams what it serves rather than reading it into memory. No Beast here.
// A StaticRoot is immutable once opened: share it between threads freely.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/gateway_codes.h"

namespace carebroker::gateway {

/// Files larger than this are never served (the portal's files are far smaller).
inline constexpr std::uintmax_t kMaxStaticFileBytes = 16u << 20;

struct StaticFile {
  std::filesystem::path path;  ///< canonical, inside the root
  std::uintmax_t size = 0;
  std::string content_type;
};

/// What a target resolved to: a file, or an HTTP status with a stable code.
struct StaticLookup {
  std::optional<StaticFile> file;
  int status = 404;
  std::string code = std::string(to_string(GatewayCode::not_found));  ///< not_found, or invalid_path (400) for a target that tries to escape
  std::string detail;
};

class StaticRoot {
 public:
  /// The web root at `root` (must be a directory), refusing to serve anything inside the
  /// `forbidden` directories — and refusing a root that contains one of them or lies inside one.
  /// nullopt with `error` when the root cannot be used.
  static std::optional<StaticRoot> open(const std::filesystem::path& root,
                                        const std::vector<std::filesystem::path>& forbidden, std::string& error);

  /// The file a GET target ("/", "/app.js?v=2", …) names.
  StaticLookup find(std::string_view target) const;

  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;  // canonical
  std::vector<std::filesystem::path> forbidden_;  // canonical
};

/// The plain segments a GET target names under a web root ("/" and ".../" end in "index.html"),
/// or false with the 400 refusal in `refusal` — the same rules whether or not a root is configured.
bool static_path_segments(std::string_view target, std::vector<std::string>& segments, StaticLookup& refusal);

/// The Content-Type for a file name's extension.
std::string_view static_content_type(std::string_view path);

}  // namespace carebroker::gateway
