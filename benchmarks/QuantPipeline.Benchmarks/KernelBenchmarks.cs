using BenchmarkDotNet.Attributes;
using QuantPipeline.Core.Compute;

namespace QuantPipeline.Benchmarks;

/// <summary>Single kernels on intraday-3000 (window 30), per backend.</summary>
[MemoryDiagnoser]
public class KernelBenchmarks
{
    private float[] _close = [];
    private float[] _dst = [];
    private IComputeBackend _backend = ManagedBackend.Instance;

    [Params("managed", "native")]
    public string Backend { get; set; } = "managed";

    [GlobalSetup]
    public void Setup()
    {
        (_close, _) = IntradayData.Generate();
        _dst = new float[_close.Length];
        _backend = ComputeBackends.Create(Backend);
    }

    [Benchmark]
    public void RollingMean() => _backend.Rolling(RollingOp.Mean, _close, _dst, IntradayData.Bars, IntradayData.Symbols, new RollingSpec(30));

    [Benchmark]
    public void RollingStd() => _backend.Rolling(RollingOp.Std, _close, _dst, IntradayData.Bars, IntradayData.Symbols, new RollingSpec(30));

    [Benchmark]
    public void RollingMax() => _backend.Rolling(RollingOp.Max, _close, _dst, IntradayData.Bars, IntradayData.Symbols, new RollingSpec(30));

    [Benchmark]
    public void Ewma() => _backend.Ewm(_close, _dst, IntradayData.Bars, IntradayData.Symbols, EwmSpec.FromHalfLife(20));

    [Benchmark]
    public void CrossSectionalRank() => _backend.CrossSectional(CrossSectionalOp.Rank, _close, default, _dst, IntradayData.Bars, IntradayData.Symbols, new CrossSectionalSpec());
}
