using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using QuantPipeline.Core.Backtest;
using QuantPipeline.Core.Compute.Gpu;

namespace QuantPipeline.Benchmarks;

/// <summary>
/// W2 sweep on the GPU backend beside the managed sweep on the same shape and variants (quantiles × commissions ×
/// delays × rebalance intervals, as <see cref="W2SweepBenchmarks"/>). With CUDA the shape is W2's 3000 × 2520 with
/// 1,000 variants; on ILGPU's CPU accelerator (no CUDA device) it is a reduced one, since there the kernels only show
/// that they run — GPU figures come from benchmarks/QuantPipeline.GpuCheck on a GPU machine.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class W2GpuSweepBenchmarks
{
    private GpuBackend _gpu = null!;
    private BacktestInputs _inputs = null!;
    private IReadOnlyList<BacktestOptions> _variants = [];

    /// <summary>N × T × variants.</summary>
    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = "";

    public static IEnumerable<string> Shapes()
    {
        using var probe = new GpuBackend();
        yield return probe.IsCuda ? "3000x2520x1000" : "300x252x40";
    }

    [GlobalSetup]
    public void Setup()
    {
        _gpu = new GpuBackend(log: Console.WriteLine);
        var parts = Shape.Split('x').Select(int.Parse).ToArray();
        _inputs = W2Data.Create(parts[0], parts[1]);
        var grid = BacktestSweep.Grid(
            new BacktestOptions { DelayBars = 0, HalfSpreadBps = 1 },
            [0.05, 0.1, 0.15, 0.2, 0.25],
            Enumerable.Range(0, 20).Select(c => (double)c),
            [0, 1],
            [1, 2, 3, 5, 10]);
        // The first variants of the 1,000-variant grid vary commission, delay and rebalancing at one quantile;
        // spread a reduced sweep over the quantiles instead.
        var count = parts[2];
        _variants = Enumerable.Range(0, count).Select(k => grid[(int)((long)k * grid.Count / count)]).ToList();

        // Compiles the kernels outside the measurement.
        GpuBacktestSweep.Run(_gpu, W2Data.Create(40, 30), _variants.Take(2).ToList());
    }

    [GlobalCleanup]
    public void Cleanup() => _gpu.Dispose();

    [Benchmark(Baseline = true)]
    public int ManagedSweep() => BacktestSweep.Run(_inputs, _variants).Count;

    [Benchmark]
    public int GpuSweep() => GpuBacktestSweep.Run(_gpu, _inputs, _variants).Count;
}
