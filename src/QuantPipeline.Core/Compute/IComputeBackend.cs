namespace QuantPipeline.Core.Compute;

/// <summary>
/// One implementation of the compute kernels. All backends share the semantics in <see cref="KernelSemantics"/>.
/// Buffers are time-major [t, n] float32.
/// </summary>
public interface IComputeBackend
{
    string Name { get; }

    void RollingMean(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int window, int minPeriods);
}
