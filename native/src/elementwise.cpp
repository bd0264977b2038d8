// Element-wise kernels (any length) and shifts along time. Arithmetic runs in float64 and rounds once,
// matching the other backends; NaN in any operand gives NaN (comparisons and logic included).
#include "common.hpp"

namespace {


enum Unary { kNeg, kAbs, kLog, kExp, kSqrt, kSign, kNot };
enum Binary { kAdd, kSub, kMul, kDiv, kPow, kMax, kMin, kGt, kLt, kGe, kLe, kEq, kNe, kAnd, kOr };

__attribute__((target_clones("avx512f", "avx2", "default")))
void unary_simple(int32_t op, const float* x, float* dst, int64_t len) {
  switch (op) {
    case kNeg:
      QP_SIMD
      for (int64_t k = 0; k < len; ++k) dst[k] = -x[k];
      break;
    case kAbs:
      QP_SIMD
      for (int64_t k = 0; k < len; ++k) dst[k] = std::fabs(x[k]);
      break;
    case kSqrt:
      QP_SIMD
      for (int64_t k = 0; k < len; ++k) dst[k] = static_cast<float>(std::sqrt(static_cast<double>(x[k])));
      break;
    case kSign:
      QP_SIMD
      for (int64_t k = 0; k < len; ++k) {
        const float v = x[k];
        dst[k] = v != v ? v : (v > 0.0f ? 1.0f : (v < 0.0f ? -1.0f : 0.0f));
      }
      break;
    default:  // kNot
      QP_SIMD
      for (int64_t k = 0; k < len; ++k) {
        const float v = x[k];
        dst[k] = v != v ? v : (v == 0.0f ? 1.0f : 0.0f);
      }
      break;
  }
}

__attribute__((target_clones("avx512f", "avx2", "default")))
void binary_kernel(int32_t op, const float* a, const float* b, float* dst, int64_t len) {
  switch (op) {
    case kAdd:
      QP_SIMD
      for (int64_t k = 0; k < len; ++k) dst[k] = static_cast<float>(static_cast<double>(a[k]) + b[k]);
      break;
    case kSub:
      QP_SIMD
      for (int64_t k = 0; k < len; ++k) dst[k] = static_cast<float>(static_cast<double>(a[k]) - b[k]);
      break;
    case kMul:
      QP_SIMD
      for (int64_t k = 0; k < len; ++k) dst[k] = static_cast<float>(static_cast<double>(a[k]) * b[k]);
      break;
    case kDiv:
      QP_SIMD
      for (int64_t k = 0; k < len; ++k) dst[k] = static_cast<float>(static_cast<double>(a[k]) / b[k]);
      break;
    case kPow:
      QP_SIMD
      for (int64_t k = 0; k < len; ++k) {
        const float x = a[k], y = b[k];
        dst[k] = (x != x || y != y) ? qp::kNaNf : static_cast<float>(std::pow(static_cast<double>(x), static_cast<double>(y)));
      }
      break;
    case kMax:
    case kMin:
      QP_SIMD
      for (int64_t k = 0; k < len; ++k) {
        const float x = a[k], y = b[k];
        const float pick = (op == kMax) == (x > y) ? x : y;
        dst[k] = (x != x || y != y) ? qp::kNaNf : pick;
      }
      break;
    default:
      QP_SIMD
      for (int64_t k = 0; k < len; ++k) {
        const float x = a[k], y = b[k];
        bool r;
        switch (op) {
          case kGt: r = x > y; break;
          case kLt: r = x < y; break;
          case kGe: r = x >= y; break;
          case kLe: r = x <= y; break;
          case kEq: r = x == y; break;
          case kNe: r = x != y; break;
          case kAnd: r = x != 0.0f && y != 0.0f; break;
          default: r = x != 0.0f || y != 0.0f; break;
        }
        dst[k] = (x != x || y != y) ? qp::kNaNf : (r ? 1.0f : 0.0f);
      }
      break;
  }
}

__attribute__((target_clones("avx512f", "avx2", "default")))
void where_kernel(const float* cond, const float* a, const float* b, float* dst, int64_t len) {
  QP_SIMD
  for (int64_t k = 0; k < len; ++k) {
    const float c = cond[k];
    dst[k] = (c == c && c != 0.0f) ? a[k] : b[k];
  }
}

// kind: 0 shift, 1 diff, 2 simple return, 3 log return; one row of n symbols against the row p bars back.
__attribute__((target_clones("avx512f", "avx2", "default")))
void shifted_row(int32_t kind, const float* now, const float* before, float* out, int64_t n) {
  switch (kind) {
    case 0:
      QP_SIMD
      for (int64_t j = 0; j < n; ++j) out[j] = before[j];
      break;
    case 1:
      QP_SIMD
      for (int64_t j = 0; j < n; ++j) out[j] = static_cast<float>(static_cast<double>(now[j]) - before[j]);
      break;
    case 2:
      QP_SIMD
      for (int64_t j = 0; j < n; ++j) out[j] = static_cast<float>(static_cast<double>(now[j]) / before[j] - 1.0);
      break;
    default:
      QP_SIMD
      for (int64_t j = 0; j < n; ++j) out[j] = static_cast<float>(std::log(static_cast<double>(now[j]) / before[j]));
      break;
  }
}

}  // namespace

