using QuantPipeline.Core.Compute;

namespace QuantPipeline.Core.Tests.Compute;

/// <summary>The numerical failure cases of rolling kernels, on every backend against the float64 reference.</summary>
public class PathologicalInputTests
{
    // 19 symbols: two vectors of 8 and a scalar remainder of 3.
    private const int N = 19;

    private static readonly RollingOp[] RunningOps = [RollingOp.Sum, RollingOp.Mean, RollingOp.Var, RollingOp.Std, RollingOp.Min, RollingOp.Max, RollingOp.Count, RollingOp.Skew, RollingOp.Slope, RollingOp.Rsquare, RollingOp.Resi];

    public static TheoryData<string, RollingOp> Cases()
    {
        var data = new TheoryData<string, RollingOp>();
        foreach (var backend in Backends.Names)
        {
            foreach (var op in RunningOps)
            {
                data.Add(backend, op);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Huge_value_leaving_the_window_does_not_poison_later_windows(string backend, RollingOp op)
    {
        const int t = 60;
        var src = new float[t * N];
        for (var i = 0; i < t; i++)
        {
            for (var j = 0; j < N; j++)
            {
                // Small values, except one 1e17 per symbol at a different time.
                src[i * N + j] = i == 5 + j ? 1e17f : 1f + 0.01f * ((i * 7 + j) % 11);
            }
        }

        var spec = new RollingSpec(10);
        var dst = new float[t * N];
        Backends.Get(backend).Rolling(op, src, dst, t, N, spec);
        Numbers.AssertClose(ReferenceKernels.Rolling(op, src, t, N, spec), dst, $"{backend} {op}");

        // Hand check for Mean: symbol 0 at row 20 averages rows 11..20 of 1 + 0.01·((7i) mod 11).
        if (op == RollingOp.Mean)
        {
            var expected = Enumerable.Range(11, 10).Average(i => 1.0 + 0.01 * (i * 7 % 11));
            Assert.Equal(expected, dst[20 * N], 1e-6);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Tiny_magnitudes_keep_their_relative_precision(string backend, RollingOp op)
    {
        const int t = 80;
        var src = Numbers.RandomWalk(t, N, seed: 3, level: 0, step: 1).Select(v => v * 1e-8f).ToArray();
        var spec = new RollingSpec(15, MinPeriods: 5);
        var dst = new float[t * N];
        Backends.Get(backend).Rolling(op, src, dst, t, N, spec);
        // 1e-6 absolute would accept anything at 1e-8: hold these to relative precision only (skew is scale-free).
        var absolute = op == RollingOp.Skew ? 1e-6 : 1e-20;
        Numbers.AssertClose(ReferenceKernels.Rolling(op, src, t, N, spec), dst, $"{backend} {op}", relative: 1e-5, absolute: absolute);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Prices_of_1e5_in_float32_give_accurate_dispersion(string backend, RollingOp op)
    {
        const int t = 400;
        // Ticks of 1/128 around 1e5: exactly representable in float32, so the reference sees the same inputs.
        var rng = new Random(11);
        var src = new float[t * N];
        for (var j = 0; j < N; j++)
        {
            var x = 100_000.0;
            for (var i = 0; i < t; i++)
            {
                x += (rng.Next(0, 9) - 4) / 128.0;
                src[i * N + j] = (float)x;
            }
        }

        var spec = new RollingSpec(30);
        var dst = new float[t * N];
        Backends.Get(backend).Rolling(op, src, dst, t, N, spec);
        Numbers.AssertClose(ReferenceKernels.Rolling(op, src, t, N, spec), dst, $"{backend} {op}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void All_nan_windows_are_nan_and_the_series_recovers(string backend, RollingOp op)
    {
        const int t = 70;
        var src = Numbers.RandomWalk(t, N, seed: 5, nanShare: 0);
        for (var i = 20; i < 45; i++)
        {
            for (var j = 0; j < N; j++)
            {
                src[i * N + j] = float.NaN;
            }
        }

        var spec = new RollingSpec(8, MinPeriods: 1);
        var dst = new float[t * N];
        Backends.Get(backend).Rolling(op, src, dst, t, N, spec);
        Numbers.AssertClose(ReferenceKernels.Rolling(op, src, t, N, spec), dst, $"{backend} {op}");
        if (op != RollingOp.Count && op != RollingOp.Sum)
        {
            Assert.True(float.IsNaN(dst[40 * N]), "a window of only NaN must give NaN");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Window_longer_than_the_series(string backend, RollingOp op)
    {
        const int t = 25;
        var src = Numbers.RandomWalk(t, N, seed: 6);
        var spec = new RollingSpec(100, MinPeriods: 6);
        var dst = new float[t * N];
        Backends.Get(backend).Rolling(op, src, dst, t, N, spec);
        Numbers.AssertClose(ReferenceKernels.Rolling(op, src, t, N, spec), dst, $"{backend} {op}");

        var strict = new float[t * N];
        Backends.Get(backend).Rolling(op, src, strict, t, N, new RollingSpec(100));
        Assert.All(strict, v => Assert.True(float.IsNaN(v), "min_periods defaults to the window, which 25 bars never fill"));
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("native")]
    [InlineData("gpu")]
    public void Infinities_are_missing_in_rolling_order_statistics_and_regressions(string backend)
    {
        const int t = 90;
        var src = Numbers.RandomWalk(t, N, seed: 14, step: 3).Select((v, k) => k % 41 == 5 ? float.PositiveInfinity : k % 43 == 7 ? float.NegativeInfinity : MathF.Round(v / 2)).ToArray();
        var b = Backends.Get(backend);
        foreach (var op in new[] { RollingOp.ArgMin, RollingOp.ArgMax, RollingOp.Rank, RollingOp.Quantile, RollingOp.Min, RollingOp.Max, RollingOp.Slope, RollingOp.Rsquare, RollingOp.Resi, RollingOp.Mean })
        {
            foreach (var spec in new[] { new RollingSpec(7, MinPeriods: 1, Quantile: 0.2), new RollingSpec(20, MinPeriods: 10, Quantile: 0.8) })
            {
                var dst = new float[t * N];
                b.Rolling(op, src, dst, t, N, spec);
                Numbers.AssertClose(ReferenceKernels.Rolling(op, src, t, N, spec), dst, $"{backend} {op} {spec}");
            }
        }

        foreach (var op in Enum.GetValues<RollingPairOp>())
        {
            var dst = new float[t * N];
            var other = Numbers.RandomWalk(t, N, seed: 15);
            b.RollingPair(op, src, other, dst, t, N, new RollingSpec(10, MinPeriods: 3));
            Numbers.AssertClose(ReferenceKernels.RollingPair(op, src, other, t, N, new RollingSpec(10, MinPeriods: 3)), dst, $"{backend} {op}");
        }
    }

    [Theory]
    [MemberData(nameof(BackendNames))]
    public void A_flat_stretch_after_a_trend_has_no_fit_and_no_correlation(string backend)
    {
        // 30 bars alternating between ~1e6 and ~1e-3 (sums of these round even in float64), then 40 bars flat at 2.5:
        // running sums that carried that rounding must come back to an exactly flat window, where R² and correlation
        // are undefined and slope and residual are 0.
        const int t = 70;
        var src = Numbers.RandomWalk(t, N, seed: 17, level: 10, step: 4, nanShare: 0);
        var other = Numbers.RandomWalk(t, N, seed: 16, nanShare: 0);
        for (var k = 0; k < t * N; k++)
        {
            src[k] = k < 30 * N ? src[k] * (k / N % 2 == 0 ? 1e5f : 1e-4f) : 2.5f;
        }

        var b = Backends.Get(backend);
        var spec = new RollingSpec(10, MinPeriods: 1);
        float[] Run(RollingOp op)
        {
            var dst = new float[t * N];
            b.Rolling(op, src, dst, t, N, spec);
            return dst;
        }

        var corr = new float[t * N];
        b.RollingPair(RollingPairOp.Corr, src, other, corr, t, N, spec);
        var (rsquare, slope, resi) = (Run(RollingOp.Rsquare), Run(RollingOp.Slope), Run(RollingOp.Resi));
        for (var i = 45; i < t; i++)
        {
            for (var j = 0; j < N; j++)
            {
                var k = i * N + j;
                Assert.True(float.IsNaN(rsquare[k]) && float.IsNaN(corr[k]), $"{backend}: flat window at row {i}, symbol {j} gave R² {rsquare[k]}, corr {corr[k]}");
                Assert.Equal(0f, slope[k], 1e-6f);
                Assert.Equal(0f, resi[k], 1e-6f);
            }
        }
    }

    public static TheoryData<string, RollingPairOp> PairCases()
    {
        var data = new TheoryData<string, RollingPairOp>();
        foreach (var backend in Backends.Names)
        {
            foreach (var op in Enum.GetValues<RollingPairOp>())
            {
                data.Add(backend, op);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PairCases))]
    public void Pair_statistics_survive_a_huge_value_tiny_magnitudes_and_1e5_prices(string backend, RollingPairOp op)
    {
        const int t = 120;
        var rng = new Random(21);
        var spiked = new float[t * N];
        var tiny = new float[t * N];
        var prices = new float[t * N];
        var other = Numbers.RandomWalk(t, N, seed: 22, nanShare: 0.05);
        for (var j = 0; j < N; j++)
        {
            var x = 100_000.0;
            for (var i = 0; i < t; i++)
            {
                x += (rng.Next(0, 9) - 4) / 128.0;
                prices[i * N + j] = (float)x;
                spiked[i * N + j] = i == 5 + j ? 1e17f : 1f + 0.01f * ((i * 7 + j) % 11);
                tiny[i * N + j] = (float)(1e-8 * (1 + 0.1 * rng.NextDouble()));
            }
        }

        var b = Backends.Get(backend);
        foreach (var (name, a, spec) in new[] { ("spike", spiked, new RollingSpec(10)), ("tiny", tiny, new RollingSpec(15, MinPeriods: 5)), ("1e5", prices, new RollingSpec(30)) })
        {
            var dst = new float[t * N];
            b.RollingPair(op, a, other, dst, t, N, spec);
            Numbers.AssertClose(ReferenceKernels.RollingPair(op, a, other, t, N, spec), dst, $"{backend} {op} {name}", relative: 1e-5, absolute: op == RollingPairOp.Cov && name == "tiny" ? 1e-20 : 1e-6);
        }
    }

    [Theory]
    [MemberData(nameof(BackendNames))]
    public void Ewm_and_rsi_survive_a_huge_value_and_nan_gaps(string backend)
    {
        const int t = 90;
        var src = Numbers.RandomWalk(t, N, seed: 12, nanShare: 0.2);
        src[10 * N + 2] = 1e17f;
        var b = Backends.Get(backend);
        foreach (var spec in new[] { EwmSpec.FromHalfLife(5), EwmSpec.FromSpan(8, adjust: false) })
        {
            var dst = new float[t * N];
            b.Ewm(src, dst, t, N, spec);
            Numbers.AssertClose(ReferenceKernels.Ewm(src, t, N, spec), dst, $"{backend} ewm {spec}");
        }

        var rsi = new float[t * N];
        b.Rsi(src, rsi, t, N, 14);
        Numbers.AssertClose(ReferenceKernels.Rsi(src, t, N, 14), rsi, $"{backend} rsi");
    }

    public static TheoryData<string> BackendNames() => new(Backends.Names);
}
