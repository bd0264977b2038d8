// Cross-sectional kernels (one timestamp's row at a time, rows spread over threads) and fill-forward.
// Members of a row are the symbols whose mask byte is non-zero (every symbol when the mask is null)
// and whose value is finite; every other cell gets NaN.
#include <cstring>

#include "common.hpp"

namespace {

enum CrossOp { kRank, kZScore, kDemean, kWinsorize };

// Maps a float to an unsigned key with the same order (negative values flipped), for radix sorting.
inline uint32_t order_key(float x) {
  uint32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return (bits & 0x80000000u) ? ~bits : (bits | 0x80000000u);
}

// Row scratch owned by one thread: keys and symbol indices, sorted by key with three 11-bit radix passes.
struct RowScratch {
  std::vector<uint32_t> keys, keys2;
  std::vector<int32_t> index, index2;
  std::vector<double> values;
  explicit RowScratch(int64_t n)
      : keys(static_cast<size_t>(n)), keys2(static_cast<size_t>(n)), index(static_cast<size_t>(n)), index2(static_cast<size_t>(n)),
        values(static_cast<size_t>(n)) {}

  void sort(int64_t count) {
    uint32_t* k = keys.data();
    uint32_t* k2 = keys2.data();
    int32_t* ix = index.data();
    int32_t* ix2 = index2.data();
    // All three digit histograms in one read of the keys, then one scatter per digit.
    static thread_local uint32_t buckets[3][2048];
    std::memset(buckets, 0, sizeof buckets);
    for (int64_t a = 0; a < count; ++a) {
      const uint32_t key = k[a];
      ++buckets[0][key & 2047u];
      ++buckets[1][(key >> 11) & 2047u];
      ++buckets[2][key >> 22];
    }
    for (auto& digit : buckets) {
      uint32_t sum = 0;
      for (uint32_t& b : digit) {
        const uint32_t c = b;
        b = sum;
        sum += c;
      }
    }
    for (int pass = 0; pass < 3; ++pass) {
      const int shift = 11 * pass;
      uint32_t* offsets = buckets[pass];
      for (int64_t a = 0; a < count; ++a) {
        const uint32_t slot = offsets[(k[a] >> shift) & 2047u]++;
        k2[slot] = k[a];
        ix2[slot] = ix[a];
      }
      std::swap(k, k2);
      std::swap(ix, ix2);
    }
    // Three passes leave the result in the second buffers: swap the vectors so keys/index hold it.
    keys.swap(keys2);
    index.swap(index2);
  }
};

double sorted_quantile(const double* sorted, int64_t count, double q) {
  const double pos = q * static_cast<double>(count - 1);
  const int64_t lo = static_cast<int64_t>(pos);
  const int64_t hi = std::min(lo + 1, count - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - static_cast<double>(lo));
}

void cross_row(int32_t op, const float* in, const uint8_t* mask, float* out, int64_t n, double lower, double upper, int32_t ddof,
               RowScratch& s) {
  int64_t count = 0;
  double sum = 0.0;
  for (int64_t j = 0; j < n; ++j) {
    const float x = in[j];
    out[j] = qp::kNaNf;
    if ((mask == nullptr || mask[j] != 0) && std::isfinite(x)) {
      // -0 and +0 are equal values: one key, so they tie.
      s.keys[static_cast<size_t>(count)] = order_key(x == 0.0f ? 0.0f : x);
      s.index[static_cast<size_t>(count)] = static_cast<int32_t>(j);
      s.values[static_cast<size_t>(count)] = x;
      sum += x;
      ++count;
    }
  }
  if (count == 0) return;

  if (op == kZScore || op == kDemean) {
    const double mean = sum / static_cast<double>(count);
    double scale = 1.0;
    if (op == kZScore) {
      double ss = 0.0;
      for (int64_t a = 0; a < count; ++a) ss += (s.values[static_cast<size_t>(a)] - mean) * (s.values[static_cast<size_t>(a)] - mean);
      scale = (count > ddof && ss > 0.0) ? std::sqrt(ss / static_cast<double>(count - ddof)) : qp::kNaN;
    }
    for (int64_t a = 0; a < count; ++a)
      out[s.index[static_cast<size_t>(a)]] = static_cast<float>((s.values[static_cast<size_t>(a)] - mean) / scale);
    return;
  }

  if (op == kWinsorize) {
    std::vector<double>& v = s.values;
    std::sort(v.begin(), v.begin() + count);
    const double lo = sorted_quantile(v.data(), count, lower);
    const double hi = sorted_quantile(v.data(), count, upper);
    for (int64_t a = 0; a < count; ++a) {
      const int32_t j = s.index[static_cast<size_t>(a)];
      out[j] = static_cast<float>(std::clamp(static_cast<double>(in[j]), lo, hi));
    }
    return;
  }

  s.sort(count);
  int64_t start = 0;
  while (start < count) {
    int64_t end = start;
    while (end + 1 < count && s.keys[static_cast<size_t>(end + 1)] == s.keys[static_cast<size_t>(start)]) ++end;
    const auto rank = static_cast<float>((static_cast<double>(start + end) * 0.5 + 1.0) / static_cast<double>(count));
    for (int64_t a = start; a <= end; ++a) out[s.index[static_cast<size_t>(a)]] = rank;
    start = end + 1;
  }
}

__attribute__((target_clones("avx512f", "avx2", "default")))
void fill_forward_block(const float* src, float* dst, int64_t t, int64_t n, int32_t limit, int64_t j0, int64_t nb, float* last, int32_t* age) {
  QP_SIMD
  for (int64_t j = 0; j < nb; ++j) {
    last[j] = qp::kNaNf;
    age[j] = 0;
  }
  for (int64_t i = 0; i < t; ++i) {
    const float* in = src + i * n + j0;
    float* out = dst + i * n + j0;
    QP_SIMD
    for (int64_t j = 0; j < nb; ++j) {
      const float x = in[j];
      const bool f = x == x;
      last[j] = f ? x : last[j];
      age[j] = f ? 0 : age[j] + 1;
      out[j] = (limit == 0 || age[j] <= limit) ? last[j] : qp::kNaNf;
    }
  }
}

}  // namespace