extern "C" qp_status qp_unary_f32(int32_t op, const float* x, float* dst, int64_t length) {
  return qp::guarded([&]() -> qp_status {
    if (length == 0) return QP_OK;
    if (x == nullptr || dst == nullptr || length < 0) return qp::fail(QP_INVALID_ARGUMENT, "x and dst must be non-null with a non-negative length");
    if (op < kNeg || op > kNot) return qp::fail(QP_INVALID_ARGUMENT, "unknown unary op " + std::to_string(op));
    qp::parallel_for(length, 1 << 14, length, [&](int64_t first, int64_t count) {
      if (op == kLog || op == kExp) {
        for (int64_t k = first; k < first + count; ++k) {
          const double v = x[k];
          dst[k] = static_cast<float>(op == kLog ? std::log(v) : std::exp(v));
        }
      } else {
        unary_simple(op, x + first, dst + first, count);
      }
    });
    return QP_OK;
  });
}

extern "C" qp_status qp_binary_f32(int32_t op, const float* a, const float* b, float* dst, int64_t length) {
  return qp::guarded([&]() -> qp_status {
    if (length == 0) return QP_OK;
    if (a == nullptr || b == nullptr || dst == nullptr || length < 0)
      return qp::fail(QP_INVALID_ARGUMENT, "a, b and dst must be non-null with a non-negative length");
    if (op < kAdd || op > kOr) return qp::fail(QP_INVALID_ARGUMENT, "unknown binary op " + std::to_string(op));
    qp::parallel_for(length, 1 << 14, length, [&](int64_t first, int64_t count) {
      binary_kernel(op, a + first, b + first, dst + first, count);
    });
    return QP_OK;
  });
}

extern "C" qp_status qp_where_f32(const float* cond, const float* a, const float* b, float* dst, int64_t length) {
  return qp::guarded([&]() -> qp_status {
    if (length == 0) return QP_OK;
    if (cond == nullptr || a == nullptr || b == nullptr || dst == nullptr || length < 0)
      return qp::fail(QP_INVALID_ARGUMENT, "cond, a, b and dst must be non-null with a non-negative length");
    qp::parallel_for(length, 1 << 14, length, [&](int64_t first, int64_t count) {
      where_kernel(cond + first, a + first, b + first, dst + first, count);
    });
    return QP_OK;
  });
}

extern "C" qp_status qp_shifted_f32(int32_t kind, const float* src, float* dst, int64_t t, int64_t n, int32_t periods) {
  return qp::guarded([&]() -> qp_status {
    if (qp_status s = qp::check_panel(src, dst, t, n); s != QP_OK) return s;
    if (kind < 0 || kind > 3) return qp::fail(QP_INVALID_ARGUMENT, "unknown shift kind " + std::to_string(kind));
    qp::parallel_for(t, 16, t * n, [&](int64_t first, int64_t count) {
      for (int64_t i = first; i < first + count; ++i) {
        const int64_t from = i - periods;
        float* out = dst + i * n;
        if (from < 0 || from >= t) {
          std::fill(out, out + n, qp::kNaNf);
        } else {
          shifted_row(kind, src + i * n, src + from * n, out, n);
        }
      }
    });
    return QP_OK;
  });
}
