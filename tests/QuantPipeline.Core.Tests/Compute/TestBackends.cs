using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Compute.Gpu;

namespace QuantPipeline.Core.Tests.Compute;

/// <summary>Backends by name; the GPU backend always runs on ILGPU's CPU accelerator and is shared, so kernels compile once.</summary>
internal static class TestBackends
{
    private static readonly Lazy<GpuBackend> Gpu = new(() => new GpuBackend(forceCpu: true));

    public static GpuBackend CpuGpu => Gpu.Value;

    public static IComputeBackend Get(string name) => name switch
    {
        "native" => NativeBackend.Instance,
        "gpu" => Gpu.Value,
        _ => ManagedBackend.Instance,
    };
}
