using System.Runtime.InteropServices;

namespace QuantPipeline.Core.Interop;

/// <summary>Entry points of libqpnative (native/include/qp_native.h).</summary>
internal static partial class NativeMethods
{
    internal const string Library = "qpnative";
    internal const int ExpectedAbiVersion = 4;

    [LibraryImport(Library, EntryPoint = "qp_abi_version")]
    [SuppressGCTransition]
    internal static partial int AbiVersion();

    [LibraryImport(Library, EntryPoint = "qp_last_error")]
    internal static partial IntPtr LastError();

    [LibraryImport(Library, EntryPoint = "qp_rolling_mean_f32")]
    internal static unsafe partial int RollingMeanF32(float* src, float* dst, long t, long n, int window, int minPeriods);

    /// <summary>Turns a non-zero status into an exception carrying the native message.</summary>
    internal static void Check(int status, string operation)
    {
        if (status == 0)
        {
            return;
        }

        var message = Marshal.PtrToStringUTF8(LastError()) ?? "no message";
        throw status == 1
            ? new ArgumentException($"{operation}: {message}")
            : new InvalidOperationException($"{operation} failed in the native library: {message}");
    }
}
