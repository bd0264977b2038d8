using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Compute.Gpu;
using QuantPipeline.Core.Metrics;

namespace QuantPipeline.Core.Backtest;

/// <summary>One variant's outcome in a sweep: its options, summary metrics on net returns, and the net return per bar.</summary>
public sealed record SweepResult(BacktestOptions Options, PerformanceMetrics Metrics, double TotalCosts, double[] NetReturns);

/// <summary>
/// Many backtest variants in one call. Variants sharing a portfolio construction (construction, quantile, k,
/// leverage, neutrality, cap) share one <see cref="TargetBook"/>, so the cross-sectional selection runs once per
/// group; the variants of a group (costs × delay × rebalancing × execution) then run in parallel.
/// The overload taking an <see cref="IComputeBackend"/> runs the sweep on the GPU for the gpu backend
/// (<see cref="GpuBacktestSweep"/>, same results within float64 rounding) and on the managed engine otherwise.
/// </summary>
public static class BacktestSweep
{
    public static IReadOnlyList<SweepResult> Run(BacktestInputs inputs, IReadOnlyList<BacktestOptions> variants, double periodsPerYear = PerformanceMetrics.DailyPeriodsPerYear, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(variants);
        foreach (var v in variants)
        {
            v.Validate();
            inputs.Validate(v);
        }

        var results = new SweepResult[variants.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        foreach (var group in Enumerable.Range(0, variants.Count).GroupBy(k => ConstructionKey(variants[k])))
        {
            var targets = TargetBook.Build(inputs.Signal, inputs.T, inputs.N, variants[group.First()], maxDegreeOfParallelism);
            Parallel.ForEach(group, parallel, k =>
            {
                var bars = VectorisedBacktest.Run(inputs, targets, variants[k]);
                double costs = 0;
                for (var i = 0; i < bars.T; i++)
                {
                    costs += bars.Commission[i] + bars.Spread[i] + bars.Impact[i] + bars.Borrow[i];
                }

                results[k] = new SweepResult(variants[k], PerformanceMetrics.Compute(bars.Net, bars.Turnover, periodsPerYear), costs, bars.Net);
            });
        }

        return results;
    }

    /// <summary>
    /// The sweep on the chosen backend: the gpu backend (<see cref="ComputeBackends.Create"/>("gpu"), shared and
    /// serialised, or a <see cref="GpuBackend"/> of the caller's) evaluates the variants in device launches; managed
    /// and native run the managed sweep above.
    /// </summary>
    public static IReadOnlyList<SweepResult> Run(BacktestInputs inputs, IReadOnlyList<BacktestOptions> variants, IComputeBackend backend, double periodsPerYear = PerformanceMetrics.DailyPeriodsPerYear, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(backend);
        return backend switch
        {
            GpuBackend gpu => GpuBacktestSweep.Run(gpu, inputs, variants, periodsPerYear),
            SynchronizedBackend { Inner: GpuBackend } shared => shared.Exclusive(inner => GpuBacktestSweep.Run((GpuBackend)inner, inputs, variants, periodsPerYear)),
            _ => Run(inputs, variants, periodsPerYear, maxDegreeOfParallelism),
        };
    }

    /// <summary>The cross product of quantiles × commissions (bp) × delays (bars) × rebalance intervals on a template.</summary>
    public static IReadOnlyList<BacktestOptions> Grid(
        BacktestOptions template,
        IEnumerable<double> quantiles,
        IEnumerable<double> commissionsBps,
        IEnumerable<int> delays,
        IEnumerable<int> rebalanceEvery)
    {
        ArgumentNullException.ThrowIfNull(template);
        return (from q in quantiles
                from c in commissionsBps
                from d in delays
                from k in rebalanceEvery
                select template with { Quantile = q, CommissionBps = c, DelayBars = d, RebalanceEvery = k }).ToList();
    }

    /// <summary>What a portfolio construction depends on: variants with equal keys share their targets.</summary>
    internal static (PortfolioConstruction, double, int, double, bool, double) ConstructionKey(BacktestOptions o) =>
        (o.Construction, o.Construction == PortfolioConstruction.LongShortQuantile ? o.Quantile : 0, o.Construction == PortfolioConstruction.LongOnlyTopK ? o.TopK : 0, o.GrossLeverage, o.DollarNeutral, o.MaxWeight);
}
