using QuantPipeline.Core.Compute;

namespace QuantPipeline.Core.Tests.Compute;

/// <summary>
/// ±∞ is missing in the rolling, pair, exponential and RSI kernels of every backend (KernelSemantics): skipped but
/// occupying its window slot. Each case checks a panel with infinities and NaNs against the float64 reference, and
/// against the same backend on the same panel with every infinity replaced by NaN (they must agree exactly).
/// </summary>
public class InfinityConformanceTests
{
    // 19 symbols: two vectors of 8 and a scalar remainder of 3.
    private const int T = 64;
    private const int N = 19;

    public static TheoryData<string, RollingOp> RollingCases()
    {
        var data = new TheoryData<string, RollingOp>();
        foreach (var backend in Backends.Names)
        {
            foreach (var op in Enum.GetValues<RollingOp>())
            {
                data.Add(backend, op);
            }
        }

        return data;
    }

    public static TheoryData<string> BackendNames() => new(Backends.Names);

    [Theory]
    [MemberData(nameof(RollingCases))]
    public void Rolling_kernels_treat_infinities_as_missing(string backend, RollingOp op)
    {
        var (withInfinities, withNaN) = Inputs(seed: 31);
        var spec = new RollingSpec(8, MinPeriods: 4, Quantile: 0.3);
        var b = Backends.Get(backend);
        var actual = new float[T * N];
        b.Rolling(op, withInfinities, actual, T, N, spec);
        Numbers.AssertClose(ReferenceKernels.Rolling(op, withInfinities, T, N, spec), actual, $"{backend} {op} with ±∞");

        var asNaN = new float[T * N];
        b.Rolling(op, withNaN, asNaN, T, N, spec);
        Assert.Equal(asNaN, actual);
        Assert.Contains(actual, float.IsFinite);
    }

    [Theory]
    [MemberData(nameof(BackendNames))]
    public void Pair_exponential_and_rsi_kernels_treat_infinities_as_missing(string backend)
    {
        var (a, aNaN) = Inputs(seed: 32);
        var (c, cNaN) = Inputs(seed: 33);
        var b = Backends.Get(backend);
        var spec = new RollingSpec(10, MinPeriods: 5);
        foreach (var op in Enum.GetValues<RollingPairOp>())
        {
            var actual = new float[T * N];
            b.RollingPair(op, a, c, actual, T, N, spec);
            Numbers.AssertClose(ReferenceKernels.RollingPair(op, a, c, T, N, spec), actual, $"{backend} {op} with ±∞");
            var asNaN = new float[T * N];
            b.RollingPair(op, aNaN, cNaN, asNaN, T, N, spec);
            Assert.Equal(asNaN, actual);
        }

        foreach (var ewm in new[] { EwmSpec.FromHalfLife(5), EwmSpec.FromSpan(8, adjust: false) })
        {
            var actual = new float[T * N];
            b.Ewm(a, actual, T, N, ewm);
            Numbers.AssertClose(ReferenceKernels.Ewm(a, T, N, ewm), actual, $"{backend} ewm {ewm} with ±∞");
            var asNaN = new float[T * N];
            b.Ewm(aNaN, asNaN, T, N, ewm);
            Assert.Equal(asNaN, actual);
        }

        var rsi = new float[T * N];
        b.Rsi(a, rsi, T, N, 6);
        Numbers.AssertClose(ReferenceKernels.Rsi(a, T, N, 6), rsi, $"{backend} rsi with ±∞");
        var rsiNaN = new float[T * N];
        b.Rsi(aNaN, rsiNaN, T, N, 6);
        Assert.Equal(rsiNaN, rsi);
    }

    /// <summary>A random walk with NaNs, +∞ and −∞ (runs of them too), and the same panel with NaN for every ∞.</summary>
    private static (float[] WithInfinities, float[] WithNaN) Inputs(int seed)
    {
        var src = Numbers.RandomWalk(T, N, seed, nanShare: 0.05);
        var rng = new Random(seed);
        for (var k = 0; k < src.Length; k++)
        {
            var draw = rng.NextDouble();
            if (draw < 0.06)
            {
                src[k] = draw < 0.03 ? float.PositiveInfinity : float.NegativeInfinity;
            }
        }

        // A symbol whose window fills with infinities, then recovers.
        for (var i = 20; i < 32; i++)
        {
            src[i * N + 5] = i % 2 == 0 ? float.PositiveInfinity : float.NegativeInfinity;
        }

        return (src, src.Select(v => float.IsInfinity(v) ? float.NaN : v).ToArray());
    }
}
