// The cross-sectional percentile rank of one row, shared by the fused F8 kernel (intraday_f8.cpp) and the
// cross-sectional kernels (cross_sectional.cpp): the native twin of the managed RowSorter.Rank.
#pragma once
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "common.hpp"

namespace qp {

// Items (bucket above cell index) of cells 0..m-1, one build per instruction set (the loop vectorises).
void bucket_cells(const float* values, int64_t m, float lo, double scale, uint64_t* items);

// The first position p >= a with p + 1 < m whose item shares its bucket with the next one, or m - 1 if none.
using NextShared = int64_t (*)(const uint64_t*, int64_t, int64_t);
NextShared pick_next_shared();

// Percentile ranks (average ties, in (0, 1]) of one row's members with finite values, in place; NaN elsewhere.
// Values map to 20-bit buckets by linear interpolation between the row's minimum and maximum (a monotone map, so
// bucket order is value order and equal values share a bucket) and are sorted by bucket with two 10-bit LSD radix
// passes; the last pass writes every cell's rank from its sorted position, which is final for a value alone in its
// bucket. Distinct values rarely share one of the 1M buckets: a scan finds those runs, which are put in exact order
// (from a copy of the row, since the ranks overwrite it) and split into tie groups. The managed RowSorter.Rank twin.
class RowRanker {
 public:
  explicit RowRanker(int64_t n)
      : items_(static_cast<size_t>(n) + 1), swap_(static_cast<size_t>(n) + 1), values_(static_cast<size_t>(n)) {}

  void rank(float* row, const uint8_t* mask, int64_t n) {
    uint64_t* items = items_.data();
    float* values = values_.data();
    std::memcpy(values, row, static_cast<size_t>(n) * sizeof(float));
    int64_t m = 0;
    float lo = std::numeric_limits<float>::infinity(), hi = -std::numeric_limits<float>::infinity();
    const bool gathered = !(mask == nullptr && all_finite(values, n, lo, hi));
    if (!gathered) {
      // Every cell counts (the usual row): no gathering.
      m = n;
    } else {
      lo = std::numeric_limits<float>::infinity();
      hi = -std::numeric_limits<float>::infinity();
      for (int64_t j = 0; j < n; ++j) {
        const float x = values[j];
        if (x - x == 0.0f && (mask == nullptr || mask[j] != 0)) {
          items[m++] = static_cast<uint64_t>(j);
          lo = std::min(lo, x);
          hi = std::max(hi, x);
        } else {
          row[j] = kNaNf;
        }
      }
    }
    if (m == 0) return;
    const double half_over_count = 0.5 / static_cast<double>(m);
    if (lo == hi) {
      // One value, or all equal: a single tie group.
      const auto pct = static_cast<float>(static_cast<double>(1 + m) * half_over_count);
      for (int64_t a = 0; a < m; ++a) row[gathered ? items[a] : a] = pct;
      return;
    }
    uint32_t* low = histogram_;
    uint32_t* high = histogram_ + kDigits;
    std::memset(histogram_, 0, sizeof histogram_);
    const double scale = kRange / (static_cast<double>(hi) - lo);
    if (gathered) {
      for (int64_t a = 0; a < m; ++a) {
        const uint64_t j = items[a];
        items[a] = (static_cast<uint64_t>(static_cast<uint32_t>((static_cast<double>(values[j]) - lo) * scale)) << 32) | j;
      }
    } else {
      bucket_cells(values, m, lo, scale, items);
    }
    for (int64_t a = 0; a < m; ++a) {
      const auto bucket = static_cast<uint32_t>(items[a] >> 32);
      ++low[bucket & (kDigits - 1)];
      ++high[bucket >> kBits];
    }
    scatter(items, swap_.data(), m, low, 32);
    scatter_ranking(swap_.data(), items, m, high, 32 + kBits, row, half_over_count);

    static const NextShared next_shared = pick_next_shared();
    for (int64_t a = next_shared(items, 0, m); a + 1 < m; a = next_shared(items, a, m)) {
      const uint64_t bucket = items[a] >> 32;
      int64_t e = a + 2;
      while (e < m && items[e] >> 32 == bucket) ++e;
      // A shared bucket: order by value, then give each tie group [g, h) the average of ranks g + 1 .. h.
      auto value = [&](uint64_t item) { return values[static_cast<uint32_t>(item)]; };
      std::sort(items + a, items + e, [&](uint64_t p, uint64_t q) { return value(p) < value(q); });
      for (int64_t g = a; g < e;) {
        int64_t h = g + 1;
        while (h < e && value(items[h]) == value(items[g])) ++h;
        const auto pct = static_cast<float>(static_cast<double>(g + 1 + h) * half_over_count);
        for (int64_t k = g; k < h; ++k) row[static_cast<uint32_t>(items[k])] = pct;
        g = h;
      }
      a = e;
    }
  }

 private:
  static constexpr int kBits = 10;
  static constexpr uint32_t kDigits = 1u << kBits;
  static constexpr double kRange = (1 << (2 * kBits)) - 1;

  // Whether every cell is finite, with the row's minimum and maximum, in one branch-free pass.
  static bool all_finite(const float* row, int64_t n, float& lo, float& hi) {
    float l = std::numeric_limits<float>::infinity(), h = -std::numeric_limits<float>::infinity();
    float bad = 0.0f;
#pragma omp simd reduction(+ : bad) reduction(min : l) reduction(max : h)
    for (int64_t j = 0; j < n; ++j) {
      const float x = row[j];
      bad += x - x;  // 0 for finite x, NaN otherwise
      l = x < l ? x : l;
      h = x > h ? x : h;
    }
    lo = l;
    hi = h;
    return bad == 0.0f;
  }

  static void prefix(uint32_t* counts) {
    uint32_t total = 0;
    for (uint32_t b = 0; b < kDigits; ++b) {
      const uint32_t c = counts[b];
      counts[b] = total;
      total += c;
    }
  }

  static void scatter(const uint64_t* from, uint64_t* to, int64_t m, uint32_t* counts, int shift) {
    prefix(counts);
    for (int64_t a = 0; a < m; ++a) {
      const uint64_t item = from[a];
      to[counts[(item >> shift) & (kDigits - 1)]++] = item;
    }
  }

  // The last pass, also writing each cell's rank from its sorted position p: (2p + 2) * half_over_count.
  static void scatter_ranking(const uint64_t* from, uint64_t* to, int64_t m, uint32_t* counts, int shift, float* row,
                              double half_over_count) {
    prefix(counts);
    for (int64_t a = 0; a < m; ++a) {
      const uint64_t item = from[a];
      const uint32_t p = counts[(item >> shift) & (kDigits - 1)]++;
      to[p] = item;
      row[static_cast<uint32_t>(item)] = static_cast<float>(static_cast<double>(2 * p + 2) * half_over_count);
    }
  }

  std::vector<uint64_t> items_;
  std::vector<uint64_t> swap_;
  std::vector<float> values_;
  uint32_t histogram_[2 * kDigits];
};


}  // namespace qp
