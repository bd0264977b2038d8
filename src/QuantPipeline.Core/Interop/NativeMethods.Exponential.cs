using System.Runtime.InteropServices;

namespace QuantPipeline.Core.Interop;

/// <summary>Exponential-weighting entry points (native/src/exponential.cpp).</summary>
internal static partial class NativeMethods
{
    [LibraryImport(Library, EntryPoint = "qp_ewm_f32")]
    internal static unsafe partial int EwmF32(float* src, float* dst, long t, long n, double alpha, int adjust, int minPeriods);

    [LibraryImport(Library, EntryPoint = "qp_rsi_f32")]
    internal static unsafe partial int RsiF32(float* src, float* dst, long t, long n, int period);
}
