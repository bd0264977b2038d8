using QuantPipeline.Core.Metrics;
using QuantPipeline.Core.Panels;

namespace QuantPipeline.Orchestrator.Pipeline;

/// <summary>The prepare stage's output: the point-in-time panel up to the as-of and its data snapshot id.</summary>
public sealed record PreparedPanel(Panel Panel, string SnapshotId)
{
    public DateOnly AsOf => DateOnly.FromDateTime(Panel.Timestamps[^1]);
}

/// <summary>
/// The features stage's output: the model inputs (one [T, N] array per feature) and the raw label. For the default
/// configuration the inputs are the z-scored six features; for any other the raw values of the configured feature
/// set, which the model's own processors transform.
/// </summary>
public sealed record FeatureData(float[][] Inputs, float[] Label, string Backend)
{
    /// <summary>The features' names, in input order.</summary>
    public IReadOnlyList<string> Names { get; init; } = Core.Features.SkeletonFeatureSet.Names;

    /// <summary>The feature set's version (<c>LineageHashes.FeatureSetVersion()</c> for the default configuration).</summary>
    public string Version { get; init; } = string.Empty;

    /// <summary>Features of the set left out because a field they read has no stored value, each with the field.</summary>
    public IReadOnlyList<string> Dropped { get; init; } = [];

    /// <summary>True when <see cref="Inputs"/> are raw feature values (the component path).</summary>
    public bool Raw { get; init; }
}

/// <summary>Training and validation rows from the walk-forward split (purged), as indices into the panel's sessions.</summary>
public sealed record RunWindows(int[] TrainRows, int ValidationStart, int ValidationEnd)
{
    public int TrainStart => TrainRows[0];

    public int TrainEnd => TrainRows[^1];
}

/// <summary>The validate stage's output: predictions over the validation rows and what the backtest makes of them.</summary>
public sealed record ValidationOutcome(MetricReport Report, float[] Predictions, double[] NetReturns, double[] Ic, double[] RankIc, DateOnly[] Dates)
{
    /// <summary>First panel row the predictions cover when it is not the validation window's (the whole cross-validated window); -1 otherwise.</summary>
    public int From { get; init; } = -1;

    /// <summary>Under purged k-fold or CPCV: each fold's or path's figures (the gate reads <see cref="Report"/>, the path-averaged scores).</summary>
    public IReadOnlyList<MetricReport> Paths { get; init; } = [];

    /// <summary>Each path's scores, path after path, [paths, rows, N] (empty for walk-forward).</summary>
    public float[] PathScores { get; init; } = [];

    /// <summary>The folds (k-fold) or paths (CPCV) the deflated Sharpe counted as trials; 0 for walk-forward.</summary>
    public int CvTrials { get; init; }
}
