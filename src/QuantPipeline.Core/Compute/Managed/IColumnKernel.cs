using System.Runtime.Intrinsics;

namespace QuantPipeline.Core.Compute.Managed;

/// <summary>
/// A stateful kernel that walks time for a contiguous range of symbols, carrying per-symbol state in float64 lanes.
/// Written once, generic over the lane width; <see cref="ColumnKernel.Run{TK}"/> picks the width and hands the
/// remainder that does not fill a vector to <see cref="ScalarLanes"/>.
/// </summary>
internal interface IColumnKernel
{
    void Run<TV, TL>(int first, int count)
        where TV : struct
        where TL : IDoubleLanes<TV>;
}

/// <summary>Width dispatch and parallel column blocks for <see cref="IColumnKernel"/>.</summary>
internal static class ColumnKernel
{
    /// <summary>Runs the kernel over all n symbols in parallel column blocks.</summary>
    internal static void Run<TK>(TK kernel, int n)
        where TK : struct, IColumnKernel =>
        ColumnBlocks.For(n, (first, count) => RunBlock(kernel, first, count));

    /// <summary>Runs the kernel over all n symbols in parallel column blocks of <paramref name="width"/> symbols.</summary>
    internal static void Run<TK>(TK kernel, int n, int width)
        where TK : struct, IColumnKernel
    {
        var blocks = (n + width - 1) / width;
        if (blocks <= 1)
        {
            RunBlock(kernel, 0, n);
            return;
        }

        Parallel.For(0, blocks, b => RunBlock(kernel, b * width, Math.Min(width, n - b * width)));
    }

    private static void RunBlock<TK>(TK kernel, int first, int count)
        where TK : struct, IColumnKernel
    {
        var vectorised = 0;
        if (Vector512.IsHardwareAccelerated && count >= Vector512<double>.Count)
        {
            vectorised = count - count % Vector512<double>.Count;
            kernel.Run<Vector512<double>, Lanes512>(first, vectorised);
        }
        else if (Vector256.IsHardwareAccelerated && count >= Vector256<double>.Count)
        {
            vectorised = count - count % Vector256<double>.Count;
            kernel.Run<Vector256<double>, Lanes256>(first, vectorised);
        }
        else if (Vector128.IsHardwareAccelerated && count >= Vector128<double>.Count)
        {
            vectorised = count - count % Vector128<double>.Count;
            kernel.Run<Vector128<double>, Lanes128>(first, vectorised);
        }

        if (vectorised < count)
        {
            kernel.Run<double, ScalarLanes>(first + vectorised, count - vectorised);
        }
    }
}
