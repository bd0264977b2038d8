namespace QuantPipeline.Core.Backtest;

/// <summary>One backtest variant: portfolio construction, constraints, timing and costs.</summary>
public sealed record BacktestOptions
{
    public PortfolioConstruction Construction { get; init; } = PortfolioConstruction.LongShortQuantile;

    /// <summary>Fraction of the valid names in each of the long and short books (0.1 = deciles).</summary>
    public double Quantile { get; init; } = 0.1;

    /// <summary>Names held by <see cref="PortfolioConstruction.LongOnlyTopK"/>.</summary>
    public int TopK { get; init; } = 50;

    /// <summary>Target gross exposure Σ|w| as a multiple of capital.</summary>
    public double GrossLeverage { get; init; } = 1.0;

    /// <summary>Long and short books of equal size; when caps bind on one side the other is scaled down to match.</summary>
    public bool DollarNeutral { get; init; } = true;

    /// <summary>Largest |weight| of one name; what a cap removes stays in cash.</summary>
    public double MaxWeight { get; init; } = double.PositiveInfinity;

    /// <summary>Rebalance on signals of every k-th bar; positions drift with prices in between.</summary>
    public int RebalanceEvery { get; init; } = 1;

    public ExecutionTiming Execution { get; init; } = ExecutionTiming.Close;

    /// <summary>For <see cref="ExecutionTiming.Close"/>: bars between the signal's close and the trade's close (0 = same close).</summary>
    public int DelayBars { get; init; } = 1;

    /// <summary>Commission per unit traded, in basis points of the traded value.</summary>
    public double CommissionBps { get; init; }

    /// <summary>Half the bid-ask spread, in basis points of the traded value (used where no per-name spread panel is given).</summary>
    public double HalfSpreadBps { get; init; }

    /// <summary>
    /// Square-root market impact: a trade of value Q in a name with average dollar volume V costs
    /// ImpactBps · √(Q / V) basis points of Q (so ImpactBps is the cost of trading a whole day's volume).
    /// </summary>
    public double ImpactBps { get; init; }

    /// <summary>Capital in currency units, to turn weights into traded value for the participation Q / V.</summary>
    public double Capital { get; init; } = 1e8;

    /// <summary>Annual fee on the short book, in basis points of its value, charged per bar.</summary>
    public double BorrowBpsPerYear { get; init; }

    /// <summary>Bars per year, for the borrow fee.</summary>
    public double PeriodsPerYear { get; init; } = 252;

    /// <summary>Keep the [T, N] weights after each bar (memory: 8·T·N bytes).</summary>
    public bool RecordPositions { get; init; }

    public void Validate()
    {
        var problems = new List<string>();
        if (Construction == PortfolioConstruction.LongShortQuantile && Quantile is <= 0 or > 0.5)
        {
            problems.Add($"quantile must be in (0, 0.5], got {Quantile}");
        }

        if (Construction == PortfolioConstruction.LongOnlyTopK && TopK < 1)
        {
            problems.Add($"top_k must be at least 1, got {TopK}");
        }

        if (Construction == PortfolioConstruction.LongOnlyTopK && DollarNeutral)
        {
            problems.Add("a long-only top-k book cannot be dollar-neutral; set DollarNeutral = false");
        }

        if (!(GrossLeverage > 0) || double.IsInfinity(GrossLeverage))
        {
            problems.Add($"gross leverage must be positive, got {GrossLeverage}");
        }

        if (!(MaxWeight > 0))
        {
            problems.Add($"max weight per name must be positive, got {MaxWeight}");
        }

        if (RebalanceEvery < 1)
        {
            problems.Add($"rebalance_every must be at least 1 bar, got {RebalanceEvery}");
        }

        if (DelayBars < 0)
        {
            problems.Add($"delay must be 0 or more bars, got {DelayBars}");
        }

        if (CommissionBps < 0 || HalfSpreadBps < 0 || ImpactBps < 0 || BorrowBpsPerYear < 0)
        {
            problems.Add("costs (commission, half-spread, impact, borrow) must not be negative");
        }

        if (!(Capital > 0) || !(PeriodsPerYear > 0))
        {
            problems.Add($"capital ({Capital}) and periods per year ({PeriodsPerYear}) must be positive");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid backtest options: " + string.Join("; ", problems) + ".");
        }
    }
}
