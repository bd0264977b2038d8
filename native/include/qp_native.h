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

/* Rolling mean along time for every symbol.
 * src, dst: [T, N] time-major; dst may not alias src.
 * NaN is skipped but occupies its window slot; an output is NaN unless the window holds
 * at least min_periods finite values. Accumulation is in float64. */
QP_API qp_status qp_rolling_mean_f32(const float* src, float* dst, int64_t t, int64_t n,
                                     int32_t window, int32_t min_periods);

#ifdef __cplusplus
}
#endif

#endif
