// A log-linear latency histogram (HdrHistogram-style: 32 sub-buckets per power of two, so
// about 3% precision) for the load tools: record nanoseconds, read percentiles. Not thread-safe.
#pragma once

#include <array>
#include <bit>
#include <cstdint>

namespace carebroker::sim {

class LatencyHistogram {
 public:
  void record(std::uint64_t ns) {
    ++counts_[index(ns)];
    ++total_;
    if (ns > max_) max_ = ns;
  }
  std::uint64_t count() const { return total_; }
  std::uint64_t max() const { return max_; }
  /// The value at percentile p (0..100), as the upper edge of its bucket.
  std::uint64_t percentile(double p) const {
    if (total_ == 0) return 0;
    const auto wanted = static_cast<std::uint64_t>(p / 100.0 * static_cast<double>(total_) + 0.5);
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < counts_.size(); ++i) {
      seen += counts_[i];
      if (seen >= wanted && seen > 0) return std::min(upper(i), max_);
    }
    return max_;
  }

 private:
  static constexpr int kSubBits = 5;  // 32 sub-buckets
  static std::size_t index(std::uint64_t v) {
    if (v < (1u << kSubBits)) return static_cast<std::size_t>(v);
    const int msb = static_cast<int>(std::bit_width(v)) - 1;
    const int shift = msb - kSubBits;
    return static_cast<std::size_t>(((shift + 1) << kSubBits) + ((v >> shift) & ((1u << kSubBits) - 1)));
  }
  static std::uint64_t upper(std::size_t i) {
    if (i < (1u << kSubBits)) return i;
    const int shift = static_cast<int>(i >> kSubBits) - 1;
    const std::uint64_t sub = i & ((1u << kSubBits) - 1);
    return (((1ull << kSubBits) | sub) + 1) << shift;
  }
  std::array<std::uint64_t, 64 * 32> counts_{};
  std::uint64_t total_ = 0;
  std::uint64_t max_ = 0;
};

}  // namespace carebroker::sim
