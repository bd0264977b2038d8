using QuantPipeline.Core.Monitoring;

namespace QuantPipeline.Core.Tests.Monitoring;

public class KolmogorovSmirnovTests
{
    [Theory]
    // Published critical values of the Kolmogorov distribution: P(K > K_α) = α (e.g. Smirnov 1948; Marsaglia, Tsang & Wang 2003).
    [InlineData(1.22385, 0.10)]
    [InlineData(1.35810, 0.05)]
    [InlineData(1.62762, 0.01)]
    [InlineData(1.94947, 0.001)]
    public void Kolmogorov_survival_matches_published_critical_values(double lambda, double alpha)
    {
        Assert.Equal(alpha, KolmogorovSmirnov.KolmogorovSurvival(lambda), 5);
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.5)]
    [InlineData(0.8)]
    [InlineData(0.999)]
    [InlineData(1.0)]
    [InlineData(1.4)]
    [InlineData(2.5)]
    public void Both_forms_of_the_survival_function_agree_with_the_long_alternating_series(double lambda)
    {
        Assert.Equal(Float64Reference.KolmogorovSurvival(lambda), KolmogorovSmirnov.KolmogorovSurvival(lambda), 12);
    }

    [Fact]
    public void Statistic_matches_hand_worked_examples_including_ties()
    {
        // Disjoint samples: the ECDFs are 1 apart after 3.
        Assert.Equal(1.0, KolmogorovSmirnov.Test([1f, 2f, 3f], [4f, 5f, 6f]).Statistic, 15);
        // Ties at 3 and 4: F_a − F_b is 0.25, 0.5, 0.5, 0.5, 0.25, 0 at 1, 2, 3, 4, 5, 6 → D = 0.5
        // (scipy.stats.ks_2samp([1,2,3,4],[3,4,5,6]).statistic is 0.5).
        var r = KolmogorovSmirnov.Test([1f, 2f, 3f, 4f], [3f, 4f, 5f, 6f]);
        Assert.Equal(0.5, r.Statistic, 15);
        // Asymptotic p-value: √(4·4/8)·0.5 = 0.7071 → Q(0.7071).
        Assert.Equal(Float64Reference.KolmogorovSurvival(Math.Sqrt(2) * 0.5), r.PValue, 12);
        Assert.Equal(4, r.ReferenceCount);
    }

    [Fact]
    public void Statistic_and_p_value_match_brute_force_on_random_samples_with_NaN_ignored()
    {
        var rng = new Random(11);
        var a = Float64Reference.Normal(rng, 300, 0, 1).Select(x => (float)Math.Round(x, 1)).ToArray();
        var b = Float64Reference.Normal(rng, 200, 0.3, 1.2).Select(x => (float)Math.Round(x, 1)).ToArray();
        var withNaN = b.Append(float.NaN).Append(float.PositiveInfinity).ToArray();
        var r = KolmogorovSmirnov.Test(a, withNaN);
        var d = Float64Reference.KsStatistic([.. a.Select(x => (double)x)], [.. b.Select(x => (double)x)]);
        Assert.Equal(d, r.Statistic, 14);
        Assert.Equal(200, r.CurrentCount);
        Assert.Equal(Float64Reference.KolmogorovSurvival(Math.Sqrt(300.0 * 200 / 500) * d), r.PValue, 12);
        Assert.True(r.PValue < 0.01, $"a 0.3σ shift over 300/200 samples should be significant, p = {r.PValue}");
    }

    [Fact]
    public void Same_distribution_gives_a_large_p_value()
    {
        var rng = new Random(5);
        var a = Float64Reference.Normal(rng, 2000, 0, 1).Select(x => (float)x).ToArray();
        var b = Float64Reference.Normal(rng, 2000, 0, 1).Select(x => (float)x).ToArray();
        Assert.True(KolmogorovSmirnov.Test(a, b).PValue > 0.05);
    }
}
