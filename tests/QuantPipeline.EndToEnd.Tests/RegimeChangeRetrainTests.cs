using System.Text.Json;
using QuantPipeline.Core.Monitoring;
using QuantPipeline.Core.Synthetic;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Orchestrator.Monitoring;
using QuantPipeline.Orchestrator.Monitoring.Alerts;
using QuantPipeline.Orchestrator.Monitoring.Audit;
using QuantPipeline.Orchestrator.Pipeline;
using QuantPipeline.Orchestrator.Tests.Monitoring;
using QuantPipeline.Storage.Market;
using QuantPipeline.Storage.Registry;

namespace QuantPipeline.EndToEnd.Tests;

/// <summary>
/// A synthetic market whose volatility triples and volume falls to 30 % from 2022-01-17: a model trained before
/// the change is monitored after it, drift alerts go out, the policy starts a retrain and its outcome is recorded.
/// </summary>
public sealed class RegimeChangeRetrainTests : IDisposable
{
    private static readonly DateOnly BeforeChange = new(2022, 1, 14);
    private static readonly DateOnly Change = new(2022, 1, 17);
    private static readonly DateOnly AfterChange = new(2022, 2, 28);

    /// <summary>Small and quick; the gate is loosened so both versions are approved and the monitor has a production model.</summary>
    private static readonly PipelineConfig Config = SingleRunDemo.Config with
    {
        // The regime-change market is generated on every weekday (SyntheticDailyMarket), so sessions are weekdays.
        Exchange = "WEEKDAY",
        TrainingWindowDays = 120,
        ValidationWindowDays = 60,
        TrainingEpochs = 2,
        MinSharpeThreshold = -100,
        MaxDrawdownThreshold = -1,
    };

    private readonly string _dir = Directory.CreateTempSubdirectory("qp-regime-").FullName;

