using QuantPipeline.Core.Synthetic;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Orchestrator.Pipeline;
using QuantPipeline.Storage.Market;

namespace QuantPipeline.Cluster.Tests;

/// <summary>A backfill small enough for tests: 20 synthetic symbols, three month-end retrains of a one-epoch MLP, a gate every version passes.</summary>
public static class BackfillScenario
{
    public static readonly string[] Sets =
    [
        "model_name=bf_mlp", "training_window_days=100", "validation_window_days=40", "training_epochs=1",
        "min_sharpe_threshold=-100", "max_drawdown_threshold=-1", "compute_backend=managed",
    ];

    public static readonly DateOnly[] Dates = [new(2021, 4, 30), new(2021, 5, 28), new(2021, 6, 30)];

    public static PipelineConfig Config => PipelineConfigFile.Load(null, Sets);

    /// <summary>Generates the market into the working folder's store.</summary>
    public static void Ingest(string folder)
    {
        var market = new SyntheticMarketOptions { Symbols = 20, From = new DateOnly(2020, 6, 1), To = new DateOnly(2021, 6, 30), Seed = 5 };
        using var store = MarketStore.Open(Path.Combine(folder, Config.MarketStorePath));
        store.IngestDailyBars(SyntheticDailyMarket.Generate(market));
    }

    /// <summary>The single-machine backfill: each date run in turn in its own working folder.</summary>
    public static IReadOnlyList<PipelineResult> RunHere(string folder)
    {
        Ingest(folder);
        return Dates.Select(d => new ProductionPipeline(Config, folder).Run(d)).ToList();
    }
}
