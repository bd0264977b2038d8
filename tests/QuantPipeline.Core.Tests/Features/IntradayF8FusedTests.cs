using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Features;
using QuantPipeline.Core.Tests.Compute;

namespace QuantPipeline.Core.Tests.Features;

/// <summary>
/// The fused F8 kernels (managed <c>IntradayF8Kernel</c> and native <c>qp_intraday_f8_f32</c>) against the float64
/// reference composition, against the per-kernel path and against each other, on random inputs with NaNs (several
/// column blocks, vector lanes and a scalar remainder) and on the numerical failure cases.
/// </summary>
public class IntradayF8FusedTests
{
    public static TheoryData<string> FusedBackends() => new("managed", "native");

    [Theory]
    [InlineData("managed", 150, 37, 1)]
    [InlineData("managed", 90, 531, 2)]
    [InlineData("managed", 20, 19, 3)]
    [InlineData("native", 150, 37, 1)]
    [InlineData("native", 90, 531, 2)]
    [InlineData("native", 20, 19, 3)]
    public void Fused_matches_the_float64_reference_and_the_per_kernel_path_on_random_inputs_with_NaNs(string backend, int t, int n, int seed)
    {
        var (close, volume) = RandomBars(t, n, seed);
        var membership = Membership(t, n, seed);

        var fused = Run(close, volume, membership, t, n, backend);
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

    [Theory]
    [InlineData(300, 1100, 14, false)]
    [InlineData(300, 1100, 14, true)]
    [InlineData(129, 517, 15, true)]
    [InlineData(1, 600, 16, false)]
    public void Time_chunk_pipeline_gives_the_one_pass_bits(int t, int n, int seed, bool streaming)
    {
        // The pipeline sweeps 128-row chunks per part (t = 300: three chunks, the last partial; 129: one row past a
        // chunk) while other workers rank finished rows; n = 1100 gives parts of 512, 512 and 72 vector lanes plus a
        // scalar remainder of 4. Outliers trigger the exact recompute across chunk boundaries.
        var (close, volume) = RandomBars(t, n, seed);
        AddOutliers(close, volume, seed, 30, k => k % 3 == 0 ? float.NegativeInfinity : 1e17f);

        var membership = Membership(t, n, seed);
        var stores = streaming ? F8Stores.Streaming : F8Stores.Cached;
        float[][] onePass, pipelined;
        try
        {
            IntradayF8.PipelineOverride = false;
            onePass = RunFused(close, volume, membership, t, n, "managed", stores);
            IntradayF8.PipelineOverride = true;
            pipelined = RunFused(close, volume, membership, t, n, "managed", stores);
        }
        finally
        {
            IntradayF8.PipelineOverride = null;
        }

        for (var f = 0; f < IntradayF8.Names.Length; f++)
        {
            Assert.True(BitsEqualUpToNaN(onePass[f], pipelined[f]), $"{IntradayF8.Names[f]} differs between the one-pass and the pipelined managed kernel");
        }

        AssertMatchesReference(F8Reference.Compute(close, volume, membership, t, n), pipelined, "pipelined vs reference");
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("native")]
    public void Rank_in_place_resolves_ties_and_crowded_buckets(string backend)
    {
        // A third of the symbols never move (their window return is exactly 0: one tie group per row), a few jump by
        // 1e6 (squeezing the rest into a handful of buckets), and prices on a 1/64 grid make many more ties.
        const int t = 70, n = 900;
        var (close, volume) = RandomBars(t, n, seed: 21, nanShare: 0.02);
        for (var i = 0; i < t; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var cell = i * n + j;
                close[cell] = j % 3 == 0 ? 100f : j % 97 == 1 && i > 40 ? 1e8f : MathF.Round(close[cell] * 64) / 64;
            }
        }

        var membership = Membership(t, n, seed: 21);
        var fused = RunFused(close, volume, membership, t, n, backend, F8Stores.Cached);
        var expected = F8Reference.Compute(close, volume, membership, t, n);
        Numbers.AssertClose(expected["xs_rank_ret_30"], fused[8], $"{backend} rank with ties", relative: 1e-6, absolute: 1e-7);
        var managed = RunFused(close, volume, membership, t, n, "managed", F8Stores.Cached);
        Assert.True(BitsEqualUpToNaN(managed[8], fused[8]), "the rank differs between the managed and native fused kernels");
    }

    [Theory]
    [InlineData("managed", 150, 1100, 8)]
    [InlineData("native", 150, 1100, 8)]
    [InlineData("managed", 64, 517, 12)]
    [InlineData("native", 64, 517, 12)]
    [InlineData("managed", 40, 13, 13)]
    [InlineData("native", 40, 13, 13)]
    public void Streaming_stores_give_the_cached_stores_bits(string backend, int t, int n, int seed)
    {
        // Non-temporal stores for the whole cache lines of each row, ordinary ones for the partial lines at block
        // edges (n = 517 and 13 put the edges at every offset within a line): the same values, also where the exact
        // recompute rewrites cells after the row was copied out.
        var (close, volume) = RandomBars(t, n, seed);
        AddOutliers(close, volume, seed, 20, k => k % 2 == 0 ? float.PositiveInfinity : 1e17f);

        var membership = Membership(t, n, seed);
        var cached = RunFused(close, volume, membership, t, n, backend, F8Stores.Cached);
        var streaming = RunFused(close, volume, membership, t, n, backend, F8Stores.Streaming);
        for (var f = 0; f < IntradayF8.Names.Length; f++)
        {
            Assert.True(BitsEqualUpToNaN(cached[f], streaming[f]), $"{IntradayF8.Names[f]} differs between cached and streaming stores on {backend}");
        }

        AssertMatchesReference(F8Reference.Compute(close, volume, membership, t, n), streaming, $"{backend} streaming vs reference");
    }

