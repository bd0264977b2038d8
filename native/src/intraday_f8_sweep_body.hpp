#pragma once
// One row of the fused F8 sweep over a block of symbols, written once over a lane type: eight float64 lanes (GCC
// vector extensions, which the -m flags of the including file map to AVX-512, AVX2 or SSE2) and one lane for the
// block's remainder. It mirrors the managed IntradayF8Kernel operation for operation (including which selects,
// maxima and divisions it does), and the file is compiled with -ffp-contract=off, so both give the same bits.
#include <immintrin.h>

// Eight-lane vectors cross only inline helpers of this file, never an ABI boundary: the AVX2 and SSE2 builds'
// warning that such values would be passed differently without AVX-512 does not apply.
#pragma GCC diagnostic ignored "-Wpsabi"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "intraday_f8.hpp"

namespace qp::f8 {
namespace {

typedef double Vd __attribute__((vector_size(64)));
typedef float Vf __attribute__((vector_size(32)));
typedef int64_t Vm __attribute__((vector_size(64)));

// Eight lanes; comparisons give all-ones / zero masks.
struct Wide {
  using V = Vd;
  using M = Vm;
  static constexpr int64_t kLanes = 8;
  static V bc(double x) { return V{} + x; }
  static V widen(const float* p) {
    Vf f;
    std::memcpy(&f, p, sizeof f);
    return __builtin_convertvector(f, V);
  }
  static void narrow(float* p, V v) {
    const Vf f = __builtin_convertvector(v, Vf);
    std::memcpy(p, &f, sizeof f);
  }
  static V load(const double* p) {
    V v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
  static void store(double* p, V v) { std::memcpy(p, &v, sizeof v); }
  static void store_flags(int64_t* p, M m) { std::memcpy(p, &m, sizeof m); }
  static M nonzero(M m) { return m != M{}; }
  static M bit(M m, int64_t value) { return m & value; }
  static M all_true() { return M{} - 1; }
  // Whether every lane's mask is set.
  static bool all(M m) { return any(~m) == false; }
  // Rounds each lane to float32 and back, as a store of the float32 output and a reload would.
  static V round32(V v) { return __builtin_convertvector(__builtin_convertvector(v, Vf), V); }
  // Whether any lane's mask is set, without moving lanes to general registers one by one.
  static bool any(M m) {
#if defined(__AVX512F__)
    const auto bits = (__m512i)m;
    return _mm512_test_epi64_mask(bits, bits) != 0;
#else
    __m128i quarter[4];
    std::memcpy(quarter, &m, sizeof m);
    const __m128i all = _mm_or_si128(_mm_or_si128(quarter[0], quarter[1]), _mm_or_si128(quarter[2], quarter[3]));
    return _mm_movemask_epi8(all) != 0;
#endif
  }
  static V sqrt(V v) {
#if defined(__AVX512F__)
    return (V)_mm512_maskz_sqrt_pd(0xFF, (__m512d)v);
#elif defined(__AVX__)
    __m256d half[2];
    std::memcpy(half, &v, sizeof v);
    half[0] = _mm256_sqrt_pd(half[0]);
    half[1] = _mm256_sqrt_pd(half[1]);
    std::memcpy(&v, half, sizeof v);
    return v;
#else
    __m128d quarter[4];
    std::memcpy(quarter, &v, sizeof v);
    for (auto& q : quarter) q = _mm_sqrt_pd(q);
    std::memcpy(&v, quarter, sizeof v);
    return v;
#endif
  }
};

// One lane, for the remainder of a block that does not fill eight.
struct Narrow {
  using V = double;
  using M = bool;
  static constexpr int64_t kLanes = 1;
  static V bc(double x) { return x; }
  static V widen(const float* p) { return *p; }
  static void narrow(float* p, V v) { *p = static_cast<float>(v); }
  static V load(const double* p) { return *p; }
  static void store(double* p, V v) { *p = v; }
  static void store_flags(int64_t* p, int64_t flags) { *p = flags; }
  static M nonzero(int64_t flags) { return flags != 0; }
  static int64_t bit(M m, int64_t value) { return m ? value : 0; }
  static bool any(M m) { return m; }
  static M all_true() { return true; }
  static bool all(M m) { return m; }
  static V round32(V v) { return static_cast<float>(v); }
  static V sqrt(V v) { return std::sqrt(v); }
};

template <class L>
inline __attribute__((always_inline)) typename L::M is_finite(typename L::V x) {
  return x - x == L::bc(0.0);
}

// A mask that the clean variant of a row (every input finite, every window full, EWM and RSI started) knows to be
// all true: there the selects it feeds fold away and the sums see the same operations as in the general variant.
template <bool Clean, class L>
inline __attribute__((always_inline)) typename L::M known(typename L::M m) {
  if constexpr (Clean) {
    return L::all_true();
  } else {
    return m;
  }
}

// One step of a shifted running moment series (the managed kernel's Moments): returns the window count and gives
// x - shift, the window's sum of (x - shift) and k*M2 clamped at 0; `recompute` marks lanes whose cancellation
// check fired. Before the window fills y is NaN, and subtracting its zeros leaves the sums exactly as they are.
template <bool Clean, class L>
inline __attribute__((always_inline)) typename L::V moment_step(Moments& m, int64_t j, typename L::V x, typename L::V y,
                                                                typename L::V& deviation, typename L::V& sum,
                                                                typename L::V& scaled_m2, typename L::M& recompute) {
  using V = typename L::V;
  const V zero = L::bc(0.0), one = L::bc(1.0);
  const V c = L::load(m.shift + j);
  V a = L::load(m.s1 + j), b = L::load(m.s2 + j), k = L::load(m.count + j), p = L::load(m.peak + j);
  deviation = x - c;
  const auto fx = known<Clean, L>(is_finite<L>(x));
  const V dx = fx ? deviation : zero;
  const V dx2 = dx * dx;
  a = a + dx;
  b = b + dx2;
  k = k + (fx ? one : zero);
  p = p > dx2 ? p : dx2;
  const auto fy = known<Clean, L>(is_finite<L>(y));
  const V dy = fy ? y - c : zero;
  a = a - dy;
  b = b - dy * dy;
  k = k - (fy ? one : zero);
  const auto non_empty = known<Clean, L>(k > zero);
  a = non_empty ? a : zero;
  b = non_empty ? b : zero;
  p = non_empty ? p : zero;
  const V km2 = b * k - a * a;
  recompute = non_empty & ((p * k) * k > L::bc(65536.0) * km2);
  L::store(m.s1 + j, a);
  L::store(m.s2 + j, b);
  L::store(m.count + j, k);
  L::store(m.peak + j, p);
  sum = a;
  scaled_m2 = km2 > zero ? km2 : zero;
  return k;
}

template <bool Clean, class L>
inline __attribute__((always_inline)) bool lanes(const Row& r, BlockState& s, int64_t j, const SweepConstants& kc, typename L::V x,
                                                 typename L::V x_old, typename L::V x_prev, typename L::V ret, typename L::V v,
                                                 typename L::V v_old, typename L::V ret_old) {
  using V = typename L::V;
  const V zero = L::bc(0.0), one = L::bc(1.0), nan = L::bc(std::numeric_limits<double>::quiet_NaN());
  const V neg_inf = L::bc(-std::numeric_limits<double>::infinity()), pos_inf = L::bc(std::numeric_limits<double>::infinity());
  const V window = L::bc(kc.window);

  const auto fx = known<Clean, L>(is_finite<L>(x));

  // Close: moments, mean ratio and z-score. With u = k(x - mean) = k(x - shift) - sum: (mean - x)/x = -u/(kx) and
  // z = u sqrt((k - 1)/(k kM2)); one division serves the four ratios to x.
  V dc, s1c, m2c;
  typename L::M rec_c;
  const V kcl = moment_step<Clean, L>(s.close, j, x, x_old, dc, s1c, m2c, rec_c);
  const auto valid_c = known<Clean, L>(kcl >= window);
  const V u = kcl * dc - s1c;
  const V over_kx = one / (kcl * x);
  const V rc = kcl * over_kx;
  L::narrow(r.out[1] + j, valid_c ? zero - u * over_kx : nan);
  L::narrow(r.out[3] + j, valid_c ? u * L::sqrt((kcl - one) / (kcl * m2c)) : nan);

  // Extrema: prefix of this segment joined with the previous segment's suffix.
  V hmax = r.segment_start ? neg_inf : L::load(s.prefix_max + j);
  V hmin = r.segment_start ? pos_inf : L::load(s.prefix_min + j);
  const V xmax = fx ? x : neg_inf;
  const V xmin = fx ? x : pos_inf;
  hmax = hmax > xmax ? hmax : xmax;
  hmin = hmin < xmin ? hmin : xmin;
  L::store(s.prefix_max + j, hmax);
  L::store(s.prefix_min + j, hmin);
  const V smax = L::widen(r.suffix_max + j);
  const V smin = L::widen(r.suffix_min + j);
  hmax = hmax > smax ? hmax : smax;
  hmin = hmin < smin ? hmin : smin;
  L::narrow(r.out[5] + j, valid_c ? hmax * rc : nan);
  L::narrow(r.out[6] + j, valid_c ? hmin * rc : nan);

  // 1-bar return: moments (std) and pandas' EWM with adjust = true.
  V dr, s1r, m2r;
  typename L::M rec_r;
  const V kr = moment_step<Clean, L>(s.ret, j, ret, ret_old, dr, s1r, m2r, rec_r);
  L::narrow(r.out[2] + j, known<Clean, L>(kr >= window) ? L::sqrt(m2r / (kr * (kr - one))) : nan);

  V em = L::load(s.ewm_mean + j), ew = L::load(s.ewm_weight + j);
  const auto observed = known<Clean, L>(is_finite<L>(ret));
  const auto started = known<Clean, L>(is_finite<L>(em));
  ew = started ? ew * L::bc(kc.ewm_decay) : ew;
  const auto update = started & observed;
  const V weighted = (ew * em + ret) / (ew + one);
  // pandas skips the update when the mean already equals x, which keeps constant series exact.
  em = update ? (em != ret ? weighted : em) : em;
  ew = update ? ew + one : ew;
  em = started ? em : (observed ? ret : em);
  L::store(s.ewm_mean + j, em);
  L::store(s.ewm_weight + j, ew);
  L::narrow(r.out[4] + j, em);

  // Volume: z-score.
  V dv, s1v, m2v;
  typename L::M rec_v;
  const V kv = moment_step<Clean, L>(s.vol, j, v, v_old, dv, s1v, m2v, rec_v);
  const V uv = kv * dv - s1v;
  L::narrow(r.out[7] + j, known<Clean, L>(kv >= window) ? uv * L::sqrt((kv - one) / (kv * m2v)) : nan);

  // RSI: Wilder averages (alpha = 1/period, adjust = false) of the gains and losses of c[i] - c[i-1]. Both start at
  // the first finite change and see the same observations, so they share one old weight and count.
  const V delta = x - x_prev;
  const auto moved = known<Clean, L>(is_finite<L>(delta));
  const V neg = zero - delta;
  const V up = moved ? (delta > zero ? delta : zero) : nan;
  const V down = moved ? (neg > zero ? neg : zero) : nan;
  V g = L::load(s.gain + j), d = L::load(s.loss + j), w = L::load(s.rsi_weight + j), kg = L::load(s.rsi_count + j);
  const auto rsi_started = known<Clean, L>(is_finite<L>(g));
  w = rsi_started ? w * L::bc(kc.rsi_decay) : w;
  const auto rsi_update = rsi_started & moved;
  const V alpha = L::bc(kc.rsi_alpha);
  V gn = w * g + alpha * up;
  V ln = w * d + alpha * down;
  const V den = w + alpha;
  // Without a NaN gap old_wt + alpha = 1 up to rounding: skip the divisions unless a lane is off one.
  const V off = den - one;
  if (L::any(off * off > L::bc(1e-24))) {
    gn = gn / den;
    ln = ln / den;
  }
  g = rsi_update ? (g != up ? gn : g) : g;
  d = rsi_update ? (d != down ? ln : d) : d;
  w = rsi_update ? one : w;
  g = rsi_started ? g : (moved ? up : g);
  d = rsi_started ? d : (moved ? down : d);
  kg = kg + (moved ? one : zero);
  L::store(s.gain + j, g);
  L::store(s.loss + j, d);
  L::store(s.rsi_weight + j, w);
  L::store(s.rsi_count + j, kg);
  const V total = g + d;
  const V value = total > zero ? (L::bc(100.0) * g) / total : L::bc(50.0);
  L::narrow(r.out[9] + j, known<Clean, L>(kg >= L::bc(kc.rsi_period)) ? value : nan);

  const auto flags = L::bit(rec_c, 1) | L::bit(rec_r, 2) | L::bit(rec_v, 4);
  L::store_flags(s.recompute + j, flags);
  return L::any(L::nonzero(flags));
}

// One vector of symbols: the two returns (divided in float64 and rounded once, as the element-wise operator), then
// the clean variant when every input is finite, every window is full and EWM and RSI have started (the usual case:
// the same operations without the missing-value selects), else the general one. Both give the same bits.
template <class L>
inline __attribute__((always_inline)) bool lanes(const Row& r, BlockState& s, int64_t j, const SweepConstants& kc) {
  using V = typename L::V;
  const V one = L::bc(1.0);
  const V x = L::widen(r.close + j);
  const V x_old = L::widen(r.close_old + j);
  const V x_prev = L::widen(r.close_prev + j);
  const V ret1 = x / x_prev - one;
  L::narrow(r.out[0] + j, ret1);
  L::narrow(r.out[8] + j, x / x_old - one);
  const V ret = L::round32(ret1);
  const V v = L::widen(r.volume + j);
  const V v_old = L::widen(r.volume_old + j);
  const V ret_old = L::widen(r.ret_old + j);
  // Clean once close, volume and the 1-bar return have been finite in every lane for clean_after (window + 1) rows
  // running: the values leaving the windows are among them, the windows are full and both averages have started.
  int32_t& streak = s.streak[j];
  streak = L::all(is_finite<L>(x + v + ret)) ? std::min(streak + 1, kc.clean_after) : 0;
  if (streak == kc.clean_after) return lanes<true, L>(r, s, j, kc, x, x_old, x_prev, ret, v, v_old, ret_old);
  return lanes<false, L>(r, s, j, kc, x, x_old, x_prev, ret, v, v_old, ret_old);
}

}  // namespace

bool QP_F8_SWEEP_ROW(const Row& r, BlockState& s, int64_t nb, const SweepConstants& k) {
  bool any = false;
  int64_t j = 0;
  for (; j + Wide::kLanes <= nb; j += Wide::kLanes) any |= lanes<Wide>(r, s, j, k);
  for (; j < nb; ++j) any |= lanes<Narrow>(r, s, j, k);
  return any;
}

}  // namespace qp::f8
