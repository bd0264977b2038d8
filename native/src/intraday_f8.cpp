// The F8 intraday feature set (benchmark W1) in one sweep along time per block of symbols, then an in-place
// cross-sectional rank of the window return. It is the native twin of the managed IntradayF8Kernel: the same
// float64 state per symbol (shifted running moments with the recompute trigger, van Herk/Gil-Werman extrema,
// pandas' adjusted EWM, Wilder's averages), the same operations in the same order, and no contraction into fused
// multiply-adds (CMakeLists.txt compiles this file with -ffp-contract=off), so both backends give the same bits.
// Output slots: 0 ret_1, 1 mean(c)/c - 1, 2 std(ret_1), 3 z(c), 4 EWM(ret_1), 5 max(c)/c, 6 min(c)/c, 7 z(v),
// 8 percentile rank of the window return, 9 RSI. Missing values are NaN and +-inf, as in KernelSemantics.
#include <atomic>
#include <cstring>
#include <memory>

#include "common.hpp"

namespace {

using qp::kNaN;
using qp::kNaNf;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kRecomputeRatio = 65536.0;
constexpr double kNearOne = 1e-24;

// Symbols per block: the state below (23 float64 per symbol, 47 KB) and the extrema suffixes stay in L1/L2, and
// each row's slice is a 1 KB run per stream, long enough for the prefetchers.
constexpr int64_t kBlock = 256;

struct Moments {
  double shift[kBlock], s1[kBlock], s2[kBlock], count[kBlock], peak[kBlock];
};

struct BlockState {
  Moments close, ret, vol;
  double ewm_mean[kBlock], ewm_weight[kBlock];
  double gain[kBlock], loss[kBlock], rsi_weight[kBlock], rsi_count[kBlock];
  double prefix_max[kBlock], prefix_min[kBlock];
  int32_t recompute[kBlock];
};

struct F8Args {
  const float* close;
  const float* volume;
  const uint8_t* mask;
  float* const* out;
  int64_t t, n;
  int32_t window, rsi_period;
  double ewm_alpha;
};

// One row of one block: pointers already at the block's first symbol.
struct Row {
  const float* close;      // c[i]
  const float* close_old;  // c[i - window] (null before row window)
  const float* close_prev; // c[i - 1] (null at row 0)
  const float* volume;
  const float* volume_old;
  const float* ret_old;    // ret_1[i - window]
  const float* suffix_max; // suffix extrema of the previous segment at this row's offset (null: none)
  const float* suffix_min;
  float* out[10];
  bool leaving, segment_start;
};

inline bool finite(double x) { return x - x == 0.0; }

// One step of a shifted running moment series, as the managed kernel's Moments(): returns the window count and
// gives x - shift, the window's sum of (x - shift) and k*M2 (clamped at 0); `recompute` is set when cancellation
// may have cost precision.
inline __attribute__((always_inline)) double moment_step(Moments& m, int64_t j, double x, double y, bool leaving, double& deviation,
                                                        double& sum, double& scaled_m2, bool& recompute) {
  const double c = m.shift[j];
  double a = m.s1[j], b = m.s2[j], k = m.count[j], p = m.peak[j];
  deviation = x - c;
  const bool fx = finite(x);
  const double dx = fx ? deviation : 0.0;
  const double dx2 = dx * dx;
  a = a + dx;
  b = b + dx2;
  k = k + (fx ? 1.0 : 0.0);
  p = p > dx2 ? p : dx2;
  if (leaving) {
    const bool fy = finite(y);
    const double dy = fy ? y - c : 0.0;
    a = a - dy;
    b = b - dy * dy;
    k = k - (fy ? 1.0 : 0.0);
  }
  const bool non_empty = k > 0.0;
  a = non_empty ? a : 0.0;
  b = non_empty ? b : 0.0;
  p = non_empty ? p : 0.0;
  const double km2 = b * k - a * a;
  recompute = non_empty && (p * k) * k > kRecomputeRatio * km2;
  m.s1[j] = a;
  m.s2[j] = b;
  m.count[j] = k;
  m.peak[j] = p;
  sum = a;
  scaled_m2 = km2 > 0.0 ? km2 : 0.0;
  return k;
}

// sqrt((k - 1) / (k * kM2)): z = u * this for u = k * (x - mean) (ddof 1).
inline double scaled_inverse_std(double k, double scaled_m2) { return std::sqrt((k - 1.0) / (k * scaled_m2)); }

inline double sample_std(double k, double scaled_m2) { return std::sqrt(scaled_m2 / (k * (k - 1.0))); }

__attribute__((target_clones("avx512f", "avx2", "default")))
void returns_row(const float* now, const float* then, float* dst, int64_t nb) {
  if (then == nullptr) {
    for (int64_t j = 0; j < nb; ++j) dst[j] = kNaNf;
    return;
  }
  QP_SIMD
  for (int64_t j = 0; j < nb; ++j) dst[j] = static_cast<float>(static_cast<double>(now[j]) / then[j] - 1.0);
}

// Suffix max and min of close over the `window` rows before `row` (missing = -+inf), newest last.
__attribute__((target_clones("avx512f", "avx2", "default")))
void suffixes(const float* row, int64_t n, int32_t window, int64_t nb, float* suffix_max, float* suffix_min) {
  for (int32_t q = window - 1; q >= 0; --q) {
    const float* in = row + static_cast<int64_t>(q - window) * n;
    float* smax = suffix_max + q * nb;
    float* smin = suffix_min + q * nb;
    const float* below_max = suffix_max + (q + 1) * nb;
    const float* below_min = suffix_min + (q + 1) * nb;
    const bool last = q == window - 1;
    QP_SIMD
    for (int64_t j = 0; j < nb; ++j) {
      const double x = in[j];
      const bool fx = finite(x);
      const double g0 = last ? -kInf : static_cast<double>(below_max[j]);
      const double h0 = last ? kInf : static_cast<double>(below_min[j]);
      const double sx = fx ? x : -kInf;
      const double sn = fx ? x : kInf;
      smax[j] = static_cast<float>(g0 > sx ? g0 : sx);
      smin[j] = static_cast<float>(h0 < sn ? h0 : sn);
    }
  }
}

// The nine time-series features of one row of a block; returns whether any lane needs an exact recompute.
__attribute__((target_clones("avx512f", "avx2", "default")))
bool sweep_row(const Row& r, BlockState& s, int64_t nb, double window, double rsi_period, double ewm_decay, double rsi_decay,
               double rsi_alpha) {
  const bool leaving = r.leaving;
  const bool segment_start = r.segment_start;
  const bool combine = r.suffix_max != nullptr;
  float* __restrict ret1 = r.out[0];
  float* __restrict ma_ratio = r.out[1];
  float* __restrict vol = r.out[2];
  float* __restrict z_close = r.out[3];
  float* __restrict ewma = r.out[4];
  float* __restrict max_ratio = r.out[5];
  float* __restrict min_ratio = r.out[6];
  float* __restrict z_volume = r.out[7];
  float* __restrict rsi = r.out[9];
  int32_t any = 0;
#pragma omp simd reduction(| : any)
  for (int64_t j = 0; j < nb; ++j) {
    const double x = r.close[j];
    const bool fx = finite(x);

    // Close: moments, mean ratio and z-score. With u = k(x - mean) = k(x - shift) - sum: (mean - x)/x = -u/(kx)
    // and z = u * sqrt((k - 1)/(k kM2)); one division serves the four ratios to x.
    const double y = leaving ? static_cast<double>(r.close_old[j]) : kNaN;
    double dc, s1c, m2c;
    bool rec_c;
    const double kc = moment_step(s.close, j, x, y, leaving, dc, s1c, m2c, rec_c);
    const bool valid_c = kc >= window;
    const double u = kc * dc - s1c;
    const double over_kx = 1.0 / (kc * x);
    const double rc = kc * over_kx;
    ma_ratio[j] = static_cast<float>(valid_c ? 0.0 - u * over_kx : kNaN);
    z_close[j] = static_cast<float>(valid_c ? u * scaled_inverse_std(kc, m2c) : kNaN);

    // Extrema: prefix of this segment joined with the previous segment's suffix.
    double hmax = segment_start ? -kInf : s.prefix_max[j];
    double hmin = segment_start ? kInf : s.prefix_min[j];
    const double xmax = fx ? x : -kInf;
    const double xmin = fx ? x : kInf;
    hmax = hmax > xmax ? hmax : xmax;
    hmin = hmin < xmin ? hmin : xmin;
    s.prefix_max[j] = hmax;
    s.prefix_min[j] = hmin;
    if (combine) {
      const double smax = r.suffix_max[j];
      const double smin = r.suffix_min[j];
      hmax = hmax > smax ? hmax : smax;
      hmin = hmin < smin ? hmin : smin;
    }
    max_ratio[j] = static_cast<float>(valid_c ? hmax * rc : kNaN);
    min_ratio[j] = static_cast<float>(valid_c ? hmin * rc : kNaN);

    // 1-bar return: moments (std) and pandas' EWM with adjust = true.
    const double ret = ret1[j];
    const double ret_y = leaving ? static_cast<double>(r.ret_old[j]) : kNaN;
    double dr, s1r, m2r;
    bool rec_r;
    const double kr = moment_step(s.ret, j, ret, ret_y, leaving, dr, s1r, m2r, rec_r);
    vol[j] = static_cast<float>(kr >= window ? sample_std(kr, m2r) : kNaN);

    double em = s.ewm_mean[j], ew = s.ewm_weight[j];
    const bool observed = finite(ret);
    const bool started = finite(em);
    ew = started ? ew * ewm_decay : ew;
    const bool update = started && observed;
    const double weighted = (ew * em + ret) / (ew + 1.0);
    // pandas skips the update when the mean already equals x, which keeps constant series exact.
    em = update ? (em != ret ? weighted : em) : em;
    ew = update ? ew + 1.0 : ew;
    em = started ? em : (observed ? ret : em);
    s.ewm_mean[j] = em;
    s.ewm_weight[j] = ew;
    ewma[j] = static_cast<float>(em);

    // Volume: z-score.
    const double v = r.volume[j];
    const double vy = leaving ? static_cast<double>(r.volume_old[j]) : kNaN;
    double dv, s1v, m2v;
    bool rec_v;
    const double kv = moment_step(s.vol, j, v, vy, leaving, dv, s1v, m2v, rec_v);
    const double uv = kv * dv - s1v;
    z_volume[j] = static_cast<float>(kv >= window ? uv * scaled_inverse_std(kv, m2v) : kNaN);

    // RSI: Wilder averages (alpha = 1/period, adjust = false) of the gains and losses of c[i] - c[i-1]. Both
    // start at the first finite change and see the same observations, so they share one old weight and count.
    const double previous = r.close_prev != nullptr ? static_cast<double>(r.close_prev[j]) : kNaN;
    const double delta = x - previous;
    const bool moved = finite(delta);
    const double neg = 0.0 - delta;
    const double up = moved ? (delta > 0.0 ? delta : 0.0) : kNaN;
    const double down = moved ? (neg > 0.0 ? neg : 0.0) : kNaN;
    double g = s.gain[j], d = s.loss[j], w = s.rsi_weight[j], kg = s.rsi_count[j];
    const bool rsi_started = finite(g);
    w = rsi_started ? w * rsi_decay : w;
    const bool rsi_update = rsi_started && moved;
    double gn = w * g + rsi_alpha * up;
    double ln = w * d + rsi_alpha * down;
    const double den = w + rsi_alpha;
    // Without a NaN gap old_wt + alpha is exactly 1 and the division is skipped (the managed kernel skips it
    // for a whole vector only when every lane is at 1, which gives the same values since x/1 = x).
    const double off = den - 1.0;
    const bool divide = off * off > kNearOne;
    gn = divide ? gn / den : gn;
    ln = divide ? ln / den : ln;
    g = rsi_update ? (g != up ? gn : g) : g;
    d = rsi_update ? (d != down ? ln : d) : d;
    w = rsi_update ? 1.0 : w;
    g = rsi_started ? g : (moved ? up : g);
    d = rsi_started ? d : (moved ? down : d);
    kg = kg + (moved ? 1.0 : 0.0);
    s.gain[j] = g;
    s.loss[j] = d;
    s.rsi_weight[j] = w;
    s.rsi_count[j] = kg;
    const double total = g + d;
    const double value = total > 0.0 ? (100.0 * g) / total : 50.0;
    rsi[j] = static_cast<float>(kg >= rsi_period ? value : kNaN);

    const int32_t flags = (rec_c ? 1 : 0) | (rec_r ? 2 : 0) | (rec_v ? 4 : 0);
    s.recompute[j] = flags;
    any |= flags;
  }
  return any != 0;
}

// Exact sums of one symbol's window ending at row i, shifted by its newest finite value.
void exact(const float* src, int64_t n, int64_t symbol, int64_t i, int32_t window, double& shift, double& s1, double& s2, double& k,
           double& peak) {
  const int64_t start = std::max<int64_t>(0, i - window + 1);
  double c = 0.0;
  for (int64_t r = i; r >= start; --r) {
    const float v = src[r * n + symbol];
    if (finite(v)) {
      c = v;
      break;
    }
  }
  double a = 0.0, b = 0.0, p = 0.0;
  int32_t count = 0;
  for (int64_t r = start; r <= i; ++r) {
    const float v = src[r * n + symbol];
    if (finite(v)) {
      const double d = v - c;
      a += d;
      b += d * d;
      p = std::max(p, d * d);
      ++count;
    }
  }
  shift = c;
  s1 = a;
  s2 = b;
  k = count;
  peak = p;
}

// Recomputes the flagged lanes' moment series exactly and rewrites the outputs that depend on them.
void recompute_row(const F8Args& a, BlockState& s, int64_t j0, int64_t nb, int64_t i) {
  for (int64_t j = 0; j < nb; ++j) {
    const int32_t flags = s.recompute[j];
    if (flags == 0) continue;
    for (int series = 0; series < 3; ++series) {
      if ((flags & (1 << series)) == 0) continue;
      const float* src = series == 0 ? a.close : series == 1 ? a.out[0] : a.volume;
      Moments& m = series == 0 ? s.close : series == 1 ? s.ret : s.vol;
      const int64_t symbol = j0 + j;
      double shift, s1, s2, k, peak;
      exact(src, a.n, symbol, i, a.window, shift, s1, s2, k, peak);
      m.shift[j] = shift;
      m.s1[j] = s1;
      m.s2[j] = s2;
      m.count[j] = k;
      m.peak[j] = peak;
      const int64_t cell = i * a.n + symbol;
      const double x = src[cell];
      const bool valid = k >= a.window;
      const double km2 = s2 * k - s1 * s1;
      const double scaled_m2 = km2 > 0.0 ? km2 : 0.0;
      const double u = k * (x - shift) - s1;
      if (series == 0) {
        a.out[1][cell] = valid ? static_cast<float>(0.0 - u * (1.0 / (k * x))) : kNaNf;
        a.out[3][cell] = valid ? static_cast<float>(u * scaled_inverse_std(k, scaled_m2)) : kNaNf;
      } else if (series == 1) {
        a.out[2][cell] = valid ? static_cast<float>(sample_std(k, scaled_m2)) : kNaNf;
      } else {
        a.out[7][cell] = valid ? static_cast<float>(u * scaled_inverse_std(k, scaled_m2)) : kNaNf;
      }
    }
  }
}

void init_moments(Moments& m, int64_t nb) {
  for (int64_t j = 0; j < nb; ++j) m.shift[j] = m.s1[j] = m.s2[j] = m.count[j] = m.peak[j] = 0.0;
}

void sweep_block(const F8Args& a, int64_t j0, int64_t nb, BlockState& s, std::vector<float>& suffix) {
  const int64_t n = a.n;
  const int32_t w = a.window;
  init_moments(s.close, nb);
  init_moments(s.ret, nb);
  init_moments(s.vol, nb);
  for (int64_t j = 0; j < nb; ++j) {
    s.ewm_mean[j] = kNaN;
    s.ewm_weight[j] = 1.0;
    s.gain[j] = s.loss[j] = kNaN;
    s.rsi_weight[j] = 1.0;
    s.rsi_count[j] = 0.0;
    s.prefix_max[j] = s.prefix_min[j] = 0.0;
    s.recompute[j] = 0;
  }
  suffix.resize(static_cast<size_t>(2 * (w + 1) * nb));
  float* suffix_max = suffix.data();
  float* suffix_min = suffix_max + (w + 1) * nb;
  const int64_t back = static_cast<int64_t>(w) * n;
  const double rsi_alpha = 1.0 / a.rsi_period;
  for (int64_t i = 0; i < a.t; ++i) {
    const int64_t offset = i * n + j0;
    const bool leaving = i >= w;
    Row r{};
    r.close = a.close + offset;
    r.volume = a.volume + offset;
    r.close_old = leaving ? r.close - back : nullptr;
    r.volume_old = leaving ? r.volume - back : nullptr;
    r.close_prev = i >= 1 ? r.close - n : nullptr;
    r.ret_old = leaving ? a.out[0] + offset - back : nullptr;
    for (int f = 0; f < 10; ++f) r.out[f] = a.out[f] + offset;
    r.leaving = leaving;

    // The returns are the element-wise float32 operation (divided in float64, rounded once).
    returns_row(r.close, r.close_prev, r.out[0], nb);
    returns_row(r.close, r.close_old, r.out[8], nb);

    // A new segment of the extrema: suffix extrema of the last `window` rows, once per segment.
    const int64_t segment = i - i % w;
    r.segment_start = i % w == 0;
    if (r.segment_start && leaving) suffixes(r.close, n, w, nb, suffix_max, suffix_min);
    if (leaving && i - w + 1 < segment) {
      const int64_t suffix_row = i - w + 1 - (segment - w);
      r.suffix_max = suffix_max + suffix_row * nb;
      r.suffix_min = suffix_min + suffix_row * nb;
    }

    if (sweep_row(r, s, nb, w, a.rsi_period, 1.0 - a.ewm_alpha, 1.0 - rsi_alpha, rsi_alpha)) recompute_row(a, s, j0, nb, i);
  }
}

// Percentile ranks (average ties, in (0, 1]) of one row's members with finite values, in place; NaN elsewhere.
// Values are placed in 4,096 buckets by linear interpolation between the row's minimum and maximum (a monotone
// map, so bucket order is value order and equal values share a bucket), counted, scattered, and each bucket is
// ranked by comparisons within it (sorted first when an outlier crowds many values into one bucket).
class RowRanker {
 public:
  explicit RowRanker(int64_t n) : values_(static_cast<size_t>(n)), index_(static_cast<size_t>(n)), bucket_(static_cast<size_t>(n)),
                                  sorted_(static_cast<size_t>(n)) {}

