// Cross-sectional kernels (one timestamp's row at a time, rows spread over threads) and fill-forward.
// Members of a row are the symbols whose mask byte is non-zero (every symbol when the mask is null)
// and whose value is finite; every other cell gets NaN.
#include <cstring>

#include "common.hpp"
#include "row_ranker.hpp"

namespace {

enum CrossOp { kRank, kZScore, kDemean, kWinsorize };

// Row scratch owned by one thread: the members' values and symbol indices.
struct RowScratch {
  std::vector<int32_t> index;
  std::vector<double> values;
  explicit RowScratch(int64_t n) : index(static_cast<size_t>(n)), values(static_cast<size_t>(n)) {}
};

double sorted_quantile(const double* sorted, int64_t count, double q) {
  const double pos = q * static_cast<double>(count - 1);
  const int64_t lo = static_cast<int64_t>(pos);
  const int64_t hi = std::min(lo + 1, count - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - static_cast<double>(lo));
}

// Z-score, demean and winsorise of one row (the rank is RowRanker's).
void cross_row(int32_t op, const float* in, const uint8_t* mask, float* out, int64_t n, double lower, double upper, int32_t ddof,
               RowScratch& s) {
  int64_t count = 0;
  double sum = 0.0;
  for (int64_t j = 0; j < n; ++j) {
    const float x = in[j];
    out[j] = qp::kNaNf;
    if ((mask == nullptr || mask[j] != 0) && std::isfinite(x)) {
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
    if (op == kRank) {
      // The percentile rank shared with the fused F8 kernel, in place on a copy of each row.
      qp::parallel_for(t, 1, t * n, [&](int64_t first, int64_t count) {
        qp::RowRanker ranker(n);
        for (int64_t i = first; i < first + count; ++i) {
          if (dst != src) std::memcpy(dst + i * n, src + i * n, static_cast<size_t>(n) * sizeof(float));
          ranker.rank(dst + i * n, mask == nullptr ? nullptr : mask + i * n, n);
        }
      });
      return QP_OK;
    }
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
