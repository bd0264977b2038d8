// Shared by the fused F8 kernel (intraday_f8.cpp) and its per-ISA row sweeps (intraday_f8_sweep_*.cpp).
#pragma once
#include <cstdint>

namespace qp::f8 {

// Symbols per block: the state below (23 float64 per symbol, 94 KB), the extrema suffixes and the staging rows stay
// in L2, and each row's slice is a 2 KB run per stream, long enough for the prefetchers and with few partial lines
// at the block's edges. A multiple of 8 lanes.
constexpr int64_t kBlock = 512;

// Length of each state array: a line past the block, so the 23 arrays of one BlockState are not 4 KB apart (which
// would put a lane's 23 values in one L1 set and make every load look dependent on the stores before it).
constexpr int64_t kStride = kBlock + 8;

struct Moments {
  double shift[kStride], s1[kStride], s2[kStride], count[kStride], peak[kStride];
};

struct alignas(64) BlockState {
  Moments close, ret, vol;
  double ewm_mean[kStride], ewm_weight[kStride];
  double gain[kStride], loss[kStride], rsi_weight[kStride], rsi_count[kStride];
  double prefix_max[kStride], prefix_min[kStride];
  // Per symbol: bit 0, 1, 2 = the close, return, volume moments need an exact recompute after this row.
  int64_t recompute[kStride];
  // Per vector of symbols (at its first symbol): rows running, capped, in which close, volume and ret_1 were finite.
  int32_t streak[kStride];
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
  int32_t clean_after;
};

// The nine time-series features of one row of a block (ret_1 and the window return already written); true when
// a lane needs an exact recompute. One build per instruction set, chosen at run time.
bool sweep_row_avx512(const Row& r, BlockState& s, int64_t nb, const SweepConstants& k);
bool sweep_row_avx2(const Row& r, BlockState& s, int64_t nb, const SweepConstants& k);
bool sweep_row_base(const Row& r, BlockState& s, int64_t nb, const SweepConstants& k);

}  // namespace qp::f8
