using System.Numerics;
using System.Runtime.CompilerServices;

namespace QuantPipeline.Core.Compute.Managed;

/// <summary>How a moment statistic is finished from the window's count, shift and shifted power sums.</summary>
internal interface IMomentOperator
{
    static abstract TV Invoke<TV, TL>(TV count, TV shift, TV s1, TV s2, TV ddof)
        where TV : struct
        where TL : IDoubleLanes<TV>;
}

/// <summary>
/// Rolling sum / mean / var / std / count in O(1) per step. Per symbol the window's values are accumulated relative
/// to a shift c: s1 = Σ(x − c), s2 = Σ(x − c)². When cancellation could have cost precision — the largest squared
/// deviation added since the last exact pass, times the count, exceeds 2^16 × the window's M2 (a 1e17 outlier leaving,
/// or c drifting far from the window) — that symbol's sums are recomputed exactly from the window with c = its newest
/// finite value. The check is vectorised; recomputation is rare and O(window).
/// </summary>
internal readonly unsafe struct RollingMomentsKernel<TOp> : IColumnKernel
    where TOp : IMomentOperator
{
    private const double RecomputeRatio = 65536.0;

    private readonly float* _src;
    private readonly float* _dst;
    private readonly int _t;
    private readonly int _n;
    private readonly int _window;
    private readonly int _required;
    private readonly int _ddof;

    public RollingMomentsKernel(float* src, float* dst, int t, int n, int window, int required, int ddof)
    {
        _src = src;
        _dst = dst;
        _t = t;
        _n = n;
        _window = window;
        _required = required;
        _ddof = ddof;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run<TV, TL>(int first, int count)
        where TV : struct
        where TL : IDoubleLanes<TV>
    {
        var state = new double[5 * count];
        var pending = new long[count / TL.Count + 1];
        var pendingCount = 0;
        fixed (double* statePtr = state)
        {
            double* shift = statePtr, s1 = statePtr + count, s2 = statePtr + 2 * count, cnt = statePtr + 3 * count, peak = statePtr + 4 * count;
            var zero = TL.Broadcast(0);
            var one = TL.Broadcast(1);
            var nan = TL.Broadcast(double.NaN);
            var required = TL.Broadcast(_required);
            var ddof = TL.Broadcast(_ddof);
            var ratio = TL.Broadcast(RecomputeRatio);
            for (var i = 0; i < _t; i++)
            {
                var row = _src + (long)i * _n + first;
                var leavingRow = i >= _window ? _src + (long)(i - _window) * _n + first : null;
                var outRow = _dst + (long)i * _n + first;
                for (var l = 0; l < count; l += TL.Count)
                {
                    var c = TL.Load(ref shift[l]);
                    var a = TL.Load(ref s1[l]);
                    var b = TL.Load(ref s2[l]);
                    var k = TL.Load(ref cnt[l]);
                    var p = TL.Load(ref peak[l]);

                    var x = TL.LoadWiden(ref row[l]);
                    var fx = TL.IsFinite(x);
                    var dx = TL.Select(fx, TL.Subtract(x, c), zero);
                    var dx2 = TL.Multiply(dx, dx);
                    a = TL.Add(a, dx);
                    b = TL.Add(b, dx2);
                    k = TL.Add(k, TL.And(fx, one));
                    p = TL.Max(p, dx2);

                    if (leavingRow != null)
                    {
                        var y = TL.LoadWiden(ref leavingRow[l]);
                        var fy = TL.IsFinite(y);
                        var dy = TL.Select(fy, TL.Subtract(y, c), zero);
                        a = TL.Subtract(a, dy);
                        b = TL.Subtract(b, TL.Multiply(dy, dy));
                        k = TL.Subtract(k, TL.And(fy, one));
                    }

                    var nonEmpty = TL.GreaterThan(k, zero);
                    a = TL.And(nonEmpty, a);
                    b = TL.And(nonEmpty, b);
                    p = TL.And(nonEmpty, p);
                    // peak·k > ratio·M2 with M2 = b − a²/k, multiplied through by k to avoid a division.
                    var kM2 = TL.Subtract(TL.Multiply(b, k), TL.Multiply(a, a));
                    var trigger = TL.GreaterThan(TL.Multiply(TL.Multiply(p, k), k), TL.Multiply(ratio, kM2));
                    // Recomputation happens after the row's vector loop: a call inside it would make the JIT spill
                    // every vector register around it.
                    var bits = TL.MaskBits(TL.And(nonEmpty, trigger));
                    if (bits != 0)
                    {
                        pending[pendingCount++] = ((long)l << 32) | bits;
                    }

                    TL.Store(a, ref s1[l]);
                    TL.Store(b, ref s2[l]);
                    TL.Store(k, ref cnt[l]);
                    TL.Store(p, ref peak[l]);
                    var value = TOp.Invoke<TV, TL>(k, c, a, b, ddof);
                    TL.StoreNarrow(TL.Select(TL.GreaterThanOrEqual(k, required), value, nan), ref outRow[l]);
                }

                for (var q = 0; q < pendingCount; q++)
                {
                    var l = (int)(pending[q] >> 32);
                    var bits = (uint)pending[q];
                    while (bits != 0)
                    {
                        var lane = l + BitOperations.TrailingZeroCount(bits);
                        bits &= bits - 1;
                        Recompute(first + lane, i, ref shift[lane], ref s1[lane], ref s2[lane], ref cnt[lane], ref peak[lane]);
                        var exact = TOp.Invoke<double, ScalarLanes>(cnt[lane], shift[lane], s1[lane], s2[lane], _ddof);
                        outRow[lane] = cnt[lane] >= _required ? (float)exact : float.NaN;
                    }
                }

                pendingCount = 0;
            }
        }
    }

    /// <summary>Exact two-pass-quality sums for one symbol's window ending at row i, shifted by its newest finite value.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Recompute(int symbol, int i, ref double shift, ref double s1, ref double s2, ref double count, ref double peak) =>
        (shift, s1, s2, count, peak) = ExactWindowMoments.Of(_src, _n, _window, symbol, i);
}
