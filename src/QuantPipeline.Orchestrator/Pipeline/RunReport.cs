using System.Globalization;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Orchestrator.Gate;
using QuantPipeline.Orchestrator.Lineage;
using QuantPipeline.Orchestrator.Reports;
using QuantPipeline.Storage.Registry;

namespace QuantPipeline.Orchestrator.Pipeline;

/// <summary>The HTML report of one run: configuration, lineage, gate, metrics, validation net returns, IC series, monitoring (drift) and stages.</summary>
public static class RunReport
{
    public static ReportDocument Build(PipelineConfig config, string runId, TrainedModel trained, ValidationOutcome validation, GateDecision gate, ModelVersion version, IReadOnlyList<FeatureDrift> drift, IReadOnlyList<StageRecord> stages)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(trained);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(version);
        var c = CultureInfo.InvariantCulture;
        var panel = trained.Panel;
        var lineage = new Dictionary<string, string>
        {
            ["model"] = $"{version.ModelName} v{version.Version} ({version.Status})",
            ["as_of"] = trained.AsOf.ToString("yyyy-MM-dd", c),
            ["data_snapshot"] = trained.SnapshotId,
            ["feature_set_version"] = LineageHashes.FeatureSetVersion(),
            ["config_hash"] = LineageHashes.ConfigHash(config),
            ["code_version"] = CodeVersion.Current,
            ["seed"] = config.Seed.ToString(c),
            ["training_range"] = $"{ProductionPipeline.Date(panel, trained.TrainStart)}..{ProductionPipeline.Date(panel, trained.TrainEnd)}",
            ["validation_range"] = $"{ProductionPipeline.Date(panel, trained.ValidationStart)}..{ProductionPipeline.Date(panel, trained.ValidationEnd)}",
            ["artifact_sha256"] = version.ArtifactSha256,
            ["parent_version"] = version.Lineage?.ParentVersion?.ToString(c) ?? "none",
            ["compute_backend"] = trained.Backend,
            ["annualisation"] = "252 periods per year (daily)",
        };
        var metrics = ProductionPipeline.RegisteredMetrics(trained).Select(m => new KeyValuePair<string, double>(m.Key, m.Value)).ToList();
        return new ReportDocument
        {
            Title = $"{version.ModelName} run as of {trained.AsOf:yyyy-MM-dd}",
            RunId = runId,
            ConfigText = LineageHashes.CanonicalConfig(config),
            Lineage = lineage,
            Gate = gate,
            Metrics = metrics,
            NetReturns = new ReportSeries("validation net return", validation.Dates, validation.NetReturns),
            Ic = new ReportSeries("IC", validation.Dates, validation.Ic),
            RankIc = new ReportSeries("Rank IC", validation.Dates, validation.RankIc),
            MonitoringSummary = string.Create(c, $"Drift of the last {config.MonitoringDriftWindowSessions} sessions up to {trained.AsOf:yyyy-MM-dd} of each feature and of the model's predictions against the training reference stored with v{version.Version} (features over the training range, predictions over the validation range). Levels by PSI: warn at {config.MonitoringPsiWarn}, alert at {config.MonitoringPsiAlert}; alerts are written to the audit trail."),
            PsiWarn = config.MonitoringPsiWarn,
            PsiAlert = config.MonitoringPsiAlert,
            DriftTable = new ReportTable(
                "Drift per feature and for the predictions (JS distance in base 2)",
                ["name", "PSI", "level", "KS D", "KS p", "JS distance", "missing change"],
                [.. drift.Select(d => (IReadOnlyList<string>)[d.Feature, N(d.Psi, "0.0000"), d.Level, N(d.KsStatistic, "0.0000"), N(d.KsPValue, "0.00E+0"), N(d.JsDistance, "0.0000"), N(d.MissingRateChange, "+0.0%;-0.0%;0.0%")])]),
            Tables =
            [
                // The stage list itself is the document's Stages; this table adds what makes a run resumable.
                new ReportTable("Stage keys and outputs (content hashes; reused = loaded from an earlier run)", ["stage", "status", "attempts", "input hash", "output hash"],
                    [.. stages.Select(s => (IReadOnlyList<string>)[s.Stage, s.Status, s.Attempts.ToString(c), Short(s.InputHash), Short(s.OutputHash)])]),
            ],
            Stages = stages,
        };
    }

    public static string Write(string path, PipelineConfig config, string runId, TrainedModel trained, ValidationOutcome validation, GateDecision gate, ModelVersion version, IReadOnlyList<FeatureDrift> drift, IReadOnlyList<StageRecord> stages) =>
        HtmlReportWriter.Write(Build(config, runId, trained, validation, gate, version, drift, stages), path);

    private static string N(double value, string format) => double.IsNaN(value) ? "n/a" : value.ToString(format, CultureInfo.InvariantCulture);

    private static string Short(string? hash) => hash is null ? string.Empty : hash[..Math.Min(16, hash.Length)];
}
