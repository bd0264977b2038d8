using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Features;
using QuantPipeline.Core.Tests.Compute;

namespace QuantPipeline.Core.Tests.Features;

/// <summary>
/// The managed fused F8 kernel against the float64 reference composition and against the per-kernel path, on random
/// inputs with NaNs (several column blocks, vector lanes and a scalar remainder) and on the numerical failure cases.
/// </summary>
public class IntradayF8FusedTests
{
    [Theory]
    [InlineData(150, 37, 1)]
    [InlineData(90, 531, 2)]
    [InlineData(20, 19, 3)]
    public void Fused_matches_the_float64_reference_and_the_per_kernel_path_on_random_inputs_with_NaNs(int t, int n, int seed)
    {
        var (close, volume) = RandomBars(t, n, seed);
        var membership = Membership(t, n, seed);

        var fused = Run(close, volume, membership, t, n, fused: true);
        var perKernel = Run(close, volume, membership, t, n, fused: false);

        AssertMatchesReference(F8Reference.Compute(close, volume, membership, t, n), fused, "fused");
        for (var f = 0; f < IntradayF8.Names.Length; f++)
        {
            var name = IntradayF8.Names[f];
            if (name is "ret_1" or "xs_rank_ret_30")
            {
                // Both paths compute the returns with the same float32 operator and rank them with the same sorter.
                Assert.Equal(perKernel[f], fused[f]);
                continue;
            }

            // The per-kernel path divides float32 intermediates (a rolling mean of ≈100 stored as float32 costs the
            // z-score of close ~5e-5); the fused one stays in float64 until the output.
            Numbers.AssertClose(perKernel[f].Select(v => (double)v).ToArray(), fused[f], $"fused vs per-kernel {name}",
                relative: 1e-5, absolute: name == "z_close_30" ? 1e-4 : 1e-6);
        }
    }

    [Fact]
    public void Fused_keeps_precision_when_a_1e17_value_leaves_the_window()
    {
        const int t = 120, n = 19;
        var (close, volume) = RandomBars(t, n, seed: 4, nanShare: 0);
        for (var j = 0; j < n; j++)
        {
            // One huge close and one huge volume per symbol at different times; later windows must not be poisoned.
            close[(10 + j) * n + j] = 1e17f;
            volume[(40 + j) * n + j] = 1e17f;
        }

        var fused = Run(close, volume, [], t, n, fused: true);
        AssertMatchesReference(F8Reference.Compute(close, volume, null, t, n), fused, "1e17");

        // Hand check: symbol 0, row 100, z-score of volume from the last 30 volumes, none of them the outlier.
        var window = Enumerable.Range(71, 30).Select(i => (double)volume[i * n]).ToArray();
        var mean = window.Average();
        var std = Math.Sqrt(window.Sum(v => (v - mean) * (v - mean)) / 29);
        Assert.Equal((volume[100 * n] - mean) / std, fused[7][100 * n], 1e-5);
    }

    [Theory]
    [InlineData(1e5, 1e-3)]
    [InlineData(1e-8, 1e-3)]
    [InlineData(1.0, 0)]
    public void Fused_handles_large_tiny_and_constant_prices(double level, double step)
    {
        const int t = 100, n = 21;
        var rng = new Random(5);
        var close = new float[t * n];
        var volume = new float[t * n];
        for (var j = 0; j < n; j++)
        {
            var x = level;
            for (var i = 0; i < t; i++)
            {
                x *= 1 + step * (rng.NextDouble() - 0.5);
                close[i * n + j] = (float)x;
                volume[i * n + j] = step == 0 ? 1000f : (float)(1000 + 500 * rng.NextDouble());
            }
        }

        var fused = Run(close, volume, [], t, n, fused: true);
        AssertMatchesReference(F8Reference.Compute(close, volume, null, t, n), fused, $"level {level}");
        if (step == 0)
        {
            // A flat window: zero std gives NaN z-scores (0/0), max = min = close, RSI 50.
            Assert.True(float.IsNaN(fused[3][50 * n]));
            Assert.Equal(1f, fused[5][50 * n]);
            Assert.Equal(50f, fused[9][50 * n]);
        }
    }

