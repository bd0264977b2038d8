using QuantPipeline.Cluster.Backfill;
using QuantPipeline.Cluster.Scheduling;
using QuantPipeline.Cluster.Units;
using QuantPipeline.Storage.Registry;

namespace QuantPipeline.Cluster.Tests;

/// <summary>
/// A small backfill through the production pipeline (prepare → features → train → validate → gate → register) on three
/// in-process silos, against the same dates run one after another on one machine: same versions, metrics and model bytes.
/// </summary>
public sealed class PipelineBackfillTests
{
    [Fact]
    public async Task Backfill_on_the_cluster_registers_the_single_machine_versions()
    {
        var (cluster, shared) = await TestSilos.StartWithPipelineAsync(3);
        var single = Directory.CreateTempSubdirectory("qp-backfill-single-").FullName;
        try
        {
            var expected = BackfillScenario.RunHere(single);
            var onCluster = Path.Combine(shared, "work");
            BackfillScenario.Ingest(onCluster);

            var unit = new PipelineRetrainUnit();
            var dispatcher = new ClusterDispatcher(cluster.Client, new SharedStore(shared), ClusterBackfill.DispatchOptions(unit, new ClusterDispatchOptions { CallTimeout = TimeSpan.FromSeconds(2) }));
            var outcomes = await ClusterBackfill.RunAsync(dispatcher, ClusterBackfill.Units(BackfillScenario.Dates.Reverse().ToList(), onCluster, null, BackfillScenario.Sets));

            AssertSameBackfill(expected, outcomes, onCluster);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
            Directory.Delete(shared, recursive: true);
            Directory.Delete(single, recursive: true);
        }
    }

    /// <summary>Dates in order, versions 1..n as on one machine, identical metrics and model artifacts, and no extra version in the registry.</summary>
    internal static void AssertSameBackfill(IReadOnlyList<Orchestrator.Pipeline.PipelineResult> expected, IReadOnlyList<RetrainOutcome> outcomes, string clusterFolder)
    {
        Assert.Equal(BackfillScenario.Dates, outcomes.Select(o => o.AsOf));
        Assert.Equal([1, 2, 3], outcomes.Select(o => o.Version));
        Assert.Equal(expected.Select(e => e.Version), outcomes.Select(o => o.Version));
        Assert.Equal(expected.Select(e => e.Metrics.Sharpe), outcomes.Select(o => o.Sharpe));
        Assert.Equal(expected.Select(e => e.Metrics.MaxDrawdown), outcomes.Select(o => o.MaxDrawdown));
        Assert.Equal(expected.Select(e => e.ArtifactSha256), outcomes.Select(o => o.ArtifactSha256));
        var config = BackfillScenario.Config;
        using var registry = ModelRegistry.Open(config.ModelRegistryUri, clusterFolder);
        Assert.Equal([1, 2, 3], registry.ListVersions(config.ModelName).Select(v => v.Version));
    }
}
