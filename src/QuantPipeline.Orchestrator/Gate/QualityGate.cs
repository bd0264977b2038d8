using QuantPipeline.Core.Metrics;
using QuantPipeline.Orchestrator.Config;

namespace QuantPipeline.Orchestrator.Gate;

public sealed record GateRule(string Name, double Value, string Comparison, double Threshold, bool Passed);

public sealed record GateDecision(bool Passed, IReadOnlyList<GateRule> Rules)
{
    public string Describe() => (Passed ? "PASS" : "FAIL") + ": " + string.Join("; ", Rules.Select(r =>
        $"{r.Name} {r.Value:0.####} {r.Comparison} {r.Threshold:0.####} {(r.Passed ? "ok" : "FAILED")}"));
}

/// <summary>Pre-defined thresholds: pass when sharpe ≥ min_sharpe_threshold and max_drawdown ≥ max_drawdown_threshold.</summary>
public static class QualityGate
{
    public static GateDecision Evaluate(PerformanceMetrics metrics, PipelineConfig config)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(config);
        var rules = new[]
        {
            new GateRule("sharpe", metrics.Sharpe, ">=", config.MinSharpeThreshold, metrics.Sharpe >= config.MinSharpeThreshold),
            new GateRule("max_drawdown", metrics.MaxDrawdown, ">=", config.MaxDrawdownThreshold, metrics.MaxDrawdown >= config.MaxDrawdownThreshold),
        };
        return new GateDecision(rules.All(r => r.Passed), rules);
    }
}
