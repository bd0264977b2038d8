using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using QuantPipeline.Core.Panels;
using QuantPipeline.Storage.Market;

namespace QuantPipeline.Benchmarks;

/// <summary>
/// The market store's targets: 25 M intraday rows ingested from Parquet (validation included) in ≤ 30 s, and a
/// 3,000 × 8,190 minute panel with 5 fields loaded in ≤ 3 s, on 2 cores. Each operation takes seconds, so
/// the job runs a few single-invocation iterations:
/// dotnet run -c Release --project benchmarks/QuantPipeline.Benchmarks -- --filter '*MarketStore*'
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 3)]
public class MarketStoreBenchmarks
{
    // 21 XNYS sessions × 390 minutes = 8,190 minutes.
    private static readonly DateOnly From = new(2024, 2, 1);
    private static readonly DateOnly To = new(2024, 3, 1);

    private string _dir = string.Empty;
    private string _parquet = string.Empty;
    private MarketStore? _loaded;
    private PanelRequest _request = null!;
    private int _ingestRun;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("qp-bench-store-").FullName;
        // 3,052 symbols × 8,190 minutes ≈ 25.0 M rows.
        _parquet = MarketDataFixture.WriteMinuteParquet(Path.Combine(_dir, "minutes.parquet"), 3052, From, To);
        _loaded = MarketStore.Open(Path.Combine(_dir, "loaded.duckdb"));
        _loaded.IngestFile(_parquet, new BarIngestOptions { Frequency = BarFrequency.Minute, AddUnknownSymbols = true });
        _request = new PanelRequest
        {
            From = From,
            To = To,
            Frequency = BarFrequency.Minute,
            Symbols = MarketDataFixture.Symbols(3000),
            Fields = ["open", "high", "low", "close", "volume"],
        };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _loaded?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark]
    public long IngestParquet25M()
    {
        var path = Path.Combine(_dir, $"ingest-{_ingestRun++}.duckdb");
        try
        {
            using var store = MarketStore.Open(path);
            return store.IngestFile(_parquet, new BarIngestOptions { Frequency = BarFrequency.Minute, AddUnknownSymbols = true }).RowsStored;
        }
        finally
        {
            File.Delete(path);
            File.Delete(path + ".wal");
        }
    }

    [Benchmark]
    public Panel LoadMinutePanel3000x8190x5() => _loaded!.LoadPanel(_request);
}
