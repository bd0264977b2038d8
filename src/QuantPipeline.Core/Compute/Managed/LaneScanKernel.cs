using System.Runtime.CompilerServices;

namespace QuantPipeline.Core.Compute.Managed;

/// <summary>
/// Driver for window statistics that read every slot (the rank of the newest value): O(window) per output
/// but vectorised across symbols. Each vector of symbols walks the whole time axis before the next one starts, so its
/// window (window × one cache line) stays in L1 and only the newest row is loaded from memory.
/// </summary>
internal readonly unsafe struct LaneScanKernel<TOp> : IColumnKernel
    where TOp : ILaneScanOperator
{
    private readonly float* _src;
    private readonly float* _dst;
    private readonly int _t;
    private readonly int _n;
    private readonly int _window;
    private readonly int _required;

    public LaneScanKernel(float* src, float* dst, int t, int n, int window, int required)
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
        var zero = TL.Broadcast(0);
        var one = TL.Broadcast(1);
        var nan = TL.Broadcast(double.NaN);
        var required = TL.Broadcast(_required);
        var initialA = TL.Broadcast(TOp.InitialA);
        for (var l = first; l < first + count; l += TL.Count)
        {
            var column = _src + l;
            for (var i = 0; i < _t; i++)
            {
                var start = Math.Max(0, i - _window + 1);
                var newest = TL.LoadWiden(ref column[(long)i * _n]);
                var a = initialA;
                var b = zero;
                var finiteCount = zero;
                var slot = zero;
                for (var r = start; r <= i; r++)
                {
                    var value = TL.LoadWiden(ref column[(long)r * _n]);
                    var finite = TL.IsFinite(value);
                    finiteCount = TL.Add(finiteCount, TL.And(finite, one));
                    b = TOp.Step<TV, TL>(value, finite, slot, newest, ref a, b);
                    slot = TL.Add(slot, one);
                }

                var result = TOp.Finish<TV, TL>(a, b, finiteCount, newest);
                TL.StoreNarrow(TL.Select(TL.GreaterThanOrEqual(finiteCount, required), result, nan), ref _dst[(long)i * _n + l]);
            }
        }
    }
}
