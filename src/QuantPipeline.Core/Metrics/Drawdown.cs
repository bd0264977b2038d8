namespace QuantPipeline.Core.Metrics;

/// <summary>
/// The deepest peak-to-trough decline of compounded equity (starting at 1 before the first return).
/// Indices point into the returns: equity "at index i" is the equity after return i; a peak index of −1
/// is the starting capital. Recovery is the first index at which equity is back at the peak, or null.
/// </summary>
public sealed record Drawdown(double Depth, int PeakIndex, int TroughIndex, int? RecoveryIndex)
{
    public static Drawdown Compute(ReadOnlySpan<double> returns)
    {
        double equity = 1, peak = 1, worst = 0;
        int peakIndex = -1, worstPeak = -1, worstTrough = -1;
        for (var i = 0; i < returns.Length; i++)
        {
            equity *= 1 + returns[i];
            if (equity >= peak)
            {
                peak = equity;
                peakIndex = i;
                continue;
            }

            var depth = equity / peak - 1;
            if (depth < worst)
            {
                worst = depth;
                worstPeak = peakIndex;
                worstTrough = i;
            }
        }

        if (worstTrough < 0)
        {
            return new Drawdown(0, -1, -1, null);
        }

        // Recovery: replay equity to find the first return of the peak's level after the trough.
        equity = 1;
        double peakLevel = 1;
        int? recovery = null;
        for (var i = 0; i < returns.Length; i++)
        {
            equity *= 1 + returns[i];
            if (i == worstPeak)
            {
                peakLevel = equity;
            }

            if (i > worstTrough && equity >= peakLevel)
            {
                recovery = i;
                break;
            }
        }

        return new Drawdown(worst, worstPeak, worstTrough, recovery);
    }
}
