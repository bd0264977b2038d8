// Shared helpers of the kernel families: NaN tests that survive vectorisation, argument checks that
// produce the messages the managed side shows, and a small fork-join over symbol blocks.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <mutex>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "status.hpp"

// Inner loops over the symbols of a block: asks the compiler to vectorise them (if-converting the NaN
// selects) without an OpenMP runtime; needs -fopenmp-simd, which CMakeLists.txt sets.
#define QP_SIMD _Pragma("omp simd")

namespace qp {

constexpr float kNaNf = std::numeric_limits<float>::quiet_NaN();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Most symbols one inner loop covers. Blocks are as wide as the thread split allows: each timestamp's
// slice is then one long contiguous run, which the prefetchers stream (narrow blocks jump a page per row).
constexpr int64_t kMaxBlock = 8192;

// Rows of a time-major panel are n floats apart, so a thread's slice of each row starts on a new page where
// the hardware prefetchers restart; streaming kernels fetch the slice a few rows ahead explicitly.
constexpr int64_t kAhead = 6;

inline void prefetch_slice(const float* slice, int64_t count) {
  for (int64_t j = 0; j < count; j += 16) __builtin_prefetch(slice + j);
}

inline bool is_nan(float x) { return x != x; }
inline bool is_nan(double x) { return x != x; }

// An observation for the rolling and exponential kernels: finite. NaN and +-inf are missing (KernelSemantics);
// x - x is 0 exactly for finite x and NaN otherwise, a test that vectorises like x == x.
inline bool observed(float x) { return x - x == 0.0f; }
inline bool observed(double x) { return x - x == 0.0; }

inline qp_status check_panel(const void* src, const void* dst, int64_t t, int64_t n) {
  if (t < 0 || n < 0) return fail(QP_INVALID_ARGUMENT, "t and n must be non-negative");
  if (t == 0 || n == 0) return QP_OK;  // nothing to touch: empty spans may come as null pointers
  if (src == nullptr || dst == nullptr) return fail(QP_INVALID_ARGUMENT, "src and dst must not be null");
  if (src == dst) return fail(QP_INVALID_ARGUMENT, "dst must not alias src");
  return QP_OK;
}

inline qp_status check_window(int32_t window, int32_t min_periods) {
  if (window < 1) return fail(QP_INVALID_ARGUMENT, "window must be >= 1, got " + std::to_string(window));
  if (min_periods < 0 || min_periods > window)
    return fail(QP_INVALID_ARGUMENT, "min_periods must be in [0, window], got " + std::to_string(min_periods));
  return QP_OK;
}

// Runs body(first, count) over [0, total) split into chunks of at least `grain`, on up to
// hardware_concurrency threads. Work too small to pay for a thread runs inline.
template <typename F>
void parallel_for(int64_t total, int64_t grain, int64_t work, F&& body) {
  const int64_t hw = std::max<int64_t>(1, static_cast<int64_t>(std::thread::hardware_concurrency()));
  int64_t threads = std::min<int64_t>(hw, (total + grain - 1) / std::max<int64_t>(grain, 1));
  if (work < (1 << 16)) threads = 1;
  if (threads <= 1) {
    if (total > 0) body(int64_t{0}, total);
    return;
  }
  // Chunks are whole multiples of the grain so symbol blocks never straddle two threads.
  const int64_t grains = (total + grain - 1) / grain;
  std::vector<std::thread> pool;
  pool.reserve(static_cast<size_t>(threads - 1));
  std::exception_ptr error;
  std::mutex error_lock;
  auto range = [&](int64_t k) {
    try {
      const int64_t g0 = grains * k / threads, g1 = grains * (k + 1) / threads;
      const int64_t first = g0 * grain, last = std::min(total, g1 * grain);
      if (last > first) body(first, last - first);
    } catch (...) {
      // An exception must not escape a std::thread (that terminates the process): hand it to the caller.
      std::lock_guard<std::mutex> hold(error_lock);
      if (!error) error = std::current_exception();
    }
  };
  for (int64_t k = 1; k < threads; ++k) pool.emplace_back(range, k);
  range(0);
  for (auto& th : pool) th.join();
  if (error) std::rethrow_exception(error);
}

// Runs body(j0, nb) over the symbols, one contiguous share (a multiple of 16 symbols, so shares start on
// cache-line boundaries) per thread, each cut into blocks of at most kMaxBlock symbols.
template <typename F>
void for_symbol_blocks(int64_t t, int64_t n, F&& body) {
  const int64_t hw = std::max<int64_t>(1, static_cast<int64_t>(std::thread::hardware_concurrency()));
  const int64_t share = std::max<int64_t>(16, ((n + hw - 1) / hw + 15) / 16 * 16);
  parallel_for(n, share, t * n, [&](int64_t first, int64_t count) {
    for (int64_t j0 = first; j0 < first + count; j0 += kMaxBlock) body(j0, std::min(kMaxBlock, first + count - j0));
  });
}

}  // namespace qp
