// Rolling covariance and correlation of two series over pairwise-complete observations (both finite),
// two passes per window (means, then centred products), vectorised across symbols.
#include "common.hpp"

namespace {

using qp::kNaN;

enum PairOp { kCov, kCorr };

__attribute__((target_clones("avx512f", "avx2", "default")))
void pair_block(int32_t op, const float* a, const float* b, float* dst, int64_t t, int64_t n, int32_t window, int32_t min_periods,
                int32_t ddof, int64_t j0, int64_t nb, double* ma, double* mb, double* saa, double* sbb, double* sab, int32_t* count) {
  for (int64_t i = 0; i < t; ++i) {
    const int64_t start = std::max<int64_t>(0, i - window + 1);
    QP_SIMD
    for (int64_t j = 0; j < nb; ++j) {
      ma[j] = mb[j] = saa[j] = sbb[j] = sab[j] = 0.0;
      count[j] = 0;
    }
    for (int64_t q = start; q <= i; ++q) {
      const float* ra = a + q * n + j0;
      const float* rb = b + q * n + j0;
      QP_SIMD
      for (int64_t j = 0; j < nb; ++j) {
        const bool f = qp::observed(ra[j]) && qp::observed(rb[j]);
        count[j] += f ? 1 : 0;
        ma[j] += f ? static_cast<double>(ra[j]) : 0.0;
        mb[j] += f ? static_cast<double>(rb[j]) : 0.0;
      }
    }
    QP_SIMD
    for (int64_t j = 0; j < nb; ++j) {
      const double c = count[j] > 0 ? count[j] : 1.0;
      ma[j] /= c;
      mb[j] /= c;
    }
    for (int64_t q = start; q <= i; ++q) {
      const float* ra = a + q * n + j0;
      const float* rb = b + q * n + j0;
      QP_SIMD
      for (int64_t j = 0; j < nb; ++j) {
        const bool f = qp::observed(ra[j]) && qp::observed(rb[j]);
        const double da = f ? static_cast<double>(ra[j]) - ma[j] : 0.0;
        const double db = f ? static_cast<double>(rb[j]) - mb[j] : 0.0;
        saa[j] += da * da;
        sbb[j] += db * db;
        sab[j] += da * db;
      }
    }
    float* out = dst + i * n + j0;
    QP_SIMD
    for (int64_t j = 0; j < nb; ++j) {
      const int32_t c = count[j];
      double r = kNaN;
      if (c >= min_periods && c > 0) {
        if (op == kCov) {
          r = c > ddof ? sab[j] / (c - ddof) : kNaN;
        } else {
          r = (c >= 2 && saa[j] > 0.0 && sbb[j] > 0.0) ? sab[j] / std::sqrt(saa[j] * sbb[j]) : kNaN;
        }
      }
      out[j] = static_cast<float>(r);
    }
  }
}

}  // namespace

extern "C" qp_status qp_rolling_pair_f32(int32_t op, const float* a, const float* b, float* dst, int64_t t, int64_t n, int32_t window,
                                         int32_t min_periods, int32_t ddof) {
  return qp::guarded([&]() -> qp_status {
    if (qp_status s = qp::check_panel(a, dst, t, n); s != QP_OK) return s;
    if (t * n > 0 && (b == nullptr || b == dst)) return qp::fail(QP_INVALID_ARGUMENT, "b must be non-null and must not alias dst");
    if (qp_status s = qp::check_window(window, min_periods); s != QP_OK) return s;
    if (op != kCov && op != kCorr) return qp::fail(QP_INVALID_ARGUMENT, "unknown rolling pair op " + std::to_string(op));
    if (ddof < 0) return qp::fail(QP_INVALID_ARGUMENT, "ddof must be non-negative, got " + std::to_string(ddof));
    qp::for_symbol_blocks(t, n, [&](int64_t j0, int64_t nb) {
      const auto nbs = static_cast<size_t>(nb);
      std::vector<double> sums(5 * nbs);
      std::vector<int32_t> count(nbs);
      double* s = sums.data();
      pair_block(op, a, b, dst, t, n, window, min_periods, ddof, j0, nb, s, s + nbs, s + 2 * nbs, s + 3 * nbs, s + 4 * nbs, count.data());
    });
    return QP_OK;
  });
}
