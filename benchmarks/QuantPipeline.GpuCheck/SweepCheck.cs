using System.Diagnostics;
using QuantPipeline.Benchmarks;
using QuantPipeline.Core.Backtest;
using QuantPipeline.Core.Compute.Gpu;

namespace QuantPipeline.GpuCheck;

/// <summary>
/// The backtest sweep on the device: first a small panel with delistings, missing prices and opens, per-name
/// spreads and volumes, where every variant's every per-bar field must equal the managed engine's; then W2's sweep
/// (quantiles × commissions × delays × rebalance intervals, 1,000 variants by default) timed as one call and
/// compared variant by variant with the managed sweep on this host.
/// </summary>
internal static class SweepCheck
{
    private const double Tolerance = 1e-9;

    public static (int Failed, int Total) Run(GpuBackend gpu, int n, int t, int variantCount, int runs)
    {
        var failed = 0;
        var total = 0;
        void Report(bool passed, string line)
        {
            total++;
            failed += passed ? 0 : 1;
            Console.WriteLine($"{(passed ? "PASS" : "FAIL")}  {line}");
        }

        try
        {
            var small = SmallInputs(120, 211, seed: 7);
            var variants = SmallVariants();
            var bars = GpuBacktestSweep.RunBars(gpu, small, variants);
            double worst = 0;
            var worstAt = "";
            var countsDiffer = 0;
            for (var k = 0; k < variants.Count; k++)
            {
                var expected = VectorisedBacktest.Run(small, variants[k]);
                var pairs = new (string Name, double[] Expected, double[] Actual)[]
                {
                    ("gross", expected.Gross, bars[k].Gross), ("net", expected.Net, bars[k].Net), ("turnover", expected.Turnover, bars[k].Turnover),
                    ("commission", expected.Commission, bars[k].Commission), ("spread", expected.Spread, bars[k].Spread), ("impact", expected.Impact, bars[k].Impact),
                    ("borrow", expected.Borrow, bars[k].Borrow), ("long exposure", expected.LongExposure, bars[k].LongExposure), ("short exposure", expected.ShortExposure, bars[k].ShortExposure),
                };
                foreach (var (name, e, a) in pairs)
                {
                    for (var i = 0; i < e.Length; i++)
                    {
                        var d = Math.Abs(e[i] - a[i]);
                        if (!(d <= worst))
                        {
                            worst = double.IsNaN(d) ? double.PositiveInfinity : d;
                            worstAt = $"variant {k} ({variants[k].Construction}, {variants[k].Execution}, delay {variants[k].DelayBars}, every {variants[k].RebalanceEvery}) {name} bar {i}";
                        }
                    }
                }

                countsDiffer += expected.Longs.SequenceEqual(bars[k].Longs) && expected.Shorts.SequenceEqual(bars[k].Shorts) && expected.ForcedCloses.SequenceEqual(bars[k].ForcedCloses) ? 0 : 1;
            }

            Report(worst <= Tolerance && countsDiffer == 0, $"sweep: {variants.Count} variants on 120 x 211 (delistings, gaps, spreads, volumes) = managed engine, every per-bar field: max |diff| {worst:0.0e+0}{(worst > 0 ? $" at {worstAt}" : "")}; {countsDiffer} variants with differing counts");
        }
        catch (Exception e)
        {
            Report(false, $"sweep conformance: {e.GetType().Name}: {e.Message}");
        }

        try
        {
            var inputs = W2Data.Create(n, t);
            var grid = W2Grid();
            var variants = Enumerable.Range(0, variantCount).Select(k => grid[(int)((long)k * grid.Count / variantCount)]).ToList();
            GpuBacktestSweep.Run(gpu, inputs, variants.Take(Math.Min(8, variants.Count)).ToList()); // compiles and warms
            IReadOnlyList<SweepResult> gpuResults = [];
            var seconds = Median(runs, () => gpuResults = GpuBacktestSweep.Run(gpu, inputs, variants));
            var phases = new GpuSweepTimings();
            GpuBacktestSweep.Run(gpu, inputs, variants, timings: phases);
            Console.WriteLine($"W2 sweep on the GPU backend (N = {n}, T = {t}, {variants.Count} variants: quantile x commission x delay x rebalance; {runs} runs, median) on {gpu.DeviceDescription}");
            Console.WriteLine($"  one call         : {seconds * 1e3,9:0.0} ms  = {seconds * 1e3 / variants.Count:0.000} ms per variant (panels uploaded, results downloaded, metrics on the host)");
            Console.WriteLine($"  phases (1 run)   : upload {phases.UploadSeconds * 1e3:0.0} ms, order {phases.OrderSeconds * 1e3:0.0} ms, book pass {phases.PassSeconds * 1e3:0.0} ms, download {phases.DownloadSeconds * 1e3:0.0} ms, rest (metrics on the host) {Math.Max(0, seconds - phases.TotalSeconds) * 1e3:0.0} ms");

            var watch = Stopwatch.StartNew();
            var managed = BacktestSweep.Run(inputs, variants);
            var managedSeconds = watch.Elapsed.TotalSeconds;
            Console.WriteLine($"  managed sweep    : {managedSeconds * 1e3,9:0.0} ms  on this host's {Environment.ProcessorCount} threads (1 run), {managedSeconds / seconds:0.0}x the GPU call");

            double worstNet = 0, worstSharpe = 0;
            for (var k = 0; k < variants.Count; k++)
            {
                for (var i = 0; i < t; i++)
                {
                    var d = Math.Abs(managed[k].NetReturns[i] - gpuResults[k].NetReturns[i]);
                    worstNet = double.IsNaN(d) ? double.PositiveInfinity : Math.Max(worstNet, d);
                }

                var s = Math.Abs(managed[k].Metrics.Sharpe - gpuResults[k].Metrics.Sharpe);
                worstSharpe = double.IsNaN(s) ? double.PositiveInfinity : Math.Max(worstSharpe, s);
            }

            Report(worstNet <= Tolerance && worstSharpe <= 1e-6, $"W2 sweep: {variants.Count} variants = managed sweep: net per bar max |diff| {worstNet:0.0e+0}, Sharpe max |diff| {worstSharpe:0.0e+0}");
        }
        catch (Exception e)
        {
            Report(false, $"W2 sweep: {e.GetType().Name}: {e.Message}");
        }

        return (failed, total);
    }

