using System.Numerics;
using System.Runtime.CompilerServices;

namespace QuantPipeline.Core.Compute.Managed;

/// <summary>
/// Rolling regression of the values on their slot index (slope, R², residual) in O(1) per step. x is measured from
/// the newest row, so moving one row re-bases the sums exactly (Σx −= k, Σx² gets −2Σx + k, Σxy −= Σy); y is kept
/// relative to a per-symbol shift as in <see cref="RollingMomentsKernel{TOp}"/>, with the same recompute trigger:
/// when the largest squared deviation added since the last exact pass, times the count, exceeds 2^16 × the window's
/// Syy, that symbol's sums are rebuilt from the window. A missing value keeps its x-position, as the two-pass
/// definition does.
/// </summary>
internal readonly unsafe struct RollingRegressionKernel<TOp> : IColumnKernel
    where TOp : IRegressionOperator
{
    private const double RecomputeRatio = 65536.0;
    private const int StateArrays = 8;

    private readonly float* _src;
    private readonly float* _dst;
    private readonly int _t;
    private readonly int _n;
    private readonly int _window;
    private readonly int _required;

    public RollingRegressionKernel(float* src, float* dst, int t, int n, int window, int required)
    {
        _src = src;
        _dst = dst;
        _t = t;
        _n = n;
        _window = window;
        _required = required;
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
            var shift = statePtr;
            var cnt = statePtr + count;
            var sumX = statePtr + 2 * count;
            var sumXx = statePtr + 3 * count;
            var sumY = statePtr + 4 * count;
            var sumYy = statePtr + 5 * count;
            var sumXy = statePtr + 6 * count;
            var peak = statePtr + 7 * count;
            var zero = TL.Broadcast(0);
            var one = TL.Broadcast(1);
            var two = TL.Broadcast(2);
            var nan = TL.Broadcast(double.NaN);
            var required = TL.Broadcast(_required);
            var ratio = TL.Broadcast(RecomputeRatio);
            var leavingX = TL.Broadcast(_window);
            var leavingXx = TL.Broadcast((double)_window * _window);
            for (var i = 0; i < _t; i++)
            {
                var row = _src + (long)i * _n + first;
                var leavingRow = i >= _window ? _src + (long)(i - _window) * _n + first : null;
                var outRow = _dst + (long)i * _n + first;
                for (var l = 0; l < count; l += TL.Count)
                {
                    var c = TL.Load(ref shift[l]);
                    var k = TL.Load(ref cnt[l]);
                    var sx = TL.Load(ref sumX[l]);
                    var sxx = TL.Load(ref sumXx[l]);
                    var sy = TL.Load(ref sumY[l]);
                    var syy = TL.Load(ref sumYy[l]);
                    var sxy = TL.Load(ref sumXy[l]);
                    var p = TL.Load(ref peak[l]);

                    // Every slot moves one step further from the newest row.
                    sxy = TL.Subtract(sxy, sy);
                    sxx = TL.Add(TL.Subtract(sxx, TL.Multiply(two, sx)), k);
                    sx = TL.Subtract(sx, k);

                    if (leavingRow != null)
                    {
                        // The leaving slot sits at x = −window.
                        var y = TL.LoadWiden(ref leavingRow[l]);
                        var fy = TL.IsFinite(y);
                        var dy = TL.Select(fy, TL.Subtract(y, c), zero);
                        k = TL.Subtract(k, TL.And(fy, one));
                        sx = TL.Add(sx, TL.And(fy, leavingX));
                        sxx = TL.Subtract(sxx, TL.And(fy, leavingXx));
                        sy = TL.Subtract(sy, dy);
                        syy = TL.Subtract(syy, TL.Multiply(dy, dy));
                        sxy = TL.Add(sxy, TL.Multiply(leavingX, dy));
                    }

                    // The newest slot sits at x = 0: it adds to the count and the y sums only.
                    var x = TL.LoadWiden(ref row[l]);
                    var fx = TL.IsFinite(x);
                    var dx = TL.Select(fx, TL.Subtract(x, c), zero);
                    var dx2 = TL.Multiply(dx, dx);
                    k = TL.Add(k, TL.And(fx, one));
                    sy = TL.Add(sy, dx);
                    syy = TL.Add(syy, dx2);
                    p = TL.Max(p, dx2);

                    var nonEmpty = TL.GreaterThan(k, zero);
                    sx = TL.And(nonEmpty, sx);
                    sxx = TL.And(nonEmpty, sxx);
                    sy = TL.And(nonEmpty, sy);
                    syy = TL.And(nonEmpty, syy);
                    sxy = TL.And(nonEmpty, sxy);
                    p = TL.And(nonEmpty, p);
                    var kSyy = TL.Subtract(TL.Multiply(syy, k), TL.Multiply(sy, sy));
                    var trigger = TL.GreaterThan(TL.Multiply(TL.Multiply(p, k), k), TL.Multiply(ratio, kSyy));
                    var bits = TL.MaskBits(TL.And(nonEmpty, trigger));
                    if (bits != 0)
                    {
                        pending[pendingCount++] = ((long)l << 32) | bits;
                    }

                    TL.Store(k, ref cnt[l]);
                    TL.Store(sx, ref sumX[l]);
                    TL.Store(sxx, ref sumXx[l]);
                    TL.Store(sy, ref sumY[l]);
                    TL.Store(syy, ref sumYy[l]);
                    TL.Store(sxy, ref sumXy[l]);
                    TL.Store(p, ref peak[l]);
                    var value = TOp.Invoke<TV, TL>(k, sx, sxx, sy, syy, sxy, TL.Select(fx, dx, nan));
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
                        var newest = row[lane];
                        var exact = TOp.Invoke<double, ScalarLanes>(
                            cnt[lane], sumX[lane], sumXx[lane], sumY[lane], sumYy[lane], sumXy[lane], float.IsFinite(newest) ? newest - shift[lane] : double.NaN);
                        outRow[lane] = cnt[lane] >= _required ? (float)exact : float.NaN;
                    }
                }

                pendingCount = 0;
            }
        }
    }

    /// <summary>Exact sums for one symbol's window ending at row i, shifted by its newest finite value.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Recompute(int symbol, int i, double* lane, int stride)
    {
        var start = Math.Max(0, i - _window + 1);
        var c = 0.0;
        for (var r = i; r >= start; r--)
        {
            var v = _src[(long)r * _n + symbol];
            if (float.IsFinite(v))
            {
                c = v;
                break;
            }
        }

        double k = 0, sx = 0, sxx = 0, sy = 0, syy = 0, sxy = 0, p = 0;
        for (var r = start; r <= i; r++)
        {
            var v = _src[(long)r * _n + symbol];
            if (float.IsFinite(v))
            {
                double x = r - i;
                var d = v - c;
                k++;
                sx += x;
                sxx += x * x;
                sy += d;
                syy += d * d;
                sxy += x * d;
                p = Math.Max(p, d * d);
            }
        }

        lane[0] = c;
        lane[stride] = k;
        lane[2 * stride] = sx;
        lane[3 * stride] = sxx;
        lane[4 * stride] = sy;
        lane[5 * stride] = syy;
        lane[6 * stride] = sxy;
        lane[7 * stride] = p;
    }
}
