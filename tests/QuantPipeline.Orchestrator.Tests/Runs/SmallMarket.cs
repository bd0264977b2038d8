using QuantPipeline.Core.Synthetic;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Storage.Market;

namespace QuantPipeline.Orchestrator.Tests.Runs;

/// <summary>A small XNYS market and configuration that train in about a second, in a fresh working folder.</summary>
internal sealed class SmallMarket : IDisposable
{
    public static readonly DateOnly AsOf = new(2023, 12, 29);

    public static readonly PipelineConfig Config = new()
    {
        ModelName = "runs_test",
        TrainingWindowDays = 120,
        ValidationWindowDays = 60,
        TrainingEpochs = 2,
        MinSharpeThreshold = -100,
        MaxDrawdownThreshold = -1,
        RetryBaseDelayMs = 20,
    };

    public SmallMarket()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("qp-runs-").FullName;
        using var store = MarketStore.Open(Path.Combine(Directory, Config.MarketStorePath));
        store.Ingest(new SyntheticMarket(new SyntheticMarketSpec
        {
            Symbols = 20,
            From = new DateOnly(2023, 1, 3),
            To = AsOf,
            Seed = 11,
            ListingChurn = 0,
            CorporateActions = false,
            ReversalStrength = 0.03,
        }));
    }

    public string Directory { get; }

    /// <summary>Every file under the working folder whose name marks an unfinished write.</summary>
    public IReadOnlyList<string> Leftovers() =>
        [.. System.IO.Directory.GetFileSystemEntries(Directory, "*", SearchOption.AllDirectories)
            .Where(p => Path.GetFileName(p).StartsWith(".tmp-", StringComparison.Ordinal) || p.EndsWith(".tmp", StringComparison.Ordinal))];

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