    [Theory]
    [InlineData(150, 1100, 8)]
    [InlineData(75, 531, 9)]
    [InlineData(33, 7, 10)]
    public void Native_fused_gives_the_managed_fused_bits(int t, int n, int seed)
    {
        // Same float64 operations in the same order, no fused multiply-adds on either side: identical outputs, also
        // through outliers that trigger the exact recompute, ±∞, NaN gaps and a partial membership mask.
        var (close, volume) = RandomBars(t, n, seed);
        AddOutliers(close, volume, seed, 40, k => k % 4 == 0 ? float.PositiveInfinity : k % 4 == 1 ? float.NegativeInfinity : 1e17f);

        var membership = Membership(t, n, seed);
        var managed = Run(close, volume, membership, t, n, "managed");
        var native = Run(close, volume, membership, t, n, "native");
        for (var f = 0; f < IntradayF8.Names.Length; f++)
        {
            Assert.True(BitsEqualUpToNaN(managed[f], native[f]), $"{IntradayF8.Names[f]} differs between the managed and native fused kernels");
        }

        AssertMatchesReference(F8Reference.Compute(close, volume, membership, t, n), native, "native vs reference");
    }

    [Theory]
    [MemberData(nameof(FusedBackends))]
    public void Fused_keeps_precision_when_a_1e17_value_leaves_the_window(string backend)
    {
        const int t = 120, n = 19;
        var (close, volume) = RandomBars(t, n, seed: 4, nanShare: 0);
        for (var j = 0; j < n; j++)
        {
            // One huge close and one huge volume per symbol at different times; later windows must not be poisoned.
            close[(10 + j) * n + j] = 1e17f;
            volume[(40 + j) * n + j] = 1e17f;
        }

        var fused = Run(close, volume, [], t, n, backend);
        AssertMatchesReference(F8Reference.Compute(close, volume, null, t, n), fused, $"{backend} 1e17");

        // Hand check: symbol 0, row 100, z-score of volume from the last 30 volumes, none of them the outlier.
        var window = Enumerable.Range(71, 30).Select(i => (double)volume[i * n]).ToArray();
        var mean = window.Average();
        var std = Math.Sqrt(window.Sum(v => (v - mean) * (v - mean)) / 29);
        Assert.Equal((volume[100 * n] - mean) / std, fused[7][100 * n], 1e-5);
    }

    [Theory]
    [InlineData("managed", 1e5, 1e-3)]
    [InlineData("managed", 1e-8, 1e-3)]
    [InlineData("managed", 1.0, 0)]
    [InlineData("native", 1e5, 1e-3)]
    [InlineData("native", 1e-8, 1e-3)]
    [InlineData("native", 1.0, 0)]
    public void Fused_handles_large_tiny_and_constant_prices(string backend, double level, double step)
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

