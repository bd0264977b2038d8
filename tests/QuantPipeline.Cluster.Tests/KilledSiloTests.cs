using QuantPipeline.Cluster.Backfill;
using QuantPipeline.Cluster.Scheduling;
using QuantPipeline.Cluster.Units;

namespace QuantPipeline.Cluster.Tests;

/// <summary>A silo killed under running units: its units finish elsewhere, nothing is committed twice or lost.</summary>
public sealed class KilledSiloTests
{
    [Fact]
    public async Task Units_of_a_killed_silo_run_elsewhere_and_commit_once_in_order()
    {
        var (cluster, shared) = await TestSilos.StartAsync(3);
        try
        {
            // Every unit blocks once started, until the victim has been killed under one of them.
            var hold = new ManualResetEventSlim(false);
            SlopeRetrainUnit.Started.Clear();
            SlopeRetrainUnit.Hold = hold;
            var dates = Enumerable.Range(0, 12).Select(i => new DateOnly(2021, 1, 29).AddMonths(i)).ToList();
            var units = ClusterBackfill.Units(dates, Path.Combine(shared, "work"), null, []).Select(u => u with { PreferGpu = false }).ToList();
            var dispatcher = new ClusterDispatcher(cluster.Client, new SharedStore(shared), new ClusterDispatchOptions { CallTimeout = TimeSpan.FromSeconds(1), PollInterval = TimeSpan.FromMilliseconds(20) });
            var committed = new List<DateOnly>();
            var run = ClusterBackfill.RunAsync(dispatcher, units, o => committed.Add(o.AsOf));

            // Kill a secondary silo once a unit placed on it has started (and is blocked on the hold), then let the
            // units go. The wait is on that state; its deadline only turns a broken dispatcher into a failure.
            var victim = cluster.SecondarySilos[0];
            var victimAddress = victim.SiloAddress.ToParsableString();
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (!dispatcher.Placements.ToList().Any(p => p.Silo == victimAddress && SlopeRetrainUnit.Started.ContainsKey(p.Key)))
            {
                Assert.True(DateTime.UtcNow < deadline, "no unit started on the victim silo");
                await Task.Delay(10);
            }

            await cluster.KillSiloAsync(victim);
            hold.Set();
            var outcomes = await run.WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(dates, committed);
            Assert.Equal(dates, outcomes.Select(o => o.AsOf));
            Assert.All(outcomes, o => Assert.Equal(SlopeRetrainUnit.Slope(o.AsOf), o.Sharpe));
            Assert.True(dispatcher.Redispatched >= 1, "the killed silo's unit should have been dispatched again");
            var lostKeys = dispatcher.Placements.Where(p => p.Silo == victimAddress).Select(p => p.Key).ToHashSet();
            // Units the victim finished before it died stay finished; the one it held when killed ran again elsewhere.
            Assert.Contains(lostKeys, k => dispatcher.Placements.Any(p => p.Key == k && p.Silo != victimAddress));
        }
        finally
        {
            SlopeRetrainUnit.Hold?.Set();
            SlopeRetrainUnit.Hold = null;
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
            Directory.Delete(shared, recursive: true);
        }
    }
}