extern "C" qp_status qp_cross_sectional_f32(int32_t op, const float* src, const uint8_t* mask, float* dst, int64_t t, int64_t n,
                                            double lower, double upper, int32_t ddof) {
  return qp::guarded([&]() -> qp_status {
    if (qp_status s = qp::check_panel(src, dst, t, n); s != QP_OK) return s;
    if (op < kRank || op > kWinsorize) return qp::fail(QP_INVALID_ARGUMENT, "unknown cross-sectional op " + std::to_string(op));
    if (!(lower >= 0.0 && lower <= upper && upper <= 1.0))
      return qp::fail(QP_INVALID_ARGUMENT, "winsorising quantiles must satisfy 0 <= lower <= upper <= 1");
    if (ddof < 0) return qp::fail(QP_INVALID_ARGUMENT, "ddof must be non-negative");
    if (n > INT32_MAX) return qp::fail(QP_INVALID_ARGUMENT, "at most 2^31 - 1 symbols per row");
    qp::parallel_for(t, 1, t * n, [&](int64_t first, int64_t count) {
      RowScratch scratch(n);
      for (int64_t i = first; i < first + count; ++i)
        cross_row(op, src + i * n, mask == nullptr ? nullptr : mask + i * n, dst + i * n, n, lower, upper, ddof, scratch);
    });
    return QP_OK;
  });
}

extern "C" qp_status qp_fill_forward_f32(const float* src, float* dst, int64_t t, int64_t n, int32_t limit) {
  return qp::guarded([&]() -> qp_status {
    if (qp_status s = qp::check_panel(src, dst, t, n); s != QP_OK) return s;
    if (limit < 0) return qp::fail(QP_INVALID_ARGUMENT, "limit must be non-negative (0 = no limit)");
    qp::for_symbol_blocks(t, n, [&](int64_t j0, int64_t nb) {
      std::vector<float> last(static_cast<size_t>(nb));
      std::vector<int32_t> age(static_cast<size_t>(nb));
      fill_forward_block(src, dst, t, n, limit, j0, nb, last.data(), age.data());
    });
    return QP_OK;
  });
}
