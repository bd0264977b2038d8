// The F8 intraday feature set (benchmark W1): a sweep along time per block of symbols and a cross-sectional rank of
// the window return, run as a pipeline over time chunks (the rank of finished chunks overlaps the sweep), with the
// outputs staged per row and written with non-temporal stores on large panels. It is the native twin of the managed
// IntradayF8Kernel and IntradayF8Pipeline: the same
// float64 state per symbol (shifted running moments with the recompute trigger, van Herk/Gil-Werman extrema,
// pandas' adjusted EWM, Wilder's averages), the same operations in the same order, and no contraction into fused
// multiply-adds (CMakeLists.txt compiles this file with -ffp-contract=off), so both backends give the same bits.
// Output slots: 0 ret_1, 1 mean(c)/c - 1, 2 std(ret_1), 3 z(c), 4 EWM(ret_1), 5 max(c)/c, 6 min(c)/c, 7 z(v),
// 8 percentile rank of the window return, 9 RSI. Missing values are NaN and +-inf, as in KernelSemantics.
#include <immintrin.h>

#include <atomic>
#include <cstring>
#include <memory>

#include "common.hpp"
#include "intraday_f8.hpp"
#include "row_ranker.hpp"

namespace qp {
namespace {

using qp::kNaN;
using qp::kNaNf;

constexpr double kInf = std::numeric_limits<double>::infinity();
using f8::BlockState;
using f8::kBlock;
using f8::Moments;
using f8::Row;

struct F8Args {
  const float* close;
  const float* volume;
  const uint8_t* mask;
  float* const* out;
  int64_t t, n;
  int32_t window, rsi_period;
  double ewm_alpha;
  bool streaming;
};

inline bool finite(double x) { return x - x == 0.0; }

// sqrt((k - 1) / (k * kM2)): z = u * this for u = k * (x - mean) (ddof 1).
inline double scaled_inverse_std(double k, double scaled_m2) { return std::sqrt((k - 1.0) / (k * scaled_m2)); }

inline double sample_std(double k, double scaled_m2) { return std::sqrt(scaled_m2 / (k * (k - 1.0))); }

// The row sweep built for the widest instruction set this CPU has.
using SweepRow = bool (*)(const Row&, BlockState&, int64_t, const f8::SweepConstants&);
SweepRow pick_sweep_row() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return f8::sweep_row_avx512;
  if (__builtin_cpu_supports("avx2")) return f8::sweep_row_avx2;
  return f8::sweep_row_base;
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
    const int64_t flags = s.recompute[j];
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

constexpr int64_t kInputsAhead = 4;
constexpr int64_t kOutputsAhead = 2;

// Copies one staged row of count floats to its output. Streaming: the cache lines the row covers whole are written
// with non-temporal stores (no read for ownership); the partial lines at either end, which neighbouring blocks
// share, with ordinary stores. One build per instruction set, as the managed CopyRow.
__attribute__((target("avx512f"))) void copy_row_avx512(const float* src, float* dst, int64_t count) {
  // Masked stores for the partial lines: the neighbouring block writes the rest of them concurrently.
  int64_t j = std::min<int64_t>(count, ((64 - (reinterpret_cast<uintptr_t>(dst) & 63)) & 63) / sizeof(float));
  if (j > 0) _mm512_mask_storeu_ps(dst, static_cast<__mmask16>((1u << j) - 1), _mm512_maskz_loadu_ps(static_cast<__mmask16>((1u << j) - 1), src));
  for (; j + 16 <= count; j += 16) _mm512_stream_ps(dst + j, _mm512_loadu_ps(src + j));
  if (j < count) {
    const auto tail = static_cast<__mmask16>((1u << (count - j)) - 1);
    _mm512_mask_storeu_ps(dst + j, tail, _mm512_maskz_loadu_ps(tail, src + j));
  }
}

__attribute__((target("avx"))) void copy_row_avx(const float* src, float* dst, int64_t count) {
  int64_t j = std::min<int64_t>(count, ((32 - (reinterpret_cast<uintptr_t>(dst) & 31)) & 31) / sizeof(float));
  for (int64_t q = 0; q < j; ++q) dst[q] = src[q];
  for (; j + 8 <= count; j += 8) _mm256_stream_ps(dst + j, _mm256_loadu_ps(src + j));
  for (; j < count; ++j) dst[j] = src[j];
}

void copy_row_sse(const float* src, float* dst, int64_t count) {
  int64_t j = std::min<int64_t>(count, ((16 - (reinterpret_cast<uintptr_t>(dst) & 15)) & 15) / sizeof(float));
  for (int64_t q = 0; q < j; ++q) dst[q] = src[q];
  for (; j + 4 <= count; j += 4) _mm_stream_ps(dst + j, _mm_loadu_ps(src + j));
  for (; j < count; ++j) dst[j] = src[j];
}

using CopyRow = void (*)(const float*, float*, int64_t);
CopyRow pick_streaming_copy() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return copy_row_avx512;
  if (__builtin_cpu_supports("avx")) return copy_row_avx;
  return copy_row_sse;
}

void copy_row_cached(const float* src, float* dst, int64_t count) { std::memcpy(dst, src, static_cast<size_t>(count) * sizeof(float)); }

// One block of symbols with its state between time chunks (the managed IntradayF8Kernel.Scratch): the float64
// state, then in `buffers` the suffix tables, three filler rows (NaN, -inf and +inf), the ret_1 ring of the last
// w + 1 rows (ret_1[i - w] is read back from it) and the staging rows of the other outputs; the row being written
// goes to the ring and the staging rows, which are copied out after the row. The ring and staging are padded by a
// vector for the streaming copy's full-width loads.
struct Block {
  int64_t j0 = 0, nb = 0;
  BlockState state;
  std::vector<float> buffers;
};

void init_block(const F8Args& a, Block& block) {
  const int64_t nb = block.nb;
  const int32_t w = a.window;
  BlockState& s = block.state;
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
    s.streak[j] = 0;
  }
  // Suffix tables, three filler rows (NaN, -inf and +inf), then the row being written: ret_1 into a ring of the
  // last w + 1 rows (ret_1[i - w] is read back from it), the other outputs into a staging row; both are copied out
  // after the row.
  const int64_t ring_rows = w + 1;
  block.buffers.assign(static_cast<size_t>((2 * (w + 1) + 3 + ring_rows) * nb + 10 * (nb + 16) + 16), 0.0f);
  float* nan_row = block.buffers.data() + 2 * (w + 1) * nb;
  std::fill(nan_row, nan_row + nb, kNaNf);
  std::fill(nan_row + nb, nan_row + 2 * nb, -std::numeric_limits<float>::infinity());
  std::fill(nan_row + 2 * nb, nan_row + 3 * nb, std::numeric_limits<float>::infinity());
}

