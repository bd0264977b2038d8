using QuantPipeline.Core.Metrics;
using QuantPipeline.Orchestrator.Gate;

namespace QuantPipeline.Orchestrator.Pipeline;

public sealed record FeatureDrift(string Feature, double Psi, string Level);

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
