// Rolling window kernels along time over time-major [T, N] panels.
// The inner loop runs across symbols (contiguous), so the compiler vectorises it; target_clones
// builds AVX-512, AVX2 and baseline variants and the loader picks one for the running CPU.
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "status.hpp"

namespace {

__attribute__((target_clones("avx512f", "avx2", "default")))
void rolling_mean_rows(const float* src, float* dst, int64_t t, int64_t n, int32_t window,
                       int32_t min_periods, double* sum, int32_t* count) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (int64_t j = 0; j < n; ++j) {
    sum[j] = 0.0;
    count[j] = 0;
  }
  for (int64_t i = 0; i < t; ++i) {
    const float* in = src + i * n;
    const float* out_of_window = i >= window ? src + (i - window) * n : nullptr;
    float* out = dst + i * n;
    for (int64_t j = 0; j < n; ++j) {
      const float x = in[j];
      const bool finite = x == x;
      sum[j] += finite ? static_cast<double>(x) : 0.0;
      count[j] += finite ? 1 : 0;
    }
    if (out_of_window != nullptr) {
      for (int64_t j = 0; j < n; ++j) {
        const float x = out_of_window[j];
        const bool finite = x == x;
        sum[j] -= finite ? static_cast<double>(x) : 0.0;
        count[j] -= finite ? 1 : 0;
      }
    }
    for (int64_t j = 0; j < n; ++j) {
      const int32_t c = count[j];
      out[j] = (c >= min_periods && c > 0) ? static_cast<float>(sum[j] / c) : nan;
    }
  }
}

}  // namespace

extern "C" qp_status qp_rolling_mean_f32(const float* src, float* dst, int64_t t, int64_t n,
                                         int32_t window, int32_t min_periods) {
  return qp::guarded([&]() -> qp_status {
    if (src == nullptr || dst == nullptr) return qp::fail(QP_INVALID_ARGUMENT, "src and dst must not be null");
    if (t < 0 || n < 0) return qp::fail(QP_INVALID_ARGUMENT, "t and n must be non-negative");
    if (window < 1) return qp::fail(QP_INVALID_ARGUMENT, "window must be >= 1, got " + std::to_string(window));
    if (min_periods < 0 || min_periods > window)
      return qp::fail(QP_INVALID_ARGUMENT, "min_periods must be in [0, window], got " + std::to_string(min_periods));
    if (src == dst) return qp::fail(QP_INVALID_ARGUMENT, "dst must not alias src");
    std::vector<double> sum(static_cast<size_t>(n));
    std::vector<int32_t> count(static_cast<size_t>(n));
    rolling_mean_rows(src, dst, t, n, window, min_periods, sum.data(), count.data());
    return QP_OK;
  });
}
