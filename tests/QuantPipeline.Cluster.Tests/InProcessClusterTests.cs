using QuantPipeline.Cluster.Backfill;
using QuantPipeline.Cluster.Features;
using QuantPipeline.Cluster.Scheduling;
using QuantPipeline.Cluster.Sweeps;
using QuantPipeline.Cluster.Units;
using QuantPipeline.Core.Backtest;
using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Features.Expressions;
using QuantPipeline.Core.Panels;
using QuantPipeline.Core.Progress;

namespace QuantPipeline.Cluster.Tests;

/// <summary>Unit behaviour on three in-process silos (Orleans TestingHost).</summary>
public sealed class InProcessClusterTests(ThreeSiloFixture fixture) : IClassFixture<ThreeSiloFixture>
{
    private static readonly ClusterDispatchOptions Fast = new() { CallTimeout = TimeSpan.FromSeconds(1), PollInterval = TimeSpan.FromMilliseconds(20) };

    private static readonly FeatureDefinition[] Definitions =
    [
        new("MA7", "Mean($close, 7) / $close"),
        new("STD20", "Std($close, 20) / $close"),
        new("CORR10", "Corr($close, Log($volume + 1), 10)"),
        new("ROC5", "Ref($close, 5) / $close"),
        new("RANK", "CsRank(Mean($close, 3) / Ref($close, 3))"),
        new("RANGE12", "(Max($close, 12) - Min($close, 12)) / $close"),
    ];

    private static readonly FeatureDefinition[] Exponential = [new("EMA", "EMA($close, 5) / $close"), new("RSI", "RSI($close, 6)")];

    [Fact]
    public Task Feature_shards_on_three_silos_equal_one_pass_bit_for_bit() => ShardsEqualOnePass(Definitions);

    [Fact]
    public Task Exponential_feature_shards_equal_one_pass_bit_for_bit() => ShardsEqualOnePass(Exponential);

    private async Task ShardsEqualOnePass(FeatureDefinition[] definitions)
    {
        const int t = 230, n = 17;
        var fields = MarketData.Bars(t, n, seed: 7);
        var compiled = FeatureCompiler.Compile(definitions.ToList());
        var onePass = FeatureEvaluator.Evaluate(compiled, fields, t, n, new ManagedBackend());
        var dispatcher = new ClusterDispatcher(fixture.Cluster.Client, new SharedStore(fixture.Shared), Fast);
        var updates = new List<ProgressUpdate>();
        var sharded = await FeatureShards.EvaluateAsync(dispatcher, definitions, fields, MarketData.Days(t), MarketData.Symbols(n), "managed", shardRows: 30, new SyncProgress(updates));

        Assert.Equal(8, updates.Count);
        Assert.Equal(Enumerable.Range(1, 8), updates.Select(u => (int)u.Done));
        Assert.True(dispatcher.Placements.Select(p => p.Silo).Distinct().Count() >= 2, "the shards should spread over the silos");
        foreach (var d in definitions)
        {
            var expected = onePass[d.Name];
            var actual = sharded[d.Name];
            for (var k = 0; k < expected.Length; k++)
            {
                Assert.True(BitConverter.SingleToInt32Bits(expected[k]) == BitConverter.SingleToInt32Bits(actual[k]), $"{d.Name} at row {k / n}, symbol {k % n}: one pass {expected[k]:R}, shards {actual[k]:R}");
            }
        }
    }

