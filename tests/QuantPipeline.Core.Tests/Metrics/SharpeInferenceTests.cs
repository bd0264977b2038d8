using QuantPipeline.Core.Metrics;

namespace QuantPipeline.Core.Tests.Metrics;

public class SharpeInferenceTests
{
    [Theory]
    // References: Python's statistics.NormalDist (an independent implementation).
    [InlineData(-3.5, 0.0002326290790355401)]
    [InlineData(-1.2, 0.11506967022170833)]
    [InlineData(0.0, 0.5)]
    [InlineData(0.3, 0.6179114221889526)]
    [InlineData(1.96, 0.9750021048517796)]
    [InlineData(5.0, 0.9999997133484282)]
    public void Normal_cdf_matches_a_reference(double x, double expected) =>
        Assert.Equal(expected, NormalDistribution.Cdf(x), 14);

    [Fact]
    public void Normal_cdf_keeps_relative_precision_in_the_far_tail() =>
        // Φ(−8) = erfc(8/√2)/2 = 6.22096057427e-16
        Assert.Equal(6.220960574271819e-16, NormalDistribution.Cdf(-8), 1e-26);

    [Theory]
    [InlineData(1e-10, -6.361340902404056)]
    [InlineData(0.001, -3.090232306167813)]
    [InlineData(0.02, -2.0537489106318225)]
    [InlineData(0.3, -0.5244005127080407)]
    [InlineData(0.5, 0.0)]
    [InlineData(0.975, 1.9599639845400536)]
    [InlineData(0.999999, 4.753424308817089)]
    public void Normal_quantile_matches_a_reference(double p, double expected) =>
        Assert.Equal(expected, NormalDistribution.InverseCdf(p), 1e-12 + 1e-10 * Math.Abs(expected));

    [Fact]
    public void Psr_and_min_trl_match_a_hand_worked_two_point_series()
    {
        // r alternates 0.03, −0.01 (n = 10): mean 0.01, deviations ±0.02, sample std 0.02·√(10/9),
        // SR = 0.5·√0.9 = 0.474342; skewness 0, kurtosis m₄/m₂² = 1, so the variance factor is 1 − 0 + 0 = 1.
        // PSR(0) = Φ(SR·√9) = Φ(1.423025) = 0.922636 (tables: Φ(1.42) = 0.92220, Φ(1.43) = 0.92364).
        // MinTRL(0, 95 %) = 1 + 1·(1.644854 / 0.474342)² = 13.0246.
        var returns = Enumerable.Range(0, 10).Select(i => i % 2 == 0 ? 0.03 : -0.01).ToArray();
        var report = MetricReport.Compute(returns, new MetricOptions { PeriodsPerYear = 252 });
        Assert.Equal(0.5 * Math.Sqrt(0.9) * Math.Sqrt(252), report.Sharpe, 10);
        Assert.Equal(0.0, report.Skewness, 10);
        Assert.Equal(1.0, report.Kurtosis, 10);
        Assert.Equal(0.9226355382573108, report.ProbabilisticSharpe, 10);
        Assert.Equal(13.02463757375738, report.MinTrackRecordLength, 8);
        // One trial: no selection, so DSR = PSR.
        Assert.Equal(report.ProbabilisticSharpe, report.DeflatedSharpe, 14);
    }

    [Fact]
    public void Deflated_sharpe_reproduces_the_published_example()
    {
        // Bailey & López de Prado (2014), "The Deflated Sharpe Ratio", numerical example: annualised SR 2.5 over
        // T = 1250 daily observations (250 a year), γ₃ = −3, γ₄ = 10, N = 100 trials whose annualised Sharpe
        // ratios have variance 1/2. The paper reports SR₀ ≈ 0.1132 (per day) and DSR ≈ 0.9004.
        var sharpe = 2.5 / Math.Sqrt(250);
        var variance = 0.5 / 250;
        var sr0 = SharpeInference.ExpectedMaxSharpe(100, variance);
        Assert.Equal(0.1132, sr0, 4);
        Assert.Equal(0.11317200186513214, sr0, 10);
        var dsr = SharpeInference.DeflatedSharpe(sharpe, 1250, -3, 10, 100, variance);
        Assert.Equal(0.9004, dsr, 4);
        Assert.Equal(0.9003968344493904, dsr, 9);
    }

    [Fact]
    public void Psr_falls_with_negative_skew_and_fat_tails()
    {
        // Same SR and n: the variance factor grows from 1 + SR²/2 (normal) to 1 + 3·SR + 9/4·SR².
        var normal = SharpeInference.ProbabilisticSharpe(0.1, 0, 500, 0, 3);
        var skewed = SharpeInference.ProbabilisticSharpe(0.1, 0, 500, -3, 10);
        Assert.Equal(NormalDistribution.Cdf(0.1 * Math.Sqrt(499) / Math.Sqrt(1 + 0.005)), normal, 14);
        Assert.Equal(NormalDistribution.Cdf(0.1 * Math.Sqrt(499) / Math.Sqrt(1 + 0.3 + 0.0225)), skewed, 14);
        Assert.True(skewed < normal);
    }

    [Fact]
    public void Min_trl_is_infinite_when_the_sharpe_does_not_beat_the_benchmark()
    {
        Assert.Equal(double.PositiveInfinity, SharpeInference.MinimumTrackRecordLength(0.05, 0.05, 0, 3));
        // Normal returns, SR = 0.1, SR* = 0: 1 + (1 + 0.005)·(1.644854/0.1)² = 272.90
        Assert.Equal(1 + 1.005 * Math.Pow(1.6448536269514722 / 0.1, 2), SharpeInference.MinimumTrackRecordLength(0.1, 0, 0, 3), 8);
    }

    [Fact]
    public void Expected_max_sharpe_grows_with_the_number_of_trials()
    {
        Assert.Equal(0.0, SharpeInference.ExpectedMaxSharpe(1, 1));
        var ten = SharpeInference.ExpectedMaxSharpe(10, 1);
        var thousand = SharpeInference.ExpectedMaxSharpe(1000, 1);
        // N = 10: 0.42278·Φ⁻¹(0.9) + 0.57722·Φ⁻¹(1 − 1/(10e)) = 0.42278·1.28155 + 0.57722·1.78977 = 1.57489
        Assert.Equal(0.4227843350984671 * 1.2815515655446004 + 0.5772156649015329 * NormalDistribution.InverseCdf(1 - 1 / (10 * Math.E)), ten, 12);
        Assert.InRange(ten, 1.57, 1.58);
        Assert.True(thousand > ten);
    }
}
