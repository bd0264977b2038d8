using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using QuantPipeline.Core.Backtest;

namespace QuantPipeline.Benchmarks;

/// <summary>
/// W2 sweep: 1,000 variants of the daily-3000x2520 backtest in one call — 5 quantiles × 20 commissions × 2 delays ×
/// 5 rebalance intervals. A few seconds per call, so a monitoring job with 3 measured calls; divide by 1,000 for the
/// per-variant figure.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class W2SweepBenchmarks
{
    private BacktestInputs _inputs = null!;
    private IReadOnlyList<BacktestOptions> _variants = [];

    [Params(3000)]
    public int N { get; set; }

    [Params(2520)]
    public int T { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _inputs = W2Data.Create(N, T);
        _variants = BacktestSweep.Grid(
            new BacktestOptions { DelayBars = 0, HalfSpreadBps = 1 },
            [0.05, 0.1, 0.15, 0.2, 0.25],
            Enumerable.Range(0, 20).Select(c => (double)c),
            [0, 1],
            [1, 2, 3, 5, 10]);
    }

    [Benchmark]
    public int W2Sweep1000() => BacktestSweep.Run(_inputs, _variants).Count;
}
