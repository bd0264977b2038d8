using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Compute.Gpu;
using QuantPipeline.GpuCheck;

namespace QuantPipeline.Core.Tests.Compute;

/// <summary>
/// The native backend and the GPU backend (on ILGPU's CPU accelerator) against the plain float64 reference,
/// one test per kernel case of <see cref="ConformanceSuite"/>.
/// </summary>
public class NativeGpuConformanceTests
{
    // Many windows, two symbol blocks' worth of edge effects, small enough for the CPU accelerator.
    private const int T = 61;
    private const int N = 19;

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var backend in new[] { "native", "gpu" })
        {
            foreach (var name in ConformanceSuite.Names)
            {
                data.Add(backend, name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Agrees_with_float64_reference(string backend, string kernelCase)
    {
        var result = ConformanceSuite.Run(TestBackends.Get(backend), kernelCase, T, N);
        Assert.True(result.Passed, $"{backend} {kernelCase}: {result.Detail}");
    }

    [Fact]
    public void Native_agrees_across_symbol_blocks_and_threads()
    {
        // Wider than two 256-symbol blocks and, at 66,000 cells, large enough to be split over threads.
        const int t = 110, n = 600;
        foreach (var name in new[] { "rolling Mean w5", "rolling Std w7 min4", "rolling Max w5", "rolling Min w7 min4", "ewm alpha 0.333 adjust True min 0", "rsi 5", "cross-sectional Rank all", "fill-forward limit 2" })
        {
            var result = ConformanceSuite.Run(NativeBackend.Instance, name, t, n);
            Assert.True(result.Passed, $"{name}: {result.Detail}");
        }
    }

    [Fact]
    public void Native_moments_with_a_long_window_agree_when_blocks_are_cut_for_scratch_space()
    {
        // Window 250 makes the suffix tables large enough that each thread's share of 448 symbols is cut in two.
        const int t = 260, n = 448;
        var rng = new Random(9);
        var x = Enumerable.Range(0, t * n).Select(_ => rng.NextDouble() < 0.05 ? float.NaN : (float)(50 + rng.NextDouble())).ToArray();
        var spec = new RollingSpec(250, 20);
        var dst = new float[t * n];
        NativeBackend.Instance.Rolling(RollingOp.Std, x, dst, t, n, spec);
        var result = ConformanceSuite.Compare("std w250", ScalarReference.Rolling(RollingOp.Std, x, t, n, spec), dst);
        Assert.True(result.Passed, result.Detail);
    }

    [Theory]
    [InlineData("native")]
    [InlineData("gpu")]
    public void Negative_and_positive_zero_tie_in_cross_sectional_rank(string backend)
    {
        float[] row = [-0.0f, 1f, 0.0f, -2f];
        var dst = new float[row.Length];
        TestBackends.Get(backend).CrossSectional(CrossSectionalOp.Rank, row, [], dst, 1, row.Length, new CrossSectionalSpec(0.01, 0.99, 1));
        Assert.Equal([0.625f, 1f, 0.625f, 0.25f], dst);
    }

    [Fact]
    public void Comparison_rejects_a_wrong_answer()
    {
        Assert.False(ConformanceSuite.Compare("x", [1.0, 2.0], [1f, 2.001f]).Passed);
        Assert.False(ConformanceSuite.Compare("x", [double.NaN], [0f]).Passed);
        Assert.False(ConformanceSuite.Compare("x", [0.5], [float.NaN]).Passed);
        Assert.True(ConformanceSuite.Compare("x", [1.0, double.NaN], [1.000001f, float.NaN]).Passed);
    }
}
