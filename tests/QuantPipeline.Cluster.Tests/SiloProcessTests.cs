using QuantPipeline.Cluster.Backfill;
using QuantPipeline.Cluster.Features;
using QuantPipeline.Cluster.Hosting;
using QuantPipeline.Cluster.Membership;
using QuantPipeline.Cluster.Scheduling;
using QuantPipeline.Cluster.Units;
using QuantPipeline.Core.Panels;
using Xunit.Abstractions;

namespace QuantPipeline.Cluster.Tests;

/// <summary>
/// Three `qp cluster silo` processes on 127.0.0.1 with PostgreSQL membership. A feature job runs while one silo is
/// killed with SIGKILL; its output must equal the single-machine file byte for byte. A sweep then runs on the two
/// survivors and must write the single-machine CSV. Then a backfill through the production pipeline runs while a second
/// silo is killed, and must register the single-machine versions, metrics and model bytes. Last, `qp backfill --cluster`
/// runs while a third silo is killed in the middle of a training, and must print, register and write what
/// `qp backfill` does on one machine.
/// </summary>
public sealed class SiloProcessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [PostgresFact]
    public async Task Three_silo_processes_survive_a_kill_and_match_the_single_machine_results()
    {
        var membership = PostgresFactAttribute.RequiredUri;
        var clusterId = $"it-{Guid.NewGuid():N}"[..11];
        var root = Directory.CreateTempSubdirectory("qp-silos-").FullName;
        var shared = Path.Combine(root, "shared");
        var pause = Path.Combine(root, "pause");
        var silos = new List<SiloProcess>();
        try
        {
            var bars = Path.Combine(root, "bars.csv");
            var generated = await SiloProcess.RunAsync(Minute, "generate", "--symbols", "30", "--from", "2020-01-02", "--to", "2021-12-31", "--out", bars);
            Assert.True(generated.Exit == 0, generated.Err);
            var single = Path.Combine(root, "single.arrow");
            var local = await SiloProcess.RunAsync(Minute, "features", "--input", bars, "--set", "alpha158", "--backend", "managed", "--out", single);
            Assert.True(local.Exit == 0, local.Err);

            var started = DateTime.UtcNow;
            var ports = new List<int>();
            for (var i = 0; i < 3; i++)
            {
                ports.Add(SiloProcess.FreePort());
                silos.Add(SiloProcess.StartPausable(
                    pause, "cluster", "silo", "--cluster-id", clusterId, "--membership", membership, "--shared", shared, "--address", "127.0.0.1",
                    "--port", ports[i].ToString(System.Globalization.CultureInfo.InvariantCulture), "--gateway-port", SiloProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "--slots", "1", "--probe-timeout", "2", "--name", $"silo{i}"));
            }

            await Task.WhenAll(silos.Select(s => s.WaitJoinedAsync(Minute)));
            output.WriteLine($"3 silos joined in {(DateTime.UtcNow - started).TotalSeconds:F1} s");

            // Bound to 127.0.0.1 only: the silo port answers there and refuses another loopback address.
            using (var reachable = new System.Net.Sockets.TcpClient())
            {
                await reachable.ConnectAsync("127.0.0.1", ports[0]);
            }

            using (var other = new System.Net.Sockets.TcpClient())
            {
                await Assert.ThrowsAsync<System.Net.Sockets.SocketException>(() => other.ConnectAsync("127.0.0.2", ports[0]));
            }

            // The first silo to start a shard unit pauses in it and is killed there: its unit must run elsewhere.
            var clustered = Path.Combine(root, "cluster.arrow");
            Core.Diagnostics.PausePoints.Arm(pause, "unit." + FeatureShardExecutor.UnitKind);
            var job = SiloProcess.RunAsync(
                TimeSpan.FromMinutes(2), "features", "--input", bars, "--set", "alpha158", "--backend", "managed", "--out", clustered,
                "--cluster", clusterId, "--membership", membership, "--shared", shared, "--shard-rows", "20");
            var units = Path.Combine(shared, "units");
            (await SiloProcess.WaitPausedAsync(silos, pause, "unit." + FeatureShardExecutor.UnitKind, job)).Kill9();
            var killedAt = DateTime.UtcNow;
            var result = await job;
            output.WriteLine($"job finished {(DateTime.UtcNow - killedAt).TotalSeconds:F1} s after the kill; {DoneUnits(units)} shard units");
            Assert.True(result.Exit == 0, result.Err);

            Assert.Equal(local.Out, result.Out.Replace(clustered, single, StringComparison.Ordinal));
            Assert.Equal(ProgressEnds(local.Err, "features"), ProgressEnds(result.Err, "features"));
            Assert.Equal(await File.ReadAllBytesAsync(single), await File.ReadAllBytesAsync(clustered));
            Assert.Equal(26, DoneUnits(units));
            Assert.Empty(Directory.EnumerateFiles(shared, "*.tmp", SearchOption.AllDirectories));

            var panel = MarketData.BacktestPanel(200, 40, seed: 11);
            var inputs = Path.Combine(root, "bt.arrow");
            PanelIpc.WriteFile(panel, inputs);
            string[] grid = ["--inputs", inputs, "--quantile", "0.1,0.2", "--commission-bps", "0,5", "--delay", "0,1", "--rebalance", "1,5"];
            var sweepLocal = await SiloProcess.RunAsync(Minute, ["sweep", .. grid, "--out", Path.Combine(root, "sweep-local.csv")]);
            var sweepCluster = await SiloProcess.RunAsync(Minute, ["sweep", .. grid, "--out", Path.Combine(root, "sweep-cluster.csv"), "--chunk", "3", "--cluster", clusterId, "--membership", membership, "--shared", shared]);
            Assert.True(sweepLocal.Exit == 0, sweepLocal.Err);
            Assert.True(sweepCluster.Exit == 0, sweepCluster.Err);
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(root, "sweep-local.csv")), await File.ReadAllTextAsync(Path.Combine(root, "sweep-cluster.csv")));
            Assert.Equal(ProgressEnds(sweepLocal.Err, "sweep"), ProgressEnds(sweepCluster.Err, "sweep"));

            // A backfill through the production pipeline, coordinated from here; the first silo to start a date is killed in it.
            var expected = BackfillScenario.RunHere(Path.Combine(root, "single-work"));
            var work = Path.Combine(shared, "work");
            BackfillScenario.Ingest(work);
            await using (var connection = await ClusterHosting.ConnectAsync(clusterId, MembershipUri.Parse(membership)))
            {
                var dispatcher = new ClusterDispatcher(connection.Client, new SharedStore(shared), ClusterBackfill.DispatchOptions(new PipelineRetrainUnit()));
                Core.Diagnostics.PausePoints.Arm(pause, "unit." + RetrainExecutor.UnitKind);
                var backfill = ClusterBackfill.RunAsync(dispatcher, ClusterBackfill.Units(BackfillScenario.Dates, work, null, BackfillScenario.Sets));
                (await SiloProcess.WaitPausedAsync(silos, pause, "unit." + RetrainExecutor.UnitKind, backfill)).Kill9();
                var outcomes = await backfill.WaitAsync(TimeSpan.FromMinutes(2));
                output.WriteLine($"backfill: placements {string.Join(", ", dispatcher.Placements.Select(p => p.Silo))}; {dispatcher.Redispatched} re-dispatched");
                Assert.True(dispatcher.Redispatched >= 1, "the second date should have been taken from the killed silo");
                PipelineBackfillTests.AssertSameBackfill(expected, outcomes, work);
            }

            // `qp backfill --cluster`: the walk-forward backfill with its retrains on the silos (a fourth silo joins the
            // survivor), one of them killed while it trains a date; the command prints and writes what it does on one machine.
            ports.Add(SiloProcess.FreePort());
            silos.Add(SiloProcess.StartPausable(
                pause, "cluster", "silo", "--cluster-id", clusterId, "--membership", membership, "--shared", shared, "--address", "127.0.0.1",
                "--port", ports[^1].ToString(System.Globalization.CultureInfo.InvariantCulture), "--gateway-port", SiloProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--slots", "1", "--probe-timeout", "2", "--name", "silo3"));
            await silos[^1].WaitJoinedAsync(Minute);
            string[] range = ["backfill", "--from", "2021-03-01", "--to", "2021-06-30", "--frequency", "monthly", .. BackfillScenario.Sets.SelectMany(s => new[] { "--set", s })];
            var singleWork = Path.Combine(root, "single-cli");
            BackfillScenario.Ingest(singleWork);
            var backfillLocal = await SiloProcess.RunAsync(Minute, [.. range, "--workdir", singleWork]);
            Assert.True(backfillLocal.Exit == 0, backfillLocal.Err);
            var clusterWork = Path.Combine(shared, "work-cli");
            BackfillScenario.Ingest(clusterWork);
            // The retrain dates: the schedule's, up to the last session whose next session is stored (the market ends 2021-06-30).
            var dates = Orchestrator.Schedule.RetrainScheduler.Dates(new DateOnly(2021, 3, 1), new DateOnly(2021, 6, 29), "monthly");
            var validateUnits = ClusterBackfill.Units(dates, clusterWork, null, BackfillScenario.Sets, RetrainExecutor.ValidateUnitKind).Select(u => u.Key).ToHashSet();
            // The first silo to start training a date pauses there and is killed while the membership lists it running that unit.
            Core.Diagnostics.PausePoints.Arm(pause, "unit." + RetrainExecutor.ValidateUnitKind);
            var backfillCluster = SiloProcess.RunAsync(TimeSpan.FromMinutes(5), [.. range, "--workdir", clusterWork, "--cluster", clusterId, "--membership", membership, "--shared", shared]);
            var paused = await SiloProcess.WaitPausedAsync(silos, pause, "unit." + RetrainExecutor.ValidateUnitKind, backfillCluster);
            string? killedUnit = null;
            await using (var connection = await ClusterHosting.ConnectAsync(clusterId, MembershipUri.Parse(membership)))
            {
                var pausedPort = ports[silos.IndexOf(paused)];
                var listing = await ClusterMembers.ListAsync(connection.Client, TimeSpan.FromSeconds(30));
                var member = listing.Single(m => m.Silo.Split('@')[0].EndsWith($":{pausedPort}", StringComparison.Ordinal));
                killedUnit = member.Running.Single(validateUnits.Contains);
                paused.Kill9();
                output.WriteLine($"cluster backfill: killed {member.Name} while it trained unit {killedUnit}");
            }

            var backfillResult = await backfillCluster;
            Assert.True(backfillResult.Exit == 0, backfillResult.Err);
            Assert.NotNull(killedUnit);
            Assert.True(File.Exists(Path.Combine(shared, "units", killedUnit, "done.json")), "the killed silo's date should have been trained by another silo");
            Assert.Equal(Timeless(backfillLocal.Out.Replace(singleWork, "WORK", StringComparison.Ordinal)), Timeless(backfillResult.Out.Replace(clusterWork, "WORK", StringComparison.Ordinal)));
            // Standard error holds the progress; lines between a task's first and last depend on the clock (throttled).
            foreach (var task in new[] { "backfill", "run", "train" })
            {
                Assert.Equal(ProgressEnds(backfillLocal.Err, task), ProgressEnds(backfillResult.Err, task));
            }

            foreach (var file in new[] { "oos_predictions.csv", "oos_daily.csv", "oos_predictions.arrow" })
            {
                var name = Path.Combine("backfill", BackfillScenario.Config.ModelName, "2021-03-01_2021-06-30", file);
                Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(singleWork, name)), await File.ReadAllBytesAsync(Path.Combine(clusterWork, name)));
            }

            using (var want = Storage.Registry.ModelRegistry.Open(BackfillScenario.Config.ModelRegistryUri, singleWork))
            using (var got = Storage.Registry.ModelRegistry.Open(BackfillScenario.Config.ModelRegistryUri, clusterWork))
            {
                var model = BackfillScenario.Config.ModelName;
                Assert.Equal([1, 2, 3, 4], got.ListVersions(model).Select(v => v.Version));
                Assert.Equal(
                    want.ListVersions(model).Select(v => (v.Version, v.AsOf, v.Status, v.ArtifactSha256, string.Join(',', v.Metrics.OrderBy(m => m.Key)))),
                    got.ListVersions(model).Select(v => (v.Version, v.AsOf, v.Status, v.ArtifactSha256, string.Join(',', v.Metrics.OrderBy(m => m.Key)))));
            }

            // The membership table learns of the last kill only after the survivors' probes time out; until then the
            // killed silo is still listed Active and a status call can time out on it. Ask until the table has settled.
            var status = await SiloProcess.RunAsync(Minute, "cluster", "status", "--cluster-id", clusterId, "--membership", membership);
            for (var settle = DateTime.UtcNow.AddSeconds(45); !status.Out.Contains("1 active silo(s) answering", StringComparison.Ordinal) && DateTime.UtcNow < settle;)
            {
                output.WriteLine(status.Out);
                await Task.Delay(TimeSpan.FromSeconds(2));
                status = await SiloProcess.RunAsync(Minute, "cluster", "status", "--cluster-id", clusterId, "--membership", membership);
            }

            output.WriteLine(status.Out);
            Assert.True(status.Exit == 0, status.Err);
            Assert.Contains("1 active silo(s) answering", status.Out, StringComparison.Ordinal);
            Assert.Contains("Dead", status.Out, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var silo in silos)
            {
                output.WriteLine(silo.Output);
                silo.Dispose();
            }

            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Output without what depends on the clock: stage seconds, throughputs, elapsed times and ETAs.</summary>
    private static string Timeless(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, @"\d+\.\d{3} s|[\d,.]+ samples/s|, \d\d:\d\d(, ETA \d\d:\d\d)?", "#");

    /// <summary>
    /// The first and last progress lines of <paramref name="task"/> without their times (the lines in between depend on
    /// the clock): a job on the cluster starts and ends its progress as on one machine.
    /// </summary>
    private static (string First, string Last) ProgressEnds(string err, string task)
    {
        var lines = err.Split('\n').Where(l => l.StartsWith($"[{task}]", StringComparison.Ordinal))
            .Select(l => System.Text.RegularExpressions.Regex.Replace(l, @", (done in \S+|\S+ elapsed, ETA \S+)", string.Empty))
            .ToList();
        Assert.True(lines.Count >= 2, $"expected {task} progress lines on standard error, got:\n{err}");
        return (lines[0], lines[^1]);
    }

    private static int DoneUnits(string units) =>
        Directory.Exists(units) ? Directory.EnumerateFiles(units, "done.json", SearchOption.AllDirectories).Count() : 0;
}
