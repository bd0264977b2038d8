using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Compute.Gpu;
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

    private static float[] Map(float[] a, float[] b, Func<double, double, double> f) => a.Select((x, k) => (float)f(x, b[k])).ToArray();
}
