using System.Runtime.InteropServices;

namespace QuantPipeline.Core.Interop;

/// <summary>Fused feature-set entry points (native/src/intraday_f8.cpp).</summary>
internal static partial class NativeMethods
{
    /// <param name="mask">[t, n] bytes (0 = not a member) or null for "every symbol".</param>
    /// <param name="outputs">Ten distinct [t, n] buffers in IntradayF8.Names order, pinned by the caller.</param>
    /// <param name="streaming">1: write whole cache lines with non-temporal stores; 0: ordinary stores.</param>
    [LibraryImport(Library, EntryPoint = "qp_intraday_f8_f32")]
    internal static unsafe partial int IntradayF8F32(float* close, float* volume, byte* mask, float** outputs, long t, long n, int window, int rsiPeriod, double ewmAlpha, int streaming);
}
