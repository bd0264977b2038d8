using QuantPipeline.Cluster.Backfill;
using QuantPipeline.Cluster.Scheduling;
using QuantPipeline.Cluster.Units;
using QuantPipeline.Core.Synthetic;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Orchestrator.Pipeline;
using QuantPipeline.Storage.Market;
using QuantPipeline.Storage.Registry;

namespace QuantPipeline.Cluster.Tests;

/// <summary>
/// A small backfill through the production pipeline (prepare → features → train → validate → gate → register) on three
/// in-process silos, against the same dates run one after another on one machine: same versions, metrics and model bytes.
/// </summary>
public sealed class PipelineBackfillTests
{
    private static readonly string[] Sets =
    [
        "model_name=bf_mlp", "training_window_days=100", "validation_window_days=40", "training_epochs=1",
        "min_sharpe_threshold=-100", "max_drawdown_threshold=-1", "compute_backend=managed",
    ];

    private static readonly DateOnly[] Dates = [new(2021, 4, 30), new(2021, 5, 28), new(2021, 6, 30)];

    [Fact]
    public async Task Backfill_on_the_cluster_registers_the_single_machine_versions()
    {
        var (cluster, shared) = await TestSilos.StartWithPipelineAsync(3);
        var single = Directory.CreateTempSubdirectory("qp-backfill-single-").FullName;
        try
        {
            var config = PipelineConfigFile.Load(null, Sets);
            var onCluster = Path.Combine(shared, "work");
            Ingest(config, onCluster);
            Ingest(config, single);
            var expected = Dates.Select(d => new ProductionPipeline(config, single).Run(d)).ToList();

            var unit = new PipelineRetrainUnit();
            var dispatcher = new ClusterDispatcher(cluster.Client, new SharedStore(shared), ClusterBackfill.DispatchOptions(unit, new ClusterDispatchOptions { CallTimeout = TimeSpan.FromSeconds(2) }));
            var outcomes = await ClusterBackfill.RunAsync(dispatcher, ClusterBackfill.Units(Dates.Reverse().ToList(), onCluster, null, Sets));

            Assert.Equal(Dates, outcomes.Select(o => o.AsOf));
            Assert.Equal([1, 2, 3], outcomes.Select(o => o.Version));
            Assert.Equal(expected.Select(e => e.Version), outcomes.Select(o => o.Version));
            Assert.Equal(expected.Select(e => e.Metrics.Sharpe), outcomes.Select(o => o.Sharpe));
            Assert.Equal(expected.Select(e => e.Metrics.MaxDrawdown), outcomes.Select(o => o.MaxDrawdown));
            Assert.Equal(expected.Select(e => e.ArtifactSha256), outcomes.Select(o => o.ArtifactSha256));
            using var registry = ModelRegistry.Open(config.ModelRegistryUri, onCluster);
            Assert.Equal([1, 2, 3], registry.ListVersions(config.ModelName).Select(v => v.Version));
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
            Directory.Delete(shared, recursive: true);
            Directory.Delete(single, recursive: true);
        }
    }

    private static void Ingest(PipelineConfig config, string folder)
    {
        var market = new SyntheticMarketOptions { Symbols = 20, From = new DateOnly(2020, 6, 1), To = new DateOnly(2021, 6, 30), Seed = 5 };
        using var store = MarketStore.Open(Path.Combine(folder, config.MarketStorePath));
        store.IngestDailyBars(SyntheticDailyMarket.Generate(market));
    }
}
