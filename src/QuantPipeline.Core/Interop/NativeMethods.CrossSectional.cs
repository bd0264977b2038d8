using System.Runtime.InteropServices;

namespace QuantPipeline.Core.Interop;

/// <summary>Cross-sectional and fill-forward entry points (native/src/cross_sectional.cpp).</summary>
internal static partial class NativeMethods
{
    /// <param name="mask">[t, n] bytes (0 = not a member) or null for "every symbol".</param>
    [LibraryImport(Library, EntryPoint = "qp_cross_sectional_f32")]
    internal static unsafe partial int CrossSectionalF32(int op, float* src, byte* mask, float* dst, long t, long n, double lower, double upper, int ddof);

    [LibraryImport(Library, EntryPoint = "qp_fill_forward_f32")]
    internal static unsafe partial int FillForwardF32(float* src, float* dst, long t, long n, int limit);
}
