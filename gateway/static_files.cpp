// Static files: target → file inside the web root, or a refusal (static_files.h).
#include "gateway/static_files.h"

#include <algorithm>

#include "gateway/percent_decode.h"

namespace carebroker::gateway {
namespace fs = std::filesystem;

namespace {

/// A segment that names a file or directory plainly.
bool plain_segment(std::string_view s) {
  if (s.empty() || s.front() == '.') return false;  // "", ".", "..", ".git", ".env"
  return std::none_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7F || c == '\\' || c == ':';
  });
}

/// `inner` is `outer` or lies inside it (both canonical).
bool within(const fs::path& inner, const fs::path& outer) {
  auto i = inner.begin();
  for (auto o = outer.begin(); o != outer.end(); ++o, ++i)
    if (i == inner.end() || *i != *o) return false;
  return true;
}

StaticLookup refuse(std::string detail) { return StaticLookup{std::nullopt, http_status(GatewayCode::invalid_path), std::string(to_string(GatewayCode::invalid_path)), std::move(detail)}; }

}  // namespace

std::string_view static_content_type(std::string_view path) {
  const auto dot = path.rfind('.');
  const std::string_view ext = dot == std::string_view::npos ? "" : path.substr(dot);
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".map") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt" || ext == ".fbs" || ext == ".md") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

std::optional<StaticRoot> StaticRoot::open(const fs::path& root, const std::vector<fs::path>& forbidden,
                                           std::string& error) {
  std::error_code ec;
  StaticRoot r;
  r.root_ = fs::canonical(root, ec);
  if (ec || !fs::is_directory(r.root_, ec)) {
    error = "the web root " + root.string() + " is not a directory";
    return std::nullopt;
  }
  for (const auto& f : forbidden) {
    const fs::path canonical = fs::weakly_canonical(fs::absolute(f, ec), ec);
    if (ec) continue;
    if (within(canonical, r.root_) || within(r.root_, canonical)) {
      error = "the web root " + r.root_.string() + " and the data directory " + canonical.string() +
              " must not contain each other";
      return std::nullopt;
    }
    r.forbidden_.push_back(canonical);
  }
  return r;
}

bool static_path_segments(std::string_view target, std::vector<std::string>& segments, StaticLookup& refusal) {
  segments.clear();
  const std::string_view raw = target.substr(0, target.find_first_of("?#"));
  if (raw.empty() || raw.front() != '/') {
    refusal = refuse("the path must start with '/'");
    return false;
  }
  std::string path;
  if (!percent_decode(raw, false, path)) {
    refusal = refuse("a broken %-escape in the path");
    return false;
  }
  if (path.back() == '/') path += "index.html";
  std::size_t start = 1;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    const std::string_view segment = std::string_view(path).substr(start, end - start);
    if (!plain_segment(segment)) {
      refusal = refuse("the path may hold only plain names (no '..', '.', '//', '\\\\' or control characters)");
      return false;
    }
    segments.emplace_back(segment);
    start = end + 1;
  }
  return true;
}

StaticLookup StaticRoot::find(std::string_view target) const {
  std::vector<std::string> segments;
  StaticLookup refusal;
  if (!static_path_segments(target, segments, refusal)) return refusal;
  fs::path file = root_;
  for (const std::string& segment : segments) file /= segment;
  std::error_code ec;
  const fs::path real = fs::canonical(file, ec);  // every symlink resolved
  if (ec) return {};
  if (!within(real, root_) || real == root_) return {};
  for (const auto& f : forbidden_)
    if (within(real, f)) return {};
  const fs::file_status status = fs::status(real, ec);
  if (ec || !fs::is_regular_file(status)) return {};
  const std::uintmax_t size = fs::file_size(real, ec);
  if (ec || size > kMaxStaticFileBytes) return {};
  return StaticLookup{StaticFile{real, size, std::string(static_content_type(real.string()))}, 200, "", ""};
}

}  // namespace carebroker::gateway