  void rank(float* row, const uint8_t* mask, int64_t n) {
    int64_t m = 0;
    float lo = std::numeric_limits<float>::infinity(), hi = -std::numeric_limits<float>::infinity();
    for (int64_t j = 0; j < n; ++j) {
      const float x = row[j];
      const bool member = x - x == 0.0f && (mask == nullptr || mask[j] != 0);
      if (member) {
        values_[static_cast<size_t>(m)] = x;
        index_[static_cast<size_t>(m)] = static_cast<int32_t>(j);
        ++m;
        lo = std::min(lo, x);
        hi = std::max(hi, x);
      } else {
        row[j] = kNaNf;
      }
    }
    if (m == 0) return;
    const double half_over_count = 0.5 / static_cast<double>(m);
    if (lo == hi) {
      // One value, or all equal: a single tie group.
      const auto pct = static_cast<float>(static_cast<double>(1 + m) * half_over_count);
      for (int64_t a = 0; a < m; ++a) row[index_[static_cast<size_t>(a)]] = pct;
      return;
    }
    std::memset(start_, 0, sizeof start_);
    const double scale = (kBuckets - 1) / (static_cast<double>(hi) - lo);
    for (int64_t a = 0; a < m; ++a) {
      const auto b = static_cast<uint32_t>((static_cast<double>(values_[static_cast<size_t>(a)]) - lo) * scale);
      bucket_[static_cast<size_t>(a)] = b;
      ++start_[b + 1];
    }
    for (int b = 0; b < kBuckets; ++b) start_[b + 1] += start_[b];
    std::memcpy(fill_, start_, sizeof fill_);
    for (int64_t a = 0; a < m; ++a) {
      const uint32_t b = bucket_[static_cast<size_t>(a)];
      sorted_[static_cast<size_t>(fill_[b]++)] = Item{values_[static_cast<size_t>(a)], index_[static_cast<size_t>(a)]};
    }
    for (int b = 0; b < kBuckets; ++b) {
      const int32_t first = start_[b], last = start_[b + 1];
      const int32_t size = last - first;
      if (size == 0) continue;
      Item* items = sorted_.data() + first;
      if (size == 1) {
        row[items[0].index] = static_cast<float>(static_cast<double>(2 * first + 2) * half_over_count);
        continue;
      }
      // Equal values share a bucket; order the bucket, then give each tie group [g, h) the average of ranks g+1..h.
      std::sort(items, items + size, [](const Item& p, const Item& q) { return p.value < q.value; });
      for (int32_t g = 0; g < size;) {
        int32_t h = g + 1;
        while (h < size && items[h].value == items[g].value) ++h;
        const auto pct = static_cast<float>(static_cast<double>(2 * first + g + 1 + h) * half_over_count);
        for (int32_t k = g; k < h; ++k) row[items[k].index] = pct;
        g = h;
      }
    }
  }

