using QuantPipeline.Core.Metrics;
using QuantPipeline.Core.Panels;

namespace QuantPipeline.Orchestrator.Pipeline;

/// <summary>The prepare stage's output: the point-in-time panel up to the as-of and its data snapshot id.</summary>
public sealed record PreparedPanel(Panel Panel, string SnapshotId)
{
    public DateOnly AsOf => DateOnly.FromDateTime(Panel.Timestamps[^1]);
}

/// <summary>The features stage's output: z-scored model inputs (one [T, N] array per feature) and the next-session return label.</summary>
public sealed record FeatureData(float[][] Inputs, float[] Label, string Backend);

/// <summary>Training and validation rows from the walk-forward split (purged), as indices into the panel's sessions.</summary>
public sealed record RunWindows(int[] TrainRows, int ValidationStart, int ValidationEnd)
{
    public int TrainStart => TrainRows[0];

    public int TrainEnd => TrainRows[^1];
}

/// <summary>The validate stage's output: predictions over the validation rows and what the backtest makes of them.</summary>
public sealed record ValidationOutcome(MetricReport Report, float[] Predictions, double[] NetReturns, double[] Ic, double[] RankIc, DateOnly[] Dates);
