// Rolling window kernels along time over time-major [T, N] panels.
// Time is the outer loop and a block of contiguous symbols the inner one, so the compiler vectorises
// across symbols; target_clones builds AVX-512, AVX2 and baseline variants and the loader picks one for
// the running CPU. Semantics (shared with the other backends, see KernelSemantics):
//   - NaN and +-inf are missing: skipped, but they occupy their slot; an output is NaN unless the window holds
//     min_periods finite values;
//   - sum/mean/var/std/count join a fresh suffix sum of the previous block of `window` rows with a prefix sum
//     of the current one (no subtraction, so a huge value that leaves the window leaves no trace);
//   - min/max use van Herk/Gil-Werman (three comparisons per cell whatever the window);
//   - the other statistics are recomputed from their window (O(window) per output, vectorised across symbols).
#include <algorithm>

#include "common.hpp"

namespace {

using qp::kNaN;
using qp::kNaNf;

enum Op { kSum, kMean, kVar, kStd, kMin, kMax, kArgMin, kArgMax, kQuantile, kRank, kSkew, kKurt, kSlope, kRsquare, kResi, kWma, kCount };

struct Params {
  int64_t t, n;
  int32_t window, min_periods, ddof;
  double quantile;
};

// Sum, mean, var, std and count without subtracting anything: as for min/max (below), time is cut into
// blocks of `window` rows and the window ending at row i is the suffix of the previous block joined with
// the prefix of i's block, both summed afresh. A huge value that has left the window is in neither part, so
// it cannot poison later sums (a running add/remove sum would keep its rounding error). Values are summed
// around an origin k (a recent finite value of the symbol) so the squares do not cancel for large prices.
__attribute__((target_clones("avx512f", "avx2", "default")))
void moments_block(int32_t op, const float* __restrict src, float* __restrict dst, const Params& p, int64_t j0, int64_t nb,
                   double* __restrict k, double* __restrict suf1, double* __restrict suf2, int32_t* __restrict sufc,
                   double* __restrict pre1, double* __restrict pre2, int32_t* __restrict prec, double* __restrict tot1,
                   double* __restrict tot2, int32_t* __restrict totc, const double* __restrict zeros,
                   const int32_t* __restrict zero_counts, double* __restrict next_k, int32_t* __restrict next_found,
                   double* __restrict next_mid, double* __restrict next_last) {
  const int64_t n = p.n;
  const int32_t w = p.window;
  const int32_t minp = p.min_periods;
  for (int64_t b0 = 0; b0 < p.t; b0 += w) {
    const int64_t rows = std::min<int64_t>(w, p.t - b0);
    // Origin k: the median of the first finite value, the first finite value of the second half and the last
    // finite value of the previous block (recorded while its prefix sums ran); block 0 scans for its own. Any
    // origin is correct, but a far one (a 1e17 outlier) would cancel every later sum in the block: the median of
    // three cannot be a single outlier.
    if (b0 == 0) {
      QP_SIMD
      for (int64_t j = 0; j < nb; ++j) {
        next_k[j] = next_mid[j] = next_last[j] = 0.0;
        next_found[j] = 0;
      }
      for (int64_t r = 0; r < rows; ++r) {
        const float* in = src + r * n + j0;
        const bool second_half = r >= rows / 2;
        QP_SIMD
        for (int64_t j = 0; j < nb; ++j) {
          const float x = in[j];
          const bool f = qp::observed(x);
          next_k[j] = f & ((next_found[j] & 1) == 0) ? static_cast<double>(x) : next_k[j];
          next_mid[j] = f & second_half & ((next_found[j] & 2) == 0) ? static_cast<double>(x) : next_mid[j];
          next_last[j] = f ? static_cast<double>(x) : next_last[j];
          next_found[j] |= (f ? 1 : 0) | ((f & second_half) ? 2 : 0);
        }
      }
    }
    QP_SIMD
    for (int64_t j = 0; j < nb; ++j) {
      const double a = next_k[j];
      const double m = (next_found[j] & 2) != 0 ? next_mid[j] : a;
      const double c = next_last[j];
      const double lo = a < m ? a : m;
      const double hi = a < m ? m : a;
      const double med = hi < c ? hi : c;
      k[j] = next_found[j] != 0 ? (lo > med ? lo : med) : (b0 == 0 ? 0.0 : k[j]);
    }
    QP_SIMD
    for (int64_t j = 0; j < nb; ++j) {
      next_k[j] = next_mid[j] = next_last[j] = 0.0;
      next_found[j] = 0;
    }
    // Suffix sums of the previous block around this block's origin; row w is the empty suffix.
    if (b0 > 0) {
      QP_SIMD
      for (int64_t j = 0; j < nb; ++j) {
        suf1[w * nb + j] = 0.0;
        suf2[w * nb + j] = 0.0;
        sufc[w * nb + j] = 0;
      }
      for (int64_t r = w - 1; r >= 0; --r) {
        const float* in = src + (b0 - w + r) * n + j0;
        double* s1 = suf1 + r * nb;
        double* s2 = suf2 + r * nb;
        int32_t* sc = sufc + r * nb;
        const double* s1n = s1 + nb;
        const double* s2n = s2 + nb;
        const int32_t* scn = sc + nb;
        QP_SIMD
        for (int64_t j = 0; j < nb; ++j) {
          const float x = in[j];
          const bool f = qp::observed(x);
          const double d = f ? static_cast<double>(x) - k[j] : 0.0;
          s1[j] = s1n[j] + d;
          s2[j] = s2n[j] + d * d;
          sc[j] = scn[j] + (f ? 1 : 0);
        }
      }
    }
    QP_SIMD
    for (int64_t j = 0; j < nb; ++j) {
      pre1[j] = pre2[j] = 0.0;
      prec[j] = 0;
    }
    for (int64_t r = 0; r < rows; ++r) {
      const int64_t i = b0 + r;
      const bool second_half = r >= w / 2;
      const float* in = src + i * n + j0;
      float* out = dst + i * n + j0;
      // The window's older part: the previous block from row i - w + 1 on (none in block 0 or at r = w - 1).
      const int64_t tail = (b0 > 0 && r + 1 < w) ? (r + 1) * nb : w * nb;
      // With no older part, the empty suffix row (all zeros) stands in, so the loop has no branch.
      if (i + qp::kAhead < p.t) qp::prefetch_slice(src + (i + qp::kAhead) * n + j0, nb);
      const double* tail1 = (b0 > 0 ? suf1 : zeros) + (b0 > 0 ? tail : 0);
      const double* tail2 = (b0 > 0 ? suf2 : zeros) + (b0 > 0 ? tail : 0);
      const int32_t* tailc = (b0 > 0 ? sufc : zero_counts) + (b0 > 0 ? tail : 0);
      QP_SIMD
      for (int64_t j = 0; j < nb; ++j) {
        const float x = in[j];
        const bool f = qp::observed(x);
        const double d = f ? static_cast<double>(x) - k[j] : 0.0;
        next_k[j] = f & ((next_found[j] & 1) == 0) ? static_cast<double>(x) : next_k[j];
        next_mid[j] = f & second_half & ((next_found[j] & 2) == 0) ? static_cast<double>(x) : next_mid[j];
        next_last[j] = f ? static_cast<double>(x) : next_last[j];
        next_found[j] |= (f ? 1 : 0) | ((f & second_half) ? 2 : 0);
        pre1[j] += d;
        pre2[j] += d * d;
        prec[j] += f ? 1 : 0;
        tot1[j] = pre1[j] + tail1[j];
        tot2[j] = pre2[j] + tail2[j];
        totc[j] = prec[j] + tailc[j];
      }
      // One simple loop per op, so each vectorises on its own.
      switch (op) {
        case kCount:
          QP_SIMD
          for (int64_t j = 0; j < nb; ++j) out[j] = totc[j] >= minp ? static_cast<float>(totc[j]) : kNaNf;
          break;
        case kSum:
          QP_SIMD
          for (int64_t j = 0; j < nb; ++j) out[j] = totc[j] >= minp ? static_cast<float>(tot1[j] + k[j] * totc[j]) : kNaNf;
          break;
        case kMean:
          QP_SIMD
          for (int64_t j = 0; j < nb; ++j) {
            const int32_t c = totc[j];
            const double mean = k[j] + tot1[j] / (c > 0 ? c : 1);
            out[j] = (c >= minp) & (c > 0) ? static_cast<float>(mean) : kNaNf;
          }
          break;
        default:
          QP_SIMD
          for (int64_t j = 0; j < nb; ++j) {
            const int32_t c = totc[j];
            const double safe = c > 0 ? c : 1;
            const double ss = tot2[j] - tot1[j] * tot1[j] / safe;
            const double var = ss > 0.0 ? ss / (c > p.ddof ? c - p.ddof : 1) : 0.0;
            const double r1 = op == kVar ? var : std::sqrt(var);
            out[j] = (c >= minp) & (c > p.ddof) & (c > 0) ? static_cast<float>(r1) : kNaNf;
          }
          break;
      }
    }
  }
}

// van Herk/Gil-Werman: time is cut into blocks of `window` rows; the window ending at row i is the suffix
// of the previous block from row i − w + 1 (kept in `suffix`) joined with the prefix of i's block.
template <bool IsMax>
__attribute__((target_clones("avx512f", "avx2", "default")))
void extreme_block(const float* src, float* dst, const Params& p, int64_t j0, int64_t nb, float* suffix, float* next_suffix,
                   float* prefix, int32_t* count) {
  const int64_t n = p.n;
  const int32_t w = p.window;
  const float fill = IsMax ? -std::numeric_limits<float>::infinity() : std::numeric_limits<float>::infinity();
  auto pick = [](float a, float b) { return IsMax ? (a > b ? a : b) : (a < b ? a : b); };
  QP_SIMD
  for (int64_t j = 0; j < nb; ++j) count[j] = 0;
  for (int64_t b0 = 0; b0 < p.t; b0 += w) {
    const int64_t rows = std::min<int64_t>(w, p.t - b0);
    // Suffix extremes of this block, newest row first.
    for (int64_t r = rows - 1; r >= 0; --r) {
      if (r >= qp::kAhead) qp::prefetch_slice(src + (b0 + r - qp::kAhead) * n + j0, nb);
      const float* in = src + (b0 + r) * n + j0;
      float* s = next_suffix + r * nb;
      const float* below = next_suffix + (r + 1) * nb;
      QP_SIMD
      for (int64_t j = 0; j < nb; ++j) {
        const float x = qp::observed(in[j]) ? in[j] : fill;
        s[j] = r == rows - 1 ? x : pick(x, below[j]);
      }
    }
    for (int64_t r = 0; r < rows; ++r) {
      const int64_t i = b0 + r;
      const float* in = src + i * n + j0;
      const float* old = i >= w ? src + (i - w) * n + j0 : nullptr;
      float* out = dst + i * n + j0;
      const float* tail = suffix + (r + 1) * nb;
      const bool use_tail = b0 > 0 && r + 1 < w;
      QP_SIMD
      for (int64_t j = 0; j < nb; ++j) {
        const float x = qp::observed(in[j]) ? in[j] : fill;
        prefix[j] = r == 0 ? x : pick(x, prefix[j]);
        count[j] += qp::observed(in[j]) ? 1 : 0;
        if (old != nullptr) count[j] -= qp::observed(old[j]) ? 1 : 0;
        const float m = use_tail ? pick(prefix[j], tail[j]) : prefix[j];
        out[j] = (count[j] >= p.min_periods && count[j] > 0) ? m : kNaNf;
      }
    }
    std::swap(suffix, next_suffix);
  }
}

// Position (1-based from the oldest slot) of the first minimum or maximum in the window.
__attribute__((target_clones("avx512f", "avx2", "default")))
void arg_extreme_block(bool is_max, const float* src, float* dst, const Params& p, int64_t j0, int64_t nb, float* best,
                       int32_t* best_at, int32_t* count) {
  const int64_t n = p.n;
  for (int64_t i = 0; i < p.t; ++i) {
    const int64_t start = std::max<int64_t>(0, i - p.window + 1);
    QP_SIMD
    for (int64_t j = 0; j < nb; ++j) {
      best[j] = 0.0f;
      best_at[j] = -1;
      count[j] = 0;
    }
    for (int64_t q = start; q <= i; ++q) {
      const float* row = src + q * n + j0;
      const int32_t slot = static_cast<int32_t>(q - start + 1);
      QP_SIMD
      for (int64_t j = 0; j < nb; ++j) {
        const float x = row[j];
        const bool f = qp::observed(x);
        const bool better = f && (best_at[j] < 0 || (is_max ? x > best[j] : x < best[j]));
        best[j] = better ? x : best[j];
        best_at[j] = better ? slot : best_at[j];
        count[j] += f ? 1 : 0;
      }
    }
    float* out = dst + i * n + j0;
    QP_SIMD
    for (int64_t j = 0; j < nb; ++j)
      out[j] = (count[j] >= p.min_periods && count[j] > 0) ? static_cast<float>(best_at[j]) : kNaNf;
  }
}

// Percentile rank of the newest value among its window's finite values, average ties.
__attribute__((target_clones("avx512f", "avx2", "default")))
void rank_block(const float* src, float* dst, const Params& p, int64_t j0, int64_t nb, int32_t* less, int32_t* equal, int32_t* count) {
  const int64_t n = p.n;
  for (int64_t i = 0; i < p.t; ++i) {
    const int64_t start = std::max<int64_t>(0, i - p.window + 1);
    const float* newest = src + i * n + j0;
    QP_SIMD
    for (int64_t j = 0; j < nb; ++j) less[j] = equal[j] = count[j] = 0;
    for (int64_t q = start; q <= i; ++q) {
      const float* row = src + q * n + j0;
      QP_SIMD
      for (int64_t j = 0; j < nb; ++j) {
        const float x = row[j];
        const bool f = qp::observed(x);
        less[j] += f && x < newest[j] ? 1 : 0;
        equal[j] += f && x == newest[j] ? 1 : 0;
        count[j] += f ? 1 : 0;
      }
    }
    float* out = dst + i * n + j0;
    QP_SIMD
    for (int64_t j = 0; j < nb; ++j) {
      const bool ok = qp::observed(newest[j]) && count[j] >= p.min_periods && count[j] > 0;
      out[j] = ok ? static_cast<float>((less[j] + (equal[j] + 1) * 0.5) / count[j]) : kNaNf;
    }
  }
}

// Skew, kurtosis, weighted mean and the regression on time: two passes over each window (mean, then
// centred moments), which keeps them exact for constant windows and large offsets.
__attribute__((target_clones("avx512f", "avx2", "default")))
void window_block(int32_t op, const float* src, float* dst, const Params& p, int64_t j0, int64_t nb, double* a, double* b, double* c,
                  double* d, double* e, int32_t* count) {
  const int64_t n = p.n;
  for (int64_t i = 0; i < p.t; ++i) {
    const int64_t start = std::max<int64_t>(0, i - p.window + 1);
    QP_SIMD
    for (int64_t j = 0; j < nb; ++j) {
      a[j] = b[j] = c[j] = d[j] = e[j] = 0.0;
      count[j] = 0;
    }
    // Pass 1: count, sum of values (a), sum of slot positions (b), weighted sums for WMA (c, d). Positions count
    // from the oldest slot of a full window, so a short first window weighs its values as a full one would.
    const int64_t oldest = i - p.window + 1;
    for (int64_t q = start; q <= i; ++q) {
      const float* row = src + q * n + j0;
      const double pos = static_cast<double>(q - oldest);
      QP_SIMD
      for (int64_t j = 0; j < nb; ++j) {
        const float x = row[j];
        const bool f = qp::observed(x);
        count[j] += f ? 1 : 0;
        a[j] += f ? static_cast<double>(x) : 0.0;
        b[j] += f ? pos : 0.0;
        c[j] += f ? (pos + 1.0) * x : 0.0;
        d[j] += f ? pos + 1.0 : 0.0;
      }
    }
    float* out = dst + i * n + j0;
    if (op == kWma) {
      QP_SIMD
      for (int64_t j = 0; j < nb; ++j)
        out[j] = (count[j] >= p.min_periods && count[j] > 0) ? static_cast<float>(c[j] / d[j]) : kNaNf;
      continue;
    }
    QP_SIMD
    for (int64_t j = 0; j < nb; ++j) {
      const double cnt = count[j] > 0 ? count[j] : 1.0;
      a[j] /= cnt;  // mean of the values
      b[j] /= cnt;  // mean of the positions
      c[j] = d[j] = 0.0;
    }
    // Pass 2: centred sums. Moments: c = m2, d = m3, e = m4. Regression: c = sxx, d = sxy, e = syy.
    const bool moments = op == kSkew || op == kKurt;
    for (int64_t q = start; q <= i; ++q) {
      const float* row = src + q * n + j0;
      const double pos = static_cast<double>(q - oldest);
      QP_SIMD
      for (int64_t j = 0; j < nb; ++j) {
        const float x = row[j];
        const bool f = qp::observed(x);
        const double dy = f ? static_cast<double>(x) - a[j] : 0.0;
        const double dx = f ? pos - b[j] : 0.0;
        const double y2 = dy * dy;
        c[j] += moments ? y2 : dx * dx;
        d[j] += moments ? y2 * dy : dx * dy;
        e[j] += moments ? y2 * y2 : y2;
      }
    }
    const double newest_pos = static_cast<double>(i - oldest);
    const float* newest = src + i * n + j0;
    QP_SIMD
    for (int64_t j = 0; j < nb; ++j) {
      const int32_t cn = count[j];
      const double m = cn;
      double r = kNaN;
      if (cn >= p.min_periods && cn > 0) {
        if (moments) {
          const double var = c[j] / m;
          if (!(var <= 1e-14 * a[j] * a[j])) {
            if (op == kSkew && cn >= 3) {
              r = std::sqrt(m * (m - 1.0)) * (d[j] / m) / ((m - 2.0) * var * std::sqrt(var));
            } else if (op == kKurt && cn >= 4) {
              r = ((m * m - 1.0) * (e[j] / m) / (var * var) - 3.0 * (m - 1.0) * (m - 1.0)) / ((m - 2.0) * (m - 3.0));
            }
          }
        } else if (cn >= 2) {
          const double slope = d[j] / c[j];
          if (op == kSlope) {
            r = slope;
          } else if (op == kRsquare) {
            r = e[j] > 0.0 ? d[j] * d[j] / (c[j] * e[j]) : kNaN;
          } else {
            r = qp::observed(newest[j]) ? newest[j] - (a[j] + slope * (newest_pos - b[j])) : kNaN;
          }
        }
      }
      out[j] = static_cast<float>(r);
    }
  }
}

// Quantile with linear interpolation: per symbol, the window's finite values are gathered and the two
// order statistics around the interpolation point selected (nth_element, O(window) on average).
void quantile_block(const float* src, float* dst, const Params& p, int64_t j0, int64_t nb, std::vector<float>& buffer) {
  const int64_t n = p.n;
  buffer.resize(static_cast<size_t>(p.window));
  for (int64_t j = j0; j < j0 + nb; ++j) {
    for (int64_t i = 0; i < p.t; ++i) {
      const int64_t start = std::max<int64_t>(0, i - p.window + 1);
      int64_t c = 0;
      for (int64_t q = start; q <= i; ++q) {
        const float x = src[q * n + j];
        if (qp::observed(x)) buffer[static_cast<size_t>(c++)] = x;
      }
      float r = kNaNf;
      if (c >= p.min_periods && c > 0) {
        const double pos = p.quantile * static_cast<double>(c - 1);
        const int64_t lo = static_cast<int64_t>(pos);
        auto first = buffer.begin();
        std::nth_element(first, first + lo, first + c);
        const double vlo = buffer[static_cast<size_t>(lo)];
        double vhi = vlo;
        if (lo + 1 < c) vhi = *std::min_element(first + lo + 1, first + c);
        r = static_cast<float>(vlo + (vhi - vlo) * (pos - static_cast<double>(lo)));
      }
      dst[i * n + j] = r;
    }
  }
}

qp_status rolling(int32_t op, const float* src, float* dst, const Params& p) {
  qp::for_symbol_blocks(p.t, p.n, [&](int64_t j0, int64_t nb) {
    const auto nbs = static_cast<size_t>(nb);
    switch (op) {
      case kSum:
      case kMean:
      case kVar:
      case kStd:
      case kCount: {
        // Suffix sums take (window + 1) rows of scratch per symbol: cut wide blocks to keep that near 256 KiB (L2).
        const int64_t per_symbol = static_cast<int64_t>(p.window + 1) * 20;
        const int64_t width = std::max<int64_t>(16, std::min<int64_t>(nb, (int64_t{1} << 18) / per_symbol / 16 * 16));
        const auto ws = static_cast<size_t>(width);
        const auto rows = static_cast<size_t>(p.window + 1);
        std::vector<double> sums(2 * rows * ws + 9 * ws);
        std::vector<int32_t> counts(rows * ws + 4 * ws);
        for (int64_t c0 = j0; c0 < j0 + nb; c0 += width) {
          const int64_t cw = std::min(width, j0 + nb - c0);
          double* s = sums.data();
          double* more = s + ws + 2 * rows * ws;  // after k and the two suffix tables
          int32_t* ci = counts.data() + rows * ws;
          moments_block(op, src, dst, p, c0, cw, s, s + ws, s + ws + rows * ws, counts.data(), more, more + ws, ci, more + 2 * ws,
                        more + 3 * ws, ci + ws, more + 4 * ws, ci + 2 * ws, more + 5 * ws, ci + 3 * ws, more + 6 * ws, more + 7 * ws);
        }
        break;
      }
      case kMin:
      case kMax: {
        const auto w = static_cast<size_t>(p.window);
        std::vector<float> scratch((2 * w + 3) * nbs);
        std::vector<int32_t> count(nbs);
        float* s = scratch.data();
        if (op == kMax) {
          extreme_block<true>(src, dst, p, j0, nb, s, s + (w + 1) * nbs, s + (2 * w + 2) * nbs, count.data());
        } else {
          extreme_block<false>(src, dst, p, j0, nb, s, s + (w + 1) * nbs, s + (2 * w + 2) * nbs, count.data());
        }
        break;
      }
      case kArgMin:
      case kArgMax: {
        std::vector<float> best(nbs);
        std::vector<int32_t> ints(2 * nbs);
        arg_extreme_block(op == kArgMax, src, dst, p, j0, nb, best.data(), ints.data(), ints.data() + nbs);
        break;
      }
      case kRank: {
        std::vector<int32_t> ints(3 * nbs);
        rank_block(src, dst, p, j0, nb, ints.data(), ints.data() + nbs, ints.data() + 2 * nbs);
        break;
      }
      case kQuantile: {
        std::vector<float> buffer;
        quantile_block(src, dst, p, j0, nb, buffer);
        break;
      }
      default: {
        std::vector<double> sums(5 * nbs);
        std::vector<int32_t> count(nbs);
        double* s = sums.data();
        window_block(op, src, dst, p, j0, nb, s, s + nbs, s + 2 * nbs, s + 3 * nbs, s + 4 * nbs, count.data());
        break;
      }
    }
  });
  return QP_OK;
}

}  // namespace

extern "C" qp_status qp_rolling_f32(int32_t op, const float* src, float* dst, int64_t t, int64_t n, int32_t window,
                                    int32_t min_periods, int32_t ddof, double quantile) {
  return qp::guarded([&]() -> qp_status {
    if (qp_status s = qp::check_panel(src, dst, t, n); s != QP_OK) return s;
    if (qp_status s = qp::check_window(window, min_periods); s != QP_OK) return s;
    if (op < kSum || op > kCount) return qp::fail(QP_INVALID_ARGUMENT, "unknown rolling op " + std::to_string(op));
    if (ddof < 0) return qp::fail(QP_INVALID_ARGUMENT, "ddof must be non-negative, got " + std::to_string(ddof));
    if (!(quantile >= 0.0 && quantile <= 1.0)) return qp::fail(QP_INVALID_ARGUMENT, "quantile must be in [0, 1]");
    return rolling(op, src, dst, Params{t, n, window, min_periods, ddof, quantile});
  });
}

extern "C" qp_status qp_rolling_mean_f32(const float* src, float* dst, int64_t t, int64_t n, int32_t window, int32_t min_periods) {
  return qp_rolling_f32(kMean, src, dst, t, n, window, min_periods, 1, 0.5);
}
