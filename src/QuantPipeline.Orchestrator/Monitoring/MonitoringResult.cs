using QuantPipeline.Core.Monitoring;
using QuantPipeline.Orchestrator.Monitoring.Alerts;

namespace QuantPipeline.Orchestrator.Monitoring;

/// <summary>Realised performance of the production model once labels are known, against its validation figures.</summary>
/// <param name="Sessions">Labelled sessions, oldest first; the i-th figure of every series belongs to the i-th session.</param>
/// <param name="Pnl">Net long-short return earned on each session's signal (the backtest's rule and costs).</param>
/// <param name="TrailingSessionsBelowIc">Consecutive sessions up to the last where the rolling IC stood below the monitor's minimum.</param>
/// <param name="ChangeDate">First session of the IC change the CUSUM found, or null.</param>
public sealed record DecayFigures(
    IReadOnlyList<DateOnly> Sessions,
    double[] DailyIc,
    double[] DailyRankIc,
    double[] Pnl,
    double[] RollingIc,
    double[] RollingSharpe,
    double MeanIc,
    double MeanRankIc,
    double Sharpe,
    double ValidationIcMean,
    double ValidationIcStd,
    double ValidationSharpe,
    int TrailingSessionsBelowIc,
    ChangeDetection Cusum,
    ChangeDetection PageHinkley,
    DateOnly? ChangeDate);

/// <summary>Everything one monitoring run found for the production model at an as-of date.</summary>
/// <remarks><see cref="PsiHistory"/> is null for results built elsewhere than by <see cref="ModelMonitor"/>.</remarks>
public sealed record MonitoringResult(
    string ModelName,
    int ModelVersion,
    DateOnly ModelAsOf,
    DateOnly AsOf,
    DateOnly DriftFrom,
    DateOnly DriftTo,
    IReadOnlyList<DriftFigures> Drift,
    DecayFigures Decay,
    DataQualityReport DataQuality,
    IReadOnlyList<Alert> Alerts)
{
    public PsiHistory? PsiHistory { get; init; }
}
