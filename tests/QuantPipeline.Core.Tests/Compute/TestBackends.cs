using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Compute.Gpu;

namespace QuantPipeline.Core.Tests.Compute;

/// <summary>
/// Backends by name; the GPU backend always runs on ILGPU's CPU accelerator and is shared, so kernels compile once.
/// Test classes run in parallel, so the shared GPU backend is reached through a lock (it reuses scratch buffers).
/// </summary>
internal static class TestBackends
{
    private static readonly Lazy<IComputeBackend> Gpu = new(() => new SynchronizedBackend(new GpuBackend(forceCpu: true)));

    public static IComputeBackend Get(string name) => name switch
    {
        "native" => NativeBackend.Instance,
        "gpu" => Gpu.Value,
        _ => ManagedBackend.Instance,
    };
}
