using QuantPipeline.Core.Metrics;
using QuantPipeline.Orchestrator.Pipeline;

namespace QuantPipeline.Orchestrator.Backfill;

/// <summary>
/// The stitched out-of-sample backtest of a backfill: one entry per evaluated session, each scored by exactly one
/// retrain's model, with its metrics and where the series and the report were written.
/// </summary>
public sealed record BackfillResult(
    string ModelName,
    IReadOnlyList<RetrainOutcome> Retrains,
    IReadOnlyList<DateOnly> Sessions,
    IReadOnlyList<int> ScoredBy,
    double[] NetReturns,
    double[] Turnover,
    double[] Ic,
    double[] RankIc,
    MetricReport Report,
    string OutputDirectory,
    string PredictionsCsvPath,
    string PredictionsArrowPath,
    string DailyCsvPath,
    string ReportPath)
{
    /// <summary>
    /// For each retrain (in <see cref="Retrains"/> order), the drift its version's monitor stage recorded in the audit
    /// trail; null where none is recorded (a run stopped before its monitor stage).
    /// </summary>
    public IReadOnlyList<MonitorStageDrift?> Drift { get; init; } = [];
}
