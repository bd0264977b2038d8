// Exponentially weighted mean (pandas' recursion, ignore_na = false) and Wilder's RSI. Each symbol carries
// its state along time; the loop over symbols is innermost and vectorises.
#include "common.hpp"

namespace {

using qp::kNaN;

// One bar of pandas' ewm mean for every symbol of the block: every bar decays the old weight; an
// observation joins with weight 1 (adjust) or alpha (recursive form, after which the old weight resets).
__attribute__((target_clones("avx512f", "avx2", "default")))
void ewm_step(const double* x, int64_t nb, double decay, double new_weight, bool adjust, double* value, double* old_weight,
              int32_t* observations) {
  QP_SIMD
  for (int64_t j = 0; j < nb; ++j) {
    const double v = x[j];
    const bool observed = qp::observed(v);
    const bool started = value[j] == value[j];
    const double ow = started ? old_weight[j] * decay : old_weight[j];
    const double blended = (ow * value[j] + new_weight * v) / (ow + new_weight);
    value[j] = started ? (observed ? blended : value[j]) : (observed ? v : value[j]);
    old_weight[j] = started ? (observed ? (adjust ? ow + new_weight : 1.0) : ow) : old_weight[j];
    observations[j] += observed ? 1 : 0;
  }
}

__attribute__((target_clones("avx512f", "avx2", "default")))
void widen(const float* in, double* out, int64_t nb) {
  QP_SIMD
  for (int64_t j = 0; j < nb; ++j) out[j] = in[j];
}

__attribute__((target_clones("avx512f", "avx2", "default")))
void changes(const float* now, const float* before, double* gains, double* losses, int64_t nb) {
  QP_SIMD
  for (int64_t j = 0; j < nb; ++j) {
    const double d = before == nullptr ? kNaN : static_cast<double>(now[j]) - before[j];
    const bool f = qp::observed(d);
    gains[j] = f ? (d > 0.0 ? d : 0.0) : kNaN;
    losses[j] = f ? (d < 0.0 ? -d : 0.0) : kNaN;
  }
}

}  // namespace

extern "C" qp_status qp_ewm_f32(const float* src, float* dst, int64_t t, int64_t n, double alpha, int32_t adjust, int32_t min_periods) {
  return qp::guarded([&]() -> qp_status {
    if (qp_status s = qp::check_panel(src, dst, t, n); s != QP_OK) return s;
    if (!(alpha > 0.0 && alpha <= 1.0)) return qp::fail(QP_INVALID_ARGUMENT, "alpha must be in (0, 1]");
    if (min_periods < 0) return qp::fail(QP_INVALID_ARGUMENT, "min_periods must be non-negative");
    const int32_t minp = std::max(min_periods, 1);
    const bool adj = adjust != 0;
    qp::for_symbol_blocks(t, n, [&](int64_t j0, int64_t nb) {
      const auto nbs = static_cast<size_t>(nb);
      std::vector<double> state(3 * nbs);
      std::vector<int32_t> observations(nbs);
      double* value = state.data();
      double* weight = value + nbs;
      double* x = weight + nbs;
      std::fill(value, value + nb, kNaN);
      std::fill(weight, weight + nb, 1.0);
      for (int64_t i = 0; i < t; ++i) {
        if (i + qp::kAhead < t) qp::prefetch_slice(src + (i + qp::kAhead) * n + j0, nb);
        widen(src + i * n + j0, x, nb);
        ewm_step(x, nb, 1.0 - alpha, adj ? 1.0 : alpha, adj, value, weight, observations.data());
        float* out = dst + i * n + j0;
        QP_SIMD
        for (int64_t j = 0; j < nb; ++j) out[j] = observations[j] >= minp ? static_cast<float>(value[j]) : qp::kNaNf;
      }
    });
    return QP_OK;
  });
}

// 100 − 100 / (1 + g/l) is written 100·g / (g + l): one division instead of two, the same value
// (100 when l = 0 < g, 0 when g = 0 < l, NaN when both are 0).
extern "C" qp_status qp_rsi_f32(const float* src, float* dst, int64_t t, int64_t n, int32_t period) {
  return qp::guarded([&]() -> qp_status {
    if (qp_status s = qp::check_panel(src, dst, t, n); s != QP_OK) return s;
    if (period < 1) return qp::fail(QP_INVALID_ARGUMENT, "period must be >= 1, got " + std::to_string(period));
    const double alpha = 1.0 / period;
    qp::for_symbol_blocks(t, n, [&](int64_t j0, int64_t nb) {
      const auto nbs = static_cast<size_t>(nb);
      std::vector<double> state(6 * nbs);
      std::vector<int32_t> observations(2 * nbs);
      double* gain = state.data();
      double* gain_weight = gain + nbs;
      double* loss = gain_weight + nbs;
      double* loss_weight = loss + nbs;
      double* up = loss_weight + nbs;
      double* down = up + nbs;
      std::fill(gain, gain + nb, kNaN);
      std::fill(loss, loss + nb, kNaN);
      std::fill(gain_weight, gain_weight + nb, 1.0);
      std::fill(loss_weight, loss_weight + nb, 1.0);
      for (int64_t i = 0; i < t; ++i) {
        if (i + qp::kAhead < t) qp::prefetch_slice(src + (i + qp::kAhead) * n + j0, nb);
        changes(src + i * n + j0, i > 0 ? src + (i - 1) * n + j0 : nullptr, up, down, nb);
        ewm_step(up, nb, 1.0 - alpha, alpha, false, gain, gain_weight, observations.data());
        ewm_step(down, nb, 1.0 - alpha, alpha, false, loss, loss_weight, observations.data() + nbs);
        float* out = dst + i * n + j0;
        QP_SIMD
        for (int64_t j = 0; j < nb; ++j)
          out[j] = observations[j] >= period ? static_cast<float>(100.0 * gain[j] / (gain[j] + loss[j])) : qp::kNaNf;
      }
    });
    return QP_OK;
  });
}
