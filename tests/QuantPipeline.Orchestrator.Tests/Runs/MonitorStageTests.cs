using System.Text.Json;
using QuantPipeline.Core.Monitoring;
using QuantPipeline.Orchestrator.Deploy;
using QuantPipeline.Orchestrator.Monitoring;
using QuantPipeline.Orchestrator.Pipeline;
using QuantPipeline.Orchestrator.Tests.Reports;
using QuantPipeline.Storage.Market;
using QuantPipeline.Storage.Registry;

namespace QuantPipeline.Orchestrator.Tests.Runs;

public sealed class MonitorStageTests : IDisposable
{
    private readonly SmallMarket _market = new();

    [Fact]
    public void The_monitor_stage_uses_the_configured_window_and_levels_and_records_drift_of_features_and_predictions()
    {
        // A 10-session window and PSI levels low enough that every series is at least a warning and the larger ones alerts.
        var config = SmallMarket.Config with { MonitoringDriftWindowSessions = 10, MonitoringPsiWarn = 0.001, MonitoringPsiAlert = 0.05 };
        var result = new ProductionPipeline(config, _market.Directory).Run(SmallMarket.AsOf);
        Assert.Equal([.. Core.Features.SkeletonFeatureSet.Names, MonitoringNames.Prediction], result.Drift.Select(d => d.Feature));

        using var registry = ModelRegistry.Open(config.ModelRegistryUri, _market.Directory);
        var version = registry.GetVersion(config.ModelName, result.Version);
        var reference = MonitoringReference.Load(version.Parameters[MonitoringNames.ReferenceParameter]);

        // The same figures from the per-feature calculator (it sorts each sample) on the run's own inputs: the raw
        // features and the registered model's predictions over the last 10 sessions.
        using (var store = MarketStore.Open(Path.Combine(_market.Directory, config.MarketStorePath), readOnly: true))
        using (var model = BatchInference.LoadModel(version))
        {
            var panel = ModelInputs.Load(store, config, SmallMarket.AsOf).Panel;
            var inputs = ModelInputs.Compute(panel, ModelInputs.Backend(config), (float)config.FeatureZScoreClip);
            int t = panel.T, n = panel.N;
            var current = reference.Features.Select(f => panel.Field(f.Name).AsSpan((t - 10) * n, 10 * n).ToArray())
                .Append(ModelInputs.Predict(model, inputs, t - 10, t - 1, n))
                .ToList();
            var expected = DriftCalculator.Compute([.. reference.Features, reference.Prediction], current, new DriftThresholds { PsiWarn = 0.001, PsiAlert = 0.05 });
            for (var i = 0; i < expected.Length; i++)
            {
                var (e, d) = (expected[i], result.Drift[i]);
                Assert.Equal(e.Name, d.Feature);
                Assert.True(Math.Abs(e.Psi - d.Psi) < 1e-9 && Math.Abs(e.KsStatistic - d.KsStatistic) < 1e-9 && Math.Abs(e.JsDistance - d.JsDistance) < 1e-9, $"{e} vs {d}");
                Assert.Equal(e.PsiLevel.ToString().ToLowerInvariant(), d.Level);
            }
        }

        // Alerts above the configured level reach the audit trail with that threshold; the figures are recorded for the version.
        var audit = registry.Audit.Read();
        var alerted = audit.Where(e => e.Action == "monitor.alert").Select(e => JsonDocument.Parse(e.PayloadJson).RootElement).ToList();
        Assert.Equal(result.Drift.Where(d => d.Psi >= 0.05).Select(d => d.Feature), alerted.Select(a => a.GetProperty("feature").GetString()));
        Assert.NotEmpty(alerted);
        Assert.All(alerted, a => Assert.Equal(0.05, a.GetProperty("threshold").GetDouble()));
        var recorded = MonitorStageDrift.ReadLatest(registry.Audit, config.ModelName)[result.Version];
        Assert.Equal(result.Drift.Select(d => (d.Feature, d.Psi, d.KsStatistic, d.JsDistance)), recorded.Figures.Select(d => (d.Feature, d.Psi, d.KsStatistic, d.JsDistance)));
        Assert.Equal(SmallMarket.AsOf, recorded.WindowTo);

        // The run report's monitoring section holds the drift table: one row per series.
        var html = ReportHtml.Parse(File.ReadAllText(result.ReportPath!));
        var section = html.Descendants("section").Single(s => (string?)s.Attribute("id") == "monitoring");
        var rows = section.Descendants("tr").Skip(1).Select(r => r.Elements("td").Select(c => c.Value).ToList()).ToList();
        Assert.Equal(result.Drift.Select(d => d.Feature), rows.Select(r => r[0]));
        Assert.Equal(result.Drift.Select(d => d.Level), rows.Select(r => r[2]));
    }

    public void Dispose() => _market.Dispose();
}
