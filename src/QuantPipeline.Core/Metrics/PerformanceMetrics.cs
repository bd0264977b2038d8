namespace QuantPipeline.Core.Metrics;

/// <summary>Performance statistics of a periodic returns series. The annualisation factor is explicit.</summary>
public sealed record PerformanceMetrics(
    double Sharpe,
    double MaxDrawdown,
    double AnnualReturn,
    double AnnualVolatility,
    double MeanTurnover,
    int Periods,
    double PeriodsPerYear)
{
    public const double DailyPeriodsPerYear = 252.0;

    /// <summary>
    /// Sharpe = mean / std (ddof = 1) × √periodsPerYear (zero risk-free rate);
    /// max drawdown = min over t of (equity_t / max_{s≤t} equity_s − 1) on compounded equity starting at 1,
    /// a negative fraction (−0.15 is a 15 % drawdown); annual return = compounded growth to the power periodsPerYear / periods, minus 1.
    /// </summary>
    public static PerformanceMetrics Compute(ReadOnlySpan<double> returns, ReadOnlySpan<double> turnover, double periodsPerYear = DailyPeriodsPerYear)
    {
        if (returns.Length < 2)
        {
            throw new ArgumentException($"At least 2 returns are needed for metrics, got {returns.Length}.", nameof(returns));
        }

        double sum = 0;
        foreach (var r in returns)
        {
            sum += r;
        }

        var mean = sum / returns.Length;
        double squares = 0;
        foreach (var r in returns)
        {
            squares += (r - mean) * (r - mean);
        }

        var std = Math.Sqrt(squares / (returns.Length - 1));
        var sharpe = std > 0 ? mean / std * Math.Sqrt(periodsPerYear) : 0.0;
        var maxDrawdown = ComputeMaxDrawdown(returns);

        double equity = 1;
        foreach (var r in returns)
        {
            equity *= 1 + r;
        }

        var annualReturn = equity > 0 ? Math.Pow(equity, periodsPerYear / returns.Length) - 1 : -1.0;
        double turnoverSum = 0;
        foreach (var x in turnover)
        {
            turnoverSum += x;
        }

        return new PerformanceMetrics(
            sharpe,
            maxDrawdown,
            annualReturn,
            std * Math.Sqrt(periodsPerYear),
            turnover.Length > 0 ? turnoverSum / turnover.Length : 0.0,
            returns.Length,
            periodsPerYear);
    }

    /// <summary>Most negative peak-to-trough decline of compounded equity, as a fraction (≤ 0).</summary>
    public static double ComputeMaxDrawdown(ReadOnlySpan<double> returns)
    {
        double equity = 1, peak = 1, worst = 0;
        foreach (var r in returns)
        {
            equity *= 1 + r;
            peak = Math.Max(peak, equity);
            worst = Math.Min(worst, equity / peak - 1);
        }

        return worst;
    }
}
