using System.Runtime.CompilerServices;

namespace QuantPipeline.Core.Compute.Managed;

/// <summary>
/// Rolling quantile (linear interpolation between order statistics, pandas' default) from a sorted copy of each
/// symbol's window, kept transposed so one vector holds the k-th smallest value of several symbols. A step removes
/// the leaving value y and inserts the newest x in one branch-free pass over the slots:
/// R[k] = S[k] &lt; y ? S[k] : S[k+1] (drop the first y), then S'[k] = R[k] &lt; x ? R[k] : max(R[k−1], x).
/// Missing values sort as +∞ at the end and a finite count says how many slots hold values. Sorting moves float32
/// values without arithmetic, so it runs in float32 lanes; the interpolation is float64, as in the two-pass result.
/// </summary>
internal readonly unsafe struct SortedWindowKernel : IFloatColumnKernel
{
    private readonly float* _src;
    private readonly float* _dst;
    private readonly int _t;
    private readonly int _n;
    private readonly int _window;
    private readonly int _required;
    private readonly double _quantile;

    public SortedWindowKernel(float* src, float* dst, int t, int n, int window, int required, double quantile)
    {
        _src = src;
        _dst = dst;
        _t = t;
        _n = n;
        _window = window;
        _required = Math.Max(required, 1);
        _quantile = quantile;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run<TV, TL>(int first, int count)
        where TV : struct
        where TL : IFloatLanes<TV>
    {
        var slots = Math.Min(_window, Math.Max(_t, 1));
        var width = TL.Count;
        var sorted = new float[slots * width];
        var counts = new float[width];
        var one = TL.Broadcast(1);
        var zero = TL.Broadcast(0);
        var missing = TL.Broadcast(float.PositiveInfinity);
        var below = TL.Broadcast(float.NegativeInfinity);
        fixed (float* s = sorted)
        fixed (float* finiteCounts = counts)
        {
            for (var l = first; l < first + count; l += width)
            {
                var column = _src + l;
                new Span<float>(s, sorted.Length).Fill(float.PositiveInfinity);
                var finiteCount = zero;
                for (var i = 0; i < _t; i++)
                {
                    var x = TL.Load(ref column[(long)i * _n]);
                    var fx = TL.IsFinite(x);
                    x = TL.Select(fx, x, missing);
                    finiteCount = TL.Add(finiteCount, TL.And(fx, one));
                    var y = missing;
                    if (i >= _window)
                    {
                        y = TL.Load(ref column[(long)(i - _window) * _n]);
                        var fy = TL.IsFinite(y);
                        y = TL.Select(fy, y, missing);
                        finiteCount = TL.Subtract(finiteCount, TL.And(fy, one));
                    }

                    // Slots at and beyond i + 1 are still the initial +∞ before the window fills.
                    var used = Math.Min(i + 1, slots);
                    var previous = below;
                    var current = TL.Load(ref s[0]);
                    for (var k = 0; k < used; k++)
                    {
                        var next = k + 1 < used ? TL.Load(ref s[(k + 1) * width]) : missing;
                        var removed = TL.Select(TL.GreaterThan(y, current), current, next);
                        TL.Store(TL.Select(TL.GreaterThan(x, removed), removed, TL.Max(previous, x)), ref s[k * width]);
                        previous = removed;
                        current = next;
                    }

                    TL.Store(finiteCount, ref finiteCounts[0]);
                    var outRow = _dst + (long)i * _n + l;
                    for (var lane = 0; lane < width; lane++)
                    {
                        var m = (int)finiteCounts[lane];
                        if (m < _required)
                        {
                            outRow[lane] = float.NaN;
                            continue;
                        }

                        var position = _quantile * (m - 1);
                        var lo = (int)Math.Floor(position);
                        var hi = Math.Min(lo + 1, m - 1);
                        double low = s[lo * width + lane];
                        outRow[lane] = (float)(low + (s[hi * width + lane] - low) * (position - lo));
                    }
                }
            }
        }
    }
}
