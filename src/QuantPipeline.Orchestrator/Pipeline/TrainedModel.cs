using QuantPipeline.Core.Metrics;
using QuantPipeline.Core.Panels;
using QuantPipeline.Training;
using QuantPipeline.Orchestrator.Components;
using QuantPipeline.Training.Processing;

namespace QuantPipeline.Orchestrator.Pipeline;

/// <summary>The trained network and how it came about.</summary>
public sealed record TrainingOutcome(PipelineModel Model, TrainingCurve Curve, int Rows, IReadOnlyList<int> Hidden)
{
    /// <summary>The processors fitted with a component model (null for the default MLP, whose inputs are z-scored by the features stage).</summary>
    public ProcessorState? Processors { get; init; }

    /// <summary>LightGBM rounds kept (0 otherwise).</summary>
    public int Rounds { get; init; }
}

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

    /// <summary>The raw label over the whole panel, [t, n].</summary>
    public float[] Label { get; init; } = [];

    /// <summary>The features stage's output the model was trained on.</summary>
    public FeatureData? Features { get; init; }

    /// <summary>Each cross-validation fold's or path's figures (empty for walk-forward).</summary>
    public IReadOnlyList<MetricReport> Paths { get; init; } = [];

    /// <summary>The folds or paths the deflated Sharpe counted as trials; 0 for walk-forward.</summary>
    public int CvTrials { get; init; }
}
