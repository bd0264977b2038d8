using QuantPipeline.Core.Metrics;
using QuantPipeline.Core.Panels;
using QuantPipeline.Training;
using QuantPipeline.Training.Models;

namespace QuantPipeline.Orchestrator.Pipeline;

/// <summary>The trained network and how it came about.</summary>
public sealed record TrainingOutcome(MlpRegressor Model, TrainingCurve Curve, int Rows, IReadOnlyList<int> Hidden);

/// <summary>What the prepare → features → train → validate stages produce for one as-of date.</summary>
public sealed record TrainedModel(
    Panel Panel,
    string SnapshotId,
    DateOnly AsOf,
    string Backend,
    int TrainStart,
    int TrainEnd,
    TrainingOutcome Training,
    PerformanceMetrics Metrics,
    MetricReport Report)
{
    /// <summary>First and last validation row (inclusive).</summary>
    public int ValidationStart { get; init; }

    public int ValidationEnd { get; init; }

    /// <summary>Model scores over the validation rows, [rows, n].</summary>
    public float[] ValidationPredictions { get; init; } = [];

    /// <summary>The next-session return label over the whole panel, [t, n].</summary>
    public float[] Label { get; init; } = [];
}
