using System.Runtime.InteropServices;

namespace QuantPipeline.Core.Interop;

/// <summary>Rolling-window entry points (native/src/rolling.cpp, native/src/rolling_pair.cpp).</summary>
internal static partial class NativeMethods
{
    [LibraryImport(Library, EntryPoint = "qp_rolling_f32")]
    internal static unsafe partial int RollingF32(int op, float* src, float* dst, long t, long n, int window, int minPeriods, int ddof, double quantile);

    [LibraryImport(Library, EntryPoint = "qp_rolling_pair_f32")]
    internal static unsafe partial int RollingPairF32(int op, float* a, float* b, float* dst, long t, long n, int window, int minPeriods, int ddof);
}
