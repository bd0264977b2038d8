using ILGPU;
using ILGPU.Runtime;

namespace QuantPipeline.Core.Compute.Gpu;

/// <summary>
/// Host ↔ device copies over managed memory. ILGPU's <c>CopyFromCPU(ref T, length)</c> and <c>CopyToCPU(ref T,
/// length)</c> take "the base address of a pinned CPU buffer": they turn the reference into a raw pointer and allocate
/// before copying. A reference into an unpinned managed array is not pinned, so a garbage collection on any thread in
/// that window (a compacting one moves young arrays) leaves the copy reading or writing the array's old address: wrong
/// inputs, outputs lost, and writes over whatever the collector placed there (the test host crashed in the collector's
/// mark phase on such a heap). Every copy goes through here, with the span pinned for the whole call.
/// </summary>
internal static class HostCopies
{
    /// <summary>As <see cref="Upload{T}(ArrayView{T}, ReadOnlySpan{T})"/>, for a dense buffer's view.</summary>
    public static void Upload<T>(ArrayView1D<T, Stride1D.Dense> target, ReadOnlySpan<T> source)
        where T : unmanaged => Upload((ArrayView<T>)target, source);

    /// <summary>As <see cref="Download{T}(ArrayView{T}, Span{T})"/>, for a dense buffer's view.</summary>
    public static void Download<T>(ArrayView1D<T, Stride1D.Dense> source, Span<T> target)
        where T : unmanaged => Download((ArrayView<T>)source, target);

    /// <summary>Copies <paramref name="source"/> into the first <c>source.Length</c> cells of <paramref name="target"/>.</summary>
    public static unsafe void Upload<T>(ArrayView<T> target, ReadOnlySpan<T> source)
        where T : unmanaged
    {
        if (source.IsEmpty)
        {
            return;
        }

        fixed (T* pinned = source)
        {
            target.SubView(0, source.Length).CopyFromCPU(ref *pinned, source.Length);
        }
    }

    /// <summary>Copies the first <c>target.Length</c> cells of <paramref name="source"/> into <paramref name="target"/>.</summary>
    public static unsafe void Download<T>(ArrayView<T> source, Span<T> target)
        where T : unmanaged
    {
        if (target.IsEmpty)
        {
            return;
        }

        fixed (T* pinned = target)
        {
            source.SubView(0, target.Length).CopyToCPU(ref *pinned, target.Length);
        }
    }
}
