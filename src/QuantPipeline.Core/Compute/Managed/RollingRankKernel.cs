using System.Runtime.CompilerServices;

namespace QuantPipeline.Core.Compute.Managed;

/// <summary>
/// Percentile rank of the newest value among its window's finite values, average ties, in (0, 1]:
/// (less + (equal + 1) / 2) / finite, where equal counts the newest itself; NaN when the newest is missing.
/// O(window) per output but vectorised across symbols in float32 lanes (the counts are small integers, exact in
/// float32, and the one division rounds once as a float64 division narrowed would). Each vector of symbols walks the
/// whole time axis before the next one starts, so its window (window × one cache line) stays in L1 and only the
/// newest row comes from memory.
/// </summary>
internal readonly unsafe struct RollingRankKernel : IFloatColumnKernel
{
    private readonly float* _src;
    private readonly float* _dst;
    private readonly int _t;
    private readonly int _n;
    private readonly int _window;
    private readonly int _required;

    public RollingRankKernel(float* src, float* dst, int t, int n, int window, int required)
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
        where TL : IFloatLanes<TV>
    {
        var zero = TL.Broadcast(0);
        var one = TL.Broadcast(1);
        var half = TL.Broadcast(0.5f);
        var nan = TL.Broadcast(float.NaN);
        var required = TL.Broadcast(_required);
        for (var l = first; l < first + count; l += TL.Count)
        {
            var column = _src + l;
            for (var i = 0; i < _t; i++)
            {
                var newest = TL.Load(ref column[(long)i * _n]);
                var less = zero;
                var atMost = zero;
                var finiteCount = zero;
                for (var r = Math.Max(0, i - _window + 1); r <= i; r++)
                {
                    var value = TL.Load(ref column[(long)r * _n]);
                    // A missing slot counts nowhere: NaN compares false, but −∞ would count as below.
                    var unit = TL.And(TL.IsFinite(value), one);
                    finiteCount = TL.Add(finiteCount, unit);
                    less = TL.Add(less, TL.And(TL.GreaterThan(newest, value), unit));
                    atMost = TL.Add(atMost, TL.And(TL.GreaterThanOrEqual(newest, value), unit));
                }

                // atMost − less = the values equal to the newest, itself included.
                var rank = TL.Divide(TL.Add(less, TL.Multiply(TL.Add(TL.Subtract(atMost, less), one), half)), finiteCount);
                var valid = TL.And(TL.IsFinite(newest), TL.GreaterThanOrEqual(finiteCount, required));
                TL.Store(TL.Select(valid, rank, nan), ref _dst[(long)i * _n + l]);
            }
        }
    }
}