        var fused = Run(close, volume, [], t, n, backend);
        AssertMatchesReference(F8Reference.Compute(close, volume, null, t, n), fused, $"{backend} level {level}");
        if (step == 0)
        {
            // A flat window: zero std gives NaN z-scores (0/0), max = min = close, RSI 50.
            Assert.True(float.IsNaN(fused[3][50 * n]));
            Assert.Equal(1f, fused[5][50 * n]);
            Assert.Equal(50f, fused[9][50 * n]);
        }
    }

    [Theory]
    [MemberData(nameof(FusedBackends))]
    public void Fused_handles_all_NaN_symbols_NaN_runs_and_a_series_shorter_than_the_window(string backend)
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

        var fused = Run(close, volume, [], t, n, backend);
        AssertMatchesReference(F8Reference.Compute(close, volume, null, t, n), fused, $"{backend} gaps");
        Assert.All(Enumerable.Range(0, t), i => Assert.True(float.IsNaN(fused[1][i * n + 3])));

        const int shortT = 12;
        var shortFused = Run(close[..(shortT * n)], volume[..(shortT * n)], [], shortT, n, backend);
        AssertMatchesReference(F8Reference.Compute(close[..(shortT * n)], volume[..(shortT * n)], null, shortT, n), shortFused, $"{backend} short");
        Assert.All(shortFused[2], v => Assert.True(float.IsNaN(v)));
    }

    [Fact]
    public void Fused_switches_between_the_clean_and_the_general_row_variants_without_changing_values()
    {
        // Complete data (every vector of symbols takes the clean variant once its windows fill) with isolated missing
        // values: a vector falls back to the general variant while one of its windows holds the gap, then returns to
        // the clean one. Both backends agree with the reference and with each other bit for bit.
        const int t = 160, n = 35;
        var (close, volume) = RandomBars(t, n, seed: 11, nanShare: 0);
        close[70 * n + 5] = float.NaN;
        close[71 * n + 9] = float.PositiveInfinity;
        volume[90 * n + 17] = float.NaN;
        volume[100 * n + 33] = float.NegativeInfinity;
        close[120 * n + 34] = 1e17f;

        var managed = Run(close, volume, [], t, n, "managed");
        var native = Run(close, volume, [], t, n, "native");
        var expected = F8Reference.Compute(close, volume, null, t, n);
        AssertMatchesReference(expected, managed, "managed clean/general");
        AssertMatchesReference(expected, native, "native clean/general");
        for (var f = 0; f < IntradayF8.Names.Length; f++)
        {
            Assert.True(BitsEqualUpToNaN(managed[f], native[f]), $"{IntradayF8.Names[f]} differs between the managed and native fused kernels");
        }

        // The gap's window: symbol 5's rolling outputs are missing for the 30 rows that hold the NaN and present after.
        Assert.True(float.IsNaN(managed[1][99 * n + 5]));
        Assert.False(float.IsNaN(managed[1][100 * n + 5]));
    }

    [Theory]
    [MemberData(nameof(FusedBackends))]
    public void Fused_rejects_a_membership_mask_of_the_wrong_shape(string backend)
    {
        var (close, volume) = RandomBars(40, 5, seed: 7);
        var outputs = IntradayF8.Names.Select(_ => new float[close.Length]).ToArray();
        var error = Assert.Throws<ArgumentException>(() => IntradayF8.ComputeFused(Backends.Get(backend), close, volume, new bool[7], 40, 5, outputs));
        Assert.Contains("membership mask holds 7 values", error.Message);
    }

    [Fact]
    public void Native_fused_rejects_aliased_outputs_with_the_native_message()
    {
        var (close, volume) = RandomBars(40, 5, seed: 7);
        var outputs = IntradayF8.Names.Select(_ => new float[close.Length]).ToArray();
        outputs[4] = outputs[2];
        var error = Assert.Throws<ArgumentException>(() => IntradayF8.ComputeFused(NativeBackend.Instance, close, volume, [], 40, 5, outputs));
        Assert.Contains("outputs 2 and 4 alias", error.Message);
    }

    private static float[][] Run(float[] close, float[] volume, bool[] membership, int t, int n, bool fused) =>
        fused ? Run(close, volume, membership, t, n, "managed") : RunPerKernel(close, volume, membership, t, n);

    private static float[][] RunFused(float[] close, float[] volume, bool[] membership, int t, int n, string backend, F8Stores stores)
    {
        var outputs = IntradayF8.Names.Select(_ => new float[t * n]).ToArray();
        IntradayF8.ComputeFused(Backends.Get(backend), close, volume, membership, t, n, outputs, stores);
        return outputs;
    }

    private static float[][] Run(float[] close, float[] volume, bool[] membership, int t, int n, string backend)
    {
        var outputs = IntradayF8.Names.Select(_ => new float[t * n]).ToArray();
        IntradayF8.Compute(Backends.Get(backend), close, volume, membership, t, n, outputs, new IntradayF8.Workspace(0, 0));
        return outputs;
    }

    private static float[][] RunPerKernel(float[] close, float[] volume, bool[] membership, int t, int n)
    {
        var outputs = IntradayF8.Names.Select(_ => new float[t * n]).ToArray();
        IntradayF8.ComputePerKernel(ManagedBackend.Instance, close, volume, membership, t, n, outputs, new IntradayF8.Workspace(t, n));
        return outputs;
    }

    /// <summary>Equal bit patterns, except that any two NaNs match (their payloads are not part of the contract).</summary>
    private static bool BitsEqualUpToNaN(float[] a, float[] b) =>
        a.Length == b.Length && a.Zip(b).All(p => (float.IsNaN(p.First) && float.IsNaN(p.Second)) || BitConverter.SingleToInt32Bits(p.First) == BitConverter.SingleToInt32Bits(p.Second));

    private static void AssertMatchesReference(Dictionary<string, double[]> expected, float[][] actual, string what)
    {
        for (var f = 0; f < IntradayF8.Names.Length; f++)
        {
            var name = IntradayF8.Names[f];
            Numbers.AssertClose(expected[name], actual[f], $"{what} {name}");
        }
    }

    /// <summary>
    /// Puts <paramref name="count"/> outliers at random cells: close gets <paramref name="closeValue"/>(k), volume 1e17
    /// (values that trigger the exact recompute, and ±∞, which count as missing).
    /// </summary>
    private static void AddOutliers(float[] close, float[] volume, int seed, int count, Func<int, float> closeValue)
    {
        var rng = new Random(seed);
        for (var k = 0; k < count; k++)
        {
            close[rng.Next(close.Length)] = closeValue(k);
            volume[rng.Next(volume.Length)] = 1e17f;
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