// Rows [row_start, row_end) of one block, continuing from the rows before (time ranges run in order).
void sweep_rows(const F8Args& a, Block& block, int64_t row_start, int64_t row_end) {
  const int64_t n = a.n;
  const int32_t w = a.window;
  const int64_t j0 = block.j0, nb = block.nb;
  BlockState& s = block.state;
  const int64_t ring_rows = w + 1;
  float* suffix_max = block.buffers.data();
  float* suffix_min = suffix_max + (w + 1) * nb;
  float* nan_row = suffix_min + (w + 1) * nb;
  float* low_row = nan_row + nb;
  float* high_row = low_row + nb;
  float* ring = high_row + nb;
  float* staging = ring + ring_rows * nb;
  static const CopyRow streaming_copy = pick_streaming_copy();
  const CopyRow copy_row = a.streaming ? streaming_copy : copy_row_cached;
  const int64_t back = static_cast<int64_t>(w) * n;
  const double rsi_alpha = 1.0 / a.rsi_period;
  const f8::SweepConstants constants{static_cast<double>(w), static_cast<double>(a.rsi_period), 1.0 - a.ewm_alpha, 1.0 - rsi_alpha, rsi_alpha,
                                     std::max(w, a.rsi_period) + 1};
  static const SweepRow sweep_row = pick_sweep_row();
  for (int64_t i = row_start; i < row_end; ++i) {
    const int64_t offset = i * n + j0;
    const bool leaving = i >= w;
    Row r{};
    r.close = a.close + offset;
    r.volume = a.volume + offset;
    r.close_old = leaving ? r.close - back : nan_row;
    r.volume_old = leaving ? r.volume - back : nan_row;
    r.close_prev = i >= 1 ? r.close - n : nan_row;
    r.ret_old = leaving ? ring + ((i + 1) % ring_rows) * nb : nan_row;
    r.suffix_max = low_row;
    r.suffix_min = high_row;
    r.out[0] = ring + (i % ring_rows) * nb;
    // Staging rows a line more than a row apart, so they do not share L1 sets.
    for (int f = 1; f < 10; ++f) r.out[f] = staging + f * (nb + 16);

    // A new segment of the extrema: suffix extrema of the last `window` rows, once per segment.
    const int64_t segment = i - i % w;
    r.segment_start = i % w == 0;
    if (r.segment_start && leaving) suffixes(r.close, n, w, nb, suffix_max, suffix_min);
    if (leaving && i - w + 1 < segment) {
      const int64_t suffix_row = i - w + 1 - (segment - w);
      r.suffix_max = suffix_max + suffix_row * nb;
      r.suffix_min = suffix_min + suffix_row * nb;
    }

    // Rows are 4n bytes apart, so each row of a block is a fresh run of a few lines per stream that the hardware
    // prefetchers pick up late: request the inputs' lines a few rows ahead and the outputs' lines before the stores
    // miss on them (measured together: ~15 % of the whole call).
    if (i + kInputsAhead < a.t) {
      for (int64_t j = 0; j < nb; j += 16) {
        __builtin_prefetch(r.close + kInputsAhead * n + j, 0, 3);
        __builtin_prefetch(r.volume + kInputsAhead * n + j, 0, 3);
      }
    }
    if (i + kOutputsAhead < a.t) {
      for (int f = 0; f < 10; ++f) {
        const float* ahead = a.out[f] + offset + kOutputsAhead * n;
        if (a.streaming) {
          // Only the partial lines at the row's ends are written with ordinary stores.
          __builtin_prefetch(ahead, 1, 3);
          __builtin_prefetch(ahead + nb - 1, 1, 3);
        } else {
          for (int64_t j = 0; j < nb; j += 16) __builtin_prefetch(ahead + j, 1, 3);
        }
      }
    }
    const bool flagged = sweep_row(r, s, nb, constants);
    for (int f = 0; f < 10; ++f) copy_row(r.out[f], a.out[f] + offset, nb);
    // The exact recompute reads the row's ret_1 back from the output and rewrites the affected cells there.
    if (flagged) recompute_row(a, s, j0, nb, i);
  }
  // Non-temporal stores are weakly ordered: make them visible before the block is reported done.
  if (a.streaming) _mm_sfence();
}

