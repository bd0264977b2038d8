using System.Diagnostics;
using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;
using QuantPipeline.Core.Compute.Gpu;
using QuantPipeline.Core.Metrics;

namespace QuantPipeline.Core.Backtest;

/// <summary>
/// <see cref="BacktestSweep"/> on the GPU backend: the same variants, semantics and outputs as the managed sweep
/// (<see cref="VectorisedBacktest"/> per variant), evaluated in two launches. The cross-sectional order of each
/// signal row is computed once and shared by every quantile and top-k variant, whatever its quantile; rank-weighted
/// books (water-filling under caps) are built on the host by <see cref="TargetBook"/>, once per construction, and
/// uploaded as dense target panels. Then one thread group per variant runs the book pass over all bars — execution at
/// a close with any delay or at the next open, rebalancing every k bars, commission, half-spread (scalar or per name),
/// square-root impact and borrow — in float64. Up to <see cref="MaxVariantsPerLaunch"/> variants share a launch.
/// A <see cref="GpuBackend"/> is not safe for concurrent use: callers sharing one go through
/// <see cref="Compute.SynchronizedBackend.Exclusive{T}"/> (as <see cref="BacktestSweep"/> does).
/// </summary>
public static class GpuBacktestSweep
{
    /// <summary>Variants per launch; bounds the device memory of the books (8·N bytes each) and outputs (104·T bytes each).</summary>
    public const int MaxVariantsPerLaunch = 1024;

    private static readonly int[] SummaryFields = [GpuKernels.SweepNet, GpuKernels.SweepTurnover, GpuKernels.SweepCosts];

    private static readonly int[] AllFields = Enumerable.Range(0, GpuKernels.SweepCosts).ToArray();

    /// <summary>Each variant's summary metrics on net returns, its total costs and its net return per bar, as <see cref="BacktestSweep.Run(BacktestInputs, IReadOnlyList{BacktestOptions}, double, int)"/> gives them.</summary>
    /// <param name="groupSize">Threads per variant (a power of two up to 256); 0 picks 256 on CUDA and 1 on the CPU accelerator. Results do not depend on it beyond float64 rounding.</param>
    public static IReadOnlyList<SweepResult> Run(GpuBackend gpu, BacktestInputs inputs, IReadOnlyList<BacktestOptions> variants, double periodsPerYear = PerformanceMetrics.DailyPeriodsPerYear, int groupSize = 0, GpuSweepTimings? timings = null)
    {
        var fields = Execute(gpu, inputs, variants, groupSize, SummaryFields, timings, MaxVariantsPerLaunch);
        var results = new SweepResult[variants.Count];
        Parallel.For(0, variants.Count, k =>
        {
            var net = fields[GpuKernels.SweepNet][k];
            double costs = 0;
            foreach (var cost in fields[GpuKernels.SweepCosts][k])
            {
                costs += cost;
            }

            results[k] = new SweepResult(variants[k], PerformanceMetrics.Compute(net, fields[GpuKernels.SweepTurnover][k], periodsPerYear), costs, net);
        });
        return results;
    }

    /// <summary>Every variant's per-bar outcome, field by field as <see cref="VectorisedBacktest.Run(BacktestInputs, BacktestOptions)"/> gives it (positions are not recorded).</summary>
    public static BacktestBars[] RunBars(GpuBackend gpu, BacktestInputs inputs, IReadOnlyList<BacktestOptions> variants, int groupSize = 0, GpuSweepTimings? timings = null) =>
        RunBars(gpu, inputs, variants, groupSize, timings, MaxVariantsPerLaunch);

    /// <summary>As above with a smaller launch size, so that tests cross launch boundaries on small sweeps.</summary>
    internal static BacktestBars[] RunBars(GpuBackend gpu, BacktestInputs inputs, IReadOnlyList<BacktestOptions> variants, int groupSize, GpuSweepTimings? timings, int variantsPerLaunch)
    {
        var fields = Execute(gpu, inputs, variants, groupSize, AllFields, timings, variantsPerLaunch);
        var bars = new BacktestBars[variants.Count];
        for (var k = 0; k < bars.Length; k++)
        {
            bars[k] = new BacktestBars(
                fields[GpuKernels.SweepGross][k],
                fields[GpuKernels.SweepNet][k],
                fields[GpuKernels.SweepTurnover][k],
                fields[GpuKernels.SweepCommission][k],
                fields[GpuKernels.SweepSpread][k],
                fields[GpuKernels.SweepImpact][k],
                fields[GpuKernels.SweepBorrow][k],
                fields[GpuKernels.SweepLongExposure][k],
                fields[GpuKernels.SweepShortExposure][k],
                Counts(fields[GpuKernels.SweepLongs][k]),
                Counts(fields[GpuKernels.SweepShorts][k]),
                Counts(fields[GpuKernels.SweepForcedCloses][k]));
        }

        return bars;
    }

