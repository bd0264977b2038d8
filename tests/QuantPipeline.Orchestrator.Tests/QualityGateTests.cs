using QuantPipeline.Core.Metrics;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Orchestrator.Gate;

namespace QuantPipeline.Orchestrator.Tests;

public class QualityGateTests
{
    private static PerformanceMetrics Metrics(double sharpe, double drawdown) => new(sharpe, drawdown, 0.1, 0.1, 0.5, 252, 252);

    [Theory]
    [InlineData(0.5, -0.15, true)] // both exactly at the threshold pass
    [InlineData(0.49, -0.10, false)]
    [InlineData(1.2, -0.16, false)] // a deeper drawdown than allowed fails
    [InlineData(1.2, -0.05, true)]
    public void Gate_follows_the_specified_semantics(double sharpe, double drawdown, bool expected)
    {
        var decision = QualityGate.Evaluate(Metrics(sharpe, drawdown), new PipelineConfig());
        Assert.Equal(expected, decision.Passed);
        Assert.Equal(2, decision.Rules.Count);
        Assert.Equal(["sharpe", "max_drawdown"], decision.Rules.Select(r => r.Name));
    }

    [Fact]
    public void Defaults_are_those_of_the_specification()
    {
        var c = new PipelineConfig();
        Assert.Equal(756, c.TrainingWindowDays);
        Assert.Equal(252, c.ValidationWindowDays);
        Assert.Equal("monthly", c.RetrainingFrequency);
        Assert.Equal(0.5, c.MinSharpeThreshold);
        Assert.Equal(-0.15, c.MaxDrawdownThreshold);
        Assert.Equal("sqlite:///models.db", c.ModelRegistryUri);
    }

    [Fact]
    public void Invalid_config_lists_every_problem()
    {
        var c = new PipelineConfig { MaxDrawdownThreshold = 0.15, RetrainingFrequency = "yearly", TrainingWindowDays = 5 };
        var e = Assert.Throws<ArgumentException>(c.Validate);
        Assert.Contains("max_drawdown_threshold", e.Message);
        Assert.Contains("retraining_frequency", e.Message);
        Assert.Contains("training_window_days", e.Message);
    }

    [Fact]
    public void Optional_rules_are_listed_with_value_threshold_and_outcome()
    {
        var config = new PipelineConfig { MinDeflatedSharpe = 0.95, MinRankIc = 0.02, MaxTurnover = 0.5 };
        var inputs = new GateInputs(1.1, -0.08) { DeflatedSharpe = 0.97, RankIcMean = 0.015, Turnover = 0.5 };
        var decision = QualityGate.Evaluate(inputs, config);
        Assert.False(decision.Passed);
        Assert.Equal(
            [
                new GateRule("sharpe", 1.1, ">=", 0.5, true),
                new GateRule("max_drawdown", -0.08, ">=", -0.15, true),
                new GateRule("deflated_sharpe", 0.97, ">=", 0.95, true),
                new GateRule("rank_ic", 0.015, ">=", 0.02, false),
                new GateRule("turnover", 0.5, "<=", 0.5, true), // exactly at the maximum passes
            ],
            decision.Rules);
        Assert.Equal("FAIL: sharpe 1.1 >= 0.5 ok; max_drawdown -0.08 >= -0.15 ok; deflated_sharpe 0.97 >= 0.95 ok; rank_ic 0.015 >= 0.02 FAILED; turnover 0.5 <= 0.5 ok", decision.Describe());
        Assert.True(QualityGate.Evaluate(inputs with { RankIcMean = 0.02 }, config).Passed);
        Assert.False(QualityGate.Evaluate(inputs with { RankIcMean = 0.02, Turnover = 0.51 }, config).Passed);
    }

    [Fact]
    public void A_configured_rule_without_its_figure_fails_and_says_so()
    {
        var decision = QualityGate.Evaluate(Metrics(1.0, -0.05), new PipelineConfig { MinDeflatedSharpe = 0.9 });
        Assert.False(decision.Passed);
        Assert.Contains("deflated_sharpe not measured >= 0.9 FAILED", decision.Describe());
    }

    [Fact]
    public void The_gate_reads_a_full_metric_report()
    {
        var returns = Enumerable.Range(0, 300).Select(i => i % 3 == 0 ? -0.004 : 0.004).ToArray();
        var report = MetricReport.Compute(returns, new MetricOptions { Trials = 10, TrialSharpeVariance = 1.0 }, turnover: Enumerable.Repeat(0.3, 300).ToArray());
        var decision = QualityGate.Evaluate(report, new PipelineConfig { MinDeflatedSharpe = 0.5, MaxTurnover = 0.25 });
        Assert.Equal(report.DeflatedSharpe, decision.Rules.Single(r => r.Name == "deflated_sharpe").Value);
        Assert.Equal(0.3, decision.Rules.Single(r => r.Name == "turnover").Value, 12);
        Assert.False(decision.Rules.Single(r => r.Name == "turnover").Passed);
    }

    [Fact]
    public void Optional_thresholds_are_validated()
    {
        var e = Assert.Throws<ArgumentException>(new PipelineConfig { MinDeflatedSharpe = 1.5, MinRankIc = 2, MaxTurnover = -1 }.Validate);
        Assert.Contains("min_deflated_sharpe", e.Message);
        Assert.Contains("min_rank_ic", e.Message);
        Assert.Contains("max_turnover", e.Message);
    }
}
