using QuantPipeline.Core.Data;
using QuantPipeline.Core.Synthetic;
using QuantPipeline.Orchestrator.Backfill;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Storage.Market;

namespace QuantPipeline.Orchestrator.Tests.Backfill;

/// <summary>
/// A small synthetic XNYS market with splits and dividends (30 symbols, 2021-01-04..2022-06-30) and one complete
/// monthly backfill over 2022-03-01..2022-05-31 (three retrains), shared by the backfill tests.
/// </summary>
public sealed class BackfillFixture : IDisposable
{
    public static readonly SyntheticMarketSpec Market = new()
    {
        Symbols = 30,
        From = new DateOnly(2021, 1, 4),
        To = new DateOnly(2022, 6, 30),
        Seed = 5,
        Calendar = "XNYS",
        ListingChurn = 0,
        CorporateActions = true,
        ReversalStrength = 0.03,
    };

    public static readonly PipelineConfig Config = new()
    {
        ModelName = "bf_mlp",
        TrainingWindowDays = 120,
        ValidationWindowDays = 60,
        TrainingEpochs = 2,
    };

    public static readonly BackfillOptions Options = new() { From = new DateOnly(2022, 3, 1), To = new DateOnly(2022, 5, 31) };

    public BackfillFixture()
    {
        Root = System.IO.Directory.CreateTempSubdirectory("qp-backfill-").FullName;
        Directory = NewWorkdir("complete");
        Ingest(Directory, bar => bar);
        Result = new WalkForwardBackfill(Config, Directory).Run(Options);
    }

    public string Root { get; }

    /// <summary>The working folder of the complete backfill.</summary>
    public string Directory { get; }

    public BackfillResult Result { get; }

    public string NewWorkdir(string name) => System.IO.Directory.CreateDirectory(Path.Combine(Root, name)).FullName;

    /// <summary>Generates the market and ingests it, each bar passed through <paramref name="change"/> first.</summary>
    public static void Ingest(string workdir, Func<Bar, Bar> change)
    {
        using var store = MarketStore.Open(Path.Combine(workdir, Config.MarketStorePath));
        var market = new SyntheticMarket(Market);
        store.AddSymbols(market.Listings.Select(l => new SymbolListing(l.Symbol, market.Calendar.Name, l.ListedOn, l.DelistedOn)));
        store.IngestBars(market.Bars().Select(change), new BarIngestOptions { Calendar = "XNYS" }, source: "synthetic");
        store.AddCorporateActions(market.Actions.Select(SyntheticMarketIngest.ToAction));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Root, recursive: true);
    }
}