 private:
  static constexpr int kBuckets = 4096;
  struct Item {
    float value;
    int32_t index;
  };
  std::vector<float> values_;
  std::vector<int32_t> index_;
  std::vector<uint32_t> bucket_;
  std::vector<Item> sorted_;
  int32_t start_[kBuckets + 1];
  int32_t fill_[kBuckets + 1];
};

// Runs body(task) for tasks [0, count) on up to hardware_concurrency threads, each taking the next task as it
// finishes one, so a core slowed by other work takes fewer.
template <typename Make, typename Body>
void for_tasks(int64_t count, Make&& make_scratch, Body&& body) {
  const int64_t hw = std::max<int64_t>(1, static_cast<int64_t>(std::thread::hardware_concurrency()));
  const int64_t threads = std::min(hw, count);
  std::atomic<int64_t> next{0};
  std::exception_ptr error;
  std::mutex error_lock;
  auto worker = [&]() {
    try {
      auto scratch = make_scratch();
      for (int64_t task = next.fetch_add(1); task < count; task = next.fetch_add(1)) body(task, *scratch);
    } catch (...) {
      std::lock_guard<std::mutex> hold(error_lock);
      if (!error) error = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  for (int64_t k = 1; k < threads; ++k) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();
  if (error) std::rethrow_exception(error);
}

qp_status intraday_f8(const F8Args& a) {
  const int64_t blocks = (a.n + kBlock - 1) / kBlock;
  for_tasks(
      blocks, [] { return std::make_unique<std::pair<BlockState, std::vector<float>>>(); },
      [&](int64_t b, std::pair<BlockState, std::vector<float>>& scratch) {
        const int64_t j0 = b * kBlock;
        sweep_block(a, j0, std::min(kBlock, a.n - j0), scratch.first, scratch.second);
      });
  // Rank rows in chunks of 64 (eight or more chunks per core on W1's 8,190 rows).
  constexpr int64_t kRows = 64;
  float* rank = a.out[8];
  for_tasks(
      (a.t + kRows - 1) / kRows, [&] { return std::make_unique<RowRanker>(a.n); },
      [&](int64_t c, RowRanker& ranker) {
        for (int64_t i = c * kRows; i < std::min(a.t, (c + 1) * kRows); ++i)
          ranker.rank(rank + i * a.n, a.mask == nullptr ? nullptr : a.mask + i * a.n, a.n);
      });
  return QP_OK;
}

}  // namespace

extern "C" qp_status qp_intraday_f8_f32(const float* close, const float* volume, const uint8_t* mask, float* const* outputs, int64_t t,
                                        int64_t n, int32_t window, int32_t rsi_period, double ewm_alpha) {
  return qp::guarded([&]() -> qp_status {
    if (t < 0 || n < 0) return qp::fail(QP_INVALID_ARGUMENT, "t and n must be non-negative");
    if (window < 1) return qp::fail(QP_INVALID_ARGUMENT, "window must be >= 1, got " + std::to_string(window));
    if (rsi_period < 1) return qp::fail(QP_INVALID_ARGUMENT, "rsi_period must be >= 1, got " + std::to_string(rsi_period));
    if (!(ewm_alpha > 0.0 && ewm_alpha <= 1.0)) return qp::fail(QP_INVALID_ARGUMENT, "ewm_alpha must be in (0, 1]");
    if (n > INT32_MAX) return qp::fail(QP_INVALID_ARGUMENT, "at most 2^31 - 1 symbols per row");
    if (t == 0 || n == 0) return QP_OK;
    if (close == nullptr || volume == nullptr || outputs == nullptr) return qp::fail(QP_INVALID_ARGUMENT, "close, volume and outputs must not be null");
    for (int f = 0; f < 10; ++f) {
      if (outputs[f] == nullptr) return qp::fail(QP_INVALID_ARGUMENT, "output " + std::to_string(f) + " is null");
      if (outputs[f] == close || outputs[f] == volume) return qp::fail(QP_INVALID_ARGUMENT, "output " + std::to_string(f) + " aliases an input");
      for (int g = 0; g < f; ++g)
        if (outputs[g] == outputs[f]) return qp::fail(QP_INVALID_ARGUMENT, "outputs " + std::to_string(g) + " and " + std::to_string(f) + " alias");
    }
    return intraday_f8(F8Args{close, volume, mask, outputs, t, n, window, rsi_period, ewm_alpha});
  });
}
