using System.Runtime.CompilerServices;

namespace QuantPipeline.Core.Compute.Managed;

/// <summary>The combine step of a rolling extremum (max or min) and the value a missing slot takes.</summary>
internal interface IExtremumOperator
{
    static abstract double Identity { get; }

    static abstract TV Invoke<TV, TL>(TV a, TV b)
        where TV : struct
        where TL : IDoubleLanes<TV>;

    /// <summary>All-ones lanes where <paramref name="candidate"/> is strictly better than <paramref name="best"/>.</summary>
    static abstract TV Improves<TV, TL>(TV candidate, TV best)
        where TV : struct
        where TL : IDoubleLanes<TV>;
}

internal readonly struct MaxOperator : IExtremumOperator
{
    public static double Identity => double.NegativeInfinity;

    public static TV Invoke<TV, TL>(TV a, TV b)
        where TV : struct
        where TL : IDoubleLanes<TV> => TL.Max(a, b);

    public static TV Improves<TV, TL>(TV candidate, TV best)
        where TV : struct
        where TL : IDoubleLanes<TV> => TL.GreaterThan(candidate, best);
}

internal readonly struct MinOperator : IExtremumOperator
{
    public static double Identity => double.PositiveInfinity;

    public static TV Invoke<TV, TL>(TV a, TV b)
        where TV : struct
        where TL : IDoubleLanes<TV> => TL.Min(a, b);

    public static TV Improves<TV, TL>(TV candidate, TV best)
        where TV : struct
        where TL : IDoubleLanes<TV> => TL.GreaterThan(best, candidate);
}

/// <summary>
/// Rolling max / min by van Herk / Gil-Werman: time is cut into segments of one window; within a segment a backward
/// pass stores suffix extrema and a forward pass keeps the prefix extremum, and a window spanning two segments is
/// combine(suffix of the previous segment, prefix of this one). Three combines per output whatever the window, and
/// branch-free across symbols, unlike a monotonic deque. Missing values take the identity (∓∞); a separate finite
/// count applies min_periods.
/// </summary>
internal readonly unsafe struct RollingExtremaKernel<TOp> : IColumnKernel
    where TOp : IExtremumOperator
{
    private readonly float* _src;
    private readonly float* _dst;
    private readonly int _t;
    private readonly int _n;
    private readonly int _window;
    private readonly int _required;

    public RollingExtremaKernel(float* src, float* dst, int t, int n, int window, int required)
    {
        _src = src;
        _dst = dst;
        _t = t;
        _n = n;
        _window = window;
        _required = Math.Max(required, 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run<TV, TL>(int first, int count)
        where TV : struct
        where TL : IDoubleLanes<TV>
    {
        var segment = Math.Min(_window, Math.Max(_t, 1));
        var suffixes = new double[2 * segment * count];
        var counts = new double[count];
        var identity = TL.Broadcast(TOp.Identity);
        var one = TL.Broadcast(1);
        var nan = TL.Broadcast(double.NaN);
        var required = TL.Broadcast(_required);
        fixed (double* suffixBase = suffixes)
        fixed (double* cnt = counts)
        {
            var previous = suffixBase;
            var current = suffixBase + (long)segment * count;
            for (var s = 0; s < _t; s += _window)
            {
                var e = Math.Min(s + _window, _t);
                for (var l = 0; l < count; l += TL.Count)
                {
                    var g = identity;
                    for (var r = e - 1; r >= s; r--)
                    {
                        var x = TL.LoadWiden(ref _src[(long)r * _n + first + l]);
                        g = TOp.Invoke<TV, TL>(g, TL.Select(TL.IsFinite(x), x, identity));
                        TL.Store(g, ref current[(long)(r - s) * count + l]);
                    }

                    var h = identity;
                    var k = TL.Load(ref cnt[l]);
                    for (var r = s; r < e; r++)
                    {
                        var x = TL.LoadWiden(ref _src[(long)r * _n + first + l]);
                        var fx = TL.IsFinite(x);
                        h = TOp.Invoke<TV, TL>(h, TL.Select(fx, x, identity));
                        k = TL.Add(k, TL.And(fx, one));
                        if (r >= _window)
                        {
                            var y = TL.LoadWiden(ref _src[(long)(r - _window) * _n + first + l]);
                            k = TL.Subtract(k, TL.And(TL.IsFinite(y), one));
                        }

                        // The window [j, r] lies in this segment (prefix h) or spans the previous one (its suffix from j).
                        var j = r - _window + 1;
                        var value = j > 0 && j < s ? TOp.Invoke<TV, TL>(TL.Load(ref previous[(long)(j - (s - _window)) * count + l]), h) : h;
                        TL.StoreNarrow(TL.Select(TL.GreaterThanOrEqual(k, required), value, nan), ref _dst[(long)r * _n + first + l]);
                    }

                    TL.Store(k, ref cnt[l]);
                }

                var swap = previous;
                previous = current;
                current = swap;
            }
        }
    }
}
