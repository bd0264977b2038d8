using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Compute.Gpu;
using QuantPipeline.Core.Features;
using QuantPipeline.Core.Tests.Features;
using QuantPipeline.GpuCheck;

namespace QuantPipeline.Core.Tests.Compute;

public class GpuBackendTests
{
    [Fact]
    public void Forced_cpu_accelerator_says_so()
    {
        var lines = new List<string>();
        using var gpu = new GpuBackend(forceCpu: true, log: lines.Add);
        Assert.False(gpu.IsCuda);
        Assert.Equal("gpu", gpu.Name);
        Assert.Contains("CPU accelerator", gpu.DeviceDescription);
        Assert.Equal([$"gpu backend: {gpu.DeviceDescription}"], lines);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Device_resident_F8_matches_the_native_backend_call_by_call(bool fused)
    {
        // The chain the GPU check times, on the CPU accelerator, against the same chain through native spans.
        const int t = 70, n = 23;
        var rng = new Random(3);
        var c = new float[t * n];
        var v = new float[t * n];
        for (var k = 0; k < c.Length; k++)
        {
            c[k] = (float)(100 + 0.5 * (k / n) * (rng.NextDouble() - 0.4) + (k % n));
            v[k] = (float)(1000 + 100 * rng.NextDouble());
        }

        var gpuOut = Enumerable.Range(0, F8Workload.Outputs).Select(_ => new float[t * n]).ToArray();
        // Its own accelerator: the shared test instance serves other test classes on other threads meanwhile.
        using (var own = new GpuBackend(forceCpu: true))
        using (var f8 = new F8Workload(own, t, n, fused))
        {
            f8.RunWithTransfers(c, v, gpuOut);
            Assert.Equal(12L * t * n * sizeof(float), f8.LogicalBytes);
        }

        var nat = NativeBackend.Instance;
        var w = new RollingSpec(F8Workload.Window);
        float[] New() => new float[t * n];
        var ret = New();
        nat.Returns(c, ret, t, n, 1, ReturnKind.Simple);
        var mean = New();
        var std = New();
        var tmp = New();
        var expected = new float[F8Workload.Outputs][];
        expected[0] = ret;
        nat.Rolling(RollingOp.Mean, c, mean, t, n, w);
        expected[1] = Map(mean, c, (m, x) => m / x - 1);
        expected[2] = New();
        nat.Rolling(RollingOp.Std, ret, expected[2], t, n, w);
        nat.Rolling(RollingOp.Std, c, std, t, n, w);
        expected[3] = c.Select((x, k) => (x - mean[k]) / std[k]).ToArray();
        expected[4] = New();
        nat.Ewm(ret, expected[4], t, n, EwmSpec.FromHalfLife(20));
        nat.Rolling(RollingOp.Max, c, tmp, t, n, w);
        expected[5] = Map(tmp, c, (m, x) => m / x);
        nat.Rolling(RollingOp.Min, c, tmp, t, n, w);
        expected[6] = Map(tmp, c, (m, x) => m / x);
        nat.Rolling(RollingOp.Mean, v, mean, t, n, w);
        nat.Rolling(RollingOp.Std, v, std, t, n, w);
        expected[7] = v.Select((x, k) => (x - mean[k]) / std[k]).ToArray();
        nat.Returns(c, tmp, t, n, F8Workload.Window, ReturnKind.Simple);
        expected[8] = New();
        nat.CrossSectional(CrossSectionalOp.Rank, tmp, [], expected[8], t, n, new CrossSectionalSpec(0.01, 0.99, 1));
        expected[9] = New();
        nat.Rsi(c, expected[9], t, n, 14);

        for (var f = 0; f < F8Workload.Outputs; f++)
        {
            var result = ConformanceSuite.Compare($"F8 item {f + 1}", expected[f].Select(x => (double)x).ToArray(), gpuOut[f]);
            Assert.True(result.Passed, result.Detail);
            Assert.Contains(gpuOut[f], float.IsFinite);
        }
    }

    [Fact]
    public void Fused_F8_rolling_pass_survives_1e17_values_leaving_the_window_and_infinities()
    {
        // The 1e17 trap for F8Rolling's streaming moments (close, its 1-bar return and volume) and its rescanned
        // extrema, on the CPU accelerator against the float64 reference; ±∞ closes on one symbol are missing values.
        const int t = 130, n = 19;
        var rng = new Random(17);
        var c = new float[t * n];
        var v = new float[t * n];
        for (var j = 0; j < n; j++)
        {
            var x = 100.0 + j;
            for (var i = 0; i < t; i++)
            {
                x *= 1 + 0.004 * (rng.NextDouble() - 0.5);
                c[i * n + j] = (float)x;
                v[i * n + j] = (float)(1000 + 500 * rng.NextDouble());
            }

            c[(10 + j) * n + j] = 1e17f;
            v[(40 + j) * n + j] = 1e17f;
        }

        for (var i = 0; i < t; i += 3)
        {
            c[i * n + 7] = i % 2 == 0 ? float.PositiveInfinity : float.NegativeInfinity;
        }

        var gpuOut = Enumerable.Range(0, F8Workload.Outputs).Select(_ => new float[t * n]).ToArray();
        using (var own = new GpuBackend(forceCpu: true))
        using (var f8 = new F8Workload(own, t, n, fused: true))
        {
            f8.RunWithTransfers(c, v, gpuOut);
        }

        var expected = F8Reference.Compute(c, v, null, t, n);
        for (var f = 0; f < F8Workload.Outputs; f++)
        {
            var name = IntradayF8.Names[f];
            // z(c) divides by a float32 mean and std, as the chain of separate kernels does (F8 tests allow 1e-4 there).
            Numbers.AssertClose(expected[name], gpuOut[f], $"gpu fused F8 {name}", absolute: name == "z_close_30" ? 1e-4 : 1e-6);
        }

        // Hand check: symbol 0 at row 100 sees 30 ordinary volumes (the 1e17 at row 40 left long ago).
        var window = Enumerable.Range(71, 30).Select(i => (double)v[i * n]).ToArray();
        var mean = window.Average();
        var std = Math.Sqrt(window.Sum(y => (y - mean) * (y - mean)) / 29);
        Assert.Equal((v[100 * n] - mean) / std, gpuOut[7][100 * n], 1e-4);
    }

    private static float[] Map(float[] a, float[] b, Func<double, double, double> f) => a.Select((x, k) => (float)f(x, b[k])).ToArray();
}
