using QuantPipeline.Core.Metrics;

namespace QuantPipeline.Orchestrator.Gate;

/// <summary>The validation figures the gate judges; optional ones are null when they were not measured.</summary>
public sealed record GateInputs(double Sharpe, double MaxDrawdown)
{
    /// <summary>Deflated Sharpe ratio: the probability that the true Sharpe beats the best of the trials by luck.</summary>
    public double? DeflatedSharpe { get; init; }

    /// <summary>Mean cross-sectional Spearman correlation of predictions with realised returns.</summary>
    public double? RankIcMean { get; init; }

    /// <summary>Mean turnover Σ|Δw| per bar.</summary>
    public double? Turnover { get; init; }

    public static GateInputs From(PerformanceMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return new GateInputs(metrics.Sharpe, metrics.MaxDrawdown) { Turnover = metrics.MeanTurnover };
    }

    public static GateInputs From(MetricReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new GateInputs(report.Sharpe, report.MaxDrawdown.Depth)
        {
            DeflatedSharpe = report.DeflatedSharpe,
            RankIcMean = report.RankIc?.Mean,
            Turnover = report.MeanTurnover,
        };
    }
}
