using BenchmarkDotNet.Attributes;
using QuantPipeline.Core.Backtest;
using QuantPipeline.Core.Metrics;

namespace QuantPipeline.Benchmarks;

/// <summary>
/// W2 daily-3000x2520: signal → cross-sectional selection → long top decile / short bottom decile, equal weight,
/// dollar-neutral, gross 1 → next-bar PnL − 5 bp × turnover → Sharpe, max drawdown, turnover. Peer:
/// benchmarks/peers/w2_backtest.py (numpy/pandas) on the same shape.
/// </summary>
[MemoryDiagnoser]
public class W2BacktestBenchmarks
{
    private BacktestInputs _inputs = null!;

    [Params(3000)]
    public int N { get; set; }

    [Params(2520)]
    public int T { get; set; }

    [GlobalSetup]
    public void Setup() => _inputs = W2Data.Create(N, T);

    /// <summary>One variant end to end: selection (parallel over bars), the book pass, the metrics.</summary>
    [Benchmark]
    public PerformanceMetrics W2SingleVariant()
    {
        var bars = VectorisedBacktest.Run(_inputs, new BacktestOptions { Quantile = 0.1, CommissionBps = 5, DelayBars = 0 });
        return PerformanceMetrics.Compute(bars.Net, bars.Turnover);
    }
}
