using System.Globalization;
using QuantPipeline.Core.Metrics;
using QuantPipeline.Orchestrator.Config;

namespace QuantPipeline.Orchestrator.Gate;

public sealed record GateRule(string Name, double Value, string Comparison, double Threshold, bool Passed);

public sealed record GateDecision(bool Passed, IReadOnlyList<GateRule> Rules)
{
    public string Describe() => (Passed ? "PASS" : "FAIL") + ": " + string.Join("; ", Rules.Select(r => string.Create(
        CultureInfo.InvariantCulture,
        $"{r.Name} {(double.IsNaN(r.Value) ? "not measured" : r.Value.ToString("0.####", CultureInfo.InvariantCulture))} {r.Comparison} {r.Threshold:0.####} {(r.Passed ? "ok" : "FAILED")}")));
}

/// <summary>
/// Pre-defined thresholds: pass when sharpe ≥ min_sharpe_threshold and max_drawdown ≥ max_drawdown_threshold, and,
/// where configured, deflated_sharpe ≥ min_deflated_sharpe, rank_ic ≥ min_rank_ic and turnover ≤ max_turnover.
/// Every rule is listed with its value and threshold; a configured rule whose figure was not measured fails.
/// </summary>
public static class QualityGate
{
    public static GateDecision Evaluate(PerformanceMetrics metrics, PipelineConfig config) => Evaluate(GateInputs.From(metrics), config);

    public static GateDecision Evaluate(MetricReport report, PipelineConfig config) => Evaluate(GateInputs.From(report), config);

    public static GateDecision Evaluate(GateInputs inputs, PipelineConfig config)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(config);
        var rules = new List<GateRule>
        {
            AtLeast("sharpe", inputs.Sharpe, config.MinSharpeThreshold),
            AtLeast("max_drawdown", inputs.MaxDrawdown, config.MaxDrawdownThreshold),
        };
        if (config.MinDeflatedSharpe is { } dsr)
        {
            rules.Add(AtLeast("deflated_sharpe", inputs.DeflatedSharpe ?? double.NaN, dsr));
        }

        if (config.MinRankIc is { } ic)
        {
            rules.Add(AtLeast("rank_ic", inputs.RankIcMean ?? double.NaN, ic));
        }

        if (config.MaxTurnover is { } turnover)
        {
            var value = inputs.Turnover ?? double.NaN;
            rules.Add(new GateRule("turnover", value, "<=", turnover, value <= turnover));
        }

        return new GateDecision(rules.All(r => r.Passed), rules);
    }

    // NaN compares false, so an unmeasured figure fails its rule.
    private static GateRule AtLeast(string name, double value, double threshold) => new(name, value, ">=", threshold, value >= threshold);
}
