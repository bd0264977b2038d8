using QuantPipeline.Core.Backtest;
using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Compute.Gpu;
using QuantPipeline.Core.Metrics;
using QuantPipeline.Core.Tests.Compute;

namespace QuantPipeline.Core.Tests.Backtest;

/// <summary>
/// The GPU sweep on ILGPU's CPU accelerator against the managed engine (every per-bar field of every variant) and
/// against the independent float64 loop of <see cref="ReferenceBacktest"/> (gross, net, turnover, costs, metrics).
/// </summary>
public class GpuSweepTests
{
    private const double Tolerance = 1e-10;

    [Theory]
    // Groups smaller than the CPU accelerator's warp of 4 sum through shared memory alone; 4 and 8 by warp shuffles.
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(4, false)]
    [InlineData(8, true)]
    public void Every_variant_matches_the_managed_engine_bar_by_bar(int groupSize, bool sortedOrder)
    {
        var inputs = VectorisedBacktestTests.RandomInputs(50, 37, seed: 21, missing: 0.08);
        var variants = Variants();
        // Launches of 7 variants, so the sweep crosses launch boundaries.
        var bars = OnGpu(gpu => GpuBacktestSweep.RunBars(gpu, inputs, variants, groupSize, null, variantsPerLaunch: 7), sortedOrder);
        Assert.Equal(variants.Count, bars.Length);
        for (var k = 0; k < variants.Count; k++)
        {
            var expected = VectorisedBacktest.Run(inputs, variants[k]);
            var label = Describe(variants[k]);
            Close(expected.Gross, bars[k].Gross, $"{label} gross");
            Close(expected.Net, bars[k].Net, $"{label} net");
            Close(expected.Turnover, bars[k].Turnover, $"{label} turnover");
            Close(expected.Commission, bars[k].Commission, $"{label} commission");
            Close(expected.Spread, bars[k].Spread, $"{label} spread");
            Close(expected.Impact, bars[k].Impact, $"{label} impact");
            Close(expected.Borrow, bars[k].Borrow, $"{label} borrow");
            Close(expected.LongExposure, bars[k].LongExposure, $"{label} long exposure");
            Close(expected.ShortExposure, bars[k].ShortExposure, $"{label} short exposure");
            Assert.Equal(expected.Longs, bars[k].Longs);
            Assert.Equal(expected.Shorts, bars[k].Shorts);
            Assert.Equal(expected.ForcedCloses, bars[k].ForcedCloses);
        }

        // The panel exercises what the test is about: delistings, trading, costs of every kind.
        Assert.Contains(bars, b => b.ForcedCloses.Sum() > 0);
        Assert.All(bars, b => Assert.Contains(b.Turnover, x => x > 0));
        Assert.Contains(bars, b => b.Impact.Sum() > 0 && b.Borrow.Sum() > 0 && b.Spread.Sum() > 0);
    }

    [Fact]
    public void Every_variant_matches_the_independent_float64_loop_with_ties_and_missing_prices()
    {
        var inputs = TiedInputs(45, 29, seed: 8);
        var variants = Variants();
        var results = OnGpu(gpu => GpuBacktestSweep.Run(gpu, inputs, variants), sortedOrder: false);
        var bars = OnGpu(gpu => GpuBacktestSweep.RunBars(gpu, inputs, variants), sortedOrder: true);
        for (var k = 0; k < variants.Count; k++)
        {
            var reference = ReferenceBacktest.Run(inputs, variants[k]);
            var label = Describe(variants[k]);
            Close(reference.Gross, bars[k].Gross, $"{label} gross");
            Close(reference.Net, bars[k].Net, $"{label} net");
            Close(reference.Turnover, bars[k].Turnover, $"{label} turnover");
            var costs = Enumerable.Range(0, inputs.T).Select(i => bars[k].Commission[i] + bars[k].Spread[i] + bars[k].Impact[i] + bars[k].Borrow[i]).ToArray();
            Close(reference.Costs, costs, $"{label} costs");
            Close(reference.Net, results[k].NetReturns, $"{label} net (summary)");

            // Metrics from plain loops over the reference's net returns.
            var net = reference.Net;
            var mean = net.Average();
            var std = Math.Sqrt(net.Sum(r => (r - mean) * (r - mean)) / (net.Length - 1));
            double equity = 1, peak = 1, drawdown = 0;
            foreach (var r in net)
            {
                equity *= 1 + r;
                peak = Math.Max(peak, equity);
                drawdown = Math.Min(drawdown, equity / peak - 1);
            }

            Assert.Same(variants[k], results[k].Options);
            Assert.Equal(mean / std * Math.Sqrt(252), results[k].Metrics.Sharpe, 1e-8);
            Assert.Equal(drawdown, results[k].Metrics.MaxDrawdown, 1e-10);
            Assert.Equal(reference.Turnover.Average(), results[k].Metrics.MeanTurnover, 1e-10);
            Assert.Equal(reference.Costs.Sum(), results[k].TotalCosts, 1e-10);
        }
    }

    [Fact]
    public void The_sweep_api_picks_the_backend_and_both_agree()
    {
        var inputs = VectorisedBacktestTests.RandomInputs(40, 23, seed: 5, missing: 0.05);
        var variants = BacktestSweep.Grid(new BacktestOptions { HalfSpreadBps = 1, ImpactBps = 20, BorrowBpsPerYear = 30 }, [0.1, 0.3], [0, 5], [0, 1], [1, 4]);
        var managed = BacktestSweep.Run(inputs, variants);
        var viaManaged = BacktestSweep.Run(inputs, variants, TestBackends.Get("managed"));
        var viaGpu = BacktestSweep.Run(inputs, variants, TestBackends.Get("gpu"));
        Assert.Equal(16, viaGpu.Count);
        for (var k = 0; k < variants.Count; k++)
        {
            Assert.Equal(managed[k].NetReturns, viaManaged[k].NetReturns);
            Assert.Same(variants[k], viaGpu[k].Options);
            Close(managed[k].NetReturns, viaGpu[k].NetReturns, Describe(variants[k]));
            Assert.Equal(managed[k].Metrics.Sharpe, viaGpu[k].Metrics.Sharpe, 1e-8);
            Assert.Equal(managed[k].Metrics.MaxDrawdown, viaGpu[k].Metrics.MaxDrawdown, 1e-10);
            Assert.Equal(managed[k].Metrics.AnnualReturn, viaGpu[k].Metrics.AnnualReturn, 1e-9);
            Assert.Equal(managed[k].Metrics.MeanTurnover, viaGpu[k].Metrics.MeanTurnover, 1e-10);
            Assert.Equal(managed[k].TotalCosts, viaGpu[k].TotalCosts, 1e-10);
        }

        // Costs cut the net: 5 bp of commission on the same book loses to 0 bp.
        Assert.True(viaGpu[0].Metrics.Sharpe > viaGpu[4].Metrics.Sharpe);

        // A caller's own GpuBackend (not the shared, serialised one) takes the same path.
        var direct = OnGpu(gpu => BacktestSweep.Run(inputs, variants, gpu), sortedOrder: false);
        Assert.Equal(viaGpu.Select(r => r.NetReturns), direct.Select(r => r.NetReturns));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Rank_weighted_books_without_a_cap_use_the_full_gross(bool dollarNeutral)
    {
        // The default cap is +∞; with no name capped it must not enter the water-filling (∞ · 0 names is NaN).
        var signal = new float[] { 3, float.NaN, 1, 4, 1.5f, -2 };
        var options = new BacktestOptions { Construction = PortfolioConstruction.RankWeighted, DollarNeutral = dollarNeutral, GrossLeverage = 1.2 };
        var book = TargetBook.Build(signal, 1, 6, options);
        var dense = new double[6];
        for (var s = 0; s < book.Names(0).Length; s++)
        {
            dense[book.Names(0)[s]] = book.Weights(0)[s];
        }

        // Ranks of 3, 1, 4, 1.5, −2 are 4, 2, 5, 3, 1; centred: 1, −1, 2, 0, −2 → each side sums to 0.6.
        double[] expected = dollarNeutral ? [0.2, 0, -0.2, 0.4, 0, -0.4] : [0.32, 0, 0.16, 0.4, 0.24, 0.08];
        for (var j = 0; j < 6; j++)
        {
            Assert.Equal(expected[j], dense[j], 1e-12);
        }

        Assert.Equal(expected, ReferenceBacktest.Targets(signal, options), new ToleranceComparer(1e-12));
    }

    [Fact]
    public void A_group_size_that_is_not_a_power_of_two_is_refused_with_the_limit()
    {
        var inputs = VectorisedBacktestTests.RandomInputs(5, 4, seed: 1, missing: 0);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => OnGpu(gpu => GpuBacktestSweep.RunBars(gpu, inputs, [new BacktestOptions()], groupSize: 3), sortedOrder: false));
        Assert.Contains("power of two", e.Message);
        Assert.Contains("got 3", e.Message);
        var invalid = Assert.Throws<ArgumentException>(() => OnGpu(gpu => GpuBacktestSweep.RunBars(gpu, inputs, [new BacktestOptions { Quantile = 0.7 }]), sortedOrder: false));
        Assert.Contains("quantile must be in (0, 0.5]", invalid.Message);
    }

    /// <summary>
    /// Quantile × commission × delay × rebalance on one template, plus next-open execution, caps, top-k and
    /// rank-weighted books (two caps, so two dense target panels).
    /// </summary>
    private static List<BacktestOptions> Variants()
    {
        var template = new BacktestOptions { HalfSpreadBps = 2, ImpactBps = 30, Capital = 5e7, BorrowBpsPerYear = 40 };
        var variants = BacktestSweep.Grid(template, [0.1, 0.25, 0.5], [0, 7], [0, 1], [1, 3]).ToList();
        variants.Add(template with { Execution = ExecutionTiming.NextOpen, Quantile = 0.2, RebalanceEvery = 1, CommissionBps = 3 });
        variants.Add(template with { Execution = ExecutionTiming.NextOpen, Quantile = 0.3, RebalanceEvery = 2 });
        variants.Add(template with { Quantile = 0.2, GrossLeverage = 2, MaxWeight = 0.15, DelayBars = 2 });
        variants.Add(template with { Construction = PortfolioConstruction.LongOnlyTopK, DollarNeutral = false, TopK = 6, MaxWeight = 0.1, RebalanceEvery = 2 });
        variants.Add(template with { Construction = PortfolioConstruction.LongOnlyTopK, DollarNeutral = false, TopK = 60, Execution = ExecutionTiming.NextOpen });
        variants.Add(template with { Construction = PortfolioConstruction.RankWeighted, GrossLeverage = 1.5, MaxWeight = 0.06, RebalanceEvery = 3 });
        variants.Add(template with { Construction = PortfolioConstruction.RankWeighted, DollarNeutral = false, Execution = ExecutionTiming.NextOpen });
        variants.Add(template with { Construction = PortfolioConstruction.RankWeighted, GrossLeverage = 1.5, MaxWeight = 0.06, DelayBars = 0, CommissionBps = 4 });
        return variants;
    }

    /// <summary>Random panels whose signals come from a handful of values (−0 and +0 among them), so ties are everywhere; one row is all NaN.</summary>
    private static BacktestInputs TiedInputs(int t, int n, int seed)
    {
        var inputs = VectorisedBacktestTests.RandomInputs(t, n, seed, missing: 0.06);
        var rng = new Random(seed + 1);
        float[] levels = [-1f, -0.5f, -0f, 0f, 0.5f, 1f];
        var signal = inputs.Signal.Select(x => float.IsNaN(x) ? x : levels[rng.Next(levels.Length)]).ToArray();
        Array.Fill(signal, float.NaN, 7 * n, n);
        return inputs with { Signal = signal };
    }

    private static T OnGpu<T>(Func<GpuBackend, T> work, bool sortedOrder) =>
        ((SynchronizedBackend)TestBackends.Get("gpu")).Exclusive(backend =>
        {
            var gpu = (GpuBackend)backend;
            var saved = gpu.SharedMemoryRank;
            gpu.SharedMemoryRank = sortedOrder;
            try
            {
                return work(gpu);
            }
            finally
            {
                gpu.SharedMemoryRank = saved;
            }
        });

    private static void Close(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (!(Math.Abs(expected[i] - actual[i]) <= Tolerance * (1 + Math.Abs(expected[i]))))
            {
                Assert.Fail($"{what}, bar {i}: expected {expected[i]:R}, got {actual[i]:R}");
            }
        }
    }

    private static string Describe(BacktestOptions o) =>
        $"{o.Construction} q={o.Quantile} k={o.TopK} cap={o.MaxWeight} {o.Execution} delay={o.DelayBars} every={o.RebalanceEvery} commission={o.CommissionBps}";

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
