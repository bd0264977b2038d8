using System.Numerics;
using System.Runtime.CompilerServices;

namespace QuantPipeline.Core.Compute.Managed;

/// <summary>
/// Rolling covariance / correlation of two series in O(1) per step over the complete pairs (both values finite).
/// Each series is kept relative to its own per-symbol shift, with <see cref="RollingMomentsKernel{TOp}"/>'s
/// recompute trigger applied to either side: when a side's largest squared deviation since the last exact pass,
/// times the count, exceeds 2^16 × its window M2, the symbol's sums are rebuilt from the window.
/// </summary>
internal readonly unsafe struct RollingCoMomentKernel<TOp> : IColumnKernel
    where TOp : ICoMomentOperator
{
    private const double RecomputeRatio = 65536.0;
    private const int StateArrays = 10;

    private readonly float* _a;
    private readonly float* _b;
    private readonly float* _dst;
    private readonly int _t;
    private readonly int _n;
    private readonly int _window;
    private readonly int _required;
    private readonly int _ddof;

    public RollingCoMomentKernel(float* a, float* b, float* dst, int t, int n, int window, int required, int ddof)
    {
        _a = a;
        _b = b;
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
        var state = new double[StateArrays * count];
        var pending = new long[count / TL.Count + 1];
        var pendingCount = 0;
        fixed (double* statePtr = state)
        {
            var shiftA = statePtr;
            var shiftB = statePtr + count;
            var cnt = statePtr + 2 * count;
            var sumA = statePtr + 3 * count;
            var sumAa = statePtr + 4 * count;
            var sumB = statePtr + 5 * count;
            var sumBb = statePtr + 6 * count;
            var sumAb = statePtr + 7 * count;
            var peakA = statePtr + 8 * count;
            var peakB = statePtr + 9 * count;
            var zero = TL.Broadcast(0);
            var one = TL.Broadcast(1);
            var nan = TL.Broadcast(double.NaN);
            var required = TL.Broadcast(_required);
            var ddof = TL.Broadcast(_ddof);
            var ratio = TL.Broadcast(RecomputeRatio);
            for (var i = 0; i < _t; i++)
            {
                var offset = (long)i * _n + first;
                var leaving = i >= _window ? (long)(i - _window) * _n + first : -1;
                var outRow = _dst + offset;
                for (var l = 0; l < count; l += TL.Count)
                {
                    var ca = TL.Load(ref shiftA[l]);
                    var cb = TL.Load(ref shiftB[l]);
                    var k = TL.Load(ref cnt[l]);
                    var sa = TL.Load(ref sumA[l]);
                    var saa = TL.Load(ref sumAa[l]);
                    var sb = TL.Load(ref sumB[l]);
                    var sbb = TL.Load(ref sumBb[l]);
                    var sab = TL.Load(ref sumAb[l]);
                    var pa = TL.Load(ref peakA[l]);
                    var pb = TL.Load(ref peakB[l]);

                    var xa = TL.LoadWiden(ref _a[offset + l]);
                    var xb = TL.LoadWiden(ref _b[offset + l]);
                    var fx = TL.And(TL.IsFinite(xa), TL.IsFinite(xb));
                    var da = TL.Select(fx, TL.Subtract(xa, ca), zero);
                    var db = TL.Select(fx, TL.Subtract(xb, cb), zero);
                    var da2 = TL.Multiply(da, da);
                    var db2 = TL.Multiply(db, db);
                    k = TL.Add(k, TL.And(fx, one));
                    sa = TL.Add(sa, da);
                    saa = TL.Add(saa, da2);
                    sb = TL.Add(sb, db);
                    sbb = TL.Add(sbb, db2);
                    sab = TL.Add(sab, TL.Multiply(da, db));
                    pa = TL.Max(pa, da2);
                    pb = TL.Max(pb, db2);

                    if (leaving >= 0)
                    {
                        var ya = TL.LoadWiden(ref _a[leaving + l]);
                        var yb = TL.LoadWiden(ref _b[leaving + l]);
                        var fy = TL.And(TL.IsFinite(ya), TL.IsFinite(yb));
                        var ea = TL.Select(fy, TL.Subtract(ya, ca), zero);
                        var eb = TL.Select(fy, TL.Subtract(yb, cb), zero);
                        k = TL.Subtract(k, TL.And(fy, one));
                        sa = TL.Subtract(sa, ea);
                        saa = TL.Subtract(saa, TL.Multiply(ea, ea));
                        sb = TL.Subtract(sb, eb);
                        sbb = TL.Subtract(sbb, TL.Multiply(eb, eb));
                        sab = TL.Subtract(sab, TL.Multiply(ea, eb));
                    }

                    var nonEmpty = TL.GreaterThan(k, zero);
                    sa = TL.And(nonEmpty, sa);
                    saa = TL.And(nonEmpty, saa);
                    sb = TL.And(nonEmpty, sb);
                    sbb = TL.And(nonEmpty, sbb);
                    sab = TL.And(nonEmpty, sab);
                    pa = TL.And(nonEmpty, pa);
                    pb = TL.And(nonEmpty, pb);
                    var kk = TL.Multiply(k, k);
                    var kSaa = TL.Subtract(TL.Multiply(saa, k), TL.Multiply(sa, sa));
                    var kSbb = TL.Subtract(TL.Multiply(sbb, k), TL.Multiply(sb, sb));
                    var trigger = TL.Or(
                        TL.GreaterThan(TL.Multiply(pa, kk), TL.Multiply(ratio, kSaa)),
                        TL.GreaterThan(TL.Multiply(pb, kk), TL.Multiply(ratio, kSbb)));
                    var bits = TL.MaskBits(TL.And(nonEmpty, trigger));
                    if (bits != 0)
                    {
                        pending[pendingCount++] = ((long)l << 32) | bits;
                    }

                    TL.Store(k, ref cnt[l]);
                    TL.Store(sa, ref sumA[l]);
                    TL.Store(saa, ref sumAa[l]);
                    TL.Store(sb, ref sumB[l]);
                    TL.Store(sbb, ref sumBb[l]);
                    TL.Store(sab, ref sumAb[l]);
                    TL.Store(pa, ref peakA[l]);
                    TL.Store(pb, ref peakB[l]);
                    var value = TOp.Invoke<TV, TL>(k, sa, saa, sb, sbb, sab, ddof);
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
                        Recompute(first + lane, i, statePtr + lane, count);
                        var exact = TOp.Invoke<double, ScalarLanes>(cnt[lane], sumA[lane], sumAa[lane], sumB[lane], sumBb[lane], sumAb[lane], _ddof);
                        outRow[lane] = cnt[lane] >= _required ? (float)exact : float.NaN;
                    }
                }

                pendingCount = 0;
            }
        }
    }

    /// <summary>Exact sums for one symbol's window ending at row i, each side shifted by its newest complete value.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Recompute(int symbol, int i, double* lane, int stride)
    {
        var start = Math.Max(0, i - _window + 1);
        double ca = 0, cb = 0;
        for (var r = i; r >= start; r--)
        {
            var x = _a[(long)r * _n + symbol];
            var y = _b[(long)r * _n + symbol];
            if (float.IsFinite(x) && float.IsFinite(y))
            {
                ca = x;
                cb = y;
                break;
            }
        }

        double k = 0, sa = 0, saa = 0, sb = 0, sbb = 0, sab = 0, pa = 0, pb = 0;
        for (var r = start; r <= i; r++)
        {
            var x = _a[(long)r * _n + symbol];
            var y = _b[(long)r * _n + symbol];
            if (float.IsFinite(x) && float.IsFinite(y))
            {
                var da = x - ca;
                var db = y - cb;
                k++;
                sa += da;
                saa += da * da;
                sb += db;
                sbb += db * db;
                sab += da * db;
                pa = Math.Max(pa, da * da);
                pb = Math.Max(pb, db * db);
            }
        }

        lane[0] = ca;
        lane[stride] = cb;
        lane[2 * stride] = k;
        lane[3 * stride] = sa;
        lane[4 * stride] = saa;
        lane[5 * stride] = sb;
        lane[6 * stride] = sbb;
        lane[7 * stride] = sab;
        lane[8 * stride] = pa;
        lane[9 * stride] = pb;
    }
}
