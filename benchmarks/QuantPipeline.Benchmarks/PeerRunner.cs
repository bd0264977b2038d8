using System.Diagnostics;
using System.Numerics.Tensors;
using DuckDB.NET.Data;
using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Features;

namespace QuantPipeline.Benchmarks;

/// <summary>
/// Side-by-side measurements for benchmarks/peers/run_peers.sh, each printing one "key=value" result line:
/// <c>peer f8 [managed|native|managed-kernels|native-kernels] [runs]</c> (in-process median, same data as the BenchmarkDotNet
/// W1 benchmark; "-kernels" times the per-kernel composition),
/// <c>peer duckdb [threads]</c> (W1 items 2–4 and 6–9 as DuckDB window SQL on the same shape) and
/// <c>peer bandwidth</c> (read and copy bandwidth on two threads: the physical bound of W1).
/// </summary>
public static class PeerRunner
{
    public static int Run(string[] args)
    {
        var mode = args.Length > 0 ? args[0] : "";
        switch (mode)
        {
            case "f8":
                F8(args.Length > 1 ? args[1] : "managed", args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10);
                return 0;
            case "duckdb":
                DuckDb(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2);
                return 0;
            case "bandwidth":
                Bandwidth();
                return 0;
            default:
                Console.Error.WriteLine("usage: peer f8 [managed|native][-kernels] [runs] | peer duckdb [threads] | peer bandwidth");
                return 2;
        }
    }

    private static void F8(string backendName, int runs)
    {
        var (close, volume) = IntradayData.Generate();
        var outputs = IntradayF8.Names.Select(_ => new float[close.Length]).ToArray();
        using var workspace = new IntradayF8.Workspace(IntradayData.Bars, IntradayData.Symbols);
        // "<backend>-kernels" times the per-kernel composition instead of the backend's default F8 path.
        var perKernel = backendName.EndsWith("-kernels", StringComparison.Ordinal);
        var backend = ComputeBackends.Create(perKernel ? backendName[..^"-kernels".Length] : backendName);
        var times = new List<double>();
        // CPU time of the process per call as well: on a shared machine it moves far less with the load than wall time.
        var cpu = new List<double>();
        using var process = Process.GetCurrentProcess();
        for (var r = 0; r < runs + 2; r++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            if (perKernel)
            {
                IntradayF8.ComputePerKernel(backend, close, volume, default, IntradayData.Bars, IntradayData.Symbols, outputs, workspace);
            }
            else
            {
                IntradayF8.Compute(backend, close, volume, default, IntradayData.Bars, IntradayData.Symbols, outputs, workspace);
            }

            if (r >= 2)
            {
                times.Add(sw.Elapsed.TotalMilliseconds);
                process.Refresh();
                cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
            }
        }

        Console.WriteLine($"f8_{backend.Name}{(perKernel ? "_kernels" : "")}_median_ms={Median(times):F1} runs={runs} min_ms={times.Min():F1} cpu_median_ms={Median(cpu):F0}");
    }

    private static void DuckDb(int threads)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        Execute(connection, $"SET threads = {threads}");
        Execute(connection, "SELECT setseed(0.42)");
        Execute(connection, $"""
            CREATE TABLE bars AS
            SELECT s, t,
                   (100 * exp(sum(ln(1 + 0.002 * (r1 - 0.5))) OVER (PARTITION BY s ORDER BY t)))::FLOAT AS c,
                   (1000 + 500 * r2)::FLOAT AS v
            FROM (SELECT a.s, b.t, random() AS r1, random() AS r2 FROM range({IntradayData.Symbols}) a(s), range({IntradayData.Bars}) b(t))
            """);
        var sw = Stopwatch.StartNew();
        Execute(connection, """
            CREATE OR REPLACE TEMP TABLE w1 AS
            WITH r AS (
              SELECT s, t, c, v,
                     c / lag(c) OVER (PARTITION BY s ORDER BY t) - 1 AS r1,
                     c / lag(c, 30) OVER (PARTITION BY s ORDER BY t) - 1 AS r30
              FROM bars),
            f AS (
              SELECT s, t,
                     avg(c) OVER w / c - 1 AS ma_ratio,
                     stddev_samp(r1) OVER w AS vol,
                     (c - avg(c) OVER w) / stddev_samp(c) OVER w AS z_close,
                     max(c) OVER w / c AS max_ratio,
                     min(c) OVER w / c AS min_ratio,
                     (v - avg(v) OVER w) / stddev_samp(v) OVER w AS z_volume,
                     r30
              FROM r
              WINDOW w AS (PARTITION BY s ORDER BY t ROWS BETWEEN 29 PRECEDING AND CURRENT ROW))
            SELECT *, percent_rank() OVER (PARTITION BY t ORDER BY r30) AS xs_rank FROM f
            """);
        Console.WriteLine($"duckdb_w1_ms={sw.Elapsed.TotalMilliseconds:F0} threads={threads}");
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void Bandwidth()
    {
        const int length = 128 << 20;
        var a = new float[length];
        var b = new float[length];
        a.AsSpan().Fill(1f);
        b.AsSpan().Fill(2f);
        var chunks = 64;
        var chunk = length / chunks;
        var read = new List<double>();
        var copy = new List<double>();
        for (var r = 0; r < 6; r++)
        {
            var sw = Stopwatch.StartNew();
            var sums = new float[chunks];
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = 2 }, c => sums[c] = TensorPrimitives.Sum(a.AsSpan(c * chunk, chunk)));
            read.Add(4.0 * length / sw.Elapsed.TotalSeconds / 1e9);
            sw.Restart();
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = 2 }, c => a.AsSpan(c * chunk, chunk).CopyTo(b.AsSpan(c * chunk, chunk)));
            copy.Add(8.0 * length / sw.Elapsed.TotalSeconds / 1e9);
        }

        // W1 reads close and volume once and writes ten outputs: 12 × T × N × 4 bytes at the copy rate.
        var bytes = 12.0 * IntradayData.Bars * IntradayData.Symbols * 4;
        var bound = bytes / (Median(copy.Skip(1).ToList()) * 1e9) * 1e3;
        Console.WriteLine($"bandwidth_read_gbs={Median(read.Skip(1).ToList()):F1} bandwidth_copy_gbs={Median(copy.Skip(1).ToList()):F1} w1_bound_ms={bound:F1}");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