    /// <summary>Returns [field][variant] → per-bar values for the requested fields (others null).</summary>
    private static double[][][] Execute(GpuBackend gpu, BacktestInputs inputs, IReadOnlyList<BacktestOptions> variants, int groupSize, int[] fields, GpuSweepTimings? timings, int variantsPerLaunch)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(variants);
        foreach (var v in variants)
        {
            ArgumentNullException.ThrowIfNull(v, nameof(variants));
            v.Validate();
            inputs.Validate(v);
        }

        var accelerator = gpu.Accelerator;
        var group = GroupSize(gpu, groupSize);
        int t = inputs.T, n = inputs.N;
        var output = new double[GpuKernels.SweepFields][][];
        foreach (var f in fields)
        {
            output[f] = new double[variants.Count][];
        }

        if (variants.Count == 0)
        {
            return output;
        }

        var watch = Stopwatch.StartNew();
        var needsGaps = variants.Any(v => v.Execution == ExecutionTiming.NextOpen);
        var needsVolume = inputs.AverageDollarVolume is not null && variants.Any(v => v.ImpactBps > 0);
        var needsOrder = variants.Any(v => v.Construction != PortfolioConstruction.RankWeighted);
        var shape = new SweepShape(t, n, needsGaps, needsVolume, inputs.HalfSpreadBps is not null);

        // Absent panels are one-cell placeholders; the kernel reads them only behind their flags.
        using var returns = Upload(accelerator, inputs.Returns);
        using var gaps = Upload(accelerator, needsGaps ? inputs.OpenGap : null);
        using var volume = Upload(accelerator, needsVolume ? inputs.AverageDollarVolume : null);
        using var spread = Upload(accelerator, inputs.HalfSpreadBps);
        using var order = accelerator.Allocate1D<int>(needsOrder ? ((long)t * n) + t : 1);
        Phase(timings, accelerator, watch, (x, s) => x.UploadSeconds += s);

        if (needsOrder)
        {
            using var signal = Upload(accelerator, inputs.Signal);
            if (gpu.SharedMemoryRank && n <= GpuKernels.RankRowCapacity)
            {
                gpu.Kernels.SweepOrderSorted(new KernelConfig(t, Math.Min(accelerator.MaxNumThreadsPerGroup, 512)), signal.View, order.View, shape);
            }
            else
            {
                gpu.Kernels.SweepOrderCount(t * n, signal.View, order.View, shape);
            }

            accelerator.Synchronize();
            Phase(timings, accelerator, watch, (x, s) => x.OrderSeconds += s);
        }

        var specs = new SweepVariant[variants.Count];
        using var dense = DenseTargets(accelerator, inputs, variants, specs);
        Phase(timings, accelerator, watch, (x, s) => x.DenseTargetSeconds += s);

        var batch = Math.Clamp(variantsPerLaunch, 1, Math.Min(MaxVariantsPerLaunch, variants.Count));
        using var specBuffer = accelerator.Allocate1D<SweepVariant>(batch);
        using var book = accelerator.Allocate1D<double>((long)batch * n);
        using var outputs = accelerator.Allocate1D<double>((long)GpuKernels.SweepFields * batch * t);
        var host = new double[(long)batch * t];
        for (var first = 0; first < variants.Count; first += batch)
        {
            var count = Math.Min(batch, variants.Count - first);
            HostCopies.Upload(specBuffer.View, specs.AsSpan(first, count));
            gpu.Kernels.SweepBookPass(
                new KernelConfig(count, group),
                returns.View,
                gaps.View,
                volume.View,
                spread.View,
                order.View,
                dense.View,
                specBuffer.View.SubView(0, count),
                book.View.SubView(0, (long)count * n),
                outputs.View.SubView(0, (long)GpuKernels.SweepFields * count * t),
                shape);
            accelerator.Synchronize();
            Phase(timings, accelerator, watch, (x, s) => x.PassSeconds += s);

            // The launch's outputs are [field][variant][bar] blocks.
            var block = (long)count * t;
            foreach (var f in fields)
            {
                HostCopies.Download(outputs.View.SubView(f * block, block), host.AsSpan(0, (int)block));
                for (var k = 0; k < count; k++)
                {
                    output[f][first + k] = host.AsSpan(k * t, t).ToArray();
                }
            }

            Phase(timings, accelerator, watch, (x, s) => x.DownloadSeconds += s);
        }

