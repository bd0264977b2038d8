using BenchmarkDotNet.Attributes;
using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Features;

namespace QuantPipeline.Benchmarks;

/// <summary>
/// W1: the F8 feature set on intraday-3000, per backend (outputs and workspace preallocated). <c>F8</c> is the default
/// path: the fused kernel of the backend (managed <c>IntradayF8Kernel</c>, native <c>qp_intraday_f8_f32</c>);
/// <c>F8PerKernel</c> the composition of ~20 kernel passes on the same backend.
/// </summary>
[MemoryDiagnoser]
public class IntradayF8Benchmarks
{
    private float[] _close = [];
    private float[] _volume = [];
    private float[][] _outputs = [];
    private IntradayF8.Workspace? _workspace;
    private IComputeBackend _backend = ManagedBackend.Instance;

    [Params("managed", "native")]
    public string Backend { get; set; } = "managed";

    [GlobalSetup]
    public void Setup()
    {
        (_close, _volume) = IntradayData.Generate();
        _outputs = IntradayF8.Names.Select(_ => new float[_close.Length]).ToArray();
        _workspace = new IntradayF8.Workspace(IntradayData.Bars, IntradayData.Symbols);
        _backend = ComputeBackends.Create(Backend);
    }

    [Benchmark]
    public void F8() => IntradayF8.Compute(_backend, _close, _volume, default, IntradayData.Bars, IntradayData.Symbols, _outputs, _workspace!);

    [Benchmark]
    public void F8PerKernel() => IntradayF8.ComputePerKernel(_backend, _close, _volume, default, IntradayData.Bars, IntradayData.Symbols, _outputs, _workspace!);

    [GlobalCleanup]
    public void Cleanup() => _workspace?.Dispose();
}
