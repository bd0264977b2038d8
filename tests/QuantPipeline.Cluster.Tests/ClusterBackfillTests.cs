using QuantPipeline.Cluster.Backfill;
using QuantPipeline.Cluster.Scheduling;
using QuantPipeline.Cluster.Units;
using QuantPipeline.Orchestrator.Backfill;

namespace QuantPipeline.Cluster.Tests;

/// <summary>
/// <see cref="WalkForwardBackfill"/> with its retrains on three in-process silos (stopping after validate, in parallel,
/// on the silo that declares a GPU) and registration here in date order, against the same backfill on one machine.
/// </summary>
public sealed class ClusterBackfillTests
{
    [Fact]
    public async Task Walk_forward_backfill_on_the_cluster_equals_the_single_machine_backfill()
    {
        var (cluster, shared) = await TestSilos.StartWithPipelineAsync(3);
        var single = Directory.CreateTempSubdirectory("qp-wf-single-").FullName;
        try
        {
            var (expected, expectedPrinted) = WalkForwardComparison.RunHere(single);

            var work = Path.Combine(shared, "work");
            BackfillScenario.Ingest(work);
            var dispatcher = new ClusterDispatcher(cluster.Client, new SharedStore(shared), new ClusterDispatchOptions { CallTimeout = TimeSpan.FromSeconds(2) });
            var printed = new WalkForwardComparison.Transcript();
            BackfillResult actual;
            using (var retrainer = new ClusterBackfillRetrainer(dispatcher, BackfillScenario.Config, work, null, BackfillScenario.Sets))
            {
                actual = await Task.Run(() => new WalkForwardBackfill(BackfillScenario.Config, work, printed, printed.Stage, retrainer).Run(WalkForwardComparison.Options));

                // The silos trained and validated but registered nothing: every version above was registered here.
                Assert.Equal(expected.Retrains.Select(r => r.Date), retrainer.SiloOutcomes.Select(o => o.AsOf));
                Assert.All(retrainer.SiloOutcomes, o => Assert.Equal(0, o.Version));
                Assert.All(retrainer.SiloOutcomes, o => Assert.Equal("validate", o.Stages[^1].Stage));
            }

            WalkForwardComparison.AssertSame(expected, expectedPrinted, actual, printed, single, work);
            var gpu = cluster.Silos.Single(s => s.Name == TestSilos.GpuSilo).SiloAddress.ToParsableString();
            Assert.Equal(4, dispatcher.Placements.Count);
            Assert.All(dispatcher.Placements, p => Assert.Equal(gpu, p.Silo));

            // Run again: every date is registered, so nothing is retrained, on the cluster or here.
            using var idle = new ClusterBackfillRetrainer(dispatcher, BackfillScenario.Config, work, null, BackfillScenario.Sets);
            var again = new WalkForwardBackfill(BackfillScenario.Config, work, null, null, idle).Run(WalkForwardComparison.Options);
            Assert.All(again.Retrains, r => Assert.True(r.Reused));
            Assert.Equal(4, dispatcher.Placements.Count);
            Assert.Equal(File.ReadAllBytes(expected.PredictionsCsvPath), File.ReadAllBytes(again.PredictionsCsvPath));
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
            Directory.Delete(shared, recursive: true);
            Directory.Delete(single, recursive: true);
        }
    }
}
