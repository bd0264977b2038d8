namespace QuantPipeline.Core.Metrics;

/// <summary>How a returns series is annualised and judged.</summary>
public sealed record MetricOptions
{
    /// <summary>Annualisation factor, from the calendar: 252 for daily sessions, 252 × 390 for minute bars.</summary>
    public double PeriodsPerYear { get; init; } = PerformanceMetrics.DailyPeriodsPerYear;

    /// <summary>Annualised Sharpe ratio the probabilistic Sharpe and the minimum track record are measured against.</summary>
    public double BenchmarkSharpe { get; init; }

    /// <summary>Number of strategy variants tried before this one (from the model registry's history); 1 = no selection.</summary>
    public int Trials { get; init; } = 1;

    /// <summary>
    /// Variance of the annualised Sharpe ratios across those trials. When unknown, the sampling variance of this
    /// series' own Sharpe estimate is used: the spread that unskilled trials of the same length would show.
    /// </summary>
    public double? TrialSharpeVariance { get; init; }

    /// <summary>Confidence level of the minimum track-record length.</summary>
    public double Confidence { get; init; } = 0.95;

    /// <summary>Optional bar dates, one per return, used to date the drawdown.</summary>
    public IReadOnlyList<DateOnly>? Dates { get; init; }

    public void Validate(int periods)
    {
        if (!(PeriodsPerYear > 0) || double.IsInfinity(PeriodsPerYear))
        {
            throw new ArgumentOutOfRangeException(nameof(PeriodsPerYear), $"periods per year must be a positive number (252 daily, 98280 minute bars), got {PeriodsPerYear}.");
        }

        if (Trials < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Trials), $"trials must be at least 1, got {Trials}.");
        }

        if (TrialSharpeVariance is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(TrialSharpeVariance), $"trial Sharpe variance must not be negative, got {TrialSharpeVariance}.");
        }

        if (Dates is not null && Dates.Count != periods)
        {
            throw new ArgumentException($"{Dates.Count} dates were given for {periods} returns; give one date per return.", nameof(Dates));
        }
    }
}
