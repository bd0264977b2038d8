using System.Runtime.InteropServices;

namespace QuantPipeline.Core.Interop;

/// <summary>Element-wise and shift entry points (native/src/elementwise.cpp).</summary>
internal static partial class NativeMethods
{
    [LibraryImport(Library, EntryPoint = "qp_unary_f32")]
    internal static unsafe partial int UnaryF32(int op, float* x, float* dst, long length);

    [LibraryImport(Library, EntryPoint = "qp_binary_f32")]
    internal static unsafe partial int BinaryF32(int op, float* a, float* b, float* dst, long length);

    [LibraryImport(Library, EntryPoint = "qp_where_f32")]
    internal static unsafe partial int WhereF32(float* cond, float* a, float* b, float* dst, long length);

    /// <param name="kind">0 shift, 1 diff, 2 simple return, 3 log return.</param>
    [LibraryImport(Library, EntryPoint = "qp_shifted_f32")]
    internal static unsafe partial int ShiftedF32(int kind, float* src, float* dst, long t, long n, int periods);
}
