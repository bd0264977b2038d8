// Helpers of RowRanker (row_ranker.hpp) built per instruction set.
#include "row_ranker.hpp"

#include <immintrin.h>

#include <algorithm>

namespace qp {

// Items (bucket above cell index) of cells 0..m-1, one build per instruction set (the loop vectorises).
__attribute__((target_clones("avx512f", "avx2", "default")))
void bucket_cells(const float* values, int64_t m, float lo, double scale, uint64_t* items) {
  for (int64_t a = 0; a < m; ++a)
    items[a] = (static_cast<uint64_t>(static_cast<int32_t>((static_cast<double>(values[a]) - lo) * scale)) << 32) | static_cast<uint64_t>(a);
}

namespace {

int64_t next_shared_scalar(const uint64_t* items, int64_t a, int64_t m) {
  for (; a + 1 < m; ++a)
    if (items[a] >> 32 == items[a + 1] >> 32) return a;
  return std::max<int64_t>(a, m - 1);
}

__attribute__((target("avx512f"))) int64_t next_shared_avx512(const uint64_t* items, int64_t a, int64_t m) {
  for (; a + 8 < m; a += 8) {
    // The buckets are the high (odd) 32-bit halves of the items.
    const __mmask16 shared = _mm512_mask_cmpeq_epi32_mask(0xAAAA, _mm512_loadu_si512(items + a), _mm512_loadu_si512(items + a + 1));
    if (shared != 0) return a + __builtin_ctz(shared) / 2;
  }
  return next_shared_scalar(items, a, m);
}

}  // namespace

NextShared pick_next_shared() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") ? next_shared_avx512 : next_shared_scalar;
}

}  // namespace qp
