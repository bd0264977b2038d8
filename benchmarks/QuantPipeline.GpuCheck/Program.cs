using System.Diagnostics;
using QuantPipeline.Core.Compute.Gpu;
using QuantPipeline.GpuCheck;

// qp-gpu-check [--cpu] [--n N] [--t T] [--runs R] [--chunk ROWS] [--count-rank] [--no-baseline] [--limit-s SECONDS]
//              [--no-sweep | --sweep-only] [--sweep-n N] [--sweep-t T] [--sweep-variants V] [--sweep-runs R]
// Runs the conformance suite on the GPU backend against the float64 reference, then times W1's F8 set, then
// checks and times the W2 backtest sweep (1,000 variants by default on CUDA).
var forceCpu = args.Contains("--cpu");
int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out var value) ? value : fallback;
}

using var gpu = new GpuBackend(forceCpu, Console.WriteLine);
gpu.ChunkRows = Option("--chunk", gpu.ChunkRows);
gpu.SharedMemoryRank = gpu.IsCuda && !args.Contains("--count-rank");
Console.WriteLine($"rolling kernels: {(gpu.ChunkRows > 0 ? $"{gpu.ChunkRows} rows of one symbol per thread" : "one thread per symbol")}; rank: {(gpu.SharedMemoryRank ? "shared-memory sort per timestamp" : "count per cell")}");
if (!gpu.IsCuda)
{
    Console.WriteLine("NOTE: no CUDA device in use: the kernels run on ILGPU's CPU accelerator, so the check still verifies");
    Console.WriteLine("      results but the timings below say nothing about a GPU (and use a reduced shape unless --n/--t are given).");
}

var sweepOnly = args.Contains("--sweep-only");

// Conformance: the shapes are small enough for the CPU accelerator, large enough to span many windows.
var (checkT, checkN) = gpu.IsCuda ? (300, 257) : (60, 17);
var failed = 0;
var total = 0;
foreach (var result in sweepOnly ? Enumerable.Empty<ConformanceResult>() : ConformanceSuite.Run(gpu, checkT, checkN))
{
    total++;
    failed += result.Passed ? 0 : 1;
    Console.WriteLine($"{(result.Passed ? "PASS" : "FAIL")}  {result.Name,-48} {result.Detail}");
}

Console.WriteLine($"conformance: {total - failed} of {total} passed on {gpu.DeviceDescription}");

var n = Option("--n", gpu.IsCuda ? 3000 : 100);
var t = Option("--t", gpu.IsCuda ? 8190 : 390);
var runs = Math.Max(1, Option("--runs", gpu.IsCuda ? 15 : 3));
var (c, v) = sweepOnly ? ([], []) : SyntheticBars(t, n);

// A stuck device must not hang the check: after the limit, say so and stop.
var limitSeconds = Option("--limit-s", 480);
using var watchdog = new Timer(
    _ =>
    {
        Console.WriteLine($"GPU CHECK: TIMEOUT after {limitSeconds} s (conformance: {total - failed} of {total} passed before it)");
        Environment.Exit(3);
    },
    null,
    TimeSpan.FromSeconds(limitSeconds),
    Timeout.InfiniteTimeSpan);

// The fused F8 first (the headline figure), then the same chunked kernels as a chain of calls, then the
// one-thread-per-symbol kernels as the baseline on the same device; all must agree cell by cell.
var chunkRows = gpu.ChunkRows;
var sortedRank = gpu.SharedMemoryRank;
var configs = new List<(string Label, int Chunk, bool SortedRank, bool Fused)>
{
    ("fused rolling pass + chunked ewm/rsi + rank", chunkRows, sortedRank, true),
    ("chunked kernels, one call per step", chunkRows, sortedRank, false),
};
if (sweepOnly)
{
    configs.Clear();
}
else if (!args.Contains("--no-baseline"))
{
    configs.Add(("baseline: one thread per symbol, rank counted per cell", 0, false, false));
}