// The sweep and the rank as a pipeline over time chunks, as the managed IntradayF8Pipeline: the sweep of a chunk
// mostly waits on memory (ten outputs per cell) while the rank of a finished chunk is arithmetic on rows in L1.
// Workers take the next rank task of a fully swept chunk (while at most half of them rank), else the next sweep task
// (chunk-major, so a block's previous chunk is done), else a rank task regardless. Each block's rows still run in
// order, so the values are those of one pass.
qp_status intraday_f8(const F8Args& a) {
  constexpr int64_t kChunkRows = 128;
  constexpr int64_t kRankRows = 32;
  const int64_t blocks = (a.n + kBlock - 1) / kBlock;
  const int64_t chunks = (a.t + kChunkRows - 1) / kChunkRows;
  const int64_t sweep_tasks = chunks * blocks;
  const int64_t rank_tasks = (a.t + kRankRows - 1) / kRankRows;
  std::vector<std::unique_ptr<Block>> state(static_cast<size_t>(blocks));
  for (int64_t b = 0; b < blocks; ++b) {
    state[b] = std::make_unique<Block>();
    state[b]->j0 = b * kBlock;
    state[b]->nb = std::min(kBlock, a.n - b * kBlock);
    init_block(a, *state[b]);
  }
  std::vector<std::atomic<int64_t>> blocks_done(static_cast<size_t>(chunks));
  std::vector<std::atomic<int64_t>> rows_done(static_cast<size_t>(blocks));
  for (auto& d : blocks_done) d.store(0);
  for (auto& d : rows_done) d.store(0);
  std::atomic<int64_t> next_sweep{0}, next_rank{0}, ranking{0};
  std::atomic<bool> failed{false};
  const int64_t hw = std::max<int64_t>(1, static_cast<int64_t>(std::thread::hardware_concurrency()));
  const int64_t max_ranking = std::max<int64_t>(1, hw / 2);
  float* rank = a.out[8];

  auto rank_ready = [&](int64_t task) {
    const int64_t last_row = std::min(a.t, (task + 1) * kRankRows) - 1;
    return blocks_done[task * kRankRows / kChunkRows].load(std::memory_order_acquire) == blocks &&
           blocks_done[last_row / kChunkRows].load(std::memory_order_acquire) == blocks;
  };

  auto try_rank = [&](RowRanker& ranker, bool sweep_left) {
    int64_t task = next_rank.load();
    if (task >= rank_tasks || !rank_ready(task) || (sweep_left && ranking.load() >= max_ranking)) return false;
    if (!next_rank.compare_exchange_strong(task, task + 1)) return false;
    ranking.fetch_add(1);
    for (int64_t i = task * kRankRows; i < std::min(a.t, (task + 1) * kRankRows); ++i)
      ranker.rank(rank + i * a.n, a.mask == nullptr ? nullptr : a.mask + i * a.n, a.n);
    ranking.fetch_sub(1);
    return true;
  };

  auto worker = [&]() {
    RowRanker ranker(a.n);
    while (true) {
      const bool sweep_left = next_sweep.load() < sweep_tasks;
      if (try_rank(ranker, sweep_left)) continue;
      const int64_t task = sweep_left ? next_sweep.fetch_add(1) : sweep_tasks;
      if (task < sweep_tasks) {
        const int64_t chunk = task / blocks, b = task % blocks;
        // The block's previous chunk was taken one round of blocks earlier; wait should it still be running.
        while (rows_done[b].load(std::memory_order_acquire) < chunk * kChunkRows) {
          if (failed.load()) return;
          std::this_thread::yield();
        }
        const int64_t row_end = std::min(a.t, (chunk + 1) * kChunkRows);
        sweep_rows(a, *state[b], chunk * kChunkRows, row_end);
        rows_done[b].store(row_end, std::memory_order_release);
        blocks_done[chunk].fetch_add(1, std::memory_order_acq_rel);
        continue;
      }
      if (next_rank.load() >= rank_tasks) return;
      // Nothing to sweep and the next rank task waits on a chunk another worker is finishing.
      std::this_thread::yield();
    }
  };

  const int64_t threads = std::min<int64_t>(hw, std::max<int64_t>(1, sweep_tasks));
  std::exception_ptr error;
  std::mutex error_lock;
  auto guarded_worker = [&]() {
    try {
      worker();
    } catch (...) {
      std::lock_guard<std::mutex> hold(error_lock);
      if (!error) error = std::current_exception();
      // Let the other workers finish: no more tasks, and none waits on this one.
      failed.store(true);
      next_sweep.store(sweep_tasks);
      next_rank.store(rank_tasks);
    }
  };
  std::vector<std::thread> pool;
  for (int64_t k = 1; k < threads; ++k) pool.emplace_back(guarded_worker);
  guarded_worker();
  for (auto& th : pool) th.join();
  if (error) std::rethrow_exception(error);
  return QP_OK;
}

}  // namespace
}  // namespace qp

extern "C" qp_status qp_intraday_f8_f32(const float* close, const float* volume, const uint8_t* mask, float* const* outputs, int64_t t,
                                        int64_t n, int32_t window, int32_t rsi_period, double ewm_alpha, int32_t streaming) {
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
    return qp::intraday_f8(qp::F8Args{close, volume, mask, outputs, t, n, window, rsi_period, ewm_alpha, streaming != 0});
  });
}
