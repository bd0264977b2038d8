namespace QuantPipeline.Core.Backtest;

/// <summary>
/// Per-bar outcome of <see cref="VectorisedBacktest"/>, one entry per bar. Returns and costs are fractions of
/// capital; net = gross − commission − spread − impact − borrow. Turnover is Σ|Δw| over the bar's trades, forced
/// closes included; exposures and counts are those held at the bar's close.
/// </summary>
public sealed record BacktestBars(
    double[] Gross,
    double[] Net,
    double[] Turnover,
    double[] Commission,
    double[] Spread,
    double[] Impact,
    double[] Borrow,
    double[] LongExposure,
    double[] ShortExposure,
    int[] Longs,
    int[] Shorts,
    int[] ForcedCloses)
{
    /// <summary>[T, N] weights at each bar's close when <see cref="BacktestOptions.RecordPositions"/> was set.</summary>
    public double[]? Positions { get; init; }

    public int T => Gross.Length;

    /// <summary>Gross exposure (long + short) per bar.</summary>
    public double[] GrossExposure()
    {
        var g = new double[T];
        for (var i = 0; i < g.Length; i++)
        {
            g[i] = LongExposure[i] + ShortExposure[i];
        }

        return g;
    }

    internal static BacktestBars Allocate(int t) => new(
        new double[t], new double[t], new double[t], new double[t], new double[t], new double[t],
        new double[t], new double[t], new double[t], new int[t], new int[t], new int[t]);
}
