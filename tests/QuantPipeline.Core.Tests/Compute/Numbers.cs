namespace QuantPipeline.Core.Tests.Compute;

/// <summary>Inputs and the comparison every conformance test uses.</summary>
internal static class Numbers
{
    /// <summary>Seeded random walks around <paramref name="level"/> with a share of NaNs.</summary>
    public static float[] RandomWalk(int t, int n, int seed, double level = 100, double step = 1, double nanShare = 0.1)
    {
        var rng = new Random(seed);
        var values = new float[t * n];
        for (var j = 0; j < n; j++)
        {
            var x = level;
            for (var i = 0; i < t; i++)
            {
                x += step * (rng.NextDouble() - 0.5);
                values[i * n + j] = rng.NextDouble() < nanShare ? float.NaN : (float)x;
            }
        }

        return values;
    }

    /// <summary>|expected − actual| ≤ max(1e-6, 1e-5·|expected|); NaN must match NaN, ±∞ must match exactly.</summary>
    public static void AssertClose(double[] expected, float[] actual, string what, double relative = 1e-5, double absolute = 1e-6)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var k = 0; k < expected.Length; k++)
        {
            var e = expected[k];
            var a = actual[k];
            if (double.IsNaN(e) || !double.IsFinite(e))
            {
                Assert.True(e.Equals((double)a) || (double.IsNaN(e) && float.IsNaN(a)), $"{what}, cell {k}: expected {e}, got {a}");
                continue;
            }

            var tolerance = Math.Max(absolute, relative * Math.Abs(e));
            Assert.True(Math.Abs(e - a) <= tolerance, $"{what}, cell {k}: expected {e:R}, got {a:R}");
        }
    }
}