        return output;
    }

    /// <summary>
    /// Fills the kernel's view of each variant and uploads one dense [T, N] target panel per rank-weighted construction.
    /// </summary>
    private static MemoryBuffer1D<double, Stride1D.Dense> DenseTargets(Accelerator accelerator, BacktestInputs inputs, IReadOnlyList<BacktestOptions> variants, SweepVariant[] specs)
    {
        int t = inputs.T, n = inputs.N;
        var panels = new Dictionary<(PortfolioConstruction, double, int, double, bool, double), int>();
        for (var k = 0; k < variants.Count; k++)
        {
            var o = variants[k];
            var panel = -1;
            if (o.Construction == PortfolioConstruction.RankWeighted)
            {
                var key = BacktestSweep.ConstructionKey(o);
                if (!panels.TryGetValue(key, out panel))
                {
                    panel = panels.Count;
                    panels.Add(key, panel);
                }
            }

            specs[k] = new SweepVariant(
                o.Construction switch
                {
                    PortfolioConstruction.LongShortQuantile => SweepVariant.LongShortQuantile,
                    PortfolioConstruction.LongOnlyTopK => SweepVariant.LongOnlyTopK,
                    _ => SweepVariant.DenseTargets,
                },
                o.Quantile,
                o.TopK,
                o.GrossLeverage,
                o.MaxWeight,
                panel,
                o.DelayBars,
                o.RebalanceEvery,
                o.Execution == ExecutionTiming.NextOpen,
                o.CommissionBps * 1e-4,
                o.HalfSpreadBps * 1e-4,
                o.ImpactBps,
                o.Capital,
                o.BorrowBpsPerYear * 1e-4 / o.PeriodsPerYear);
        }

        var cells = (long)t * n;
        var buffer = accelerator.Allocate1D<double>(Math.Max(1, panels.Count * cells));
        if (panels.Count == 0)
        {
            return buffer;
        }

        var dense = new double[cells];
        foreach (var (key, panel) in panels)
        {
            var options = variants.First(v => v.Construction == PortfolioConstruction.RankWeighted && BacktestSweep.ConstructionKey(v) == key);
            var targets = TargetBook.Build(inputs.Signal, t, n, options);
            Array.Clear(dense);
            for (var row = 0; row < t; row++)
            {
                var names = targets.Names(row);
                var weights = targets.Weights(row);
                for (var s = 0; s < names.Length; s++)
                {
                    dense[((long)row * n) + names[s]] = weights[s];
                }
            }

            HostCopies.Upload(buffer.View.SubView(panel * cells, cells), dense);
        }

        return buffer;
    }

    private static int GroupSize(GpuBackend gpu, int requested)
    {
        var limit = Math.Min(GpuKernels.SweepGroupCapacity, gpu.Accelerator.MaxNumThreadsPerGroup);
        if (requested <= 0)
        {
            // The CPU accelerator runs a group's threads as OS threads meeting at every barrier and shuffle: there one
            // thread per variant is fastest, and the variants' groups still spread over the cores.
            requested = gpu.IsCuda ? GpuKernels.SweepGroupCapacity : 1;
        }

        if (requested > limit || (requested & (requested - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(requested), $"The sweep's group size must be a power of two from 1 to {limit} on {gpu.DeviceDescription}; got {requested}.");
        }

        return requested;
    }

    private static MemoryBuffer1D<float, Stride1D.Dense> Upload(Accelerator accelerator, float[]? panel)
    {
        var buffer = accelerator.Allocate1D<float>(Math.Max(1, panel?.Length ?? 0));
        HostCopies.Upload(buffer.View, panel);

        return buffer;
    }

    private static int[] Counts(double[] values) => Array.ConvertAll(values, x => (int)x);

    private static void Phase(GpuSweepTimings? timings, Accelerator accelerator, Stopwatch watch, Action<GpuSweepTimings, double> add)
    {
        if (timings is null)
        {
            return;
        }

        accelerator.Synchronize();
        add(timings, watch.Elapsed.TotalSeconds);
        watch.Restart();
    }
}
