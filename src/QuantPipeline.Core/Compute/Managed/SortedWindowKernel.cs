using System.Runtime.CompilerServices;

namespace QuantPipeline.Core.Compute.Managed;

/// <summary>
/// Rolling quantile (linear interpolation between order statistics, pandas' default) from a sorted copy of each
/// symbol's window, kept transposed so one vector holds the k-th smallest value of several symbols. A step removes
/// the leaving value y and inserts the newest x in one branch-free pass over the slots:
/// R[k] = S[k] &lt; y ? S[k] : S[k+1] (drop the first y), then S'[k] = R[k] &lt; x ? R[k] : max(R[k−1], x).
/// Missing values sort as +∞ at the end and a finite count m says how many slots hold values; the same pass picks the
/// order statistics lo = ⌊q·(m − 1)⌋ and lo + 1 per lane. Sorting moves the float32 values without arithmetic, so it
/// runs in float32 lanes; the interpolation weight is float32 too, within a float32 rounding of the float64 result.
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
        var one = TL.Broadcast(1);
        var zero = TL.Broadcast(0);
        var missing = TL.Broadcast(float.PositiveInfinity);
        var below = TL.Broadcast(float.NegativeInfinity);
        var quantile = TL.Broadcast((float)_quantile);
        var required = TL.Broadcast(_required);
        var nan = TL.Broadcast(float.NaN);
        fixed (float* s = sorted)
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

                    // The order statistics to interpolate between: lo = ⌊q·(m − 1)⌋ and hi = min(lo + 1, m − 1).
                    var position = TL.Multiply(quantile, TL.Subtract(finiteCount, one));
                    var lo = TL.Floor(position);
                    var hi = TL.Select(TL.GreaterThan(position, lo), TL.Add(lo, one), lo);
                    var low = zero;
                    var high = zero;

                    // Slots at and beyond i + 1 are still the initial +∞ before the window fills.
                    var used = Math.Min(i + 1, slots);
                    var previous = below;
                    var current = TL.Load(ref s[0]);
                    var slot = zero;
                    for (var k = 0; k < used; k++)
                    {
                        var next = k + 1 < used ? TL.Load(ref s[(k + 1) * width]) : missing;
                        var removed = TL.Select(TL.GreaterThan(y, current), current, next);
                        var value = TL.Select(TL.GreaterThan(x, removed), removed, TL.Max(previous, x));
                        TL.Store(value, ref s[k * width]);
                        low = TL.Select(TL.Equals(slot, lo), value, low);
                        high = TL.Select(TL.Equals(slot, hi), value, high);
                        previous = removed;
                        current = next;
                        slot = TL.Add(slot, one);
                    }

                    var result = TL.Add(low, TL.Multiply(TL.Subtract(high, low), TL.Subtract(position, lo)));
                    TL.Store(TL.Select(TL.GreaterThanOrEqual(finiteCount, required), result, nan), ref _dst[(long)i * _n + l]);
                }
            }
        }
    }
}
