using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QuantPipeline.Core.Compute.Managed;

/// <summary>
/// The time-series part of the F8 feature set in one sweep along time per column block: every row of a block reads
/// close and volume once and writes nine outputs, with all rolling state in float64 lanes per symbol, instead of the
/// ~20 passes over [t, n] buffers of the per-kernel composition. Semantics are those of the separate kernels
/// (<see cref="RollingMomentsKernel{TOp}"/> with its recompute trigger, <see cref="RollingExtremaKernel{TOp}"/>,
/// <see cref="EwmKernel"/>, <see cref="RsiKernel"/>); the returns are the element-wise float32 operator, so the
/// 30-bar return handed to the cross-sectional rank is bit-identical to the per-kernel path.
/// Output slots: 0 ret_1, 1 mean(c)/c − 1, 2 std(ret_1), 3 z(c), 4 EWM(ret_1), 5 max(c)/c, 6 min(c)/c, 7 z(v),
/// 8 the 30-bar return (ranked afterwards, in place), 9 RSI.
/// </summary>
internal readonly unsafe struct IntradayF8Kernel : IColumnKernel
{
    private const double RecomputeRatio = 65536.0;

    /// <summary>Rows ahead at which the inputs' and the outputs' lines are prefetched (see <see cref="Prefetch"/>).</summary>
    private const int InputsAhead = 4;

    private const int OutputsAhead = 2;

    // Per-symbol float64 state, one vector each: three moment series (shift, s1, s2, count, peak), the EWM of the
    // return (mean, old weight), RSI (gain, loss, shared old weight, observations) and the extrema prefixes.
    private const int CloseMoments = 0;
    private const int ReturnMoments = 5;
    private const int VolumeMoments = 10;
    private const int EwmMean = 15;
    private const int EwmWeight = 16;
    private const int RsiGain = 17;
    private const int RsiLoss = 18;
    private const int RsiWeight = 19;
    private const int RsiObservations = 20;
    private const int PrefixMax = 21;
    private const int PrefixMin = 22;
    private const int StateRows = 23;

    private readonly float* _close;
    private readonly float* _volume;
    private readonly float** _outputs;
    private readonly int _t;
    private readonly int _n;
    private readonly int _window;
    private readonly int _rsiPeriod;
    private readonly double _ewmAlpha;
    private readonly bool _streaming;

    /// <param name="streaming">
    /// Write the outputs with non-temporal stores (see <see cref="F8Stores"/>): each row of a block is computed into a
    /// small staging buffer that stays in L1, then copied out a full cache line at a time past the caches, so the
    /// lines are never read from memory first. The values are the same either way.
    /// </param>
    public IntradayF8Kernel(float* close, float* volume, float** outputs, int t, int n, int window, int rsiPeriod, double ewmAlpha, bool streaming = false)
    {
        _close = close;
        _volume = volume;
        _outputs = outputs;
        _t = t;
        _n = n;
        _window = window;
        _rsiPeriod = rsiPeriod;
        _ewmAlpha = ewmAlpha;
        _streaming = streaming;
    }

    /// <summary>Every row of the symbols [first, first + count), in one call.</summary>
    public void Run<TV, TL>(int first, int count)
        where TV : struct
        where TL : IDoubleLanes<TV>
    {
        using var scratch = CreateScratch<TV, TL>(count);
        Run<TV, TL>(first, count, scratch, 0, _t);
    }

    /// <summary>The state of a range of symbols between calls of <see cref="Run{TV, TL}(int, int, Scratch, int, int)"/>.</summary>
    public Scratch CreateScratch<TV, TL>(int count)
        where TV : struct
        where TL : IDoubleLanes<TV> =>
        new(count, TL.Count, _window);

    /// <summary>
    /// Rows [rowStart, rowEnd) of the symbols [first, first + count), continuing from the rows before rowStart whose
    /// state <paramref name="scratch"/> holds (rowStart = 0 with a fresh one): time ranges run in order, one at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run<TV, TL>(int first, int count, Scratch scratch, int rowStart, int rowEnd)
        where TV : struct
        where TL : IDoubleLanes<TV>
    {
        var window = _window;
        var n = _n;
        var lanes = TL.Count;
        var ringRows = window + 1;
        var rowOut = stackalloc float*[10];
        var pendingCount = 0;

        var one = TL.Broadcast(1);
        var nan = TL.Broadcast(double.NaN);
        var negativeInfinity = TL.Broadcast(double.NegativeInfinity);
        var positiveInfinity = TL.Broadcast(double.PositiveInfinity);
        var required = TL.Broadcast(window);
        var rsiRequired = TL.Broadcast(_rsiPeriod);
        var ewmDecay = TL.Broadcast(1 - _ewmAlpha);
        var rsiAlpha = 1.0 / _rsiPeriod;
        var rsiDecay = TL.Broadcast(1 - rsiAlpha);
        var rsiWeight = TL.Broadcast(rsiAlpha);
        var nearOne = TL.Broadcast(1e-24);

        fixed (double* s = scratch.State)
        fixed (float* suffixBase = scratch.Suffixes)
        fixed (long* pendingBase = scratch.Pending)
        fixed (float* ringBase = scratch.Ring)
        fixed (float* stagingBase = scratch.Staging)
        fixed (int* streaks = scratch.Streaks)
        {
            for (var f = 1; f < 10; f++)
            {
                // A line more than a row apart, so the staging rows do not share L1 sets.
                rowOut[f] = stagingBase + (long)f * (count + 16);
            }

            float* suffixMax = suffixBase, suffixMin = suffixBase + (long)window * count;
            var constants = new Constants<TV>(required, rsiRequired, ewmDecay, rsiDecay, rsiWeight, nearOne);
            var all = (1u << lanes) - 1;
            var laneShift = BitOperations.TrailingZeroCount(lanes);
            var cleanAfter = Math.Max(window + 1, _rsiPeriod + 1);
            for (var i = rowStart; i < rowEnd; i++)
            {
                var offset = (long)i * n + first;
                var leaving = i >= window;
                var back = (long)window * n;
                var previousRow = i >= 1 ? (long)n : 0;
                if (i + InputsAhead < _t)
                {
                    Prefetch(offset, count);
                }

                var ret1 = rowOut[0] = ringBase + (long)(i % ringRows) * count;
                var ret1Old = ringBase + (long)((i + 1) % ringRows) * count;

                // A new segment of the extrema: suffix extrema of the last `window` rows, computed once per segment.
                var segmentStart = i % window == 0;
                var segment = i - i % window;
                if (segmentStart && leaving)
                {
                    Suffixes<TV, TL>(_close + offset, n, window, count, suffixMax, suffixMin, negativeInfinity, positiveInfinity);
                }

                var combine = leaving && i - window + 1 < segment;
                var suffixRow = (long)(i - window + 1 - (segment - window)) * count;

                for (var l = 0; l < count; l += lanes)
                {
                    var at = offset + l;
                    var st = s + (long)l * StateRows;
                    var x = TL.LoadWiden(ref _close[at]);
                    var y = leaving ? TL.LoadWiden(ref _close[at - back]) : nan;
                    var previous = i >= 1 ? TL.LoadWiden(ref _close[at - previousRow]) : nan;

                    // The returns divide in float64 and round once, as the element-wise Returns operator; the 1-bar
                    // return is used as stored (float32).
                    var ret = TL.Subtract(TL.Divide(x, previous), one);
                    TL.StoreNarrow(ret, ref ret1[l]);
                    TL.StoreNarrow(TL.Subtract(TL.Divide(x, y), one), ref rowOut[8][l]);
                    var r = TL.RoundToSingle(ret);
                    var ry = leaving ? TL.LoadWiden(ref ret1Old[l]) : nan;
                    var v = TL.LoadWiden(ref _volume[at]);
                    var vy = leaving ? TL.LoadWiden(ref _volume[at - back]) : nan;
                    var extrema = new Extrema<TV>(
                        segmentStart,
                        combine ? TL.LoadWiden(ref suffixMax[suffixRow + l]) : negativeInfinity,
                        combine ? TL.LoadWiden(ref suffixMin[suffixRow + l]) : positiveInfinity);
                    var inputs = new Inputs<TV>(x, y, previous, r, ry, v, vy);

                    // Every input finite, every window full, EWM and RSI started (the usual case): the same operations
                    // without the missing-value selects. Both variants give the same bits. That holds once close,
                    // volume and the 1-bar return have been finite in every lane for window + 1 rows running: the
                    // values leaving the windows are among them, the windows are full and both averages have started.
                    var streak = streaks + (l >> laneShift);
                    *streak = TL.MaskBits(TL.IsFinite(TL.Add(TL.Add(x, v), r))) == all ? Math.Min(*streak + 1, cleanAfter) : 0;
                    uint bits;
                    if (*streak == cleanAfter)
                    {
                        bits = Step<TV, TL, Clean>(st, inputs, extrema, constants, rowOut, l);
                    }
                    else
                    {
                        bits = Step<TV, TL, General>(st, inputs, extrema, constants, rowOut, l);
                    }

                    if (bits != 0)
                    {
                        pendingBase[pendingCount++] = ((long)l << 32) | bits;
                    }
                }

                for (var f = 0; f < 10; f++)
                {
                    CopyRow(rowOut[f], _outputs[f] + offset, count, _streaming);
                }

                // Exact recomputation of the lanes whose running sums lost precision, after the vector loop (a call
                // inside it would make the JIT spill every vector register around it). It reads the row's ret_1 back
                // from the output and rewrites the affected cells there.
                if (pendingCount != 0)
                {
                    Recompute(pendingBase, pendingCount, s, lanes, first, i);
                    pendingCount = 0;
                }
            }
        }

        if (_streaming && Sse.IsSupported)
        {
            // Non-temporal stores are weakly ordered: make them visible before the block is reported done.
            Sse.StoreFence();
        }
    }

    /// <summary>
    /// Per-symbol state of a range of symbols: one record of <see cref="StateRows"/> float64 vectors per vector of
    /// symbols (every field a fixed offset from one pointer), the suffix extrema of the previous window-long segment
    /// (van Herk / Gil-Werman, float32 as the values are), and the row being written: ret_1 into a ring of the last
    /// window + 1 rows (the sweep reads ret_1[i − window] back from it), the other nine outputs into a staging row;
    /// both are copied out after the row.
    /// </summary>
    internal sealed class Scratch : IDisposable
    {
        /// <summary>Rented from the shared array pools (the W1 shape needs ~2 MB per call): return with Dispose.</summary>
        internal Scratch(int count, int lanes, int window)
        {
            State = ArrayPool<double>.Shared.Rent(StateRows * count);
            Array.Clear(State);
            for (var v = 0; v < count; v += lanes)
            {
                var record = v * StateRows;
                Array.Fill(State, double.NaN, record + EwmMean * lanes, lanes);
                Array.Fill(State, 1.0, record + EwmWeight * lanes, lanes);
                Array.Fill(State, double.NaN, record + RsiGain * lanes, 2 * lanes);
                Array.Fill(State, 1.0, record + RsiWeight * lanes, lanes);
            }

            // Written before they are read (the suffixes at each segment start, ring and staging rows as the row is
            // swept, the pending list per row); the ring and staging are padded by a vector for CopyRow's full-width
            // loads at a row's end.
            Suffixes = ArrayPool<float>.Shared.Rent(2 * window * count);
            Ring = ArrayPool<float>.Shared.Rent((window + 1) * count + 16);
            Staging = ArrayPool<float>.Shared.Rent(10 * (count + 16));
            Pending = ArrayPool<long>.Shared.Rent(3 * (count / lanes + 1));
            Streaks = ArrayPool<int>.Shared.Rent(count / lanes + 1);
            Array.Clear(Streaks);
        }

        public void Dispose()
        {
            ArrayPool<double>.Shared.Return(State);
            ArrayPool<float>.Shared.Return(Suffixes);
            ArrayPool<float>.Shared.Return(Ring);
            ArrayPool<float>.Shared.Return(Staging);
            ArrayPool<long>.Shared.Return(Pending);
            ArrayPool<int>.Shared.Return(Streaks);
        }

        /// <summary>Per vector of symbols: rows running (capped) in which close, volume and ret_1 were finite in every lane.</summary>
        internal int[] Streaks { get; }

        internal double[] State { get; }

        internal float[] Suffixes { get; }

        internal float[] Ring { get; }

        internal float[] Staging { get; }

        internal long[] Pending { get; }
    }

    /// <summary>
    /// Copies one staged row to its output. Streaming: the 64-byte lines the row covers whole are written with
    /// non-temporal stores (no read for ownership); the partial lines at either end, which neighbouring blocks share,
    /// with ordinary stores.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRow(float* source, float* destination, int count, bool streaming)
    {
        var j = 0;
        if (streaming && Avx512F.IsSupported)
        {
            // Masked stores for the partial lines (the neighbouring block writes the rest of them concurrently, so
            // no read-modify-write); the staging rows are padded for the full-width loads.
            var lane = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
            var head = Math.Min(count, (int)((64 - ((nuint)destination & 63)) & 63) / sizeof(float));
            if (head > 0)
            {
                Avx512F.MaskStore(destination, Vector512.LessThan(lane, Vector512.Create(head)).AsSingle(), Avx512F.LoadVector512(source));
                j = head;
            }

            for (; j + 16 <= count; j += 16)
            {
                Avx512F.StoreAlignedNonTemporal(destination + j, Avx512F.LoadVector512(source + j));
            }

            if (j < count)
            {
                Avx512F.MaskStore(destination + j, Vector512.LessThan(lane, Vector512.Create(count - j)).AsSingle(), Avx512F.LoadVector512(source + j));
            }

            return;
        }
        else if (streaming && Avx.IsSupported)
        {
            for (var head = Math.Min(count, (int)((32 - ((nuint)destination & 31)) & 31) / sizeof(float)); j < head; j++)
            {
                destination[j] = source[j];
            }

            for (; j + 8 <= count; j += 8)
            {
                Avx.StoreAlignedNonTemporal(destination + j, Avx.LoadVector256(source + j));
            }
        }
        else
        {
            for (; j + Vector256<float>.Count <= count; j += Vector256<float>.Count)
            {
                Vector256.Store(Vector256.Load(source + j), destination + j);
            }
        }

        for (; j < count; j++)
        {
            destination[j] = source[j];
        }
    }

    /// <summary>
    /// The nine time-series outputs of one vector of symbols (returns already written). Returns the lanes whose running
    /// sums need an exact recompute: bits 0–7 close, 8–15 return, 16–23 volume. <typeparamref name="TC"/> = <see cref="Clean"/>
    /// drops the selects that only matter for missing values, partial windows and unstarted averages; the arithmetic is
    /// the same, so both variants give the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint Step<TV, TL, TC>(double* st, in Inputs<TV> inputs, in Extrema<TV> extrema, in Constants<TV> k, float** rowOut, int l)
        where TV : struct
        where TL : IDoubleLanes<TV>
        where TC : struct, IVariant
    {
        var lanes = TL.Count;
        var zero = TL.Broadcast(0);
        var one = TL.Broadcast(1);
        var nan = TL.Broadcast(double.NaN);
        var x = inputs.X;
        var fx = TL.IsFinite(x);

        // Close: moments, mean ratio and z-score.
        var kc = Moments<TV, TL, TC>(st + CloseMoments * lanes, x, inputs.CloseOld, out var dc, out var s1c, out var m2c, out var bits);
        var recompute = bits;

        var validC = TL.GreaterThanOrEqual(kc, k.Required);
        // With u = k·(x − mean) = k·(x − shift) − Σ(x − shift): (mean − x)/x = −u/(k·x) and
        // z = u·√((k − 1)/(k·kM2)); one division serves all four ratios to x.
        var u = TL.Subtract(TL.Multiply(kc, dc), s1c);
        var overKx = TL.Divide(one, TL.Multiply(kc, x));
        var rc = TL.Multiply(kc, overKx);
        TL.StoreNarrow(Pick<TV, TL, TC>(validC, TL.Subtract(zero, TL.Multiply(u, overKx)), nan), ref rowOut[1][l]);
        TL.StoreNarrow(Pick<TV, TL, TC>(validC, TL.Multiply(u, ScaledInverseStd<TV, TL>(kc, m2c)), nan), ref rowOut[3][l]);

        // Extrema of close: prefix of this segment combined with the previous segment's suffix.
        var negativeInfinity = TL.Broadcast(double.NegativeInfinity);
        var positiveInfinity = TL.Broadcast(double.PositiveInfinity);
        var hMax = extrema.SegmentStart ? negativeInfinity : TL.Load(ref st[PrefixMax * lanes]);
        var hMin = extrema.SegmentStart ? positiveInfinity : TL.Load(ref st[PrefixMin * lanes]);
        hMax = TL.Max(hMax, Pick<TV, TL, TC>(fx, x, negativeInfinity));
        hMin = TL.Min(hMin, Pick<TV, TL, TC>(fx, x, positiveInfinity));
        TL.Store(hMax, ref st[PrefixMax * lanes]);
        TL.Store(hMin, ref st[PrefixMin * lanes]);
        hMax = TL.Max(hMax, extrema.SuffixMax);
        hMin = TL.Min(hMin, extrema.SuffixMin);
        TL.StoreNarrow(Pick<TV, TL, TC>(validC, TL.Multiply(hMax, rc), nan), ref rowOut[5][l]);
        TL.StoreNarrow(Pick<TV, TL, TC>(validC, TL.Multiply(hMin, rc), nan), ref rowOut[6][l]);

        // 1-bar return: moments (std) and EWM (adjust = true).
        var r = inputs.Return;
        var kr = Moments<TV, TL, TC>(st + ReturnMoments * lanes, r, inputs.ReturnOld, out _, out _, out var m2r, out bits);
        recompute |= bits << 8;
        TL.StoreNarrow(Pick<TV, TL, TC>(TL.GreaterThanOrEqual(kr, k.Required), Std<TV, TL>(kr, m2r), nan), ref rowOut[2][l]);
        TL.StoreNarrow(AdjustedEwm<TV, TL, TC>(st, r, k.EwmDecay), ref rowOut[4][l]);

        // Volume: z-score.
        var kv = Moments<TV, TL, TC>(st + VolumeMoments * lanes, inputs.Volume, inputs.VolumeOld, out var dv, out var s1v, out var m2v, out bits);
        recompute |= bits << 16;
        var uv = TL.Subtract(TL.Multiply(kv, dv), s1v);
        TL.StoreNarrow(Pick<TV, TL, TC>(TL.GreaterThanOrEqual(kv, k.Required), TL.Multiply(uv, ScaledInverseStd<TV, TL>(kv, m2v)), nan), ref rowOut[7][l]);

        // RSI: Wilder averages of the gains and losses of Δ = c[i] − c[i−1].
        var (g, d, kg) = Wilder<TV, TL, TC>(st, TL.Subtract(x, inputs.Previous), k.RsiDecay, k.RsiWeight, k.NearOne);
        var total = TL.Add(g, d);
        var value = TL.Select(TL.GreaterThan(total, zero), TL.Divide(TL.Multiply(TL.Broadcast(100), g), total), TL.Broadcast(50));
        TL.StoreNarrow(Pick<TV, TL, TC>(TL.GreaterThanOrEqual(kg, k.RsiRequired), value, nan), ref rowOut[9][l]);
        return recompute;
    }

    /// <summary>Select in the general variant; the first operand in the clean one, where the mask is known to be all set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Pick<TV, TL, TC>(TV mask, TV whenTrue, TV whenFalse)
        where TV : struct
        where TL : IDoubleLanes<TV>
        where TC : struct, IVariant =>
        TC.IsClean ? whenTrue : TL.Select(mask, whenTrue, whenFalse);

    /// <summary>
    /// Requests the block's lines of close and volume <see cref="InputsAhead"/> rows ahead and of the ten outputs
    /// <see cref="OutputsAhead"/> rows ahead. Rows are 4·n bytes apart, so each row of a block is a fresh run of a few
    /// lines per stream that the hardware prefetchers pick up late (measured together: ~15 % of the whole call).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Prefetch(long cell, int count)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        var inputs = cell + InputsAhead * (long)_n;
        var outputs = cell + OutputsAhead * (long)_n;
        for (var j = 0; j < count; j += 16)
        {
            Sse.Prefetch0(_close + inputs + j);
            Sse.Prefetch0(_volume + inputs + j);
        }

        if (_streaming)
        {
            // Non-temporal stores need no lines in the cache, except the partial lines at the row's two ends, which
            // ordinary stores write (see CopyRow).
            for (var f = 0; f < 10; f++)
            {
                var row = _outputs[f] + outputs;
                Sse.Prefetch0(row);
                Sse.Prefetch0(row + count - 1);
            }

            return;
        }

        for (var f = 0; f < 10; f++)
        {
            var row = _outputs[f] + outputs;
            for (var j = 0; j < count; j += 16)
            {
                Sse.Prefetch0(row + j);
            }
        }
    }

    /// <summary>Which variant of <see cref="Step{TV, TL, TC}"/> to compile.</summary>
    private interface IVariant
    {
        static abstract bool IsClean { get; }
    }

    private readonly struct Clean : IVariant
    {
        public static bool IsClean => true;
    }

    private readonly struct General : IVariant
    {
        public static bool IsClean => false;
    }

    private readonly struct Inputs<TV>(TV x, TV closeOld, TV previous, TV ret, TV retOld, TV volume, TV volumeOld)
        where TV : struct
    {
        public readonly TV X = x;
        public readonly TV CloseOld = closeOld;
        public readonly TV Previous = previous;
        public readonly TV Return = ret;
        public readonly TV ReturnOld = retOld;
        public readonly TV Volume = volume;
        public readonly TV VolumeOld = volumeOld;
    }

    private readonly struct Extrema<TV>(bool segmentStart, TV suffixMax, TV suffixMin)
        where TV : struct
    {
        public readonly bool SegmentStart = segmentStart;
        public readonly TV SuffixMax = suffixMax;
        public readonly TV SuffixMin = suffixMin;
    }

    private readonly struct Constants<TV>(TV required, TV rsiRequired, TV ewmDecay, TV rsiDecay, TV rsiWeight, TV nearOne)
        where TV : struct
    {
        public readonly TV Required = required;
        public readonly TV RsiRequired = rsiRequired;
        public readonly TV EwmDecay = ewmDecay;
        public readonly TV RsiDecay = rsiDecay;
        public readonly TV RsiWeight = rsiWeight;
        public readonly TV NearOne = nearOne;
    }

    /// <summary>
    /// pandas' ewm mean with adjust = true (ignore_na = False), as <see cref="EwmKernel"/>: a NaN ages the old weight,
    /// an observation x gives mean = (w·mean + x)/(w + 1). The mean stays NaN until the first observation, which is
    /// exactly when min_periods = 1 allows an output, so it is the output.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV AdjustedEwm<TV, TL, TC>(double* st, TV x, TV decay)
        where TV : struct
        where TL : IDoubleLanes<TV>
        where TC : struct, IVariant
    {
        var lanes = TL.Count;
        var one = TL.Broadcast(1);
        var m = TL.Load(ref st[EwmMean * lanes]);
        var w = TL.Load(ref st[EwmWeight * lanes]);
        if (TC.IsClean)
        {
            // Started and observed: the general variant's selects all take their first operand.
            w = TL.Multiply(w, decay);
            m = TL.Select(TL.NotEqual(m, x), TL.Divide(TL.Add(TL.Multiply(w, m), x), TL.Add(w, one)), m);
            w = TL.Add(w, one);
        }
        else
        {
            var observed = TL.IsFinite(x);
            var started = TL.IsFinite(m);
            w = TL.Select(started, TL.Multiply(w, decay), w);
            var update = TL.And(started, observed);
            var weighted = TL.Divide(TL.Add(TL.Multiply(w, m), x), TL.Add(w, one));
            // pandas skips the update when the mean already equals x, which keeps constant series exact.
            m = TL.Select(update, TL.Select(TL.NotEqual(m, x), weighted, m), m);
            w = TL.Select(update, TL.Add(w, one), w);
            m = TL.Select(started, m, TL.Select(observed, x, m));
        }

        TL.Store(m, ref st[EwmMean * lanes]);
        TL.Store(w, ref st[EwmWeight * lanes]);
        return m;
    }

    /// <summary>
    /// Wilder's averages of gains and losses (ewm alpha = 1/period, adjust = false), as two <see cref="EwmKernel"/>
    /// states: both start at the first finite Δ and see the same observations, so they share one old weight and count.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (TV Gain, TV Loss, TV Observations) Wilder<TV, TL, TC>(double* st, TV delta, TV decay, TV alpha, TV nearOne)
        where TV : struct
        where TL : IDoubleLanes<TV>
        where TC : struct, IVariant
    {
        var lanes = TL.Count;
        var zero = TL.Broadcast(0);
        var one = TL.Broadcast(1);
        var nan = TL.Broadcast(double.NaN);
        var observed = TC.IsClean ? TL.IsFinite(zero) : TL.IsFinite(delta);
        var up = TC.IsClean ? TL.Max(delta, zero) : TL.Select(observed, TL.Max(delta, zero), nan);
        var down = TC.IsClean ? TL.Max(TL.Subtract(zero, delta), zero) : TL.Select(observed, TL.Max(TL.Subtract(zero, delta), zero), nan);
        var g = TL.Load(ref st[RsiGain * lanes]);
        var d = TL.Load(ref st[RsiLoss * lanes]);
        var w = TL.Load(ref st[RsiWeight * lanes]);
        var k = TL.Load(ref st[RsiObservations * lanes]);
        var started = TC.IsClean ? observed : TL.IsFinite(g);
        w = TC.IsClean ? TL.Multiply(w, decay) : TL.Select(started, TL.Multiply(w, decay), w);
        var update = TC.IsClean ? observed : TL.And(started, observed);
        var gainNumerator = TL.Add(TL.Multiply(w, g), TL.Multiply(alpha, up));
        var lossNumerator = TL.Add(TL.Multiply(w, d), TL.Multiply(alpha, down));
        var denominator = TL.Add(w, alpha);
        // Without a NaN gap old_wt + α = (1 − α) + α = 1 up to rounding: skip the divisions then, as EwmKernel does.
        var offOne = TL.Subtract(denominator, one);
        if (TL.MaskBits(TL.GreaterThan(TL.Multiply(offOne, offOne), nearOne)) != 0)
        {
            gainNumerator = TL.Divide(gainNumerator, denominator);
            lossNumerator = TL.Divide(lossNumerator, denominator);
        }

        if (TC.IsClean)
        {
            g = TL.Select(TL.NotEqual(g, up), gainNumerator, g);
            d = TL.Select(TL.NotEqual(d, down), lossNumerator, d);
            w = one;
            k = TL.Add(k, one);
        }
        else
        {
            g = TL.Select(update, TL.Select(TL.NotEqual(g, up), gainNumerator, g), g);
            d = TL.Select(update, TL.Select(TL.NotEqual(d, down), lossNumerator, d), d);
            w = TL.Select(update, one, w);
            g = TL.Select(started, g, TL.Select(observed, up, g));
            d = TL.Select(started, d, TL.Select(observed, down, d));
            k = TL.Add(k, TL.And(observed, one));
        }

        TL.Store(g, ref st[RsiGain * lanes]);
        TL.Store(d, ref st[RsiLoss * lanes]);
        TL.Store(w, ref st[RsiWeight * lanes]);
        TL.Store(k, ref st[RsiObservations * lanes]);
        return (g, d, k);
    }

    private enum Series
    {
        Close,
        Return,
        Volume,
    }

    /// <summary>
    /// One step of a shifted running moment series (state vectors at <paramref name="m"/>: shift, s1, s2, count, peak),
    /// as <see cref="RollingMomentsKernel{TOp}"/>. Returns the window count; <paramref name="deviation"/> is x − shift,
    /// <paramref name="sum"/> the window's Σ(x − shift) and <paramref name="scaledM2"/> = k·Σ(x − shift)² − (Σ(x − shift))²
    /// = k·M2, clamped at 0 against rounding. <paramref name="recompute"/> has a bit per lane whose cancellation check
    /// fired, for exact recomputation.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Moments<TV, TL, TC>(double* m, TV x, TV y, out TV deviation, out TV sum, out TV scaledM2, out uint recompute)
        where TV : struct
        where TL : IDoubleLanes<TV>
        where TC : struct, IVariant
    {
        var lanes = TL.Count;
        var zero = TL.Broadcast(0);
        var one = TL.Broadcast(1);
        var c = TL.Load(ref m[0]);
        var a = TL.Load(ref m[lanes]);
        var b = TL.Load(ref m[2 * lanes]);
        var k = TL.Load(ref m[3 * lanes]);
        var p = TL.Load(ref m[4 * lanes]);

        // Before the window fills y is NaN: subtracting its zeros leaves the sums exactly as they are. In the clean
        // variant x and y are finite and k stays the full window (k + 1 − 1 = k exactly).
        deviation = TL.Subtract(x, c);
        var fx = TL.IsFinite(x);
        var dx = TC.IsClean ? deviation : TL.And(fx, deviation);
        var dx2 = TL.Multiply(dx, dx);
        a = TL.Add(a, dx);
        b = TL.Add(b, dx2);
        p = TL.Max(p, dx2);
        var fy = TL.IsFinite(y);
        var dy = TC.IsClean ? TL.Subtract(y, c) : TL.And(fy, TL.Subtract(y, c));
        a = TL.Subtract(a, dy);
        b = TL.Subtract(b, TL.Multiply(dy, dy));
        var nonEmpty = fx;
        if (!TC.IsClean)
        {
            k = TL.Subtract(TL.Add(k, TL.And(fx, one)), TL.And(fy, one));
            nonEmpty = TL.GreaterThan(k, zero);
            a = TL.And(nonEmpty, a);
            b = TL.And(nonEmpty, b);
            p = TL.And(nonEmpty, p);
        }

        // peak·k > ratio·M2 with M2 = b − a²/k, multiplied through by k to avoid a division.
        var kM2 = TL.Subtract(TL.Multiply(b, k), TL.Multiply(a, a));
        var trigger = TL.GreaterThan(TL.Multiply(TL.Multiply(p, k), k), TL.Multiply(TL.Broadcast(RecomputeRatio), kM2));
        recompute = TL.MaskBits(TL.And(nonEmpty, trigger));
        TL.Store(a, ref m[lanes]);
        TL.Store(b, ref m[2 * lanes]);
        TL.Store(k, ref m[3 * lanes]);
        TL.Store(p, ref m[4 * lanes]);
        sum = a;
        scaledM2 = TL.Max(kM2, zero);
        return k;
    }

    /// <summary>√((k − 1)/(k·kM2)): z = u·this for u = k·(x − mean), kM2 = k·Σ(x − mean)² (ddof 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV ScaledInverseStd<TV, TL>(TV k, TV scaledM2)
        where TV : struct
        where TL : IDoubleLanes<TV> =>
        TL.Sqrt(TL.Divide(TL.Subtract(k, TL.Broadcast(1)), TL.Multiply(k, scaledM2)));

    /// <summary>Sample std (ddof 1) from k and kM2 = k·Σ(x − mean)².</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Std<TV, TL>(TV k, TV scaledM2)
        where TV : struct
        where TL : IDoubleLanes<TV> =>
        TL.Sqrt(TL.Divide(scaledM2, TL.Multiply(k, TL.Subtract(k, TL.Broadcast(1)))));

    /// <summary>Suffix max and min of close over the last `window` rows before <paramref name="row"/> (missing = ∓∞).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Suffixes<TV, TL>(float* row, int n, int window, int count, float* suffixMax, float* suffixMin, TV negativeInfinity, TV positiveInfinity)
        where TV : struct
        where TL : IDoubleLanes<TV>
    {
        // Row by row, newest first, each row's suffix from the one below it: the loads run along rows (one line
        // stream per row) rather than down columns.
        for (var q = window - 1; q >= 0; q--)
        {
            var source = row + (long)(q - window) * n;
            float* max = suffixMax + (long)q * count, min = suffixMin + (long)q * count;
            var last = q == window - 1;
            for (var l = 0; l < count; l += TL.Count)
            {
                var x = TL.LoadWiden(ref source[l]);
                var fx = TL.IsFinite(x);
                var g = last ? negativeInfinity : TL.LoadWiden(ref max[l + count]);
                var h = last ? positiveInfinity : TL.LoadWiden(ref min[l + count]);
                TL.StoreNarrow(TL.Max(g, TL.Select(fx, x, negativeInfinity)), ref max[l]);
                TL.StoreNarrow(TL.Min(h, TL.Select(fx, x, positiveInfinity)), ref min[l]);
            }
        }
    }

    /// <summary>Recomputes the queued lanes of the moment series exactly and rewrites the outputs that depend on them.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Recompute(long* pending, int pendingCount, double* state, int lanes, int first, int i)
    {
        for (var q = 0; q < pendingCount; q++)
        {
            var l = (int)(pending[q] >> 32);
            for (var series = Series.Close; series <= Series.Volume; series++)
            {
                RecomputeSeries(series, (uint)(pending[q] >> (8 * (int)series)) & 0xFFu, state, l, lanes, first, i);
            }
        }
    }

    private void RecomputeSeries(Series series, uint bits, double* state, int l, int lanes, int first, int i)
    {
        var source = series switch
        {
            Series.Close => _close,
            Series.Return => _outputs[0],
            _ => _volume,
        };
        var field = series switch
        {
            Series.Close => CloseMoments,
            Series.Return => ReturnMoments,
            _ => VolumeMoments,
        };
        while (bits != 0)
        {
            var lane = BitOperations.TrailingZeroCount(bits);
            bits &= bits - 1;
            var symbol = first + l + lane;
            var (shift, s1, s2, k, peak) = Exact(source, symbol, i);
            var m = state + (long)l * StateRows + field * lanes + lane;
            m[0] = shift;
            m[lanes] = s1;
            m[2 * lanes] = s2;
            m[3 * lanes] = k;
            m[4 * lanes] = peak;

            var cell = (long)i * _n + symbol;
            var x = (double)source[cell];
            var valid = k >= _window;
            var scaledM2 = Math.Max(s2 * k - s1 * s1, 0);
            var u = k * (x - shift) - s1;
            switch (series)
            {
                case Series.Close:
                    _outputs[1][cell] = valid ? (float)(0 - u * (1 / (k * x))) : float.NaN;
                    _outputs[3][cell] = valid ? (float)(u * ScaledInverseStd<double, ScalarLanes>(k, scaledM2)) : float.NaN;
                    break;
                case Series.Return:
                    _outputs[2][cell] = valid ? (float)Std<double, ScalarLanes>(k, scaledM2) : float.NaN;
                    break;
                default:
                    _outputs[7][cell] = valid ? (float)(u * ScaledInverseStd<double, ScalarLanes>(k, scaledM2)) : float.NaN;
                    break;
            }
        }
    }

    /// <summary>Exact sums of one symbol's window ending at row i, shifted by its newest finite value.</summary>
    private (double Shift, double S1, double S2, double Count, double Peak) Exact(float* source, int symbol, int i) =>
        ExactWindowMoments.Of(source, _n, _window, symbol, i);
}