    [Fact]
    public void Fused_handles_all_NaN_symbols_NaN_runs_and_a_series_shorter_than_the_window()
    {
        const int t = 110, n = 27;
        var (close, volume) = RandomBars(t, n, seed: 6);
        for (var i = 0; i < t; i++)
        {
            close[i * n + 3] = float.NaN;                    // a symbol that never trades
            volume[i * n + 4] = float.NaN;
            if (i is >= 40 and < 75)
            {
                close[i * n + 8] = float.NaN;                // a gap longer than the window
            }

            if (i % 2 == 0)
            {
                close[i * n + 9] = float.PositiveInfinity;   // ±∞ count as missing, as NaN
            }
        }

        var fused = Run(close, volume, [], t, n, fused: true);
        AssertMatchesReference(F8Reference.Compute(close, volume, null, t, n), fused, "gaps");
        Assert.All(Enumerable.Range(0, t), i => Assert.True(float.IsNaN(fused[1][i * n + 3])));

        const int shortT = 12;
        var shortFused = Run(close[..(shortT * n)], volume[..(shortT * n)], [], shortT, n, fused: true);
        AssertMatchesReference(F8Reference.Compute(close[..(shortT * n)], volume[..(shortT * n)], null, shortT, n), shortFused, "short");
        Assert.All(shortFused[2], v => Assert.True(float.IsNaN(v)));
    }

    [Fact]
    public void Fused_rejects_a_membership_mask_of_the_wrong_shape()
    {
        var (close, volume) = RandomBars(40, 5, seed: 7);
        var outputs = IntradayF8.Names.Select(_ => new float[close.Length]).ToArray();
        var error = Assert.Throws<ArgumentException>(() => IntradayF8.ComputeFused(close, volume, new bool[7], 40, 5, outputs));
        Assert.Contains("membership mask holds 7 values", error.Message);
    }

    private static float[][] Run(float[] close, float[] volume, bool[] membership, int t, int n, bool fused)
    {
        var outputs = IntradayF8.Names.Select(_ => new float[t * n]).ToArray();
        if (fused)
        {
            IntradayF8.Compute(ManagedBackend.Instance, close, volume, membership, t, n, outputs, new IntradayF8.Workspace(0, 0));
        }
        else
        {
            IntradayF8.ComputePerKernel(ManagedBackend.Instance, close, volume, membership, t, n, outputs, new IntradayF8.Workspace(t, n));
        }

        return outputs;
    }

    private static void AssertMatchesReference(Dictionary<string, double[]> expected, float[][] actual, string what)
    {
        for (var f = 0; f < IntradayF8.Names.Length; f++)
        {
            var name = IntradayF8.Names[f];
            Numbers.AssertClose(expected[name], actual[f], $"{what} {name}");
        }
    }

    private static (float[] Close, float[] Volume) RandomBars(int t, int n, int seed, double nanShare = 0.05)
    {
        var rng = new Random(seed);
        var close = new float[t * n];
        var volume = new float[t * n];
        for (var j = 0; j < n; j++)
        {
            double x = 100;
            for (var i = 0; i < t; i++)
            {
                x *= 1 + 0.004 * (rng.NextDouble() - 0.5);
                close[i * n + j] = rng.NextDouble() < nanShare ? float.NaN : (float)x;
                volume[i * n + j] = rng.NextDouble() < nanShare ? float.NaN : (float)(1000 + 500 * rng.NextDouble());
            }
        }

        return (close, volume);
    }

    private static bool[] Membership(int t, int n, int seed)
    {
        var rng = new Random(seed + 100);
        return Enumerable.Range(0, t * n).Select(_ => rng.NextDouble() > 0.1).ToArray();
    }
}
