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
    private IReadOnlyList<BacktestOptions> _sweep = [];

    [Params(3000)]
    public int N { get; set; }

    [Params(2520)]
    public int T { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        var signal = new float[T * N];
        var returns = new float[T * N];
        for (var k = 0; k < signal.Length; k++)
        {
            // Box–Muller normals; the signal carries a little of the next return so the strategy is not pure noise.
            var z1 = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            var z2 = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            returns[k] = (float)(0.02 * z1);
            signal[k] = (float)z2;
        }

        for (var i = 0; i + 1 < T; i++)
        {
            for (var j = 0; j < N; j++)
            {
                signal[i * N + j] += 2f * returns[(i + 1) * N + j];
            }
        }

        _inputs = new BacktestInputs(signal, returns, T, N);
        // 1,000 variants: 5 quantiles × 20 commissions × 2 delays × 5 rebalance intervals.
        _sweep = BacktestSweep.Grid(
            new BacktestOptions { DelayBars = 0, HalfSpreadBps = 1 },
            [0.05, 0.1, 0.15, 0.2, 0.25],
            Enumerable.Range(0, 20).Select(c => (double)c),
            [0, 1],
            [1, 2, 3, 5, 10]);
    }

    /// <summary>One variant end to end: selection (parallel over bars), the book pass, the metrics.</summary>
    [Benchmark(Baseline = true)]
    public PerformanceMetrics W2SingleVariant()
    {
        var bars = VectorisedBacktest.Run(_inputs, new BacktestOptions { Quantile = 0.1, CommissionBps = 5, DelayBars = 0 });
        return PerformanceMetrics.Compute(bars.Net, bars.Turnover);
    }

    /// <summary>1,000 variants in one call (divide by 1,000 for the per-variant figure).</summary>
    [Benchmark(OperationsPerInvoke = 1)]
    public int W2Sweep1000() => BacktestSweep.Run(_inputs, _sweep).Count;
}
