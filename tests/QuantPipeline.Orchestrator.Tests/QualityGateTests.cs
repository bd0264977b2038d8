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
}