    /// <summary>W2's 1,000-variant grid (as the W2 sweep benchmark): 5 quantiles × 20 commissions × 2 delays × 5 rebalance intervals.</summary>
    private static IReadOnlyList<BacktestOptions> W2Grid() => BacktestSweep.Grid(
        new BacktestOptions { DelayBars = 0, HalfSpreadBps = 1 },
        [0.05, 0.1, 0.15, 0.2, 0.25],
        Enumerable.Range(0, 20).Select(c => (double)c),
        [0, 1],
        [1, 2, 3, 5, 10]);

    private static List<BacktestOptions> SmallVariants()
    {
        var template = new BacktestOptions { HalfSpreadBps = 2, ImpactBps = 30, Capital = 5e7, BorrowBpsPerYear = 40 };
        var variants = BacktestSweep.Grid(template, [0.05, 0.2, 0.5], [0, 7], [0, 1, 3], [1, 4]).ToList();
        variants.Add(template with { Execution = ExecutionTiming.NextOpen, Quantile = 0.2, CommissionBps = 3 });
        variants.Add(template with { Execution = ExecutionTiming.NextOpen, Quantile = 0.3, RebalanceEvery = 2 });
        variants.Add(template with { Quantile = 0.2, GrossLeverage = 2, MaxWeight = 0.01 });
        variants.Add(template with { Construction = PortfolioConstruction.LongOnlyTopK, DollarNeutral = false, TopK = 25, MaxWeight = 0.03, RebalanceEvery = 2 });
        variants.Add(template with { Construction = PortfolioConstruction.RankWeighted, GrossLeverage = 1.5, MaxWeight = 0.02, RebalanceEvery = 3 });
        variants.Add(template with { Construction = PortfolioConstruction.RankWeighted, DollarNeutral = false, Execution = ExecutionTiming.NextOpen });
        return variants;
    }

    /// <summary>Seeded panels with everything the engine handles: delistings, missing prices and opens, per-name spreads and volumes.</summary>
    private static BacktestInputs SmallInputs(int t, int n, int seed)
    {
        var rng = new Random(seed);
        var signal = new float[t * n];
        var returns = new float[t * n];
        var gaps = new float[t * n];
        var volume = new float[t * n];
        var spread = new float[t * n];
        var delistAt = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.2 ? rng.Next(5, t) : int.MaxValue).ToArray();
        for (var c = 0; c < signal.Length; c++)
        {
            var gone = c / n >= delistAt[c % n] || rng.NextDouble() < 0.03;
            signal[c] = rng.NextDouble() < 0.05 ? float.NaN : (float)Math.Round(rng.NextDouble() * 2 - 1, 2);
            returns[c] = gone ? float.NaN : (float)(rng.NextDouble() * 0.06 - 0.03);
            gaps[c] = gone || rng.NextDouble() < 0.02 ? float.NaN : (float)(rng.NextDouble() * 0.02 - 0.01);
            volume[c] = rng.NextDouble() < 0.05 ? float.NaN : (float)(1e6 + rng.NextDouble() * 1e8);
            spread[c] = rng.NextDouble() < 0.3 ? float.NaN : (float)(rng.NextDouble() * 10);
        }

        return new BacktestInputs(signal, returns, t, n) { OpenGap = gaps, AverageDollarVolume = volume, HalfSpreadBps = spread };
    }

    private static double Median(int runs, Action body)
    {
        var samples = new double[runs];
        for (var r = 0; r < runs; r++)
        {
            var watch = Stopwatch.StartNew();
            body();
            samples[r] = watch.Elapsed.TotalSeconds;
        }

        Array.Sort(samples);
        return samples[runs / 2];
    }
}
