// Shared by the fused F8 kernel (intraday_f8.cpp) and its per-ISA row sweeps (intraday_f8_sweep_*.cpp).
#pragma once
#include <cstdint>

namespace qp::f8 {

// Symbols per block: the state below (23 float64 per symbol, 47 KB) and the extrema suffixes stay in L1/L2, and
// each row's slice is a 1 KB run per stream, long enough for the prefetchers. A multiple of 8 lanes.
constexpr int64_t kBlock = 256;

struct Moments {
  double shift[kBlock], s1[kBlock], s2[kBlock], count[kBlock], peak[kBlock];
};

struct alignas(64) BlockState {
  Moments close, ret, vol;
  double ewm_mean[kBlock], ewm_weight[kBlock];
  double gain[kBlock], loss[kBlock], rsi_weight[kBlock], rsi_count[kBlock];
  double prefix_max[kBlock], prefix_min[kBlock];
  // Per symbol: bit 0, 1, 2 = the close, return, volume moments need an exact recompute after this row.
  int64_t recompute[kBlock];
};

// One row of one block: pointers at the block's first symbol. Where a row has no such value (before the window
// fills, at row 0, without a previous segment) the pointer is at a row of NaN or -+inf, so every load of the lane
// loop is unconditional.
struct Row {
  const float* close;       // c[i]
  const float* close_old;   // c[i - window], or NaN
  const float* close_prev;  // c[i - 1], or NaN
  const float* volume;
  const float* volume_old;  // v[i - window], or NaN
  const float* ret_old;     // ret_1[i - window], or NaN
  const float* suffix_max;  // suffix extrema of the previous segment at this row's offset, or -inf
  const float* suffix_min;  // ... or +inf
  float* out[10];
  bool segment_start;
};

struct SweepConstants {
  double window, rsi_period, ewm_decay, rsi_decay, rsi_alpha;
};

// The nine time-series features of one row of a block (ret_1 and the window return already written); true when
// a lane needs an exact recompute. One build per instruction set, chosen at run time.
bool sweep_row_avx512(const Row& r, BlockState& s, int64_t nb, const SweepConstants& k);
bool sweep_row_avx2(const Row& r, BlockState& s, int64_t nb, const SweepConstants& k);
bool sweep_row_base(const Row& r, BlockState& s, int64_t nb, const SweepConstants& k);

}  // namespace qp::f8
