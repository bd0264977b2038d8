namespace QuantPipeline.Core.Compute.Gpu;

internal static partial class GpuKernels
{
    /// <summary>
    /// A missing observation for the rolling, exponential and F8 kernels: NaN or ±∞ (KernelSemantics), so an infinite
    /// input is skipped but keeps its window slot, as on the other backends.
    /// </summary>
    internal static bool Missing(float x) => float.IsNaN(x) || float.IsInfinity(x);
}