    [Fact]
    public async Task Regime_change_raises_drift_alerts_and_a_retrain_whose_outcome_is_recorded()
    {
        var market = new SyntheticMarketOptions { Symbols = 30, From = new DateOnly(2021, 1, 4), To = AfterChange, Seed = 42 };
        using (var store = MarketStore.Open(Path.Combine(_dir, Config.MarketStorePath)))
        {
            store.IngestDailyBars(RegimeChange.Apply(SyntheticDailyMarket.Generate(market), new RegimeChangeOptions { From = Change, VolatilityMultiplier = 3, VolumeMultiplier = 0.3 }));
        }

        var pipeline = new ProductionPipeline(Config, _dir);
        var v1 = pipeline.Run(BeforeChange);
        Assert.Equal(1, v1.Version);
        using (var registry = SqliteModelRegistry.Open(Config.ModelRegistryUri, _dir))
        {
            var referencePath = registry.GetVersion(Config.ModelName, 1).Parameters[MonitoringNames.ReferenceParameter];
            Assert.Equal(Path.ChangeExtension(v1.ArtifactPath, ".monitoring.json"), referencePath);
            var reference = MonitoringReference.Load(referencePath);
            Assert.Equal(6, reference.Features.Count);
            Assert.Equal(60, reference.Validation.DailyIc.Length);
        }

        var paths = new MonitoringPaths(_dir);
        var audit = new JsonLinesAuditSink(paths.Audit);
        var policy = new RetrainPolicy { DriftPsiThreshold = 0.2, DriftMinFeatures = 2, Schedule = "none" };
        using var receiver = new LoopbackWebhook(n => (n == 1 ? 503 : 200, TimeSpan.Zero));
        using var webhook = new WebhookAlertSink(receiver.Url, new WebhookOptions { InitialBackoff = TimeSpan.FromMilliseconds(20) });
        var console = new StringWriter();
        var dispatcher = new AlertDispatcher([new ConsoleAlertSink(console), new JsonLinesAlertSink(paths.Alerts), webhook], audit, TimeSpan.FromDays(1), paths.DeduplicationState);
        var trigger = RetrainTrigger.ForPipeline(pipeline, audit, paths.Retrains);
        var cycle = new MonitoringCycle(new ModelMonitor(Config, _dir), dispatcher, policy, trigger);

        // Before the change: monitoring of v1 on its own regime starts no retrain.
        var quiet = await cycle.RunAsync(BeforeChange);
        Assert.Equal(1, quiet.Monitoring.ModelVersion);
        Assert.False(quiet.Decision.Retrain, string.Join("; ", quiet.Decision.Reasons) + " | " + string.Join(", ", quiet.Monitoring.Drift.Select(d => $"{d.Name} {d.Psi:0.000}")));
        Assert.False(quiet.Retrain!.Triggered);
        Assert.DoesNotContain(quiet.Monitoring.Alerts, a => a.Kind == "drift.psi" && a.Severity == AlertSeverity.Critical && a.Subject is "ret_1" or "vol_20");

        // Six weeks into the new regime: the return and volatility features drift, the policy retrains.
        var result = await cycle.RunAsync(AfterChange);
        var m = result.Monitoring;
        Assert.Equal(1, m.ModelVersion);
        var drifted = m.Drift.Where(d => d.Name != MonitoringNames.Prediction && d.Psi >= 0.2).Select(d => d.Name).ToList();
        Assert.Contains("ret_1", drifted);
        Assert.Contains("vol_20", drifted);
        Assert.All(m.Drift.Where(d => d.Name is "ret_1" or "vol_20"), d => Assert.True(d.KsPValue < 1e-6 && d.JsDistance > 0.1, $"{d}"));
        var driftAlerts = m.Alerts.Where(a => a.Kind == "drift.psi" && a.Severity == AlertSeverity.Critical).ToList();
        Assert.Contains(driftAlerts, a => a.Subject == "vol_20");
        Assert.Empty(m.DataQuality.MissingSessions);

        // Every alert reached every sink once (the webhook through one retry) and the audit trail.
        Assert.All(result.Deliveries, d => Assert.Equal(["console", "jsonl", "webhook"], d.Delivered.Order()));
        var sentAlerts = quiet.Deliveries.Concat(result.Deliveries).Where(d => !d.Suppressed).Select(d => d.Alert).ToList();
        Assert.Equal(sentAlerts, JsonLinesAlertSink.Read(paths.Alerts));
        Assert.Equal(sentAlerts.Count, receiver.Requests.Select(r => r.Body).Distinct().Count());
        Assert.Equal(sentAlerts.Count + 1, receiver.Count);
        Assert.Equal(sentAlerts.Count, console.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        // The retrain ran the pipeline for the as-of and its outcome is recorded in the outcomes file and the audit trail.
        Assert.True(result.Decision.Retrain);
        Assert.Contains(result.Decision.Reasons, r => r.StartsWith("drift: PSI ≥ 0.2 on", StringComparison.Ordinal));
        var outcome = result.Retrain!;
        Assert.True(outcome.Triggered);
        Assert.Null(outcome.Error);
        Assert.Equal(2, outcome.NewVersion);
        Assert.Equal(outcome.GatePassed, outcome.Deployed);
        Assert.Equal([false, true], RetrainTrigger.Read(paths.Retrains).Select(o => o.Triggered));
        var auditTypes = JsonLinesAuditSink.Read(paths.Audit).Select(e => e.Type).ToList();
        Assert.Equal(quiet.Deliveries.Count + result.Deliveries.Count, auditTypes.Count(t => t == "alert"));
        Assert.Equal(2, auditTypes.Count(t => t == "retrain"));
        using (var registry = SqliteModelRegistry.Open(Config.ModelRegistryUri, _dir))
        {
            var v2 = registry.GetVersion(Config.ModelName, 2);
            Assert.Equal(AfterChange, v2.AsOf);
            Assert.Equal(outcome.GatePassed == true ? "approved" : "rejected", v2.Status);
            Assert.True(File.Exists(v2.Parameters[MonitoringNames.ReferenceParameter]));
        }

        Assert.Equal(outcome.Deployed, File.Exists(Path.Combine(_dir, "signals", $"{Config.ModelName}_{AfterChange:yyyy-MM-dd}.csv")));

        // The CLI on the same folder: figures and alerts as JSON; the same findings within a day are suppressed.
        File.WriteAllText(Path.Combine(_dir, "qp.yaml"), DefaultConfigFile.Text(Config));
        var (exit, stdout, stderr) = Qp("monitor", "--as-of", "2022-02-28", "--workdir", _dir, "--json");
        Assert.True(exit == 0, stdout + stderr);
        using var json = JsonDocument.Parse(stdout);
        var monitoring = json.RootElement.GetProperty("monitoring");
        Assert.Equal(outcome.GatePassed == true ? 2 : 1, monitoring.GetProperty("model_version").GetInt32());
        Assert.Contains(monitoring.GetProperty("drift").EnumerateArray(), d => d.GetProperty("name").GetString() == "vol_20" && d.GetProperty("psi_level").GetString() == "alert");
        var deliveries = json.RootElement.GetProperty("deliveries").EnumerateArray().ToList();
        Assert.Contains(deliveries, d => d.GetProperty("alert").GetProperty("subject").GetString() == "vol_20" && d.GetProperty("suppressed").GetBoolean());

        // The CLI's alerts are also in the registry's hash-chained audit trail, which still verifies.
        using var audited = ModelRegistry.Open(Config.ModelRegistryUri, _dir);
        var monitorEntries = audited.Audit.Read().Where(e => e.Action.StartsWith("monitor.", StringComparison.Ordinal)).ToList();
        Assert.Contains(monitorEntries, e => e.PayloadJson.Contains("vol_20", StringComparison.Ordinal));
        Assert.True(audited.Audit.Verify().Intact);
    }

    private static (int Exit, string Out, string Err) Qp(params string[] args) => QpProcess.Run(args);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