    [Fact]
    public async Task Sweep_chunks_on_the_cluster_give_the_single_machine_metrics()
    {
        var panel = MarketData.BacktestPanel(160, 30, seed: 3);
        var file = Path.Combine(fixture.Shared, "bt-input.arrow");
        PanelIpc.WriteFile(panel, file);
        var variants = BacktestSweep.Grid(new BacktestOptions(), [0.1, 0.2, 0.3], [0, 5], [0, 1], [1, 3]);
        var single = BacktestSweep.Run(SweepInputs.FromPanel(panel, file), variants);
        var dispatcher = new ClusterDispatcher(fixture.Cluster.Client, new SharedStore(fixture.Shared), Fast);

        var clustered = await SweepChunks.RunAsync(dispatcher, file, variants, 252, chunkSize: 5);

        Assert.Equal(variants.Count, clustered.Count);
        Assert.Equal(5, dispatcher.Placements.Count);
        for (var i = 0; i < variants.Count; i++)
        {
            Assert.Equal(variants[i], clustered[i].Options);
            Assert.Equal(single[i].Metrics, clustered[i].Metrics);
            Assert.Equal(single[i].TotalCosts, clustered[i].TotalCosts);
        }

        // Independent check of one variant: Sharpe from its net returns with the published formula (mean / std, ddof 1, × √252).
        var r = single[7].NetReturns;
        var mean = r.Average();
        var sd = Math.Sqrt(r.Sum(x => (x - mean) * (x - mean)) / (r.Length - 1));
        Assert.Equal(mean / sd * Math.Sqrt(252), clustered[7].Metrics.Sharpe, 10);
    }

    [Fact]
    public async Task Retrains_go_to_the_gpu_silo_and_commit_in_date_order()
    {
        var dates = Enumerable.Range(0, 9).Select(i => new DateOnly(2021, 1, 29).AddMonths(i)).Reverse().ToList();
        var units = ClusterBackfill.Units(dates, Path.Combine(fixture.Shared, "work-gpu"), null, ["seed=1"]);
        var dispatcher = new ClusterDispatcher(fixture.Cluster.Client, new SharedStore(fixture.Shared), ClusterBackfill.DispatchOptions(new SlopeRetrainUnit(), Fast));
        var versions = new List<(DateOnly, int)>();

        var outcomes = await ClusterBackfill.RunAsync(dispatcher, units, o => versions.Add((o.AsOf, versions.Count + 1)));

        Assert.Equal(dates.Order(), outcomes.Select(o => o.AsOf));
        Assert.Equal(dates.Order().Select((d, i) => (d, i + 1)), versions);
        Assert.All(outcomes, o => Assert.Equal(SlopeRetrainUnit.Slope(o.AsOf), o.Sharpe));
        var gpuSilo = (await ClusterMembers.ListAsync(fixture.Cluster.Client, TimeSpan.FromSeconds(5))).Single(s => s.Gpu).Silo;
        Assert.All(dispatcher.Placements, p => Assert.Equal(gpuSilo, p.Silo));
    }

    [Fact]
    public async Task A_finished_unit_is_not_run_again()
    {
        var store = new SharedStore(fixture.Shared);
        var units = ClusterBackfill.Units([new DateOnly(2022, 3, 31)], Path.Combine(fixture.Shared, "work-once"), null, []);
        var first = new ClusterDispatcher(fixture.Cluster.Client, store, Fast);
        await ClusterBackfill.RunAsync(first, units);
        var second = new ClusterDispatcher(fixture.Cluster.Client, store, Fast);

        var again = await ClusterBackfill.RunAsync(second, units);

        Assert.Single(first.Placements);
        Assert.Empty(second.Placements);
        Assert.Equal(SlopeRetrainUnit.Slope(new DateOnly(2022, 3, 31)), again.Single().Sharpe);
    }

    [Fact]
    public async Task A_silo_outside_the_membership_gets_no_work()
    {
        var outsider = ISiloWorkerGrainKey("127.0.0.2", 11111);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => fixture.Cluster.Client.GetGrain<ISiloWorkerGrain>(outsider).Describe());

        Assert.Contains("not an active member", error.ToString(), StringComparison.Ordinal);
        var members = await ClusterMembers.ListAsync(fixture.Cluster.Client, TimeSpan.FromSeconds(5));
        Assert.Equal(3, members.Count);
        Assert.All(members, m => Assert.StartsWith("127.0.0.1:", m.Silo, StringComparison.Ordinal));
    }

    private static string ISiloWorkerGrainKey(string address, int port) => SiloAddress.New(new System.Net.IPEndPoint(System.Net.IPAddress.Parse(address), port), 1).ToParsableString();

    private sealed class SyncProgress(List<ProgressUpdate> updates) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value) => updates.Add(value);
    }
}
