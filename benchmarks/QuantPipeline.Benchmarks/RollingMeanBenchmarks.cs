using BenchmarkDotNet.Attributes;
using QuantPipeline.Core.Compute;

namespace QuantPipeline.Benchmarks;

/// <summary>Rolling mean (window 30) over a time-major [T, N] panel on each backend.</summary>
[MemoryDiagnoser]
public class RollingMeanBenchmarks
{
    private float[] _src = [];
    private float[] _dst = [];

    [Params(8190)]
    public int T { get; set; }

    [Params(3000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        _src = new float[T * N];
        for (var k = 0; k < _src.Length; k++)
        {
            _src[k] = (float)(100 + rng.NextDouble());
        }

        _dst = new float[T * N];
    }

    [Benchmark(Baseline = true)]
    public void Managed() => ManagedBackend.Instance.RollingMean(_src, _dst, T, N, 30, 30);

    [Benchmark]
    public void Native() => NativeBackend.Instance.RollingMean(_src, _dst, T, N, 30, 30);
}