float[][]? first = null;
string? firstLabel = null;
foreach (var (label, chunk, sorted, fused) in configs)
{
    gpu.ChunkRows = chunk;
    gpu.SharedMemoryRank = sorted;
    try
    {
        var results = RunF8(label, gpu, c, v, t, n, runs, fused);
        if (first is null)
        {
            first = results;
            firstLabel = label;
            continue;
        }

        var disagree = 0;
        for (var f = 0; f < F8Workload.Outputs; f++)
        {
            var same = ConformanceSuite.Compare($"F8 item {f + 1}", results[f].Select(x => (double)x).ToArray(), first[f]);
            disagree += same.Passed ? 0 : 1;
            Console.WriteLine($"{(same.Passed ? "PASS" : "FAIL")}  F8 item {f + 1,-2} [{label}] = [{firstLabel}]  {same.Detail}");
        }

        failed += disagree;
        total += F8Workload.Outputs;
    }
    catch (Exception e)
    {
        failed++;
        total++;
        Console.WriteLine($"FAIL  F8 ({label}): {e.GetType().Name}: {e.Message}");
    }
}

if (!args.Contains("--no-sweep"))
{
    var (sweepFailed, sweepTotal) = SweepCheck.Run(
        gpu,
        Option("--sweep-n", gpu.IsCuda ? 3000 : 300),
        Option("--sweep-t", gpu.IsCuda ? 2520 : 252),
        Math.Max(1, Option("--sweep-variants", gpu.IsCuda ? 1000 : 40)),
        Math.Max(1, Option("--sweep-runs", gpu.IsCuda ? 5 : 1)));
    failed += sweepFailed;
    total += sweepTotal;
}

var where = gpu.IsCuda ? "on CUDA" : "on ILGPU's CPU accelerator: no GPU was exercised";
Console.WriteLine(failed == 0 ? $"GPU CHECK: PASS ({where})" : $"GPU CHECK: FAIL ({failed} kernel cases disagree with the float64 reference, {where})");
return failed == 0 ? 0 : 1;

static float[][] RunF8(string label, GpuBackend gpu, float[] c, float[] v, int t, int n, int runs, bool fused)
{
    using var f8 = new F8Workload(gpu, t, n, fused);
    var results = Enumerable.Range(0, F8Workload.Outputs).Select(_ => new float[(long)t * n]).ToArray();
    f8.RunWithTransfers(c, v, results); // compiles the kernels and warms the device
    var resident = Time(runs, f8.RunResident);
    var transfers = Time(runs, () => f8.RunWithTransfers(c, v, results));
    var finite = results.Sum(r => r.Count(float.IsFinite));
    Console.WriteLine($"F8 [{label}] (W1: N = {n}, T = {t}, float32, window 30; {runs} runs, median) on {gpu.DeviceDescription}");
    Console.WriteLine($"  device-resident : {resident * 1e3,9:0.00} ms  {f8.LogicalBytes / resident / 1e9,8:0.0} GB/s  ({f8.LogicalBytes / 1e9:0.00} GB: c, v read once, 10 outputs written once)");
    Console.WriteLine($"  with transfers  : {transfers * 1e3,9:0.00} ms  {f8.LogicalBytes / transfers / 1e9,8:0.0} GB/s  (adds host->device of c, v and device->host of 10 outputs)");
    Console.WriteLine($"  finite outputs  : {finite} of {10L * t * n}");
    Console.WriteLine(fused
        ? "  per step, device-resident (median; ewm reads item 1, rank reads the fused pass's 30-bar return):"
        : "  per item, device-resident (median; items run in order, so 4 reuses 2's mean):");
    foreach (var (name, run) in f8.Items)
    {
        var seconds = Time(runs, () =>
        {
            run();
            gpu.Synchronize();
        });
        Console.WriteLine($"    {name,-26} {seconds * 1e3,9:0.00} ms");
    }

    // The timed runs leave the last results in place; fetch them once more to be sure they are complete.
    f8.RunWithTransfers(c, v, results);
    return results;
}

static double Time(int runs, Action body)
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

static (float[] Close, float[] Volume) SyntheticBars(int t, int n)
{
    // Seeded random walk as in W1: prices around 100, volumes positive; a few gaps.
    var rng = new Random(20);
    var close = new float[(long)t * n];
    var volume = new float[(long)t * n];
    var price = Enumerable.Range(0, n).Select(j => 50.0 + j % 100).ToArray();
    for (var i = 0; i < t; i++)
    {
        for (var j = 0; j < n; j++)
        {
            price[j] *= 1 + 0.001 * (rng.NextDouble() - 0.5);
            var k = (long)i * n + j;
            close[k] = rng.NextDouble() < 0.001 ? float.NaN : (float)price[j];
            volume[k] = (float)(1000 + 500 * rng.NextDouble());
        }
    }

    return (close, volume);
}
