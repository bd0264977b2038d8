namespace QuantPipeline.Core.Compute.Managed;

/// <summary>
/// A statistic computed from the whole window at once. <c>window</c> holds the available slots oldest first, NaN where
/// the value is missing; <c>finite</c> counts the others; <c>slotOffset</c> is the x-position of window[0] in a full
/// window (non-zero only while the series is shorter than the window).
/// </summary>
internal interface IWindowOperator
{
    static abstract double Invoke(ReadOnlySpan<double> window, int finite, int slotOffset, in RollingSpec spec, Span<double> scratch);
}

/// <summary>A statistic of two aligned windows; slots where either value is missing are NaN in both.</summary>
internal interface IPairWindowOperator
{
    static abstract double Invoke(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int complete, in RollingSpec spec);
}

/// <summary>
/// Driver for statistics without an O(1) update (rank, quantile, higher moments, regression, arg-extrema): per column
/// block, rows outer and symbols inner, so the window's rows stay in cache while each symbol's window is gathered into
/// a float64 buffer. Two-pass formulas on that buffer are exact to float64 whatever left the window.
/// </summary>
internal static unsafe class WindowScanKernel
{
    internal static void Run<TOp>(float* src, float* dst, int t, int n, RollingSpec spec, int required)
        where TOp : IWindowOperator
    {
        var w = spec.Window;
        ColumnBlocks.For(n, (first, count) =>
        {
            var window = new double[Math.Min(w, Math.Max(t, 1))];
            var scratch = new double[window.Length];
            for (var i = 0; i < t; i++)
            {
                var start = Math.Max(0, i - w + 1);
                var length = i - start + 1;
                var slotOffset = w - length;
                for (var j = first; j < first + count; j++)
                {
                    var finite = 0;
                    for (var r = 0; r < length; r++)
                    {
                        var v = src[(long)(start + r) * n + j];
                        var ok = float.IsFinite(v);
                        window[r] = ok ? v : double.NaN;
                        finite += ok ? 1 : 0;
                    }

                    dst[(long)i * n + j] = finite >= required
                        ? (float)TOp.Invoke(window.AsSpan(0, length), finite, slotOffset, spec, scratch)
                        : float.NaN;
                }
            }
        });
    }

    internal static void RunPair<TOp>(float* a, float* b, float* dst, int t, int n, RollingSpec spec, int required)
        where TOp : IPairWindowOperator
    {
        var w = spec.Window;
        ColumnBlocks.For(n, (first, count) =>
        {
            var wa = new double[Math.Min(w, Math.Max(t, 1))];
            var wb = new double[wa.Length];
            for (var i = 0; i < t; i++)
            {
                var start = Math.Max(0, i - w + 1);
                var length = i - start + 1;
                for (var j = first; j < first + count; j++)
                {
                    var complete = 0;
                    for (var r = 0; r < length; r++)
                    {
                        var x = a[(long)(start + r) * n + j];
                        var y = b[(long)(start + r) * n + j];
                        var ok = float.IsFinite(x) && float.IsFinite(y);
                        wa[r] = ok ? x : double.NaN;
                        wb[r] = ok ? y : double.NaN;
                        complete += ok ? 1 : 0;
                    }

                    dst[(long)i * n + j] = complete >= required
                        ? (float)TOp.Invoke(wa.AsSpan(0, length), wb.AsSpan(0, length), complete, spec)
                        : float.NaN;
                }
            }
        });
    }
}
