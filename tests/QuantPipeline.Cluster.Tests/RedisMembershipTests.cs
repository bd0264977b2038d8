using System.Net;
using Microsoft.Extensions.Hosting;
using QuantPipeline.Cluster.Hosting;
using QuantPipeline.Cluster.Membership;
using QuantPipeline.Cluster.Scheduling;
using QuantPipeline.Cluster.Sweeps;
using QuantPipeline.Cluster.Units;
using QuantPipeline.Core.Backtest;
using QuantPipeline.Core.Panels;

namespace QuantPipeline.Cluster.Tests;

/// <summary>Two silos (the product's hosting, as `qp cluster silo` builds them) with their membership in a real Redis server on 127.0.0.1.</summary>
public sealed class RedisMembershipTests
{
    [RedisFact]
    public async Task Silos_with_Redis_membership_find_each_other_and_run_a_sweep_as_on_one_machine()
    {
        using var redis = await RedisServer.StartAsync();
        var membership = MembershipUri.Parse(redis.Uri);
        var clusterId = $"redis-{Guid.NewGuid():N}"[..14];
        var shared = Directory.CreateTempSubdirectory("qp-redis-").FullName;
        var silos = new[] { "redis-a", "redis-b" }
            .Select(name => ClusterHosting.BuildSilo(new SiloHostOptions(clusterId, membership, IPAddress.Loopback, SiloProcess.FreePort(), SiloProcess.FreePort(), new SiloSettings(name, Gpu: false, Slots: 2, shared))
            {
                ProbeTimeout = TimeSpan.FromSeconds(1),
            }))
            .ToList();
        try
        {
            await Task.WhenAll(silos.Select(s => s.StartAsync()));
            await using var connection = await ClusterHosting.ConnectAsync(clusterId, membership);
            var listed = await ClusterMembers.ListAsync(connection.Client, TimeSpan.FromSeconds(5));
            Assert.Equal(["redis-a", "redis-b"], listed.Select(s => s.Name).Order());
            Assert.All(listed, s => Assert.StartsWith("127.0.0.1:", s.Silo, StringComparison.Ordinal));

            var panel = MarketData.BacktestPanel(120, 25, seed: 9);
            var file = Path.Combine(shared, "bt.arrow");
            PanelIpc.WriteFile(panel, file);
            var variants = BacktestSweep.Grid(new BacktestOptions(), [0.1, 0.3], [0, 5], [1], [1, 2]);
            var single = BacktestSweep.Run(SweepInputs.FromPanel(panel, file), variants);
            var dispatcher = new ClusterDispatcher(connection.Client, new SharedStore(shared), new ClusterDispatchOptions { PollInterval = TimeSpan.FromMilliseconds(20) });
            var clustered = await SweepChunks.RunAsync(dispatcher, file, variants, 252, chunkSize: 2);

            Assert.Equal(single.Select(r => r.Metrics), clustered.Select(r => r.Metrics));
            Assert.Equal(2, dispatcher.Placements.Select(p => p.Silo).Distinct().Count());

            // A silo that stops leaves the Redis membership table: the others see it dead at once.
            await silos[1].StopAsync();
            var rows = await ClusterMembers.ListMembershipAsync(connection.Client, TimeSpan.FromSeconds(5));
            Assert.Contains(rows, r => r.Name == "redis-b" && r.Status == "Dead");
            Assert.Contains(rows, r => r.Name == "redis-a" && r.Status == "Active");
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.StopAsync();
                silo.Dispose();
            }

            Directory.Delete(shared, recursive: true);
        }
    }
}
