namespace QuantPipeline.Core.Monitoring;

/// <summary>Trailing-window statistics of a daily series, skipping NaN; NaN until a window holds minPeriods finite values.</summary>
public static class RollingStatistics
{
    public static double[] Mean(ReadOnlySpan<double> series, int window, int minPeriods)
    {
        Check(window, minPeriods);
        var result = new double[series.Length];
        for (var i = 0; i < series.Length; i++)
        {
            var (count, mean, _) = Moments(series, i, window);
            result[i] = count >= minPeriods ? mean : double.NaN;
        }

        return result;
    }

    /// <summary>Annualised Sharpe: mean / std (ddof = 1) × √periodsPerYear, as in PerformanceMetrics.</summary>
    public static double[] Sharpe(ReadOnlySpan<double> returns, int window, int minPeriods, double periodsPerYear = 252.0)
    {
        Check(window, Math.Max(minPeriods, 2));
        var result = new double[returns.Length];
        for (var i = 0; i < returns.Length; i++)
        {
            var (count, mean, sumSquares) = Moments(returns, i, window);
            var std = count > 1 ? Math.Sqrt(sumSquares / (count - 1)) : 0;
            result[i] = count >= Math.Max(minPeriods, 2) && std > 0 ? mean / std * Math.Sqrt(periodsPerYear) : double.NaN;
        }

        return result;
    }

    /// <summary>Count, mean and sum of squared deviations of the finite values in the window ending at <paramref name="end"/>.</summary>
    private static (int Count, double Mean, double SumSquares) Moments(ReadOnlySpan<double> series, int end, int window)
    {
        var start = Math.Max(0, end - window + 1);
        int count = 0;
        double sum = 0;
        for (var k = start; k <= end; k++)
        {
            if (double.IsFinite(series[k]))
            {
                count++;
                sum += series[k];
            }
        }

        var mean = count > 0 ? sum / count : double.NaN;
        double squares = 0;
        for (var k = start; k <= end; k++)
        {
            if (double.IsFinite(series[k]))
            {
                squares += (series[k] - mean) * (series[k] - mean);
            }
        }

        return (count, mean, squares);
    }

    private static void Check(int window, int minPeriods)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(minPeriods, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minPeriods, window);
    }
}
