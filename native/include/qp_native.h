/* QuantPipeline native kernels: flat C ABI.
 *
 * Panels are time-major float32 matrices [T, N]: the N symbols of one timestamp are contiguous.
 * Every function returns a qp_status; on failure qp_last_error() returns a message for this thread.
 * No C++ exception ever crosses this boundary.
 */
#ifndef QP_NATIVE_H
#define QP_NATIVE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define QP_API __attribute__((visibility("default")))

typedef int32_t qp_status;
enum {
  QP_OK = 0,
  QP_INVALID_ARGUMENT = 1,
  QP_INTERNAL_ERROR = 2
};

/* Thread-local message for the last failing call on this thread ("" when none). */
QP_API const char* qp_last_error(void);

/* ABI version of this library; the managed side refuses to run against another. */
QP_API int32_t qp_abi_version(void);

/* Operation codes follow the C# enums of QuantPipeline.Core.Compute (UnaryOp, BinaryOp, RollingOp,
 * RollingPairOp, CrossSectionalOp) in declaration order. Buffers of one call never alias each other.
 * Semantics shared by every backend: NaN and +-inf are missing in rolling, exponential and cross-sectional kernels
 * (skipped, but they occupy their window slot); an output is NaN unless
 * its window holds at least min_periods finite values; accumulation is in float64. */

/* Element-wise over `length` cells; NaN in any operand gives NaN. */
QP_API qp_status qp_unary_f32(int32_t op, const float* x, float* dst, int64_t length);
QP_API qp_status qp_binary_f32(int32_t op, const float* a, const float* b, float* dst, int64_t length);
/* dst = (cond is not NaN and != 0) ? a : b. */
QP_API qp_status qp_where_f32(const float* cond, const float* a, const float* b, float* dst, int64_t length);

/* Along time over `periods` bars (negative = lead): kind 0 shift (x[i-p]), 1 diff (x[i] - x[i-p]),
 * 2 simple return (x[i]/x[i-p] - 1), 3 log return (ln(x[i]/x[i-p])); NaN where i - p is outside [0, t). */
QP_API qp_status qp_shifted_f32(int32_t kind, const float* src, float* dst, int64_t t, int64_t n, int32_t periods);

/* Rolling statistic `op` over `window` bars; ddof for var/std, quantile in [0, 1] for the quantile op. */
QP_API qp_status qp_rolling_f32(int32_t op, const float* src, float* dst, int64_t t, int64_t n, int32_t window,
                                int32_t min_periods, int32_t ddof, double quantile);

/* Rolling covariance (op 0, with ddof) or correlation (op 1) over pairwise-complete observations. */
QP_API qp_status qp_rolling_pair_f32(int32_t op, const float* a, const float* b, float* dst, int64_t t, int64_t n,
                                     int32_t window, int32_t min_periods, int32_t ddof);

/* pandas ewm().mean() with ignore_na = false: adjust != 0 for the weighted form, 0 for the recursive one;
 * output NaN until max(min_periods, 1) observations have been seen. */
QP_API qp_status qp_ewm_f32(const float* src, float* dst, int64_t t, int64_t n, double alpha, int32_t adjust,
                            int32_t min_periods);

/* RSI = 100 - 100 / (1 + avg gain / avg loss), Wilder averages (alpha = 1/period, recursive) of the 1-bar change. */
QP_API qp_status qp_rsi_f32(const float* src, float* dst, int64_t t, int64_t n, int32_t period);

/* Per row over members (mask byte != 0, or every symbol when mask is NULL) with finite values:
 * op 0 percentile rank (average ties, in (0, 1]), 1 z-score (ddof), 2 demean, 3 winsorise at the row's
 * lower/upper quantiles (linear interpolation). Other cells get NaN. */
QP_API qp_status qp_cross_sectional_f32(int32_t op, const float* src, const uint8_t* mask, float* dst, int64_t t,
                                        int64_t n, double lower, double upper, int32_t ddof);

/* Carries the last non-NaN value forward along time for at most `limit` bars (0 = no limit). */
QP_API qp_status qp_fill_forward_f32(const float* src, float* dst, int64_t t, int64_t n, int32_t limit);

/* The F8 intraday feature set (benchmark W1) fused: one sweep along time per block of symbols, threaded, then the
 * cross-sectional percentile rank of the window return. outputs: 10 distinct [T, N] buffers in the order
 * ret_1, mean(c)/c - 1, std(ret_1), z(c), ewm(ret_1) (adjust, alpha = ewm_alpha), max(c)/c, min(c)/c, z(v),
 * rank of c/c[-window] - 1 over members (mask byte != 0, or every symbol when mask is NULL), RSI(rsi_period).
 * Rolling items use min_periods = window and ddof 1; NaN and +-inf are missing. Same values as the managed
 * fused kernel (QuantPipeline.Core IntradayF8.ComputeFused) bit for bit. streaming != 0 writes every whole cache
 * line of the outputs with non-temporal stores (for outputs far larger than the caches); the values are the same. */
QP_API qp_status qp_intraday_f8_f32(const float* close, const float* volume, const uint8_t* mask, float* const* outputs, int64_t t,
                                    int64_t n, int32_t window, int32_t rsi_period, double ewm_alpha, int32_t streaming);

/* Rolling mean along time for every symbol (qp_rolling_f32 with the mean op).
 * src, dst: [T, N] time-major; dst may not alias src.
 * NaN is skipped but occupies its window slot; an output is NaN unless the window holds
 * at least min_periods finite values. Accumulation is in float64. */
QP_API qp_status qp_rolling_mean_f32(const float* src, float* dst, int64_t t, int64_t n,
                                     int32_t window, int32_t min_periods);

#ifdef __cplusplus
}
#endif

#endif
