using QuantPipeline.Core.Compute;

namespace QuantPipeline.Core.Tests.Compute;

public class RollingMeanConformanceTests
{
    public static TheoryData<string> Backends => new() { "managed", "native" };

    private static IComputeBackend Backend(string name) => name == "native" ? NativeBackend.Instance : ManagedBackend.Instance;

    /// <summary>Plain float64 reference: NaN skipped but occupying its slot; NaN below min_periods.</summary>
    private static double[] Reference(float[] src, int t, int n, int window, int minPeriods)
    {
        var dst = new double[t * n];
        for (var j = 0; j < n; j++)
        {
            for (var i = 0; i < t; i++)
            {
                double sum = 0;
                var count = 0;
                for (var k = Math.Max(0, i - window + 1); k <= i; k++)
                {
                    var x = src[k * n + j];
                    if (!float.IsNaN(x))
                    {
                        sum += x;
                        count++;
                    }
                }

                dst[i * n + j] = count >= minPeriods && count > 0 ? sum / count : double.NaN;
            }
        }

        return dst;
    }

    private static void AssertClose(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var k = 0; k < expected.Length; k++)
        {
            if (double.IsNaN(expected[k]))
            {
                Assert.True(float.IsNaN(actual[k]), $"cell {k}: expected NaN, got {actual[k]}");
                continue;
            }

            var tolerance = Math.Max(1e-6, 1e-5 * Math.Abs(expected[k]));
            Assert.True(Math.Abs(expected[k] - actual[k]) <= tolerance, $"cell {k}: expected {expected[k]}, got {actual[k]}");
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Matches_float64_reference_with_nans(string backend)
    {
        const int t = 257, n = 37, window = 20, minPeriods = 15;
        var rng = new Random(1);
        var src = new float[t * n];
        for (var k = 0; k < src.Length; k++)
        {
            src[k] = rng.NextDouble() < 0.1 ? float.NaN : (float)(100 + 10 * rng.NextDouble());
        }

        var dst = new float[t * n];
        Backend(backend).RollingMean(src, dst, t, n, window, minPeriods);
        AssertClose(Reference(src, t, n, window, minPeriods), dst);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Window_longer_than_series_gives_nan_until_min_periods(string backend)
    {
        const int t = 5, n = 3;
        float[] src = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
        var dst = new float[t * n];
        Backend(backend).RollingMean(src, dst, t, n, window: 10, minPeriods: 2);
        // Symbol 0 holds 1, 4, 7, 10, 13: the first mean needs two values.
        Assert.True(float.IsNaN(dst[0]));
        Assert.Equal(2.5f, dst[3]);
        Assert.Equal(7f, dst[12]);
        AssertClose(Reference(src, t, n, 10, 2), dst);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void All_nan_window_is_nan(string backend)
    {
        var src = new float[] { float.NaN, float.NaN, float.NaN, 1f };
        var dst = new float[4];
        Backend(backend).RollingMean(src, dst, 4, 1, window: 2, minPeriods: 1);
        Assert.True(float.IsNaN(dst[0]) && float.IsNaN(dst[1]) && float.IsNaN(dst[2]));
        Assert.Equal(1f, dst[3]);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Invalid_arguments_are_refused(string backend)
    {
        var src = new float[6];
        var dst = new float[6];
        Assert.Throws<ArgumentOutOfRangeException>(() => Backend(backend).RollingMean(src, dst, 3, 2, window: 0, minPeriods: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Backend(backend).RollingMean(src, dst, 3, 2, window: 2, minPeriods: 3));
        Assert.Throws<ArgumentException>(() => Backend(backend).RollingMean(src, new float[5], 3, 2, window: 2, minPeriods: 2));
    }
}
