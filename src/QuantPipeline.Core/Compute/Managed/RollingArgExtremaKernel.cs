using System.Runtime.CompilerServices;

namespace QuantPipeline.Core.Compute.Managed;

/// <summary>
/// Rolling arg-max / arg-min (1-based from the oldest available slot, ties to the first) by the van Herk / Gil-Werman
/// scheme of <see cref="RollingExtremaKernel{TOp}"/>, carrying each extremum's row with it: the backward pass keeps
/// the suffix extremum and its earliest row (a tie moves the row back), the forward pass the prefix extremum and its
/// first row (only a strictly better value moves it), and a window spanning two segments takes the older suffix
/// unless the prefix is strictly better. O(1) per output whatever the window.
/// </summary>
internal readonly unsafe struct RollingArgExtremaKernel<TOp> : IColumnKernel
    where TOp : IExtremumOperator
{
    private readonly float* _src;
    private readonly float* _dst;
    private readonly int _t;
    private readonly int _n;
    private readonly int _window;
    private readonly int _required;

    public RollingArgExtremaKernel(float* src, float* dst, int t, int n, int window, int required)
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
        var plane = (long)segment * count;
        // Two segments (previous, current) of suffix values and suffix rows.
        var suffixes = new double[4 * plane];
        var counts = new double[count];
        var identity = TL.Broadcast(TOp.Identity);
        var one = TL.Broadcast(1);
        var nan = TL.Broadcast(double.NaN);
        var required = TL.Broadcast(_required);
        fixed (double* suffixBase = suffixes)
        fixed (double* cnt = counts)
        {
            var previous = suffixBase;
            var current = suffixBase + 2 * plane;
            for (var s = 0; s < _t; s += _window)
            {
                var e = Math.Min(s + _window, _t);
                for (var l = 0; l < count; l += TL.Count)
                {
                    var g = identity;
                    var gRow = TL.Broadcast(e - 1);
                    for (var r = e - 1; r >= s; r--)
                    {
                        var x = TL.LoadWiden(ref _src[(long)r * _n + first + l]);
                        x = TL.Select(TL.IsFinite(x), x, identity);
                        var keep = TOp.Improves<TV, TL>(g, x);
                        g = TL.Select(keep, g, x);
                        gRow = TL.Select(keep, gRow, TL.Broadcast(r));
                        var at = (long)(r - s) * count + l;
                        TL.Store(g, ref current[at]);
                        TL.Store(gRow, ref current[plane + at]);
                    }

                    var h = identity;
                    var hRow = TL.Broadcast(s);
                    var k = TL.Load(ref cnt[l]);
                    for (var r = s; r < e; r++)
                    {
                        var x = TL.LoadWiden(ref _src[(long)r * _n + first + l]);
                        var fx = TL.IsFinite(x);
                        var better = TL.And(TOp.Improves<TV, TL>(x, h), fx);
                        h = TL.Select(better, x, h);
                        hRow = TL.Select(better, TL.Broadcast(r), hRow);
                        k = TL.Add(k, TL.And(fx, one));
                        if (r >= _window)
                        {
                            var y = TL.LoadWiden(ref _src[(long)(r - _window) * _n + first + l]);
                            k = TL.Subtract(k, TL.And(TL.IsFinite(y), one));
                        }

                        // The window [j, r] lies in this segment (prefix) or spans the previous one (its suffix from j).
                        var j = r - _window + 1;
                        var row = hRow;
                        if (j > 0 && j < s)
                        {
                            var at = (long)(j - (s - _window)) * count + l;
                            var older = TL.Load(ref previous[at]);
                            row = TL.Select(TOp.Improves<TV, TL>(h, older), hRow, TL.Load(ref previous[plane + at]));
                        }

                        var position = TL.Add(TL.Subtract(row, TL.Broadcast(Math.Max(j, 0))), one);
                        TL.StoreNarrow(TL.Select(TL.GreaterThanOrEqual(k, required), position, nan), ref _dst[(long)r * _n + first + l]);
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
