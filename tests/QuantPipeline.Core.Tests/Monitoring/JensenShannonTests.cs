using QuantPipeline.Core.Monitoring;

namespace QuantPipeline.Core.Tests.Monitoring;

public class JensenShannonTests
{
    [Fact]
    public void Matches_scipy_documented_examples_in_base_2()
    {
        // scipy.spatial.distance.jensenshannon([1,0,0],[0,1,0], 2.0) == 1.0
        Assert.Equal(1.0, JensenShannon.Distance([1, 0, 0], [0, 1, 0]), 14);
        // scipy.spatial.distance.jensenshannon([1.0, 0.0], [0.5, 0.5]) == 0.46450140402245893 in base e;
        // base 2 divides the divergence by ln 2, so the distance by √ln 2.
        Assert.Equal(0.46450140402245893 / Math.Sqrt(Math.Log(2)), JensenShannon.Distance([1, 0], [0.5, 0.5]), 14);
        Assert.Equal(0.0, JensenShannon.Distance([1, 0, 0], [1, 0, 0]), 14);
    }

    [Fact]
    public void Normalises_its_inputs_and_matches_the_definition_on_random_histograms()
    {
        Assert.Equal(JensenShannon.Distance([1, 0], [0.5, 0.5]), JensenShannon.Distance([2, 0], [3, 3]), 14);
        var rng = new Random(3);
        for (var trial = 0; trial < 20; trial++)
        {
            var p = Enumerable.Range(0, 10).Select(_ => rng.NextDouble() < 0.2 ? 0 : rng.NextDouble()).ToArray();
            var q = Enumerable.Range(0, 10).Select(_ => rng.NextDouble()).ToArray();
            Assert.Equal(Float64Reference.JensenShannonBase2(p, q), JensenShannon.Distance(p, q), 12);
        }
    }

    [Fact]
    public void Rejects_mismatched_bins_and_negative_mass()
    {
        Assert.Throws<ArgumentException>(() => JensenShannon.Distance([0.5, 0.5], [1.0]));
        Assert.Throws<ArgumentException>(() => JensenShannon.Distance([0.5, -0.5], [0.5, 0.5]));
    }
}
