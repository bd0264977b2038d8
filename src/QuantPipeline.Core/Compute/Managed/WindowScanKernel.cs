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

/// <summary>
/// Driver for statistics without an O(1) update here (skew, kurtosis, WMA): per column
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
}
