using QuantPipeline.Core.Metrics;
using QuantPipeline.Orchestrator.Gate;

namespace QuantPipeline.Orchestrator.Pipeline;

/// <summary>Drift of one feature (or of the predictions, named "prediction") in the monitor stage's window against the training reference.</summary>
/// <param name="Level">"ok", "warn" or "alert" by the configured PSI levels.</param>
public sealed record FeatureDrift(string Feature, double Psi, string Level)
{
    /// <summary>Two-sample Kolmogorov–Smirnov statistic D against the reference.</summary>
    public double KsStatistic { get; init; } = double.NaN;

    /// <summary>Asymptotic p-value of <see cref="KsStatistic"/>.</summary>
    public double KsPValue { get; init; } = double.NaN;

    /// <summary>Jensen–Shannon distance (base 2) on the reference's PSI bins.</summary>
    public double JsDistance { get; init; } = double.NaN;

    /// <summary>Current minus reference share of missing values.</summary>
    public double MissingRateChange { get; init; } = double.NaN;
}

public sealed record PipelineResult(
    string RunId,
    DateOnly AsOf,
    PerformanceMetrics Metrics,
    GateDecision Gate,
    string ModelName,
    int Version,
    string ArtifactPath,
    string ArtifactSha256,
    string? SignalsPath,
    IReadOnlyList<FeatureDrift> Drift,
    IReadOnlyList<StageRecord> Stages,
    string RunRecordPath)
{
    /// <summary>The full validation metric set (the legacy <see cref="Metrics"/> summarises it).</summary>
    public MetricReport? Report { get; init; }

    /// <summary>The run's HTML report (configuration, lineage, gate, metrics, validation returns, IC, stages); null when stopped early.</summary>
    public string? ReportPath { get; init; }

    /// <summary>The stage a run was asked to stop after (<see cref="RunOptions.StopAfter"/>); later fields keep their empty values.</summary>
    public string? StoppedAfter { get; init; }
}
